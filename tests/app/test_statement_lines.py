"""Any line of the client's own statements, answered by the label a question names: a year's value,
a change between years, a margin or a share of revenue; each cited with its row and period header."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core import statement_items
from app.core.errors import ConfigError
from app.core.statement_lines import (
    Line,
    answer_from_statements,
    answer_quarter,
    client_lines,
    client_quarters,
    named_line,
    total_named,
)

INCOME = """单位：元
科目 Item | 2021 | 2022 | 2023
营业收入 Revenue | 52300000 | 81450000 | 120800000
销售费用 Selling Expense | 4055430.03 | 5482548.22 | 6906861.74
净利润 Net Profit | 8862892.48 | 11965372.25 | 15064297.49
归属于母公司股东的净利润 Net Profit Attributable to Parent | 4435286.73 | 6001111.53 | 7547909.72"""
BALANCE = """Item 项目 | 2022-12-31 | 2023-12-31
货币资金 Cash | 38560000 | 61230000
存货 Inventory | 9880000 | 14120000
所有者权益合计 Total Equity | 61200000 | 86415000"""


def _lines() -> list[Line]:
    return client_lines([("doc-1", "financials.xlsx", "upload", {1: INCOME, 2: BALANCE})])


def test_a_balance_sheet_line_named_in_traditional_chinese_gets_the_year_asked_with_its_header_cited() -> None:
    answer = answer_from_statements("2023年末它的存貨金額有多少？", _lines(), "zh")
    assert answer is not None and answer.found
    assert answer.text == "存货：1,412万元（截至2023年12月31日）[1]"
    (cited,) = answer.citations
    assert cited.doc_id == "doc-1" and cited.page == 2
    assert cited.text == "Item 项目 | 2022-12-31 | 2023-12-31\n存货 Inventory | 9880000 | 14120000"


def test_an_english_label_gets_every_year_held_when_no_year_is_asked() -> None:
    answer = answer_from_statements("And its total equity?", _lines(), "en")
    assert answer is not None
    assert answer.text.splitlines() == ["Total Equity: 61,200,000 CNY (as of 31 December 2022) [1]",
                                        "Total Equity: 86,415,000 CNY (as of 31 December 2023) [1]"]


def test_a_change_between_two_years_shows_its_inputs() -> None:
    answer = answer_from_statements("How much did inventory grow from 2022 to 2023?", _lines(), "en")
    assert answer is not None
    assert "42.91% = 14,120,000 CNY (FY2023) / 9,880,000 CNY (FY2022) − 1" in answer.text


def test_a_net_margin_is_net_profit_over_revenue_of_the_year_with_both_rows_cited() -> None:
    answer = answer_from_statements("What was the client's net profit margin in 2023?", _lines(), "en")
    assert answer is not None
    assert answer.text.startswith("Net Profit margin (FY2023): 12.47% = Net Profit 15,064,297.49 CNY / Revenue 120,800,000 CNY")
    assert {p.text.splitlines()[1].split(" | ")[0] for p in answer.citations} == {"净利润 Net Profit", "营业收入 Revenue"}
    zh = answer_from_statements("销售费用占营收的比例是多少？", _lines(), "zh")
    assert zh is not None and zh.text.startswith("销售费用占营业收入的比例（2023年度）：5.72%")


def test_the_longest_label_named_wins_and_a_profile_item_is_left_to_the_profile() -> None:
    lines = _lines()
    chosen = named_line("归属于母公司股东的净利润是多少？", lines)
    assert chosen is not None and chosen.zh == "归属于母公司股东的净利润"
    assert answer_from_statements("净利润是多少？", lines, "zh") is None  # net profit is a profile field
    assert answer_from_statements("What was revenue in 2023?", lines, "en") is None


@pytest.mark.parametrize("question", [
    "What is its cash flow from operations?",  # "cash" extended by another noun is another item
    "存货周转率是多少？",  # a rate no line states
    "有哪些政策支持？",
])
def test_a_question_naming_no_line_is_not_answered_from_the_statements(question: str) -> None:
    assert answer_from_statements(question, _lines(), "zh" if "存" in question or "政" in question else "en") is None


def test_a_year_or_quarter_not_held_is_declined_saying_what_is_held() -> None:
    answer = answer_from_statements("2019年的存货是多少？", _lines(), "zh")
    assert answer is not None and not answer.found and "已有：2022、2023年度" in answer.text
    quarter = answer_from_statements("What was inventory in 2023 Q2?", _lines(), "en")
    assert quarter is not None and not quarter.found


QUARTERLY = """quarter | rd_expense_rmb | rd_headcount | main_project 主要项目
2022Q3 | 1655600.00 | 34 | 感知软件 v2
2023Q2 | 2310000.00 | 43 | Fleet Cloud
2023Q3 | 2480000.00 | 45 | 车规级芯片预研"""
RD = ("rd_expense", "rd_expense_ratio", "rd_staff", "rd_staff_ratio")


def test_a_numbered_quarter_is_answered_from_the_clients_quarterly_sheet_with_its_header() -> None:
    quarters = client_quarters([("doc-2", "rd_quarterly.csv", "upload", {1: QUARTERLY})])
    answer = answer_quarter("23年第三季度它在研发上花了多少钱？", quarters, RD, "zh")
    assert answer is not None and answer.text == "研发费用（2023年第3季度）：248万元[1]"  # the amount, not the headcount
    assert answer.citations[0].text.startswith("quarter | rd_expense_rmb") and "2480000.00" in answer.citations[0].text
    people = answer_quarter("How many R&D people did it have in Q3 2022?", quarters, RD, "en")
    assert people is not None and people.text == "R&D staff (2022 Q3): 34 people [1]"
    latest = answer_quarter("第三季度研发费用是多少？", quarters, RD, "zh")  # no year: the latest holding it
    assert latest is not None and "2023年第3季度" in latest.text


def test_two_quarters_named_are_each_answered_in_the_order_named_for_the_field_named() -> None:
    from app.core.asked_period import quarters_asked

    assert quarters_asked("研发人员从2021Q1到2023Q4是怎么变化的？") == [("2021", 1), ("2023", 4)]
    assert quarters_asked("the first quarter of 2022 and the third quarter of 2023") == [("2022", 1), ("2023", 3)]
    assert quarters_asked("第三季度研发费用是多少？") == []  # no year: not one of them
    # beside a numbered quarter, a year's end is its fourth quarter and its start its first
    assert quarters_asked("研發團隊從2021年第一季到2023年底，人數從多少長到多少？") == [("2021", 1), ("2023", 4)]
    assert quarters_asked("from the start of 2022 to 2023 Q3") == [("2022", 1), ("2023", 3)]
    assert quarters_asked("2023年底研发人员多少？") == []  # alone, a year's end is the year's figure
    quarters = client_quarters([("doc-2", "rd_quarterly.csv", "upload", {1: QUARTERLY})])
    answer = answer_quarter("研发人员从2022年第三季度到2023Q3怎么变化的？", quarters, RD, "zh")
    # a change asked between them: the change, beside the two quarters' cited rows
    assert answer is not None and answer.text.splitlines() == ["研发人员（2022年第3季度）：34人[1]",
                                                               "研发人员（2023年第3季度）：45人[2]",
                                                               "研发人员变化（2022年第3季度–2023年第3季度）：+11人（+32.35%）"]
    later_first = answer_quarter("How many more R&D staff did it have in Q3 2023 than in Q3 2022?", quarters, RD, "en")
    assert later_first is not None and later_first.text.splitlines()[-1] == \
        "R&D staff change, 2022 Q3 to 2023 Q3: +11 people (+32.35%)"  # from the earlier quarter, however named
    both = answer_quarter("研发人员2022年第三季度和2023Q3分别是多少？", quarters, RD, "zh")
    assert both is not None and len(both.text.splitlines()) == 2  # no change asked: the two values alone


def test_an_amount_and_a_headcount_asked_of_one_quarter_are_both_answered() -> None:
    quarters = client_quarters([("doc-2", "rd_quarterly.csv", "upload", {1: QUARTERLY})])
    for question, lang in (("What RMB amount did it spend on R&D in 2023Q3, and what was R&D headcount that quarter?", "en"),
                           ("23年第三季度研发花了多少钱，研发人员有多少人？", "zh")):
        answer = answer_quarter(question, quarters, RD, lang)
        assert answer is not None and len(answer.text.splitlines()) == 2, (question, answer)
        assert ("2,480,000" in answer.text or "248万" in answer.text) and "45" in answer.text
    # routed to the amount's fields alone (the headcount is another intent's): the sheet's headcount answers its clause
    amount = ("rd_expense", "rd_expense_ratio", "rd_domestic_ratio")
    answer = answer_quarter("What RMB amount did it spend on R&D in 2023Q3, and what was R&D headcount that quarter?",
                            quarters, amount, "en", amount)
    assert answer is not None and "2,480,000" in answer.text and "45 people" in answer.text, answer


def test_a_quarter_not_held_is_declined_and_a_field_not_held_by_quarter_is_left_to_the_profile() -> None:
    quarters = client_quarters([("doc-2", "rd_quarterly.csv", "upload", {1: QUARTERLY})])
    missing = answer_quarter("What was R&D spending in Q1 2021?", quarters, RD, "en")
    assert missing is not None and not missing.found and "2022 Q3 to 2023 Q3" in missing.text
    assert answer_quarter("2023年第三季度营收多少？", quarters, ("revenue",), "zh") is None
    # the calendar's last quarter (before today's), which this sheet does not hold: declined naming what it holds
    last = answer_quarter("上季度研发费用多少？", quarters, RD, "zh")
    assert last is not None and not last.found and "已有：2022年第3季度至2023年第3季度" in last.text


def test_the_gross_margin_is_revenue_less_cost_of_revenue_over_revenue() -> None:
    lines = client_lines([("doc-1", "financials.xlsx", "upload", {1: INCOME + "\n营业成本 Cost of Revenue | 8723114.91 | 11762512.2 | 14820867.67"})])
    answer = answer_from_statements("毛利率是多少？", lines, "zh")
    assert answer is not None and answer.text.startswith("毛利率（2023年度）：87.73% = (营业收入 1.208亿元 − 营业成本 1,482.09万元) / 营业收入 1.208亿元")
    assert len(answer.citations) == 2
    assert answer_from_statements("What was its gross margin in 2022?", lines, "en") is not None
    assert answer_from_statements("毛利率是多少？", _lines(), "zh") is None  # no cost of revenue stated


def test_a_line_is_named_by_any_name_of_its_line_item() -> None:
    lines = _lines()
    cash = answer_from_statements("它账上有多少现金？", lines, "zh")
    assert cash is not None and cash.text.splitlines()[-1].startswith("货币资金：6,123万元（截至2023年12月31日）")
    equity = answer_from_statements("What were its net assets at the end of 2023?", lines, "en")
    assert equity is not None and equity.text.startswith("Total Equity: 86,415,000 CNY")
    parent = named_line("归母净利润是多少？", lines)
    assert parent is not None and parent.zh == "归属于母公司股东的净利润"


def test_a_line_named_before_a_hyphenated_period_word_is_named() -> None:
    # "end-2023" after the name is its period, as "end of 2023" is; "year-end" too
    for question in ("how much inventory end-2023?", "inventory year-end 2023?", "aurora got how much inventory end-2023?"):
        answer = answer_from_statements(question, _lines(), "en")
        assert answer is not None and answer.text.startswith("Inventory: 14,120,000 CNY (as of 31 December 2023)"), question


def test_a_column_headed_by_a_chinese_date_is_a_balance_at_that_day_and_a_total_is_named_by_its_own_name() -> None:
    sheet = "项目 | 2022年12月31日 | 2023年12月31日\n应收账款 | 9600000 | 14300000\n短期借款 | 5000000 | 8000000"
    lines = client_lines([("doc-1", "财务报表.xlsx", "upload", {1: sheet})])
    answer = answer_from_statements("应收账款2023年末多少？", lines, "zh")
    assert answer is not None and answer.text.startswith("应收账款：1,430万元（截至2023年12月31日）")
    assert total_named("现在有多少银行借款？", lines) and not total_named("应收账款多少？", lines)
    borrowed = answer_from_statements("2023年末银行借款多少？", lines, "zh")
    assert borrowed is not None and borrowed.text.startswith("借款合计（短期借款）：800万元（截至2023年12月31日）")


def test_a_longer_name_of_an_item_the_client_does_not_state_is_not_answered_by_a_shorter_one() -> None:
    assert named_line("它的经营现金流怎么样？", _lines()) is None  # the operating cash flow is not its cash
    assert named_line("What was its operating cash flow?", _lines()) is None


def test_the_statement_items_file_is_read_through_its_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "items.yaml"
    bad.write_text("items:\n  - zh: [存货]\n    english: [inventory]\n", encoding="utf-8")
    monkeypatch.setattr(statement_items, "ITEMS_FILE", bad)
    statement_items.statement_items.cache_clear()
    try:
        with pytest.raises(ConfigError, match=r"items.yaml:3"):
            statement_items.statement_items()
    finally:
        statement_items.statement_items.cache_clear()


def test_one_word_may_stand_between_the_words_of_a_name() -> None:
    lines = client_lines([("doc-1", "f.xlsx", "upload", {1: BALANCE + "\n短期借款 Short-term Borrowings | 10000000 | 20000000"})])
    answer = answer_from_statements("How much short-term bank debt did it carry at year-end 2023?", lines, "en")
    assert answer is not None and answer.text.startswith("Short-term Borrowings: 20,000,000 CNY (as of 31 December 2023)")
    assert named_line("What is its cash flow from operations?", lines) is None


def test_a_hyphen_of_a_lines_name_may_be_typed_as_a_space() -> None:
    lines = client_lines([("doc-1", "f.xlsx", "upload", {1: BALANCE + "\n短期借款 Short-term Borrowings | 10000000 | 20000000"})])
    answer = answer_from_statements("how much short term bank borrowings at end-2023?", lines, "en")
    assert answer is not None and answer.text.startswith("Short-term Borrowings: 20,000,000 CNY (as of 31 December 2023)")
    assert named_line("any long term borrowings?", lines) is None


def test_gross_profit_is_revenue_less_cost_of_revenue() -> None:
    lines = client_lines([("doc-1", "f.xlsx", "upload", {1: INCOME + "\n营业成本 Cost of Revenue | 8723114.91 | 11762512.2 | 14820867.67"})])
    answer = answer_from_statements("它的毛利怎么样？", lines, "zh")
    assert answer is not None and answer.text.startswith("毛利（2023年度）：1.0598亿元 = 营业收入 1.208亿元 − 营业成本 1,482.09万元")


def test_the_highest_or_lowest_quarter_is_found_among_those_held() -> None:
    quarters = client_quarters([("doc-2", "rd_quarterly.csv", "upload", {1: QUARTERLY})])
    peak = answer_quarter("In which quarter did the client's R&D spending peak, and how much was it?", quarters, RD, "en")
    assert peak is not None and peak.text.startswith("R&D expense, highest quarter: 2023 Q3, 2,480,000 CNY")
    low = answer_quarter("哪个季度研发投入最少？", quarters, RD, "zh")
    assert low is not None and low.text.startswith("研发费用最低的季度：2022年第3季度，165.56万元")
    assert answer_quarter("研发投入最多是多少？", quarters, RD, "zh") is None  # no quarter asked


def test_a_quarter_asked_of_a_column_no_profile_field_holds_is_answered_from_its_cell() -> None:
    from app.core.statement_lines import answer_quarter_column

    pages = [("doc-2", "rd_quarterly.csv", "upload", {1: QUARTERLY})]
    answer = answer_quarter_column("Which project was the R&D team mainly working on in Q2 2023?", pages, "en")
    assert answer is not None and answer.text == "Main project (2023 Q2): Fleet Cloud [1]"
    zh = answer_quarter_column("23年第三季度的主要项目是什么？", pages, "zh")
    assert zh is not None and zh.text == "主要项目（2023年第3季度）：车规级芯片预研[1]"
    assert answer_quarter_column("What did it spend on R&D in Q2 2023?", pages, "en") is None  # a field's column
    split = answer_quarter_column("22年三季度研发团队主要在做哪个项目？", pages, "zh")  # the header's head noun, words apart
    assert split is not None and split.text == "主要项目（2022年第3季度）：感知软件 v2[1]"


def test_the_clients_pages_are_read_once_per_question_and_only_when_a_reading_asks() -> None:
    from app.core.statement_lines import OwnRows

    reads: list[int] = []

    def read() -> list[tuple[str, str, str, dict[int, str]]]:
        reads.append(1)
        return [("doc-2", "rd_quarterly.csv", "upload", {1: QUARTERLY, 2: BALANCE})]

    rows = OwnRows(read)
    assert reads == []
    assert rows.lines and rows.quarters and rows.pages
    assert reads == [1]


def test_a_line_is_named_by_the_shorthand_bankers_write_it_in() -> None:
    debt = client_lines([("doc-1", "financials.xlsx", "upload", {1: "Item 项目 | 2022-12-31 | 2023-12-31\n"
                                                                      "短期借款 Short-term Borrowings | 10000000 | 20000000"})])
    answer = answer_from_statements("它23年末短借多少", debt, "zh")
    assert answer is not None and answer.found and answer.text.startswith("短期借款：2,000万元"), answer
    assert answer_from_statements("st debt at end-2023?", debt, "en") is not None
