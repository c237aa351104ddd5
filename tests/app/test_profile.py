"""Profiles from facts: conflicts kept and flagged, the choice rule, derived fields with provenance."""

from __future__ import annotations

from datetime import date

from app.core.profile import build_profile
from app.core.types import Fact


def F(field: str, value: object, **kw: object) -> Fact:
    return Fact(field=field, value=value, **kw)  # type: ignore[arg-type]


def test_conflict_between_business_plan_and_financial_statement_is_kept_and_flagged() -> None:
    plan = F("revenue", 150_000_000, unit="CNY", as_of="2023", source_type="business_plan", quote="营收1.5亿元")
    statement = F("revenue", 120_800_000, unit="CNY", as_of="2023", source_type="financial_statement",
                  quote="营业收入 120,800,000", confidence=0.8)
    profile = build_profile("aurora", [plan, statement])
    revenue = profile.fields["revenue"]
    assert revenue.conflict is True
    assert revenue.chosen is statement  # the statement outranks the plan despite lower confidence
    assert set(revenue.candidates) == {plan, statement}


def test_values_within_one_percent_and_other_years_do_not_conflict() -> None:
    a = F("revenue", 120_800_000, unit="CNY", as_of="2023", source_type="financial_statement")
    b = F("revenue", 120_900_000, unit="CNY", as_of="2023", source_type="news")
    c = F("revenue", 81_450_000, unit="CNY", as_of="2022", source_type="financial_statement")
    profile = build_profile("aurora", [a, b, c])
    assert profile.fields["revenue"].conflict is False
    assert profile.value("revenue") == 120_800_000


def test_derived_ratio_growth_and_age_carry_their_inputs() -> None:
    rev23 = F("revenue", 120_800_000, unit="CNY", as_of="2023", source_type="financial_statement")
    rev22 = F("revenue", 81_450_000, unit="CNY", as_of="2022", source_type="financial_statement")
    rd = F("rd_expense", 9_600_000, unit="CNY", as_of="2023", source_type="financial_statement")
    founded = F("founded_date", "2019-03")
    staff, heads = F("rd_staff", 47, unit="persons"), F("employees", 186, unit="persons")
    profile = build_profile("aurora", [rev23, rev22, rd, founded, staff, heads], today=date(2024, 3, 1))
    ratio = profile.fields["rd_expense_ratio"].chosen
    assert ratio.value == 7.95 and ratio.method == "derived" and ratio.inputs == (rd, rev23)
    growth = profile.fields["revenue_growth"].chosen
    assert growth.value == 48.31 and growth.inputs == (rev23, rev22)
    assert profile.value("rd_staff_ratio") == 25.27
    age = profile.fields["years_since_founding"].chosen
    assert age.value == 5.0 and age.inputs == (founded,)


def test_extracted_ratio_wins_over_derived_and_sets_are_merged() -> None:
    stated = F("rd_expense_ratio", 8.0, unit="%")
    profile = build_profile("x", [stated, F("rd_expense", 1, unit="CNY"), F("revenue", 10, unit="CNY"),
                                  F("certifications", "高新技术企业"), F("certifications", "科技型中小企业")])
    assert profile.fields["rd_expense_ratio"].chosen is stated
    assert profile.value("certifications") == ("高新技术企业", "科技型中小企业")


def test_the_rd_ratio_is_derived_for_each_year_both_amounts_are_reported_for_the_chosen_year_first() -> None:
    p = build_profile("x", [F("rd_expense", 9_600_000, unit="CNY", as_of="2023"), F("rd_expense", 6_350_000, unit="CNY", as_of="2022"),
                            F("rd_expense", 4_120_000, unit="CNY", as_of="2021"), F("revenue", 120_800_000, unit="CNY", as_of="2023"),
                            F("revenue", 81_450_000, unit="CNY", as_of="2022")])  # no 2021 revenue: no 2021 ratio
    ratios = p.fields["rd_expense_ratio"]
    assert ratios.chosen.value == 7.95 and ratios.chosen.as_of == "2023"
    assert [(f.as_of, f.value) for f in ratios.candidates] == [("2023", 7.95), ("2022", 7.8)]
    assert [i.as_of for i in ratios.candidates[1].inputs] == ["2022", "2022"]  # each year's own amounts


def test_a_year_other_than_the_chosen_ones_is_read_from_its_most_trusted_source() -> None:
    from app.core.asked_period import facts_for

    summed = F("rd_expense", 6_350_000, unit="CNY", as_of="2022", source_type="document", quote="2022Q1 | 1420000.00 …")
    stated = F("rd_expense", 6_350_000, unit="CNY", as_of="2022", source_type="financial_statement", quote="研发费用 | 6350000.00")
    latest = F("rd_expense", 9_600_000, unit="CNY", as_of="2023", source_type="financial_statement")
    p = build_profile("x", [summed, latest, stated])
    assert facts_for(p.fields["rd_expense"], ("2022",)) == [stated]  # the statements' line, not a quarterly sheet's sum
    assert facts_for(p.fields["rd_expense"], ("2023",)) == [latest]
