"""Enterprise fact extractors (groundwork for profiling): units, currencies, codes, negations."""

from __future__ import annotations

import pytest

from app.core.facts import parse_money_en, parse_money_zh
from app.core.facts_categorical import extract_facts
from app.core.uscc import check_char, find_codes, is_valid


def _facts(text: str) -> dict[str, list[object]]:
    out: dict[str, list[object]] = {}
    for f in extract_facts(text):
        out.setdefault(f.field, []).append(f.value)
    return out


@pytest.mark.parametrize(
    ("num", "unit", "expected"),
    [("1.2", "亿元", (120_000_000, "CNY")), ("3,500", "万元", (35_000_000, "CNY")), ("500", "万美元", (5_000_000, "USD"))],
)
def test_chinese_money_units(num: str, unit: str, expected: tuple[float, str]) -> None:
    assert parse_money_zh(num, unit) == expected


@pytest.mark.parametrize(
    ("symbol", "num", "scale", "expected"),
    [("RMB", "12", "million", (12_000_000, "CNY")), ("$", "4.5", "M", (4_500_000, "USD")), ("€", "2.5", "m", (2_500_000, "EUR"))],
)
def test_english_money_units_and_currencies(symbol: str, num: str, scale: str, expected: tuple[float, str]) -> None:
    assert parse_money_en(symbol, num, scale) == expected


def test_valid_and_invalid_credit_codes() -> None:
    assert is_valid("91350100M000100Y43")
    assert not is_valid("91350100M000100Y44")  # one wrong check character
    assert check_char("91350100M000100Y4") == "3"
    assert [(c, ok) for c, _, ok in find_codes("代码：91350100M000100Y43，另一个911100001000301600")] == [
        ("91350100M000100Y43", True), ("911100001000301600", False)]
    facts = extract_facts("统一社会信用代码：91350100M000100Y44")
    assert facts[0].field == "unified_social_credit_code" and facts[0].confidence < 0.5


def test_chinese_profile_sentence() -> None:
    facts = _facts("极光创新科技有限公司于2019年3月在深圳市南山区注册成立。2023年实现营业收入1.208亿元，同比增长48%，"
                   "研发费用达到960万元。公司在职员工186人，其中研发人员47人。拥有发明专利12项、软件著作权30项。")
    assert facts["founded_date"] == ["2019-03"]
    assert facts["region"] == ["中国>广东省>深圳市>南山区"]
    assert facts["revenue"] == [120_800_000]
    assert facts["revenue_growth"] == [48]
    assert facts["rd_expense"] == [9_600_000]
    assert facts["employees"] == [186] and facts["rd_staff"] == [47]
    assert facts["patents.invention"] == [12] and facts["patents.software_copyright"] == [30]


def test_english_profile_sentence() -> None:
    facts = _facts("Aurora was founded in March 2019 and is headquartered in Palo Alto, CA. Revenue for fiscal 2023 was "
                   "USD 12.5 million. It raised $4.5M in a seed round, has 42 employees and holds 3 invention patents.")
    assert facts["founded_date"] == ["2019-03"]
    assert facts["region"] == ["United States>California>Palo Alto"]
    assert facts["revenue"] == [12_500_000]
    # a round event; the profile derives funding_raised and funding_stage from it
    assert facts["funding_rounds"] == [{"stage": "seed", "status": "completed", "date": None, "amount": 4_500_000,
                                        "currency": "USD", "lead": [], "co_investors": []}]
    assert facts["employees"] == [42] and facts["patents.invention"] == [3]


def test_negations_are_not_facts() -> None:
    facts = _facts("公司尚未申请专精特新，近三年无行政处罚，没有逾期贷款。It is not a high-tech enterprise.")
    assert "certifications" not in facts and "risk_signals" not in facts
    assert facts["risk.administrative_penalty"] == [False] and facts["risk.overdue_debt"] == [False]


def test_certifications_and_risks_found() -> None:
    facts = _facts("公司已获得国家高新技术企业认定，并入选专精特新“小巨人”。2022年因环保问题受到行政处罚，另有一起合同诉讼。")
    assert set(facts["certifications"]) == {"高新技术企业", "专精特新小巨人"}
    assert facts["risk.administrative_penalty"] == [True] and facts["risk.litigation"] == [True]


def test_every_fact_quotes_its_span() -> None:
    text = "公司在职员工186人。Revenue for fiscal 2023 was RMB 120.8 million."
    for f in extract_facts(text):
        start, end = f.span  # type: ignore[misc]
        assert text[start:end] == f.quote


@pytest.mark.parametrize(("text", "count"), [
    ("The startup holds 7 granted patents across its sensor line.", 7),
    ("Kestrel owns 2 patents and licenses a third.", 2),
    ("截至报告期末，公司共有专利31项，其中发明专利9项。", 31),
    ("公司已取得18项授权专利。", 18),
    ("本公司持有有效專利 6 件。", 6),
])
def test_a_patent_count_of_no_stated_kind_is_the_total(text: str, count: int) -> None:
    assert _facts(text)["patents.any"] == [count]


@pytest.mark.parametrize("text", [
    "It has filed 5 patent applications in the EU.",
    "The lab holds 11 patents pending review.",
    "公司累计申请专利14项。",
    "The model builds on its 2021 patents.",
    "公司拥有发明专利4项、外观设计专利2项。",
])
def test_pending_years_and_kinds_are_not_an_untyped_total(text: str) -> None:
    assert "patents.any" not in _facts(text)


def test_the_earlier_period_a_sentence_goes_on_to_name_is_a_fact_of_that_year() -> None:
    text = "Net sales for fiscal 2024 were USD 9.1 million, up from USD 6.4 million in 2023; the team grew too."
    sales = sorted((f.as_of, f.value) for f in extract_facts(text) if f.field == "revenue")
    assert sales == [("2023", 6_400_000), ("2024", 9_100_000)]
    compared = [f for f in extract_facts("Revenue was RMB 30 million in 2022, compared with RMB 21 million for 2021.")
                if f.field == "revenue" and f.as_of == "2021"]
    assert [f.value for f in compared] == [21_000_000] and compared[0].quote == "compared with RMB 21 million for 2021"
    assert [f.value for f in extract_facts("Revenue was $5M, up from the prior year.") if f.field == "revenue"] == [5_000_000]
