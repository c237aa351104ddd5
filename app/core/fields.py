"""The field vocabulary shared by enterprise profiles and program criteria, with allowed units."""

from __future__ import annotations

CURRENCIES = ("CNY", "USD", "EUR", "HKD", "GBP", "SGD", "JPY")
_UNITS: dict[str, tuple[str, ...]] = {
    "money": CURRENCIES,
    "count": ("persons", ""),
    "items": ("items", ""),
    "ratio": ("%",),
    "years": ("years",),
    "label": ("",),
}
FIELDS: dict[str, str] = {
    "founded_date": "label",
    "years_since_founding": "years",
    "years_in_niche": "years",
    "region": "label",
    "industry": "label",
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
    "certifications": "label",
    "funding_stage": "label",
    "funding_raised": "money",
    "ownership.domestic_share": "ratio",
    "ownership.us_persons_share": "ratio",
    "entity_type": "label",
    "credit_record": "label",
    "tax_rating": "label",
    "risk_signals": "label",
}


def unit_fits(field: str, unit: str) -> bool:
    kind = FIELDS.get(field)
    return kind is not None and unit in _UNITS[kind]


def allowed_units(field: str) -> tuple[str, ...]:
    return _UNITS[FIELDS[field]] if field in FIELDS else ()
