"""Criterion evaluation truth table: every operator, units and currencies, tiers, any_of, the
jurisdiction tree, multi-valued facts, and unknowns that stay unknown."""

from __future__ import annotations

import pytest

from app.core.eligibility import evaluate
from app.core.profile import EnterpriseProfile, build_profile
from app.core.types import Criterion, Fact


def _profile(**values: object) -> EnterpriseProfile:
    units = {"revenue": "CNY", "rd_expense": "CNY", "employees": "persons", "rd_expense_ratio": "%",
             "years_since_founding": "years", "patents.invention": "items", "patents.utility_model": "items"}
    facts = []
    for name, value in values.items():
        unit = units.get(name, "")
        if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], str) and value[1].isupper():
            value, unit = value
        facts.append(Fact(field=name, value=value, unit=unit, quote=f"{name}={value}"))
    return build_profile("e", facts)


C = Criterion
CASES = [
    # numeric operators
    (C("employees", ">=", 10, "persons"), {"employees": 10}, "met"),
    (C("employees", ">=", 10, "persons"), {"employees": 9}, "unmet"),
    (C("employees", "<=", 500, "persons"), {"employees": 500}, "met"),
    (C("employees", "<", 500, "persons"), {"employees": 500}, "unmet"),
    (C("employees", ">", 100, "persons"), {"employees": 101}, "met"),
    (C("employees", "==", 50, "persons"), {"employees": 50}, "met"),
    (C("employees", ">=", 10, "persons"), {}, "unknown"),
    # money: 5,000万元 is stored as 50,000,000 CNY; other currencies convert at reference rates
    (C("revenue", "<=", 50_000_000, "CNY"), {"revenue": 49_990_000}, "met"),
    (C("revenue", "<=", 50_000_000, "CNY"), {"revenue": 50_000_001}, "unmet"),
    (C("revenue", ">=", 1_000_000, "USD"), {"revenue": (8_000_000, "CNY")}, "met"),  # ≈ 1.13 M USD
    (C("revenue", ">=", 2_000_000, "USD"), {"revenue": (8_000_000, "CNY")}, "unmet"),
    (C("revenue", ">=", 1_000_000, "USD"), {"revenue": (8_000_000, "XYZ")}, "unknown"),
    # ratios and derived fields
    (C("rd_expense_ratio", ">=", 5, "%"), {"rd_expense_ratio": 5.2}, "met"),
    (C("rd_expense_ratio", ">=", 5, "%"), {"rd_expense": 4_000_000, "revenue": 100_000_000}, "unmet"),  # 4 %
    (C("years_since_founding", ">=", 1, "years"), {"founded_date": "2001-05"}, "met"),
    # patents: the types add up for "any"; exists
    (C("patents.any", ">=", 5, "items"), {"patents.invention": 2, "patents.utility_model": 3}, "met"),
    (C("patents.any", "exists"), {"patents.invention": 0}, "unmet"),
    (C("patents.any", "exists"), {}, "unknown"),
    # sets
    (C("certifications", "contains", "高新技术企业"), {"certifications": "高新技术企业"}, "met"),
    (C("certifications", "contains", "专精特新中小企业"), {"certifications": "高新技术企业"}, "unknown"),
    (C("risk_signals", "not_in", ("litigation", "default")), {"risk_signals": "default"}, "unmet"),
    (C("risk_signals", "not_in", ("litigation", "default")), {"risk_signals": "administrative_penalty"}, "met"),
    (C("risk_signals", "not_in", ("litigation",)), {}, "unknown"),
    (C("funding_stage", "in", ("A", "B")), {"funding_stage": "A"}, "met"),
    (C("funding_stage", "in", ("seed", "pre-A")), {"funding_stage": "angel"}, "met"),  # angel is a seed stage
    (C("funding_stage", "in", ("seed", "pre-A")), {"funding_stage": "B"}, "unmet"),
    (C("tech_domains", "in", ("robotics", "AI")), {"tech_domains": "robotics/advanced manufacturing"}, "met"),
    (C("tech_domains", "in", ("biotech",)), {"tech_domains": "AI"}, "unmet"),
    (C("entity_type", "==", "for_profit"), {"entity_type": "for_profit"}, "met"),
    # region: the jurisdiction tree
    (C("region", "in", ("深圳市",)), {"region": "中国>广东省>深圳市>南山区"}, "met"),
    (C("region", "in", ("广东省",)), {"region": "中国>广东省>深圳市>南山区"}, "met"),
    (C("region", "in", ("上海市",)), {"region": "中国>广东省>深圳市>南山区"}, "unmet"),
    (C("region", "in", ("深圳市南山区",)), {"region": "中国>广东省>深圳市"}, "unmet"),
    (C("region", "not_in", ("上海市",)), {"region": "中国>广东省>深圳市"}, "met"),
    (C("region", "in", ("United States",)), {"region": "United States>Texas>Austin"}, "met"),
]


@pytest.mark.parametrize(("criterion", "values", "expected"), CASES,
                         ids=[f"{c.field}{c.op}{c.value}-{e}" for c, _, e in CASES])
def test_truth_table(criterion: Criterion, values: dict[str, object], expected: str) -> None:
    assert evaluate(criterion, _profile(**values)).verdict == expected


def test_currency_conversion_is_said_in_the_reason() -> None:
    v = evaluate(C("revenue", ">=", 1_000_000, "USD"), _profile(revenue=(8_000_000, "CNY")))
    assert "at reference rates" in v.reason and v.fact is not None and v.fact.value == 8_000_000


TIERS = [C("rd_expense_ratio", ">=", 5, "%", when=(C("revenue", "<=", 50_000_000, "CNY"),)),
         C("rd_expense_ratio", ">=", 4, "%", when=(C("revenue", ">", 50_000_000, "CNY"), C("revenue", "<=", 200_000_000, "CNY"))),
         C("rd_expense_ratio", ">=", 3, "%", when=(C("revenue", ">", 200_000_000, "CNY"),))]


@pytest.mark.parametrize(("revenue", "ratio", "expected"), [
    (40_000_000, 4.5, ["unmet", "not_applicable", "not_applicable"]),  # small firm: 5 % needed
    (120_000_000, 4.5, ["not_applicable", "met", "not_applicable"]),  # mid band: 4 % is enough
    (300_000_000, 3.1, ["not_applicable", "not_applicable", "met"]),
])
def test_tiers_apply_by_revenue_band(revenue: float, ratio: float, expected: list[str]) -> None:
    profile = _profile(revenue=revenue, rd_expense_ratio=ratio)
    assert [evaluate(c, profile).verdict for c in TIERS] == expected


def test_unknown_band_makes_the_tier_unknown() -> None:
    assert {evaluate(c, _profile(rd_expense_ratio=4.5)).verdict for c in TIERS} == {"unknown"}


def test_any_of_met_unknown_unmet() -> None:
    c = C("patents", "any_of", options=(C("patents.invention", ">=", 2, "items"), C("patents.utility_model", ">=", 5, "items")))
    assert evaluate(c, _profile(**{"patents.invention": 1, "patents.utility_model": 6})).verdict == "met"
    assert evaluate(c, _profile(**{"patents.invention": 1})).verdict == "unknown"
    assert evaluate(c, _profile(**{"patents.invention": 1, "patents.utility_model": 2})).verdict == "unmet"


def test_relative_region_means_the_programs_own_area() -> None:
    c = C("region", "in", ("本市",))
    assert evaluate(c, _profile(region="中国>上海市>浦东新区"), home=("中国", "上海市")).verdict == "met"
    assert evaluate(c, _profile(region="中国>广东省>深圳市"), home=("中国", "上海市")).verdict == "unmet"
