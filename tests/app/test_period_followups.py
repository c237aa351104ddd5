"""Period-only follow-ups in their many forms, and the year forms a question may use: a two-digit year
after FY or a year-end word, before 年 / 财年; a year counted from the earlier question's (去年, the year
before); anything named besides the period makes the follow-up a question of its own."""

from __future__ import annotations

from datetime import date

import pytest

from app.chat_focus import restated_change, restated_for_period, restated_share
from app.core.asked_period import half_asked, numeral_years, quarter_asked, whole_years, years_asked


@pytest.mark.parametrize(("question", "years"), [
    ("What were receivables at end-21?", ("2021",)),
    ("Receivables at end-2020 and end-2021", ("2020", "2021")),
    ("FY21 payroll", ("2021",)),
    ("fy 20 payroll", ("2020",)),
    ("payroll in fiscal 21", ("2021",)),
    ("FY'21 payroll", ("2021",)),
    ("payroll FY20 vs FY21", ("2020", "2021")),
    ("payroll FY20-FY22", ("2020", "2021", "2022")),
    ("year-end 2020 balance", ("2020",)),
    ("year-end 21 balance", ("2021",)),
    ("at the end of '20", ("2020",)),
    ("at the end of 21?", ("2021",)),
    ("21年末的应付账款", ("2021",)),
    ("2020年底的应付账款", ("2020",)),
    ("20财年的应付账款", ("2020",)),
    ("20財年的應付賬款", ("2020",)),
    ("revenue growth from FY22 to FY23, in percent?", ("2022", "2023")),  # a comma after the year is no thousands mark
    ("22到23年营收增长了多少", ("2022", "2023")),  # two years sharing one 年
    ("21-23年的研发费用", ("2021", "2022", "2023")),
])
def test_a_year_is_read_in_its_fiscal_and_year_end_forms(question: str, years: tuple[str, ...]) -> None:
    assert years_asked(question) == years


@pytest.mark.parametrize("question", [
    "end-21% of the staff", "at the end of 21 working days", "the weekend 21", "FY21 million", "成立12年",
    "top 20 clients", "it has 21 people", "fy 21,500 units",
])
def test_a_two_digit_number_that_is_no_year_is_not_read_as_one(question: str) -> None:
    assert years_asked(question) == ()


def test_a_quarter_or_half_with_a_short_fiscal_year_has_its_year() -> None:
    assert quarter_asked("payroll in Q2 FY21") == ("2021", 2)
    assert half_asked("H2 FY20 payroll") == ("2020", 2)
    assert whole_years("payables at end-20") == "payables at end-2020"


@pytest.mark.parametrize(("follow_up", "earlier", "restated"), [
    ("那到21年末变成多少了？", "客户20年末的应付账款是多少？", "客户2021年末的应付账款是多少？"),
    ("2019年末呢？", "2021年的应付账款多少", "2019年的应付账款多少"),
    ("那21年底是多少？", "2019年末的预付款项", "2021年末的预付款项"),
    ("去年呢", "2021年的应付账款多少", "2020年的应付账款多少"),
    ("上一年的呢", "2021年的应付账款多少", "2020年的应付账款多少"),
    ("前一年的情况呢？", "2021年的应付账款多少", "2020年的应付账款多少"),
    ("前年呢", "2021年的应付账款多少", "2019年的应付账款多少"),
    ("and at end-2019?", "What were payables at end-2020?", "What were payables at end-2019?"),
    ("what about FY19?", "Payables in FY20?", "Payables in FY2019?"),
    ("how about the year before?", "Payables in FY20?", "Payables in FY2019?"),
    ("And the year before that?", "Payables in 2021?", "Payables in 2019?"),
    ("the following year?", "Payables in 2019?", "Payables in 2020?"),
    ("What did it become by end-21?", "Payables at end-19?", "Payables at end-2021?"),
    ("In 2019?", "What are payables?", "In 2019: What are payables?"),
    ("2019年末呢", "应付账款多少", "2019年 应付账款多少"),
    ("and in fiscal 2019?", "Payables at end-2020?", "Payables at end-2019?"),
    ("what about the same period in 2019?", "Payables in 2020?", "Payables in 2019?"),
    ("那麼2019年末的情況呢？", "客戶2020年的應付賬款是多少？", "客戶2019年的應付賬款是多少？"),
    ("上一年度呢", "客戶2020年的應付賬款是多少？", "客戶2019年的應付賬款是多少？"),
])
def test_a_period_only_follow_up_is_the_earlier_question_for_that_period(follow_up: str, earlier: str,
                                                                          restated: str) -> None:
    assert restated_for_period(follow_up, [earlier]) == restated


def test_last_year_after_a_question_naming_no_year_is_the_calendars() -> None:
    assert restated_for_period("去年呢？", ["应付账款多少"]) == f"{date.today().year - 1}年 应付账款多少"
    assert restated_for_period("how about the year before?", ["What are payables?"]) is None  # before what: unsaid


def test_a_chain_of_period_only_follow_ups_counts_from_the_restated_question() -> None:
    assert restated_for_period("上一年呢", ["那2020年呢？", "2021年的应付账款多少"]) == "2019年的应付账款多少"


@pytest.mark.parametrize(("follow_up", "earlier"), [
    ("那2019年的预付款项呢？", "2021年的应付账款多少"),       # another line item
    ("what about FY19 for Birchwood?", "Payables in FY20?"),  # another firm
    ("What about last year's payroll?", "Payables in 2021?"),
    ("2019年和2020年呢", "2021年的应付账款多少"),               # two periods
    ("那Q3呢", "2021年的应付账款多少"),                         # a quarter is not a year
    ("那2019年呢？", "2020年和2021年的应付账款"),               # which year it replaces: unsaid
    ("什么时候注册的", "2021年的应付账款多少"),
])
def test_a_follow_up_naming_more_than_a_period_is_left_alone(follow_up: str, earlier: str) -> None:
    assert restated_for_period(follow_up, [earlier]) is None


def test_a_follow_up_naming_a_period_and_a_change_asks_the_change_of_the_earlier_figure() -> None:
    from app.chat_focus import restated_change

    assert restated_change("到23年又多出多少？", ["22年營業外支出記了多少？"]) == "2023年營業外支出記了多少，比2022年多出多少？"
    assert restated_change("And by 2023, how much more?", ["What were selling expenses in 2022?"]) == \
        "What were selling expenses in 2023; how much more than in 2022?"
    assert restated_change("研发费用又多出多少？", ["22年營業外支出記了多少？"]) is None  # names another figure
    assert restated_change("到23年又多出多少？", ["它的营业外支出是多少？"]) is None  # no year to count the change from


def test_a_follow_up_naming_the_year_a_change_is_measured_from_is_asked_with_the_earlier_question() -> None:
    from app.chat_focus import restated_change

    earlier = ["極光2023年研發費用多少？"]
    assert restated_change("比2022年成長了幾%？", earlier) == "極光2023年研發費用多少，比2022年成長了幾%？"
    assert restated_change("what was the growth vs 2022?", ["What was Northwind revenue in 2023?"]) == \
        "What was Northwind revenue in 2023; what was the growth vs 2022?"
    assert restated_change("比2022年的专利多了几项？", earlier) is None  # it names another figure
    assert restated_change("比2023年增长了多少？", earlier) is None  # the earlier question's own year
    assert restated_change("growth?", ["What was Northwind revenue in 2023?"]) is None


def test_a_follow_up_asking_the_share_of_the_earlier_figure_is_asked_with_it() -> None:
    before = ["how many R&D engineers do they have?"]
    assert restated_share("so what share of total headcount is that?", before) == \
        "how many R&D engineers do they have, and what share of total headcount is that?"
    assert restated_share("占总人数多少？", ["它的研发人员有多少？"]) == "它的研发人员有多少，占总人数多少？"
    assert restated_share("What share of revenue goes to R&D?", before) is None  # it names what it asks
    assert restated_share("占总人数多少？", []) is None


def test_a_year_in_chinese_numerals_is_read_in_digits_and_a_count_of_years_is_not() -> None:
    assert numeral_years("那二二年的呢") == "那22年的呢"
    assert numeral_years("二三年收入跟二二年比") == "23年收入跟22年比"
    assert numeral_years("二〇二三年营收") == numeral_years("二零二三年营收") == "2023年营收"
    assert numeral_years("一九年成立的") == "19年成立的"
    for text in ("成立三四年了", "十二年", "近二三年", "第二三年", "一二年"):  # counts of years, not years
        assert numeral_years(text) == text


def test_a_change_from_the_year_before_is_asked_of_the_earlier_questions_figure() -> None:
    assert restated_change("跟前一年比涨了多少", ["极光23年研发费用多少"]) == "极光23年研发费用多少，跟2022年比涨了多少"
    assert restated_change("how much did it grow compared with the previous year?", ["What was its revenue in 2023?"]) == \
        "What was its revenue in 2023; how much did it grow compared with 2022?"
    assert restated_change("跟前一年比涨了多少", ["极光研发费用多少"]) is None  # no year to count from
