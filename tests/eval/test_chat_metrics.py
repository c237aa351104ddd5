"""The chat evaluation's scores on hand-made outcomes, and its dataset loads and is big enough."""

from __future__ import annotations

from pathlib import Path

from eval.chat import load_items
from eval.chat_metrics import ChatItem, Outcome, answer_correct, relevant_citations, right_kind, scores
from eval.metrics import split_of

DATASET = Path(__file__).resolve().parents[2] / "eval" / "data" / "chat"


def _match(pid: str, kind: str, title: str = "") -> dict[str, object]:
    return {"kind": kind, "program": {"id": pid, "title": title or pid}}


def _cite(doc_id: str, text: str = "", title: str = "") -> dict[str, object]:
    return {"n": 1, "doc_id": doc_id, "title": title, "text": text}


CREDIT = ChatItem("c", "zh", ("有哪些适合它的信贷产品？",), "credit", "aurora")
PROFILE = ChatItem("p", "zh", ("公司有多少员工？",), "profile", "aurora", expect=("120",), cite=("员工总数120人",))
HNTE = ChatItem("h", "zh", ("…", "那它还缺什么条件？"), "followup", "aurora", cite=("高新",), program="高新技术企业认定")
DECLINE = ChatItem("d", "en", ("What is the capital of Australia?",), "out_of_scope", answerable=False)


def test_a_kind_question_is_right_only_with_cards_of_that_kind() -> None:
    only_credit = Outcome("信贷：…[1]", True, "match", "match.credit", (_cite("program:a"),), (_match("a", "credit"),))
    mixed = Outcome("…", True, "match", "match.any", (_cite("program:a"), _cite("program:b")),
                    (_match("a", "credit"), _match("b", "policy")))
    assert right_kind(CREDIT, only_credit) and not right_kind(CREDIT, mixed)
    assert relevant_citations(CREDIT, mixed) == (1, 2)


def test_a_profile_answer_needs_its_facts_and_a_citation_holding_them() -> None:
    good = Outcome("员工人数：120人[1]", True, "profile", "profile.employees", (_cite("d1", "员工总数120人，其中研发人员47人"),))
    wrong = Outcome("员工人数：12人[1]", True, "profile", "profile.employees", (_cite("d2", "发明专利12项"),))
    assert answer_correct(PROFILE, good) and not answer_correct(PROFILE, wrong)
    assert relevant_citations(PROFILE, good) == (1, 1) and relevant_citations(PROFILE, wrong) == (0, 1)


def test_a_date_counts_whichever_way_it_is_written_and_only_the_same_date() -> None:
    item = ChatItem("t", "zh", ("高企证书是哪天发的？",), "profile", "aurora", expect=("2023年12月12日",))
    iso = Outcome("发证日期2023-12-12[1]", True, "profile", "profile.certifications", ())
    other_day = Outcome("发证日期2023-12-21[1]", True, "profile", "profile.certifications", ())
    assert answer_correct(item, iso) and not answer_correct(item, other_day)
    month = ChatItem("m", "zh", ("哪年成立的？",), "profile", "aurora", expect=("2019-03",))
    assert answer_correct(month, Outcome("成立于2019年3月[1]", True, "profile", "profile.founding", ()))
    en = ChatItem("e", "en", ("When does the certificate expire?",), "profile", "aurora", expect=("2026-12-11",))
    assert answer_correct(en, Outcome("expires 11 December 2026 [1]", True, "profile", "profile.certifications", ()))
    assert not answer_correct(en, Outcome("expires 11 December 2025 [1]", True, "profile", "profile.certifications", ()))
    june = ChatItem("j", "en", ("When was it founded?",), "profile", "northwind", expect=("June 2020",))
    assert answer_correct(june, Outcome("founded: 2020-06 [1]", True, "profile", "profile.founding", ()))
    assert not answer_correct(june, Outcome("founded: 2021-06 [1]", True, "profile", "profile.founding", ()))


def test_a_decimal_expected_is_met_by_the_same_value_with_more_decimals_only() -> None:
    item = ChatItem("r", "zh", ("研发费用增长了几%？",), "profile", "aurora", expect=("51.2",))
    assert answer_correct(item, Outcome("研发费用增长率：51.18%（2023年度）[1]", True, "profile", "profile.rd_expense", ()))
    assert answer_correct(item, Outcome("增长率：51.2%[1]", True, "profile", "profile.rd_expense", ()))
    for wrong in ("增长率：51.38%[1]", "增长率：51%[1]", "增长率：151.18%[1]", "差额：+51,180元[1]"):
        assert not answer_correct(item, Outcome(wrong, True, "profile", "profile.rd_expense", ())), wrong
    percent = ChatItem("p", "en", ("YoY growth %?",), "profile", "northwind", expect=("60.7%",))  # as a percentage
    assert answer_correct(percent, Outcome("revenue growth: 60.71% (FY2023) [1]", True, "profile", "profile.revenue", ()))
    for wrong in ("revenue growth: 60.79% [1]", "revenue: 60.71 million USD [1]"):
        assert not answer_correct(percent, Outcome(wrong, True, "profile", "profile.revenue", ())), wrong


def test_a_follow_up_is_right_when_the_program_in_focus_comes_first() -> None:
    out = Outcome("高新技术企业认定尚缺的条件…", True, "match", "followup.gaps", (), (_match("x", "policy", "高新技术企業認定"),))
    other = Outcome("…", True, "match", "followup.gaps", (), (_match("y", "policy", "专精特新"),))
    assert right_kind(HNTE, out) and not right_kind(HNTE, other)  # traditional and simplified compare equal


def test_a_comparison_of_the_clients_own_figures_is_answered_by_its_profile_or_as_a_comparison() -> None:
    years = ChatItem("y", "zh", ("研发费用23年比22年涨了多少？",), "compare", "aurora", expect=("51",))
    said = "研发费用增长率（2022–2023年度）：51.18% = 研发费用 960万元 / 研发费用 635万元 − 1[1]"
    assert right_kind(years, Outcome(said, True, "profile", "profile.rd_expense"))
    assert right_kind(years, Outcome(said, True, "compare", "compare"))
    assert not right_kind(years, Outcome("…", True, "retrieval", "document"))
    programs = ChatItem("p", "en", ("HNTE vs tech SME, which is better?",), "compare", None, expect=("15%",))
    assert not right_kind(programs, Outcome("…", True, "profile", "profile.tax"))  # no client: no profile answers it


def test_scores_count_declines_and_rates() -> None:
    declined = Outcome("Not found in the documents.", False, "retrieval", "out_of_scope")
    answered = Outcome("员工人数：120人[1]", True, "profile", "profile.employees", (_cite("d1", "员工总数120人"),))
    s = scores([PROFILE, DECLINE], [answered, declined])
    assert (s["answer_accuracy"], s["citation_precision"], s["right_kind"], s["decline_accuracy"]) == (1.0, 1.0, 1.0, 1.0)
    s = scores([DECLINE], [answered])
    assert s["decline_accuracy"] == 0.0 and s["answer_accuracy"] is None


def test_the_shipped_chat_set_covers_languages_kinds_turns_and_both_halves() -> None:
    items = load_items(DATASET)
    assert len(items) >= 80 and len({i.id for i in items}) == len(items)
    assert {i.lang for i in items} == {"zh", "zh-Hant", "en"}
    assert {"credit", "equity", "policy", "program", "followup", "profile", "document", "out_of_scope"} <= {i.kind for i in items}
    assert sum(len(i.turns) > 1 for i in items) >= 8 and sum(not i.answerable for i in items) >= 8
    halves = {split_of(i.id) for i in items if not i.answerable}
    assert halves == {"tune", "held_out"}
    firms = {p.name for p in (DATASET / "enterprises").iterdir()}
    assert {i.enterprise_id for i in items if i.enterprise_id} <= firms


def test_a_passage_cited_for_the_value_it_states_is_relevant_without_a_needle() -> None:
    from eval.chat_metrics import states_cited_value
    line = "✗ 不满足：上年度营业收入不超过1亿元[1]——营业收入1.21亿元，超过上限1亿元[2]"
    row = "营业收入 Revenue | 52300000.00 | 120800000.00"
    assert states_cited_value(line, 2, row)  # 1.21亿 is 120,800,000 as written, to its rounding
    assert not states_cited_value(line, 2, "营业收入 Revenue | 52300000.00 | 130800000.00")  # another figure
    assert not states_cited_value(line, 1, row)  # [1] is cited for the clause; the row has its label, not its words
    assert not states_cited_value("员工人数：12人[1]", 1, "发明专利12项")  # the figure, but of another thing
    derived = "✓ 满足：研发费用占比不低于6%[1]——研发费用占比7.95% = 研发费用 960万元 / 营业收入 1.208亿元[4][5]"
    assert states_cited_value(derived, 5, row)  # a run of marks: the stretch before it is each one's
    assert states_cited_value("——成立年限7.76年，依据成立时间 2019-03[3]", 3, "公司成立于2019年3月。")  # a date
    assert states_cited_value("——注册地广东省深圳市南山区，位于广东省范围内[2]", 2, "注册地址：广东省深圳市南山区粤海街道")
    assert not states_cited_value("——注册地广东省深圳市南山区[2]", 2, "注册地址：上海市浦东新区")
    located = "✓ Met: The company must be located in the United States [1] — located in United States > Texas > Austin [3]"
    assert states_cited_value(located, 3, "Northwind was founded in 2020 and is headquartered in Austin, Texas.")
    assert not states_cited_value(located, 3, "Its largest customer is in the United States.")  # no name of the value
    # a count with its unit, across languages: "47 people" is "研发人员47人"; "12 people" is not "12项"
    ratio = "R&D staff ratio: 39.17% = R&D staff 47 people / employees 120 people [1]"
    assert states_cited_value(ratio, 1, "员工总数120人，其中研发人员47人。")
    assert not states_cited_value("employees: 12 people [1]", 1, "已获得发明专利12项。")
    # a region path is read as the place it names ("中国 > 广东省 > 深圳市" is "广东省深圳市")
    assert states_cited_value("✓ Met: 须在中国境内注册 [1] — located in 中国 > 广东省 > 深圳市 > 南山区, inside 中国 [2]", 2,
                              "注册地址：广东省深圳市南山区粤海街道科技园。")
    # a sheet's row under an English header: its quarter names the row, an amount of five digits or more is itself
    sheet = "quarter | rd_expense_rmb | rd_headcount\n2021Q1 | 880000.00 | 21"
    assert states_cited_value("研發人員（2021年第1季度）：21人[1]", 1, sheet)
    assert not states_cited_value("研发人员（2022年第1季度）：21人[1]", 1, sheet)  # another quarter's
    assert states_cited_value("研发费用（2021年上半年）：88万元 = 88万元（第1季度）[1]", 1, sheet)
    assert not states_cited_value("研发费用：87万元[1]", 1, sheet)  # another amount
    # a round by its letter in either language
    assert states_cited_value("✓ Met: 须处于A轮或B轮 [1] — funding stage: Series A [2]", 2, "2022年完成A轮融资5,000万元。")
    assert not states_cited_value("— funding stage: Series B [2]", 2, "2022年完成A轮融资。")
    # a verdict's tally of criteria is no client value: "满足5项" is not the card's "5项以上"
    assert not states_cited_value("政策：某办法——可能符合：6项硬性条件中满足5项、不满足0项、待确认1项[1]", 1,
                                  "企业须拥有发明专利5项以上。")
    item = ChatItem("v", "zh", ("首贷通能做吗？",), "program", "aurora", cite=("不超过1亿元",), program="首贷通")
    out = Outcome(line, True, "match", "program", ({**_cite("program:a", "上年度营业收入不超过1亿元"), "n": 1},
                                                   {**_cite("d1", row), "n": 2}, {**_cite("d2", "发明专利12项"), "n": 3}))
    assert relevant_citations(item, out) == (2, 3)  # the card by its needle, the row by its value; not the third


def test_an_expected_fact_is_met_as_written_or_with_a_small_numeral_in_digits() -> None:
    item = ChatItem("n", "zh", ("证书哪天发的？有效期多久？",), "profile", "aurora", expect=("12月12日", "三年"))
    said = Outcome("发证日期2023年12月12日，有效期3年[1]", True, "profile", "profile.certifications")
    assert answer_correct(item, said)  # a month and day as written; 三年 is 3年
    assert not answer_correct(item, Outcome("发证日期2023年12月12日，有效期13年[1]", True, "profile", "profile.certifications"))
    longer = ChatItem("m", "zh", ("…",), "profile", "aurora", expect=("十三年",))
    assert not answer_correct(longer, Outcome("有效期3年[1]", True, "profile", "profile.certifications"))


def test_an_expected_figure_is_met_in_another_notation_of_the_same_value() -> None:
    item = ChatItem("f", "zh", ("2023年营收多少？",), "profile", "aurora", expect=("120,800,000",))
    out = lambda text: Outcome(text, True, "profile", "profile.revenue")
    assert answer_correct(item, out("营业收入：1.208亿元（2023年度）[1]"))  # another scale word, the same value
    assert not answer_correct(item, out("营业收入：1.3亿元（2023年度）[1]"))  # another value
    plan = ChatItem("p", "zh", ("BP写的营收？",), "profile", "aurora", expect=("1.3亿", "5,000"))
    assert answer_correct(plan, out("营业收入：130,000,000 CNY；A轮融资5000万元[1]"))  # and digits without commas
    assert not answer_correct(plan, out("营业收入：1.208亿元；A轮融资5000万元[1]"))  # 1.3亿 is not 1.208亿


def test_an_expected_figure_with_an_abbreviated_scale_is_met_by_that_value_only() -> None:
    item = ChatItem("m", "en", ("FY2023 revenue?",), "profile", "northwind", expect=("$4.5M",))
    out = lambda text: Outcome(text, True, "profile", "profile.revenue")
    assert answer_correct(item, out("revenue: 4,500,000 USD (4.5 million, FY2023) [1]"))
    assert not answer_correct(item, out("revenue: 4,600,000 USD [1]"))
    assert not answer_correct(item, out("term: 4.5 years [1]"))  # the digits alone are no match for 4.5 million
    coded = ChatItem("c", "en", ("R&D 2023?",), "profile", "northwind", expect=("USD 1.2 million",))  # a currency code first
    assert answer_correct(coded, out("R&D expense: 1,200,000 USD (1.2 million, FY2023) [1]"))
    assert not answer_correct(coded, out("R&D expense: 1,300,000 USD [1]"))
