"""A statement line is named by the standard names an analyst gives its line item (cash at bank,
trade creditors, 短期贷款, 应付工资 …), the longest name still winning, and in the year forms a
question may use (end-21, FY21, 21年末)."""

from __future__ import annotations

import pytest

from app.core.statement_lines import Line, answer_from_statements, client_lines, named_line, total_named

SHEET = """Item 项目 | 2020-12-31 | 2021-12-31
货币资金 Cash | 1500000 | 2500000
存货 Inventory | 700000 | 900000
短期借款 Short-term Borrowings | 300000 | 400000
长期借款 Long-term Borrowings | 1000000 | 800000
应付账款 Accounts Payable | 250000 | 350000
应付职工薪酬 Employee Benefits Payable | 90000 | 110000
利息费用 Interest Expense | 21000 | 26000"""


def _lines() -> list[Line]:
    return client_lines([("doc-9", "birchwood.xlsx", "upload", {1: SHEET})])


@pytest.mark.parametrize(("question", "zh"), [
    ("How much cash at bank did it hold?", "货币资金"),
    ("What are its cash and bank balances?", "货币资金"),
    ("它的库存现金有多少？", "货币资金"),
    ("它的库存有多少？", "存货"),
    ("What were its short-term bank loans?", "短期借款"),
    ("它的短期贷款是多少？", "短期借款"),
    ("长期银行借款有多少", "长期借款"),
    ("How large are its trade creditors?", "应付账款"),
    ("应付帐款多少", "应付账款"),
    ("应付工资是多少", "应付职工薪酬"),
    ("What were its accrued payroll?", "应付职工薪酬"),
    ("利息支出是多少", "利息费用"),
])
def test_a_line_is_named_by_a_standard_name_of_its_item(question: str, zh: str) -> None:
    line = named_line(question, _lines())
    assert line is not None and line.zh == zh


def test_the_longest_name_still_wins_over_a_shorter_one_inside_it() -> None:
    assert named_line("What was its cash flow from operating activities?", _lines()) is None  # not its cash
    assert named_line("它的投资现金流怎么样？", _lines()) is None


@pytest.mark.parametrize(("question", "start"), [
    ("What was cash at bank at end-20?", "Cash: 1,500,000 CNY (as of 31 December 2020)"),
    ("Short-term bank loans in FY21?", "Short-term Borrowings: 400,000 CNY (as of 31 December 2021)"),
])
def test_a_line_is_answered_for_a_year_in_its_short_forms(question: str, start: str) -> None:
    answer = answer_from_statements(question, _lines(), "en")
    assert answer is not None and answer.text.startswith(start)


def test_a_zh_line_is_answered_for_a_two_digit_year_end() -> None:
    answer = answer_from_statements("短期贷款20年末是多少？", _lines(), "zh")
    assert answer is not None and answer.text.startswith("短期借款：30万元（截至2020年12月31日）")


@pytest.mark.parametrize("question", [
    "Inventory went from end-20 to end-21 by what percent?",
    "How has inventory moved from FY20 to FY21?",
    "Inventory went up from 2020 to 2021 by how much?",
])
def test_a_movement_from_one_period_to_another_is_a_change(question: str) -> None:
    answer = answer_from_statements(question, _lines(), "en")
    assert answer is not None and answer.text.startswith("Inventory, change FY2020–FY2021: 28.57%")


def test_a_value_come_to_in_a_year_is_no_change() -> None:
    answer = answer_from_statements("What did inventory come to in 2021?", _lines(), "en")
    assert answer is not None and answer.text.startswith("Inventory: 900,000 CNY (as of 31 December 2021)")


def test_total_borrowings_are_the_sum_of_the_borrowing_lines_stated_each_shown_and_cited() -> None:
    answer = answer_from_statements("它有多少银行借款？", _lines(), "zh")
    assert answer is not None and answer.found and len(answer.citations) == 2
    assert answer.text.splitlines()[-1] == "借款合计（短期借款 + 长期借款）：120万元（截至2021年12月31日） = 短期借款 40万元 + 长期借款 80万元[1][2]"
    change = answer_from_statements("How did its total borrowings change from FY20 to FY21?", _lines(), "en")
    assert change is not None and "change FY2020–FY2021: -7.69%" in change.text


def test_a_longer_name_of_one_borrowing_line_still_names_that_line() -> None:
    answer = answer_from_statements("What were its short-term borrowings at end-21?", _lines(), "en")
    assert answer is not None and answer.text.startswith("Short-term Borrowings: 400,000 CNY (as of 31 December 2021)")
    assert answer_from_statements("What borrowings programs fit it?", _lines(), "en") is None
    assert total_named("它有多少银行借款？", _lines()) and not total_named("What are its short-term borrowings?", _lines())


def test_total_borrowings_of_a_statement_stating_one_borrowing_line_are_that_line_only() -> None:
    lines = client_lines([("doc-9", "b.xlsx", "upload", {1: "Item 项目 | 2021-12-31\n短期借款 Short-term Borrowings | 400000"})])
    answer = answer_from_statements("What are its total borrowings?", lines, "en")
    assert answer is not None and answer.text.startswith("Total borrowings (Short-term Borrowings): 400,000 CNY")
    missing = answer_from_statements("借款合计2019年是多少？", _lines(), "zh")
    assert missing is not None and not missing.found


def test_a_verb_after_a_lines_name_leaves_the_name_whole_and_a_noun_extends_it() -> None:
    from app.core.statement_lines import _zh_named

    assert _zh_named("营业利润", "22年营业利润做到多少？") and _zh_named("应收账款", "22年末应收账款挂账多少？")
    assert not _zh_named("现金", "它去年发了多少现金股利？")  # 现金股利 is another item


def test_a_rows_label_is_named_without_the_conjunction_between_its_nouns() -> None:
    from app.core.statement_lines import _zh_forms

    assert _zh_forms("折旧与摊销") == ["折旧与摊销", "折旧摊销"]
    assert _zh_forms("存货") == ["存货"] and _zh_forms("研发和设计") == ["研发和设计", "研发设计"]


def test_a_part_or_a_charge_of_a_line_is_not_the_line() -> None:
    from app.core.statement_lines import _zh_named

    assert not _zh_named("货币资金", "货币资金冻结了多少？") and not _zh_named("存货", "存货减值多少？")
