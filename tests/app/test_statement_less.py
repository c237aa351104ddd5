"""One amount less another asked of the client's profile ("营收扣掉研发费用还剩多少", "revenue minus R&D
expense"): the difference of the year asked (none: the latest both hold), with both inputs cited."""

from __future__ import annotations

from app.core.profile import EnterpriseProfile, build_profile
from app.core.profile_answer import answer_from_profile
from app.core.statement_lines import less_parts
from app.core.types import Fact


def _cite(fact: Fact) -> tuple[str, str, int | None]:
    return ("overview.md", fact.quote or str(fact.value), 1)


def _profile() -> EnterpriseProfile:
    facts = [Fact(field="revenue", value=v, unit="USD", as_of=y, source_type="document", quote=f"revenue {y}")
             for y, v in (("2021", 3_000_000), ("2022", 5_000_000))]
    facts.append(Fact(field="rd_expense", value=900_000, unit="USD", as_of="2022", source_type="document", quote="R&D 2022"))
    return build_profile("x", facts)


def test_the_words_that_ask_for_one_amount_less_another() -> None:
    assert less_parts("2022年的營收扣掉研發費用，還剩多少？") == ("2022年的营收", "研发费用,还剩多少?")
    assert less_parts("What is revenue minus R&D expense?") == ("what is revenue", "r&d expense?")
    assert less_parts("净利润减去所得税") is not None and less_parts("How did revenue change?") is None


def test_one_profile_amount_less_another_shows_both_inputs_cited() -> None:
    zh = answer_from_profile("這家公司的營收扣掉研發費用，還剩多少？", _profile(), "zh", _cite, ["rd_expense"])
    assert zh is not None and zh.found
    assert zh.text == "营业收入减研发费用：410万美元（2022年度） = 营业收入 500万美元 − 研发费用 90万美元[1][2]"
    assert [c.text for c in zh.citations] == ["revenue 2022", "R&D 2022"]
    en = answer_from_profile("What is revenue minus R&D expense for 2022?", _profile(), "en", _cite, ["revenue"])
    assert en is not None and en.text.startswith("revenue less R&D expense: 4,100,000 USD (4.1 million, FY2022) = revenue 5,000,000 USD "
                                                 "(5 million) − R&D expense 900,000 USD")


def test_a_year_not_held_for_both_is_declined_naming_the_years_both_hold() -> None:
    answer = answer_from_profile("2021年营收减去研发费用是多少？", _profile(), "zh", _cite, ["revenue"])
    assert answer is not None and not answer.found and "两者都有的：2022年度" in answer.text


def test_less_than_compares_and_after_tax_names_a_line_neither_subtracts() -> None:
    from app.core.statement_lines import less_parts

    assert less_parts("What was net profit after income tax in 2023?") is None
    assert less_parts("Did revenue grow less than cost of revenue?") is None
    assert less_parts("revenue minus R&D expense in 2023") == ("revenue", "r&d expense in 2023")
