"""Profile answers in a conversation: a follow-up that names only another year is the earlier question
for that year; a growth rate is derived for every year whose prior year is reported, not the latest
only; patents and certificates held do not answer a question about applications filed or pending."""

from __future__ import annotations

from app.chat_focus import restated_for_period, restated_for_quarter
from app.core.asked_period import recent_years_asked, sub_year_asked, total_asked, years_asked
from app.core.profile import build_profile
from app.core.profile_answer import answer_from_profile, filings_asked
from app.core.types import Fact


def F(field: str, value: object, **kw: object) -> Fact:
    return Fact(field=field, value=value, **kw)  # type: ignore[arg-type]


def _cite(fact: Fact) -> tuple[str, str, int | None]:
    return ("sheet", fact.quote or str(fact.value), None)


def test_a_follow_up_naming_only_a_year_repeats_the_earlier_question_for_that_year() -> None:
    assert restated_for_period("那2020年的呢？", ["客户2022年的净利润有多少？"]) == "客户2020年的净利润有多少？"
    assert restated_for_period("And in 2021?", ["What did the firm book as revenue in 2023?"]) \
        == "What did the firm book as revenue in 2021?"
    assert restated_for_period("2019年呢", ["员工有多少人？"]) == "2019年 员工有多少人？"


def test_a_follow_up_naming_only_a_quarter_repeats_the_earlier_quarters_question_for_it() -> None:
    assert restated_for_quarter("那22年Q4呢", ["aurora研发人数 23Q4是多少"]) == "aurora研发人数 2022Q4是多少"
    assert restated_for_quarter("那第三季度呢", ["23年第四季度研发费用多少"]) == "2023Q3研发费用多少"  # the earlier year
    assert restated_for_quarter("What about Q2?", ["R&D headcount in Q4 2023?"]) == "R&D headcount in 2023Q2?"
    assert restated_for_quarter("那22年Q4的收入呢", ["aurora研发人数 23Q4是多少"]) is None  # more than a quarter
    assert restated_for_quarter("那22年Q4呢", ["研发人数是多少"]) is None  # no quarter before it


def test_a_follow_up_with_more_than_a_year_or_without_an_earlier_question_is_left_alone() -> None:
    assert restated_for_period("那2021年的研发人员呢？", ["2023年营收多少？"]) is None
    assert restated_for_period("那2021年呢？", []) is None
    assert restated_for_period("那2021年呢？", ["2022年和2023年的营收各是多少？"]) is None  # which year it replaces is unsaid


def test_growth_is_derived_for_each_year_with_its_prior_year_and_the_latest_is_chosen() -> None:
    revenues = [F("revenue", v, unit="CNY", as_of=y, source_type="financial_statement")
                for y, v in (("2020", 40_000_000), ("2021", 50_000_000), ("2022", 65_000_000))]
    growth = build_profile("x", revenues).fields["revenue_growth"]
    assert growth.chosen.value == 30.0 and growth.chosen.as_of == "2022"
    assert [(f.as_of, f.value) for f in growth.candidates] == [("2022", 30.0), ("2021", 25.0)]
    answer = answer_from_profile("2021年收入增长率是多少？", build_profile("x", revenues), "zh", _cite, ["revenue_growth"])
    assert answer is not None and answer.found and "25%（2021年度）" in answer.text and "30%" not in answer.text


def test_no_growth_without_the_latest_years_prior() -> None:
    revenues = [F("revenue", v, unit="CNY", as_of=y) for y, v in (("2019", 10), ("2020", 12), ("2022", 20))]
    assert "revenue_growth" not in build_profile("x", revenues).fields


def test_applications_filed_or_pending_are_not_answered_by_patents_held() -> None:
    profile = build_profile("x", [F("patents.invention", 7, unit="items", quote="已授权发明专利7项")])
    for question in ("有几件发明专利还在审查中？", "How many patent applications has it got pending?",
                     "公司今年申请了多少项专利？"):
        assert filings_asked(question)
        answer = answer_from_profile(question, profile, "en", _cite, ["patents.invention"])
        assert answer is not None and not answer.found and "7" not in answer.text
    held = answer_from_profile("它持有多少项发明专利？", profile, "zh", _cite, ["patents.invention"])
    assert held is not None and held.found and "7" in held.text


def test_pending_applications_the_documents_state_answer_a_question_about_filings() -> None:
    profile = build_profile("x", [F("patents.invention", 7, unit="items", quote="已授权发明专利7项"),
                                  F("patents_pending.invention", 4, unit="items", quote="另有4项发明专利申请处于实质审查阶段")])
    answer = answer_from_profile("它有几项发明专利还在审查中？", profile, "zh", _cite, ["patents.invention"])
    assert answer is not None and answer.found and "4项" in answer.text and "7项" not in answer.text


def test_a_who_question_naming_the_investors_gets_them_whatever_group_it_was_read_as() -> None:
    profile = build_profile("x", [F("investors", ["Lakeside Capital", "北辰资本"], quote="由Lakeside Capital领投，北辰资本跟投"),
                                  F("entity_type", "for_profit", quote="有限责任公司")])
    for question in ("Who are the firm's main investors?", "这家企业的投资方都是谁？"):
        answer = answer_from_profile(question, profile, "en", _cite, ["ownership.domestic_share", "entity_type"])
        assert answer is not None and answer.found and "Lakeside Capital" in answer.text, question
    assert answer_from_profile("Who is the firm's chairman?", profile, "en", _cite, ["entity_type"]) is None


def test_a_half_year_asked_is_not_a_yearly_figure() -> None:
    for question in ("What were sales in the second half of 2022?", "Revenue for H1 2023?", "its 2023-H2 profit",
                     "Show me the half-year numbers."):
        assert sub_year_asked(question), question
    assert not sub_year_asked("Who holds half of the shares?") and not sub_year_asked("What were sales in 2022?")
    profile = build_profile("x", [F("revenue", 5, unit="CNY", as_of="2022")])
    answer = answer_from_profile("What were sales in the second half of 2022?", profile, "en", _cite, ["revenue"])
    assert answer is not None and not answer.found


def test_a_span_of_years_names_each_year_and_recent_years_are_counted() -> None:
    assert years_asked("sales from 2019 through 2021") == ("2019", "2020", "2021")
    assert years_asked("2020至2022年的净利润") == ("2020", "2021", "2022")
    assert recent_years_asked("过去两年的营收") == 2 and recent_years_asked("over the past 4 years") == 4
    assert total_asked("营收累计多少") and total_asked("What did they earn combined?") and not total_asked("营收多少")
    assert total_asked("net profit 2021+2022+2023?") and total_asked("Add up the net profit for 2021 and 2022")
    assert total_asked("把2022年、2023年的營收相加，總數是多少？") and not total_asked("员工总数是多少？")
    assert not total_asked("R&D 2023 + growth?")  # a plus between asks, not between years


def test_a_sum_over_the_years_asked_is_shown_with_its_parts_and_each_year_cited() -> None:
    profits = [F("net_profit", v, unit="CNY", as_of=y, source_type="financial_statement", quote=f"净利润 {v}")
               for y, v in (("2020", 1_000_000), ("2021", 2_500_000), ("2022", 4_000_000))]
    profile = build_profile("x", profits)
    answer = answer_from_profile("过去两年净利润累计多少？", profile, "zh", _cite, ["net_profit"])
    assert answer is not None and answer.found
    assert answer.text.splitlines()[-1] == "净利润合计（2021–2022年度）：650万元 = 250万元 + 400万元[1][2]"
    missing_year = answer_from_profile("Net profit 2019-2021 in total?", profile, "en", _cite, ["net_profit"])
    assert missing_year is not None and "total" not in missing_year.text  # a year not held: no sum of the rest


def test_a_follow_up_pointing_at_an_item_of_the_previous_list_names_that_program() -> None:
    from app.chat_focus import resolved_ordinal

    cited = [{"doc_id": "program:ip-loan"}, {"doc_id": "program:hnte-loan"}, {"doc_id": "doc-7"}]
    titles = {"ip-loan": "知识产权质押贷", "hnte-loan": "高企贷"}
    assert resolved_ordinal("第一个的利率是多少？", cited, titles) == "知识产权质押贷的利率是多少？"
    assert resolved_ordinal("What does the second one require?", cited, titles) == "What does 高企贷 require?"
    assert resolved_ordinal("第三个呢？", cited, titles) is None  # the list held two programs
    assert resolved_ordinal("第一季度营收多少？", cited, titles) is None  # a quarter is no pointer
    assert resolved_ordinal("第一个的利率是多少？", [], titles) is None
