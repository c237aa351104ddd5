"""A profile as a caller writes it → the profile matching reads (POST /v1/match, `sme match`).

Each field is read by its kind in the field vocabulary (app/core/fields.py): a region through
the jurisdiction tree ('深圳市南山区', 'Nanshan, Shenzhen' → 中国>广东省>深圳市>南山区), so a district
firm sits inside its city's, province's and country's programs; the founding date into an ISO
date, from which the years since founding are derived as of the matching date; amounts with
units and currencies ('4800万元', 'RMB 48m', '48 million') into numbers; counts and ratios with
their words ('120人', '5%'). A value that cannot be read is an UnreadableValue naming the field
and the value (HTTP 422), never silently compared as text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from app.core.errors import UnreadableValue
from app.core.fields import CURRENCIES, kind_of
from app.core.identity import flag_invalid_code
from app.core.jurisdiction import as_path, region_path
from app.core.profile import EnterpriseProfile, FieldValue
from app.core.quantities import parse_amount, parse_date, parse_quantity, years_between
from app.core.types import Fact

_NUMERIC_UNITS = {"count": "persons", "items": "items", "ratio": "%", "years": "years"}


def normalise_profile(profile: EnterpriseProfile, today: date) -> EnterpriseProfile:
    """Every fact read by its field's kind; `years_since_founding` derived when only the date is given."""
    profile = flag_invalid_code(profile)
    fields = {name: _field(fv, today) for name, fv in profile.fields.items() if fv.chosen.value is not None}
    founded = fields.get("founded_date")
    if founded is not None and "years_since_founding" not in fields:
        years = _years(founded.chosen, today)
        fields["years_since_founding"] = FieldValue(years, (years,))
    return replace(profile, fields=fields)


def normalise_overrides(overrides: Mapping[str, object], today: date) -> dict[str, object]:
    """What-if values read like profile facts: {field: value or {value, unit}} → {field: {value, unit}},
    or the bare value where none names a unit (the profile's own unit then applies)."""
    out: dict[str, object] = {}
    for name, raw in overrides.items():
        value, unit = (raw.get("value"), str(raw.get("unit") or "")) if isinstance(raw, dict) else (raw, "")
        fact = normalise_fact(Fact(field=name, value=value, unit=unit), today)
        read = list(fact.value) if isinstance(fact.value, tuple) else fact.value
        out[name] = {"value": read, "unit": fact.unit} if fact.unit else read
    return out


def _field(fv: FieldValue, today: date) -> FieldValue:
    chosen = normalise_fact(fv.chosen, today)
    candidates = tuple(chosen if c is fv.chosen else normalise_fact(c, today) for c in fv.candidates)
    return replace(fv, chosen=chosen, candidates=candidates)


def normalise_fact(f: Fact, today: date) -> Fact:
    if f.value is None:
        raise UnreadableValue(f"{f.field}: no value")
    try:
        return _read(f, today)
    except (ValueError, TypeError) as exc:
        unit = f" with unit {f.unit!r}" if f.unit else ""
        raise UnreadableValue(f"{f.field}: cannot read {_shown(f.value)}{unit} ({_what(f.field)}: {exc})") from None


def _read(f: Fact, today: date) -> Fact:
    kind = kind_of(f.field)
    if f.field == "region":
        return replace(f, value=">".join(_region(f.value)))
    if f.field == "founded_date":
        return replace(f, value=parse_date(str(f.value), today))
    if kind == "money":
        value, currency = _money(f.value, f.unit.strip())
        return replace(f, value=value, unit=currency)
    if kind in _NUMERIC_UNITS:
        return replace(f, value=_quantity(f.value), unit=f.unit or _NUMERIC_UNITS[kind])
    return f


def _region(value: object) -> tuple[str, ...]:
    if not isinstance(value, str) or not value.strip():
        raise TypeError("not a place name")
    path = as_path(value)
    if not region_path(path[-1]):
        raise ValueError("not a place in the jurisdiction tree")
    return path


def _money(value: object, unit: str) -> tuple[float, str]:
    """The value with its unit: {value: 4800, unit: '万元'} and {value: 48, unit: 'million USD'} read as one amount."""
    if unit and unit.upper() not in CURRENCIES:
        _amount(value)  # the value alone must be a number or an amount
        return parse_amount(f"{value} {unit}")
    amount, currency = _amount(value)
    return amount, currency or unit.upper()


def _amount(value: object) -> tuple[float, str]:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise TypeError("not an amount")
    return (float(value), "") if not isinstance(value, str) else parse_amount(value)


def _quantity(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise TypeError("not a number")
    return float(value) if not isinstance(value, str) else parse_quantity(value)


def _years(founded: Fact, today: date) -> Fact:
    years = years_between(str(founded.value), today)
    return Fact(field="years_since_founding", value=years, unit="years", method="derived", inputs=(founded,),
                quote=f"{today.isoformat()} − {founded.value}", confidence=founded.confidence)


def _shown(value: object) -> str:
    text = repr(list(value) if isinstance(value, tuple) else value)
    return text if len(text) <= 80 else text[:77] + "…"


def _what(field: str) -> str:
    kind = kind_of(field)
    if field == "region":
        return "a region such as 深圳市南山区 or 'Nanshan, Shenzhen'"
    if field == "founded_date":
        return "a date such as 2019-03-01 or 2019年3月"
    if kind == "money":
        return "an amount such as 48000000, '4800万元' or 'RMB 48m'"
    return "a number such as 120 or '120人'" if kind in _NUMERIC_UNITS else "a value"
