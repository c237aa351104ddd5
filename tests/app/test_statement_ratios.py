"""Two lines of the client's statements related by the question: a standard ratio (资产负债率, equity
ratio), one line over another ("A占B的比例", "A to B ratio", "A as a share of B", "A over B") or one less
another ("A扣掉B", "A minus B"); a line the statements leave out is derived by an identity, saying so.
A change between two years also gives the difference in the line's units."""

from __future__ import annotations

from app.core.statement_lines import Line, answer_from_statements, client_lines, ratio_named, two_lines_asked

INCOME = """单位：元
科目 Item | 2022 | 2023
营业收入 Revenue | 40000000 | 50000000
营业成本 Cost of Revenue | 30000000 | 36000000
研发费用 R&D Expense | 2000000 | 2500000
净利润 Net Profit | 3000000 | 4000000
咨询服务费 Consulting Fees | 1200000 | 1500000"""
BALANCE = """Item 项目 | 2022-12-31 | 2023-12-31
货币资金 Cash | 5000000 | 8000000
存货 Inventory | 4000000 | 6000000
资产总计 Total Assets | 60000000 | 80000000
所有者权益合计 Total Equity | 36000000 | 50000000"""
LIABILITIES = "负债合计 Total Liabilities | 25000000 | 31000000"


def _lines(balance: str = BALANCE) -> list[Line]:
    return client_lines([("doc-9", "statements.xlsx", "upload", {1: INCOME, 2: balance})])


def test_the_debt_to_asset_ratio_derives_total_liabilities_when_no_row_holds_them() -> None:
    answer = answer_from_statements("资产负债率是多少？", _lines(), "zh")
    assert answer is not None and answer.found
    assert answer.text.startswith("资产负债率（截至2023年12月31日）：37.5% = 负债合计 3,000万元 / 资产总计 8,000万元[1][2]")
    assert "负债合计 3,000万元 = 资产总计 8,000万元 − 所有者权益合计 5,000万元（报表未列负债合计" in answer.text
    assert {p.text.splitlines()[1].split(" | ")[0] for p in answer.citations} == {"资产总计 Total Assets",
                                                                                 "所有者权益合计 Total Equity"}
    en = answer_from_statements("What was its debt-to-asset ratio at the end of 2022?", _lines(), "en")
    assert en is not None and en.text.startswith(
        "Debt-to-asset ratio (as of 31 December 2022): 40% = total liabilities 24,000,000 CNY / Total Assets 60,000,000 CNY")
    assert "derived as Total Assets − Total Equity" in en.text


def test_a_total_liabilities_row_held_is_used_as_it_stands() -> None:
    answer = answer_from_statements("What is the debt ratio?", _lines(BALANCE + "\n" + LIABILITIES), "en")
    assert answer is not None
    assert answer.text == ("Debt-to-asset ratio (as of 31 December 2023): 38.75% = Total Liabilities 31,000,000 CNY / "
                           "Total Assets 80,000,000 CNY [1][2]")


def test_the_equity_ratio_and_a_share_of_one_line_in_another_named_in_traditional_chinese() -> None:
    named = answer_from_statements("權益比率是多少？", _lines(), "zh")
    assert named is not None and named.text.startswith("权益比率（截至2023年12月31日）：62.5% = 所有者权益合计 5,000万元 / 资产总计 8,000万元")
    share = answer_from_statements("22年末存貨佔總資產的比重是多少？", _lines(), "zh")
    assert share is not None and share.text.startswith(
        "存货占资产总计的比例（截至2022年12月31日）：6.67% = 存货 400万元 / 资产总计 6,000万元[1][2]")


def test_english_forms_of_one_line_over_another() -> None:
    share = answer_from_statements("Cash as a percentage of total assets in 2023?", _lines(), "en")
    assert share is not None and share.text.startswith("Cash as a share of Total Assets (as of 31 December 2023): 10% = Cash")
    ratio = answer_from_statements("What is the inventory to total equity ratio?", _lines(), "en")
    assert ratio is not None and ratio.text.startswith("Inventory to Total Equity ratio (as of 31 December 2023): 0.12 = Inventory")
    over = answer_from_statements("consulting fees over revenue for 2022", _lines(), "en")
    assert over is not None and over.text.startswith("Consulting Fees to Revenue ratio (FY2022): 0.03 = Consulting Fees 1,200,000 CNY")


def test_a_ratio_the_profile_derives_is_left_to_the_profile() -> None:
    assert answer_from_statements("研发费用占营收的比例是多少？", _lines(), "zh") is None  # the profile's R&D expense ratio
    net = answer_from_statements("净利润占营收的比例是多少？", _lines(), "zh")  # a ratio the profile does not derive
    assert net is not None and net.text.startswith("净利润占营业收入的比例（2023年度）：8% = 净利润 400万元 / 营业收入 5,000万元")


def test_one_line_less_another_shows_both_inputs() -> None:
    zh = answer_from_statements("2023年营收扣掉营业成本还剩多少？", _lines(), "zh")
    assert zh is not None and zh.text == "营业收入减营业成本（2023年度）：1,400万元 = 营业收入 5,000万元 − 营业成本 3,600万元[1][2]"
    en = answer_from_statements("What is revenue minus consulting fees in 2022?", _lines(), "en")
    assert en is not None and en.text.startswith("Revenue less Consulting Fees (FY2022): 38,800,000 CNY = Revenue 40,000,000 CNY − "
                                                 "Consulting Fees 1,200,000 CNY")


def test_a_ratio_for_a_period_not_held_is_declined() -> None:
    year = answer_from_statements("What was the equity ratio in 2019?", _lines(), "en")
    assert year is not None and not year.found and "held: FY2022, FY2023" in year.text
    quarter = answer_from_statements("资产负债率第三季度是多少？", _lines(), "zh")
    assert quarter is not None and not quarter.found


def test_no_two_lines_no_ratio() -> None:
    assert ratio_named("What is its current ratio?") is not None
    assert two_lines_asked("What is its current ratio?", _lines()) is None  # no current assets nor liabilities held
    assert two_lines_asked("How did revenue change from 2022 to 2023?", _lines()) is None
    assert two_lines_asked("存货占比多少？", _lines()) is None


def test_a_change_gives_both_values_and_the_difference_in_the_lines_units() -> None:
    answer = answer_from_statements("2023年咨询服务费是多少，比2022年多了多少？", _lines(), "zh")
    assert answer is not None
    assert answer.text == "咨询服务费2022–2023年变化：25% = 150万元（2023）/ 120万元（2022）− 1；差额：+30万元[1]"
    one = answer_from_statements("How much more were consulting fees in 2023 than the year before?", _lines(), "en")
    assert one is not None and one.text.endswith("; difference: +300,000 CNY [1]")


def test_a_standard_ratio_named_beside_its_own_formula_is_that_ratio() -> None:
    answer = answer_from_statements("Compute its debt-to-asset ratio (liabilities over total assets).", _lines(), "en")
    assert answer is not None and answer.text.startswith("Debt-to-asset ratio (as of 31 December 2023): 37.5%")


def test_a_turnover_ratio_is_a_multiple_of_its_two_lines() -> None:
    answer = answer_from_statements("23年存货周转率是多少？", _lines(), "zh")
    assert answer is not None and answer.found
    assert answer.text.startswith("存货周转率（2023年度）：6 = 营业成本 3,600万元 / 存货 600万元")  # a multiple, not a %
    en = answer_from_statements("What was its inventory turnover in 2022?", _lines(), "en")
    assert en is not None and en.text.startswith("Inventory turnover (FY2022): 7.5 = ")


def test_a_line_the_statements_leave_out_is_answered_by_its_identity_for_the_years_asked() -> None:
    answer = answer_from_statements("2023年负债合计是多少？", _lines(), "zh")
    assert answer is not None and answer.found
    assert answer.text == ("负债合计：3,000万元（截至2023年12月31日） = 资产总计 8,000万元 − 所有者权益合计 5,000万元"
                           "（报表未列负债合计，按资产总计 − 所有者权益合计推算）[1][2]")
    every = answer_from_statements("What are its total liabilities?", _lines(), "en")
    assert every is not None and every.text.count("total liabilities: ") == 2  # each year held
    assert answer_from_statements("负债合计占比多少？", _lines(), "zh") is None  # a share: not this answer
    held = answer_from_statements("2023年负债合计是多少？", _lines(BALANCE + "\n" + LIABILITIES), "zh")
    assert held is None or "推算" not in held.text  # a row held answers as itself
