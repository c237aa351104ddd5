"""The measure a profile question names (a share, a count of people) chooses among the fields a
group answers together."""

from __future__ import annotations

import re

import pytest

from app.core.asked_measure import change_asked, measure_asked, value_asked
from app.core.asked_period import quarter_asked
from app.core.profile import EnterpriseProfile, build_profile
from app.core.profile_answer import answer_from_profile
from app.core.types import Fact

RD_GROUP = ["rd_expense", "rd_expense_ratio", "rd_staff", "rd_staff_ratio"]


def F(field: str, value: object, **kw: object) -> Fact:
    return Fact(field=field, value=value, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(("question", "measure"), [
    ("How big is the firm's research team, in head count?", "people"),
    ("How many of its people are developers?", "people"),
    ("研发团队有几个人？", "people"),
    ("技術人員人數是多少？", "people"),
    ("研发人员在员工人数中的比例是多少？", "share"),  # a share of people is a share
    ("What fraction of sales is reinvested in research?", "share"),
    ("研发支出占收入多少？", "share"),
    ("What is the yearly churn rate of its workforce?", "share"),
    ("员工的流动率有多高？", "share"),
    ("How much did it invest in research last year?", None),
    ("研发费用是多少？", None),
    ("研发费用占营收大概几个点？", "share"),  # percentage points, not a count
    ("毛利率比去年高了几个百分点？", "share"),
    ("How many R&D people does it employ out of its total headcount?", "share"),  # the part against its whole
    ("How much is left out of the loan?", None),
])
def test_the_measure_named(question: str, measure: str | None) -> None:
    assert measure_asked(question) == measure


def _profile() -> EnterpriseProfile:
    return build_profile("x", [F("rd_expense", 3_000_000, unit="CNY", as_of="2023", quote="研发费用300万元"),
                               F("revenue", 40_000_000, unit="CNY", as_of="2023", quote="营收4000万元"),
                               F("rd_staff", 12, unit="persons", quote="研发人员12人"),
                               F("employees", 60, unit="persons", quote="员工60人")])


def _cite(fact: Fact) -> tuple[str, str, int | None]:
    return ("doc", fact.quote or str(fact.value), None)


def test_a_headcount_question_answers_the_people_not_the_expense_beside_them() -> None:
    answer = answer_from_profile("How big is the firm's research team, in head count?", _profile(), "en", _cite,
                                 RD_GROUP)
    assert answer is not None and answer.found
    assert "12 people" in answer.text and "CNY" not in answer.text and "%" not in answer.text


def test_a_share_question_answers_the_ratios_and_without_a_measure_the_whole_group_is_answered() -> None:
    share = answer_from_profile("研发支出占收入多少？", _profile(), "zh", _cite, RD_GROUP)
    assert share is not None and share.text.splitlines()[0].startswith("研发费用占比：7.5%")
    assert all("%" in line for line in share.text.splitlines())
    plain = answer_from_profile("研发这块的情况怎么样？", _profile(), "zh", _cite, RD_GROUP)
    assert plain is not None and len(plain.text.splitlines()) == 4


def test_a_part_counted_out_of_its_whole_is_answered_with_the_part_the_whole_and_the_share() -> None:
    answer = answer_from_profile("How many R&D people does it employ out of its total headcount?", _profile(), "en", _cite,
                                 ["rd_staff", "rd_staff_ratio"])
    assert answer is not None and answer.found
    assert "20%" in answer.text and "12 people" in answer.text and "60 people" in answer.text, answer.text


def test_a_rate_no_answered_field_states_is_not_answered_by_the_count_beside_it() -> None:
    profile = build_profile("x", [F("employees", 60, unit="persons", quote="员工60人"),
                                  F("revenue", 40_000_000, unit="CNY", as_of="2023", quote="营收4000万元"),
                                  F("revenue", 32_000_000, unit="CNY", as_of="2022", quote="营收3200万元")])
    for question in ("What is the yearly churn rate of its workforce?", "员工的流动率有多高？"):
        answer = answer_from_profile(question, profile, "en", _cite, ["employees"])
        assert answer is not None and not answer.found and "60" not in answer.text
    growth = answer_from_profile("营收的增长率是多少？", profile, "zh", _cite, ["revenue", "revenue_growth"])
    assert growth is not None and growth.found and growth.text.startswith("营收增长率：25%")
    # a share of the revenue asked: its growth is a ratio too, but of no part of it
    for question in ("23年海外收入占比多少？", "What share of 2023 revenue came from exports?"):
        part = answer_from_profile(question, profile, "zh", _cite, ["revenue", "revenue_growth"])
        assert part is not None and not part.found and "25%" not in part.text, part.text
    asked_in_percent = answer_from_profile("By what % did revenue grow in 2023?", profile, "en", _cite, ["revenue", "revenue_growth"])
    assert asked_in_percent is not None and asked_in_percent.found and "25%" in asked_in_percent.text


@pytest.mark.parametrize(("question", "changed"), [
    ("How fast did the client's R&D spending rise from 2022 to 2023?", True),
    ("研发费用增长了多少？", True),
    ("研發費用同比變化如何？", True),
    ("研發費用2023年比2022年升了多少？", True),  # 升了 (Cantonese 升咗 is read so)
    ("How many more R&D staff did it have in 2023 than in 2021?", True),
    ("how much did research spending go up from 2022 to 2023?", True),  # a phrasal verb of change
    ("Has headcount shrunk since 2021?", True),
    ("What was its R&D spending in 2023?", False),
    ("研发费用是多少？", False),
])
def test_a_change_asked(question: str, changed: bool) -> None:
    assert change_asked(question) is changed


def _yearly() -> EnterpriseProfile:
    return build_profile("x", [F("rd_expense", 4_120_000, unit="CNY", as_of="2021", quote="研发费用412万元"),
                               F("rd_expense", 6_350_000, unit="CNY", as_of="2022", quote="研发费用635万元"),
                               F("rd_expense", 9_600_000, unit="CNY", as_of="2023", quote="研发费用960万元"),
                               F("revenue", 120_800_000, unit="CNY", as_of="2023", quote="营收1.208亿元")])


@pytest.mark.parametrize(("question", "lang", "expected"), [
    ("How fast did the client's R&D spending rise from 2022 to 2023?", "en",
     ("R&D expense growth, FY2022–FY2023: 51.18% (FY2023) = R&D expense 9,600,000 CNY (9.6 million) / R&D expense 6,350,000 CNY "
     "(6.35 million, FY2022) − 1")),
    ("研发费用增长率是多少？", "zh", "研发费用增长率（2022–2023年度）：51.18%"),  # no year: the latest two; a ratio beside it is not the answer
    ("2022年研发费用增长了多少？", "zh", "研发费用增长率（2021–2022年度）：54.13%"),  # one year: from the year before it
    ("2023年的研发费用比2021年多出多少钱？", "zh", "研发费用增长率（2021–2023年度）：133.01%"),
])
def test_the_change_of_any_yearly_amount_is_derived_with_its_inputs_cited(question: str, lang: str, expected: str) -> None:
    answer = answer_from_profile(question, _yearly(), lang, _cite, RD_GROUP)
    assert answer is not None and answer.found
    (line,) = answer.text.splitlines()
    assert line.startswith(expected)
    assert ("差额：+" in line or "difference: +" in line) and line.endswith("[1][2]")  # the difference too, then the marks
    assert len(answer.citations) == 2


def test_a_ratios_change_asked_gets_the_ratio_of_each_year_and_a_percent_asked_of_an_amount_its_growth() -> None:
    profile = build_profile("x", [*_yearly().fields["rd_expense"].candidates,
                                  F("revenue", 81_450_000, unit="CNY", as_of="2022", quote="营收8,145万元"),
                                  F("revenue", 120_800_000, unit="CNY", as_of="2023", quote="营收1.208亿元")])
    ratio = answer_from_profile("23年研发费用率跟22年比是升了还是降了？", profile, "zh", _cite, RD_GROUP)
    assert ratio is not None and ratio.found
    assert "增长率" not in ratio.text and {"7.95%", "7.8%"} <= set(re.findall(r"[\d.]+%", ratio.text)), ratio.text
    amount = answer_from_profile("研发费用2023年比2022年升了多少%？", profile, "zh", _cite, RD_GROUP)
    assert amount is not None and amount.text.startswith("研发费用增长率（2022–2023年度）：51.18%"), amount.text


def test_no_change_is_derived_for_a_year_not_held() -> None:
    answer = answer_from_profile("How much did R&D spending grow from 2019 to 2023?", _yearly(), "en", _cite, RD_GROUP)
    assert answer is not None and "%" not in answer.text.split("\n")[0].split(":")[0]
    assert "growth" not in answer.text


@pytest.mark.parametrize(("question", "quarter"), [
    ("23年第三季度它在研发上花了多少钱？", ("2023", 3)),
    ("2023Q4的研发费用", ("2023", 4)),
    ("What was R&D spending in Q2 2022?", ("2022", 2)),
    ("R&D in the third quarter of 2023?", ("2023", 3)),
    ("第一季度研发人员多少？", (None, 1)),
    ("23Q4研发人头多少", ("2023", 4)),  # two digits written onto the Q
    ("净利率1.23Q4", None),
    ("What was revenue last quarter?", None),
])
def test_a_numbered_quarter_asked(question: str, quarter: tuple[str | None, int] | None) -> None:
    assert quarter_asked(question) == quarter


@pytest.mark.parametrize(("question", "value"), [
    ("How much tax did the company pay last year?", "money"),
    ("申报高企花了多少费用？", "money"),
    ("该公司年营收规模大概几个亿？", "money"),
    ("本市有多少家企業拿到小巨人認定？", "count"),
    ("How many patents does it hold?", "count"),
    ("How much of its revenue goes to R&D?", None),  # a share as readily as an amount: not read
    ("它的税务信用等级是什么？", None),
    ("2023年第四季度研发支出是多少？", "money"),  # what was spent on something, asked how much
    ("研发投入大概多少", "money"),
    ("研发项目投入多少人？", "count"),  # people put on it: a count
])
def test_the_value_kind_asked(question: str, value: str | None) -> None:
    assert value_asked(question) == value


def test_a_two_digit_year_before_nian_is_this_centurys_and_a_count_of_years_is_not() -> None:
    from app.core.asked_period import years_asked

    assert years_asked("23年的净利润比21年多赚了多少？") == ("2023", "2021")
    assert years_asked("公司成立12年了") == ()
    assert years_asked("12年多的历史") == ()
    # after a year-end's abbreviation ("YE23", "FYE22"), as after FY
    assert years_asked("cash at YE23 vs FYE22?") == ("2023", "2022")
    assert years_asked("bye 22 of them, yes 23 people") == ()


def test_the_change_of_an_amount_asked_beside_another_amounts_growth_field_is_derived() -> None:
    profile = build_profile("x", [F("net_profit", 8_862_892.48, unit="CNY", as_of="2021", quote="净利润886万元"),
                                  F("net_profit", 15_064_297.49, unit="CNY", as_of="2023", quote="净利润1506万元")])
    answer = answer_from_profile("23年的净利润比21年多赚了多少？", profile, "zh", _cite, ["net_profit", "revenue_growth"])
    assert answer is not None and answer.text.startswith("净利润增长率（2021–2023年度）：69.97%")
    assert "差额：+620.14万元" in answer.text


def test_points_asked_are_a_share_not_a_count_and_what_time_is_neither() -> None:
    from app.core.asked_measure import value_asked

    assert value_asked("研发费用占营收大概几个点？") is None  # not "how many"
    assert value_asked("研发人员有几个？") == "count"
    assert measure_asked("几点开会？") is None and value_asked("几点开会？") is None


def test_two_attributes_joined_are_each_answered_and_a_total_is_the_years_sum_only_beside_years() -> None:
    profile = build_profile("x", [F("revenue", 2_800_000, unit="USD", as_of="2022", quote="revenue $2.8M"),
                                  F("revenue", 4_500_000, unit="USD", as_of="2023", quote="revenue $4.5M"),
                                  F("employees", 38, unit="persons", quote="38 employees")])
    fields = ["revenue", "revenue_growth", "employees"]
    # the people are what one conjunct asks, not what narrows the other; "total" is the headcount's, not a sum of years
    joined = answer_from_profile("FY23 vs FY22 revenue and total headcount", profile, "en", _cite, fields)
    assert joined is not None and "4,500,000 USD" in joined.text and "2,800,000 USD" in joined.text
    assert "38 people" in joined.text and "total" not in joined.text
    summed = answer_from_profile("revenue for 2022 and 2023 in total", profile, "en", _cite, ["revenue"])
    assert summed is not None and "total FY2022–FY2023: 7,300,000 USD" in summed.text
    # one ask: the people counted, not the revenue beside them
    one = answer_from_profile("How many people does it employ?", profile, "en", _cite, fields)
    assert one is not None and "38 people" in one.text and "USD" not in one.text


def _three_years_of_revenue() -> EnterpriseProfile:
    return build_profile("x", [F("revenue", 52_300_000, unit="CNY", as_of="2021", quote="营收5,230万元"),
                               F("revenue", 81_450_000, unit="CNY", as_of="2022", quote="营收8,145万元"),
                               F("revenue", 120_800_000, unit="CNY", as_of="2023", quote="营收1.208亿元")])


@pytest.mark.parametrize(("question", "lang", "expected"), [
    ("What was the revenue CAGR from 2021 to 2023?", "en", "revenue compound annual growth, FY2021–FY2023: 51.98% = "),
    ("极光21到23年营收CAGR大概多少？", "zh", "营业收入年均复合增长率（2021–2023年度）：51.98% = "),
    ("营收的年均复合增长率是多少？", "zh", "营业收入年均复合增长率（2021–2023年度）：51.98%"),  # no year: every year held
])
def test_a_compound_annual_growth_asked_is_derived_between_the_ends_with_both_cited(question: str, lang: str,
                                                                                     expected: str) -> None:
    answer = answer_from_profile(question, _three_years_of_revenue(), lang, _cite, ["revenue", "revenue_growth"])
    assert answer is not None and answer.found
    (line,) = answer.text.splitlines()
    assert line.startswith(expected), line
    assert "^(1/2)" in line and line.endswith("[1][2]")  # the two ends, each cited
    assert len(answer.citations) == 2


def test_a_compound_rate_over_two_consecutive_years_is_that_years_growth() -> None:
    answer = answer_from_profile("Revenue CAGR from 2022 to 2023?", _three_years_of_revenue(), "en", _cite, ["revenue"])
    assert answer is not None and answer.text.startswith("revenue growth, FY2022–FY2023: 48.31%"), answer.text


def test_the_gap_between_two_sources_figures_is_stated_when_asked_and_only_then() -> None:
    profile = build_profile("x", [F("revenue", 120_800_000, unit="CNY", as_of="2023", quote="营业收入 120800000",
                                    source_type="financial_statement"),
                                  F("revenue", 130_000_000, unit="CNY", as_of="2023", quote="营业收入1.3亿元",
                                    source_type="business_plan")])
    gap = answer_from_profile("BP写23年营收1.3亿，跟财报差了多少？", profile, "zh", _cite, ["revenue"])
    assert gap is not None and "1.208亿元" in gap.text and "1.3亿元，相差+920万元" in gap.text, gap.text
    english = answer_from_profile("What's the difference between the plan's 2023 revenue and the statements'?", profile,
                                  "en", _cite, ["revenue"])
    assert english is not None and "a difference of +9,200,000 CNY" in english.text, english.text
    plain = answer_from_profile("23年营收多少？", profile, "zh", _cite, ["revenue"])
    assert plain is not None and "1.3亿元" in plain.text and "相差" not in plain.text
