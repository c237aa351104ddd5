"""The field vocabulary shared by enterprise profiles and program criteria, with allowed units."""

from __future__ import annotations

CURRENCIES = ("CNY", "USD", "EUR", "HKD", "GBP", "SGD", "JPY")
_UNITS: dict[str, tuple[str, ...]] = {
    "money": CURRENCIES,
    "count": ("persons", ""),
    "items": ("items", ""),
    "ratio": ("%",),
    "years": ("years",),
    "months": ("months",),
    "label": ("",),
    "flag": ("",),  # yes / no: a stated absence ("无诉讼") is False, not missing
    "events": ("",),  # a list of records (funding rounds)
}
FIELDS: dict[str, str] = {
    "founded_date": "label",
    "years_since_founding": "years",
    "years_in_niche": "years",
    "region": "label",
    "address": "label",  # the registered address, as stated
    "industry": "label",
    "business": "label",  # what the company does, in its documents' words
    "tech_domains": "label",
    "employees": "count",
    "social_insurance_headcount": "count",
    "rd_staff_ratio": "ratio",
    "revenue": "money",
    "revenue_growth": "ratio",
    "total_assets": "money",
    "rd_expense": "money",
    "rd_expense_ratio": "ratio",
    "rd_domestic_ratio": "ratio",
    "hightech_revenue_ratio": "ratio",
    "patents": "items",
    "patents.any": "items",
    "patents.invention": "items",
    "patents.utility_model": "items",
    "patents.design": "items",
    "patents.software_copyright": "items",
    "patents.ic_layout": "items",  # 集成电路布图设计专有权: an IC's layout-design right
    "certifications": "label",
    "funding_stage": "label",
    "funding_raised": "money",
    "funding_rounds": "events",
    "funding_planned_stage": "label",
    "months_since_last_round": "months",
    "investors": "label",
    "ownership.domestic_share": "ratio",
    "ownership.us_persons_share": "ratio",
    "entity_type": "label",
    "credit_record": "label",
    "tax_rating": "label",
    "bank_loans": "money",
    "first_time_borrower": "flag",
    "risk_signals": "label",
    **{f"risk.{label}": "flag" for label in (
        "overdue_debt", "default", "litigation", "administrative_penalty", "major_safety_incident",
        "major_quality_incident", "serious_environmental_violation", "serious_dishonesty", "abnormal_operations_list",
        "serious_violation", "pledge", "guarantee")},
}
# facts a profile carries that no criterion tests (identity, inputs of derived fields)
PROFILE_ONLY: dict[str, str] = {
    "company_name": "label",
    "unified_social_credit_code": "label",
    "unified_social_credit_code.invalid": "label",  # kept and flagged, never the identifier (app/core/identity.py)
    "legal_representative": "label",  # the business licence's other items
    "registered_capital": "money",
    **{f"certificate.{kind}": "events" for kind in ("hnte", "tech_sme", "little_giant", "zjtx_sme", "iso9001", "iso27001",
                                                     "iso14001")},  # app/core/facts_certificates.py
    "rd_staff": "count",
    "net_profit": "money",
    **{f"patents_pending.{kind}": "items" for kind in ("invention", "utility_model", "design", "software_copyright",
                                                              "ic_layout")},
}
# the ratios a profile derives from two of its fields: (numerator, denominator, the ratio), in percent
DERIVED_RATIOS: tuple[tuple[str, str, str], ...] = (("rd_expense", "revenue", "rd_expense_ratio"),
                                                     ("rd_staff", "employees", "rd_staff_ratio"))


def kind_of(field: str) -> str | None:
    """The value kind of a profile or criterion field (money, count, flag, label …), None if unknown."""
    return FIELDS.get(field) or PROFILE_ONLY.get(field)


def unit_fits(field: str, unit: str) -> bool:
    kind = FIELDS.get(field)
    return kind is not None and unit in _UNITS[kind]


def allowed_units(field: str) -> tuple[str, ...]:
    return _UNITS[FIELDS[field]] if field in FIELDS else ()
