"""Enterprise profiles from facts: every field keeps all its candidates, conflicts are flagged,
and one value is chosen by a documented rule; derived fields carry their inputs.

Choice rule, in order: the more trustworthy source type (financial statement > tax record >
certificate > audit report > business plan > news > free text), then the more recent period
(`as_of`), then the higher confidence. Numbers within 1% of each other do not conflict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from app.core.facts_categorical import NAME_PLACE
from app.core.fields import DERIVED_RATIOS
from app.core.funding_history import derive_funding, merge_rounds
from app.core.risk_facts import derive_risk
from app.core.types import Fact

SOURCE_RANK = {"financial_statement": 6, "tax_record": 5, "certificate": 5, "audit_report": 4,
               "business_plan": 2, "news": 1, "text": 0, "": 0}
MULTI_VALUED = {"certifications", "risk_signals", "tech_domains", "investors"}
# a description: sentences saying it in other words are no conflict (the best-ranked one is shown)
DESCRIPTIVE = {"business"}
EVENTS = "funding_rounds"  # one fact per round; merged by app/core/funding_history.py


@dataclass(frozen=True)
class FieldValue:
    chosen: Fact
    candidates: tuple[Fact, ...]
    conflict: bool = False


@dataclass(frozen=True)
class EnterpriseProfile:
    enterprise_id: str
    name: str = ""
    fields: dict[str, FieldValue] = field(default_factory=dict)

    def value(self, name: str) -> object:
        fv = self.fields.get(name)
        return None if fv is None else fv.chosen.value


def _same(a: object, b: object) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) <= 0.01 * max(abs(float(a)), abs(float(b)), 1e-9)
    return a == b


def source_rank(f: Fact) -> tuple[int, str, float]:
    """How far a fact is trusted among others of its field: its source's rank, then the later period, then confidence."""
    return (SOURCE_RANK.get(f.source_type, 0), f.as_of or "", f.confidence)


def _merge(name: str, facts: list[Fact]) -> FieldValue:
    if name == "region":  # the place a registered name starts with counts only where no document states the address
        facts = [f for f in facts if f.method != NAME_PLACE] or facts
    if name == EVENTS:
        rounds, conflict = merge_rounds(facts, source_rank)
        best = max(facts, key=source_rank)
        return FieldValue(replace(best, value=tuple(r.value for r in rounds), inputs=tuple(rounds)), tuple(facts), conflict)
    if name in MULTI_VALUED:
        values = tuple(dict.fromkeys(str(f.value) for f in facts))
        best = max(facts, key=source_rank)
        return FieldValue(replace(best, value=values), tuple(facts))
    chosen = max(facts, key=source_rank)
    if name in DESCRIPTIVE:
        return FieldValue(chosen, tuple(facts))
    # facts about different periods (revenue 2022 vs 2023) are history, not a conflict; an undated
    # fact ("现有员工150人") speaks of now, so it is held against the latest period
    latest = max((f.as_of for f in facts if f.as_of), default=None)
    same_period = [f for f in facts if f.as_of == chosen.as_of or (f.as_of is None and chosen.as_of == latest)]
    conflict = any(not _same(f.value, chosen.value) for f in same_period)
    return FieldValue(chosen, tuple(facts), conflict)


def rivals(fv: FieldValue) -> list[Fact]:
    """The values other sources state for the chosen fact's period that disagree with it (the business plan's
    revenue beside the statements'), one per value, in source rank order."""
    if not fv.conflict:
        return []
    chosen = fv.chosen
    latest = max((f.as_of for f in fv.candidates if f.as_of), default=None)
    out: list[Fact] = []
    for f in sorted(fv.candidates, key=source_rank, reverse=True):
        same_period = f.as_of == chosen.as_of or (f.as_of is None and chosen.as_of == latest)
        if same_period and not _same(f.value, chosen.value) and not any(_same(f.value, o.value) for o in out):
            out.append(f)
    return out


def build_profile(enterprise_id: str, facts: list[Fact], name: str = "", today: date | None = None) -> EnterpriseProfile:
    grouped: dict[str, list[Fact]] = {}
    for f in facts:
        grouped.setdefault(f.field, []).append(f)
    fields = {n: _merge(n, fs) for n, fs in grouped.items()}
    rounds = list(fields[EVENTS].chosen.inputs) if EVENTS in fields else []
    by_year: dict[str, list[Fact]] = {}  # a derived field's facts: the one matching reads first, then other years'
    for derived in _derive(fields, grouped, today or date.today()):
        by_year.setdefault(derived.field, []).append(derived)
    for derived_name, derived_facts in by_year.items():
        fields.setdefault(derived_name, FieldValue(derived_facts[0], tuple(derived_facts)))
    for derived in [*derive_funding(rounds, today or date.today()), *derive_risk(fields)]:
        fields.setdefault(derived.field, FieldValue(derived, (derived,)))
    return EnterpriseProfile(enterprise_id, name, fields)


def _derive(fields: dict[str, FieldValue], grouped: dict[str, list[Fact]], today: date) -> list[Fact]:
    out = []
    founded = fields.get("founded_date")
    if founded and isinstance(founded.chosen.value, str) and founded.chosen.value[:4].isdigit():
        start = date(int(founded.chosen.value[:4]), int(founded.chosen.value[5:7] or 1) if len(founded.chosen.value) >= 7 else 1, 1)
        years = round((today - start).days / 365.25, 2)
        out.append(_derived("years_since_founding", years, "years", f"{today.isoformat()} − {founded.chosen.value}", (founded.chosen,)))
    for top, bottom, name in DERIVED_RATIOS:
        ratio = _ratio(fields, top, bottom, name)
        if ratio:  # the chosen facts' ratio first (matching reads it), then each other year both are reported for
            out += [ratio, *_other_years(grouped, top, bottom, name, ratio.as_of)]
    out += _growths(grouped.get("revenue", []))
    form = _legal_form(fields.get("company_name"))
    if form is not None:
        out.append(form)
    return out


# a registered name ending in a company's legal form: a for-profit company, a legal person of its own
_COMPANY_FORM = re.compile(r"(?:有限责任公司|有限責任公司|股份有限公司|有限公司|股份公司|"
                           r"(?<![A-Za-z])(?:Inc|Incorporated|Corp|Corporation|LLC|L\.L\.C|Ltd|Limited|PLC|GmbH|Pte\.?\s*Ltd|"
                           r"Pty\.?\s*Ltd|S\.?A\.?S|B\.?V)\.?)\s*[)）]?\s*$", re.IGNORECASE)


def _legal_form(company: FieldValue | None) -> Fact | None:
    """The legal form the registered name states ("深圳云图智联科技有限公司", "Kestrel Robotics, Inc."): a for-profit
    company and an independent legal person; None for any other name (a partnership, a foundation, no form)."""
    if company is None or not isinstance(company.chosen.value, str):
        return None
    m = _COMPANY_FORM.search(company.chosen.value.strip())
    if m is None:
        return None
    return _derived("entity_type", ("for_profit", "independent_legal_person"), "",  # type: ignore[arg-type]
                    f"{company.chosen.value}: {m.group(0).strip()}", (company.chosen,))


def _derived(name: str, value: float, unit: str, formula: str, inputs: tuple[Fact, ...]) -> Fact:
    return Fact(field=name, value=value, unit=unit, quote=formula, method="derived",
                confidence=min(f.confidence for f in inputs), inputs=inputs,
                as_of=next((f.as_of for f in inputs if f.as_of), None))


def _ratio(fields: dict[str, FieldValue], top: str, bottom: str, name: str) -> Fact | None:
    a, b = fields.get(top), fields.get(bottom)
    if not a or not b or not isinstance(a.chosen.value, (int, float)) or not isinstance(b.chosen.value, (int, float)):
        return None
    if not b.chosen.value or (a.chosen.unit != b.chosen.unit and bottom != "employees"):
        return None
    if a.chosen.as_of and b.chosen.as_of and a.chosen.as_of != b.chosen.as_of:
        return None  # different years would make a meaningless ratio
    value = round(100 * float(a.chosen.value) / float(b.chosen.value), 2)
    return _derived(name, value, "%", f"{top} / {bottom}", (a.chosen, b.chosen))


def _other_years(grouped: dict[str, list[Fact]], top: str, bottom: str, name: str, chosen_year: str | None) -> list[Fact]:
    """The ratio of `top` to `bottom` for each year both are reported for besides `chosen_year`, latest first
    ("22年研发费用率": 2022's expense over 2022's revenue)."""
    tops, bottoms = _by_year(grouped.get(top, [])), _by_year(grouped.get(bottom, []))
    out = []
    for year in sorted(set(tops) & set(bottoms) - {chosen_year}, reverse=True):
        a, b = tops[year], bottoms[year]
        if b.value and (a.unit == b.unit or bottom == "employees"):
            value = round(100 * float(a.value) / float(b.value), 2)  # type: ignore[arg-type]
            out.append(_derived(name, value, "%", f"{top} / {bottom}", (a, b)))
    return out


def _by_year(facts: list[Fact]) -> dict[str, Fact]:
    """The most trustworthy numeric fact of each year."""
    return {f.as_of: f for f in sorted(facts, key=source_rank) if f.as_of and isinstance(f.value, (int, float))}


def _growths(revenues: list[Fact]) -> list[Fact]:
    """Year-on-year growth for each year whose previous year is reported too, latest first."""
    by_year = _by_year(revenues)
    years = sorted(by_year)
    if len(years) < 2 or int(years[-1][:4]) - int(years[-2][:4]) != 1:
        return []  # the latest year's growth comes first (matching reads it) or none is derived
    out = []
    for year in reversed(years):
        prior = str(int(year[:4]) - 1) + year[4:]
        new, old = by_year[year], by_year.get(prior)
        if old is None or not old.value or new.unit != old.unit:
            continue
        value = round(100 * (float(new.value) / float(old.value) - 1), 2)  # type: ignore[arg-type]
        out.append(_derived("revenue_growth", value, "%", f"revenue {year} / revenue {prior} − 1", (new, old)))
    return out
