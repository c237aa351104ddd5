"""The quarters and half-years a question names (第四季, 四季度, Q4 2022, 22年Q4, "fourth quarter of 2022",
H1 2023, 2023年上半年, "first half of 2023"), and a quarterly sheet's half-years: amounts summed over the two
quarters with both inputs, a headcount as it stood at the half's end, a text column's two cells."""

from __future__ import annotations

import pytest

from app.core.asked_period import half_asked, quarter_asked, sub_year_asked
from app.core.statement_lines import answer_quarter, answer_quarter_column, client_quarters


@pytest.mark.parametrize(("question", "asked"), [
    ("2021年第二季它的营收有多少？", ("2021", 2)),
    ("21年二季度的研发费用", ("2021", 2)),
    ("What was revenue in Q2 2021?", ("2021", 2)),
    ("revenue in the second quarter of 2021", ("2021", 2)),
    ("21年Q2研发投入", ("2021", 2)),
    ("2021Q2", ("2021", 2)),
    ("第二季度研发费用", (None, 2)),
])
def test_a_quarter_is_read_in_each_of_its_forms_and_is_a_period_shorter_than_a_year(question: str,
                                                                                   asked: tuple[str | None, int]) -> None:
    assert quarter_asked(question) == asked
    assert sub_year_asked(question)


@pytest.mark.parametrize(("question", "asked"), [
    ("H2 2021 R&D spending", ("2021", 2)),
    ("2021H1", ("2021", 1)),
    ("21年上半年研发费用", ("2021", 1)),
    ("2021年下半年", ("2021", 2)),
    ("in the first half of 2021", ("2021", 1)),
    ("上半年的主要项目", (None, 1)),
])
def test_a_half_year_is_read_in_each_of_its_forms(question: str, asked: tuple[str | None, int]) -> None:
    assert half_asked(question) == asked
    assert sub_year_asked(question) and quarter_asked(question) is None


@pytest.mark.parametrize("question", ["四季如春的城市有哪些补贴？", "2021年营收多少？", "How many patents does it hold?"])
def test_no_quarter_nor_half_year(question: str) -> None:
    assert quarter_asked(question) is None and half_asked(question) is None and not sub_year_asked(question)


SHEET = """quarter | rd_expense_rmb | rd_headcount | main_project 主要项目
2021Q1 | 500000.00 | 10 | Alpha
2021Q2 | 700000.00 | 12 | Beta
2021Q3 | 800000.00 | 13 | Beta
2021Q4 | 900000.00 | 15 | Gamma"""
RD = ("rd_expense", "rd_staff")
PAGES = [("doc-5", "quarters.csv", "upload", {1: SHEET})]


def test_a_half_years_amount_is_the_sum_of_its_two_quarters_with_both_cited() -> None:
    answer = answer_quarter("21年上半年研发费用是多少？", client_quarters(PAGES), RD, "zh")
    assert answer is not None and answer.text == "研发费用（2021年上半年）：120万元 = 50万元（第1季度） + 70万元（第2季度）[1][2]"
    assert [p.text.splitlines()[1].split(" | ")[0] for p in answer.citations] == ["2021Q1", "2021Q2"]
    en = answer_quarter("R&D spending in H2 2021?", client_quarters(PAGES), RD, "en")
    assert en is not None and en.text == "R&D expense (2021 H2): 1,700,000 CNY = 800,000 CNY (Q3) + 900,000 CNY (Q4) [1][2]"


def test_a_half_years_headcount_is_its_last_quarters_and_a_half_not_held_is_declined() -> None:
    people = answer_quarter("How many R&D staff in the first half of 2021?", client_quarters(PAGES), RD, "en")
    assert people is not None and people.text == "R&D staff (end of 2021 H1, Q2): 12 people [1]"
    missing = answer_quarter("2019年下半年研发费用？", client_quarters(PAGES), RD, "zh")
    assert missing is not None and not missing.found and "2021年第1季度至2021年第4季度" in missing.text


def test_a_half_year_of_a_text_column_lists_its_quarters_cells() -> None:
    answer = answer_quarter_column("Which project was it working on in H2 2021?", PAGES, "en")
    assert answer is not None and answer.text == "Main project (2021 H2): Q3 Beta; Q4 Gamma [1]"
    zh = answer_quarter_column("上半年的主要项目是什么？", PAGES, "zh")
    assert zh is not None and zh.text == "主要项目（2021年上半年）：第1季度 Alpha；第2季度 Beta[1]"


def test_a_quarter_asked_of_a_figure_held_only_by_year_is_left_to_the_profiles_decline() -> None:
    assert answer_quarter("2021年第四季营收多少？", client_quarters(PAGES), ("revenue",), "zh") is None


def test_a_half_named_with_its_quarters_is_the_half_and_a_bare_quarter_takes_the_one_year_named() -> None:
    """"the first half of 2022, Q1 plus Q2 combined" is 2022's H1, not the latest Q1; "Q3, in 2022" is 2022's Q3."""
    from app.core.asked_period import half_asked, quarter_asked, years_asked

    q = "What did R&D cost them across the first half of 2021, Q1 plus Q2 combined?"
    assert half_asked(q) == ("2021", 1) and quarter_asked(q) == (None, 1) and years_asked(q) == ("2021",)
    answer = answer_quarter(q, client_quarters(PAGES), RD, "en")
    assert answer is not None and answer.text.startswith("R&D expense (2021 H1): 1,200,000 CNY")
    third = answer_quarter("How much went on R&D in Q3, in 2021?", client_quarters(PAGES), RD, "en")
    assert third is not None and third.text.startswith("R&D expense (2021 Q3): 800,000 CNY")


def test_a_run_of_quarters_is_read_in_its_forms_and_summed_with_each_quarter() -> None:
    from app.core.asked_period import quarter_span_asked, sub_year_asked, years_asked

    assert quarter_span_asked("23年前三季研发累计投入多少？") == ("2023", 1, 3)
    assert quarter_span_asked("2021年1-3季度研发费用") == ("2021", 1, 3) == quarter_span_asked("2021年一至三季度研发费用")
    assert quarter_span_asked("R&D spend in Q2-Q4 2021?") == ("2021", 2, 4)
    assert quarter_span_asked("first three quarters of 2021") == ("2021", 1, 3)
    assert quarter_span_asked("Q3 2021") is None and quarter_span_asked("上半年") is None
    # a year's four quarters (to be summed, "does the sum of its four 2023 quarters reconcile …"); each quarter is no run
    assert quarter_span_asked("Does the sum of its four 2023 quarters reconcile with FY2023?") == ("2023", 1, 4)
    assert quarter_span_asked("2023年四个季度的研发加起来是多少？") == ("2023", 1, 4)
    assert quarter_span_asked("每个季度的研发费用") is None
    assert sub_year_asked("前三季度营收多少？") and years_asked("10年前成立的公司") == ()  # 10年前: ten years ago
    answer = answer_quarter("21年前三季研发累计投入多少？", client_quarters(PAGES), RD, "zh")
    assert answer is not None and answer.text.startswith("研发费用（2021年第1–3季度）：200万元 = 50万元（第1季度） + 70万元")
    assert len(answer.citations) == 3


def test_a_run_of_quarters_asked_of_a_text_column_lists_each_quarters_cell() -> None:
    answer = answer_quarter_column("What was the main project in Q1-Q3 2021?", PAGES, "en")
    assert answer is not None and answer.text == "Main project (2021 Q1–Q3): Q1 Alpha; Q2 Beta; Q3 Beta [1]"


def test_the_latest_quarter_asked_by_no_number_is_the_last_one_the_sheet_holds() -> None:
    spend = answer_quarter("What was R&D spend in the latest qtr?", client_quarters(PAGES), RD, "en")
    assert spend is not None and spend.text.startswith("R&D expense (2021 Q4): 900,000 CNY"), spend
    project = answer_quarter_column("最新一个季度主要项目是什么？", PAGES, "zh")
    assert project is not None and project.text == "主要项目（2021年第4季度）：Gamma[1]", project
    assert answer_quarter_column("What was the main project last quarter?", PAGES, "en") is None  # the calendar's


def test_a_quarter_named_by_the_calendar_is_todays_or_the_one_before_and_a_sheet_that_lacks_it_says_what_it_holds() -> None:
    from datetime import date

    from app.core.statement_lines import calendar_quarter_asked

    assert calendar_quarter_asked("last quarter R&D spend?", date(2026, 12, 7)) == ("2026", 3)
    assert calendar_quarter_asked("上季度研发投入多少？", date(2026, 2, 1)) == ("2025", 4)  # across the year
    assert calendar_quarter_asked("本季度的研发人数", date(2026, 5, 1)) == ("2026", 2)
    assert calendar_quarter_asked("the last quarter of 2022", date(2026, 12, 7)) is None  # a numbered one
    assert calendar_quarter_asked("當季主要在做哪個專案？", date(2026, 12, 7)) is None  # that quarter, pointing back
    # the sheet holds 2021 only: the quarter asked is declined, naming the quarters held (not "no quarterly figures")
    answer = answer_quarter("What was R&D spend last quarter?", client_quarters(PAGES), RD, "en")
    assert answer is not None and not answer.found and "(held: 2021 Q1 to 2021 Q4)" in answer.text, answer
