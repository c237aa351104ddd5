"""Criterion × profile → verdict: `met`, `unmet`, `unknown` or `not_applicable`, with the fact used.

- Numbers compare in the criterion's unit: money converts between currencies at the reference
  rates in app/data/fx.yaml (the verdict says so); counts, ratios (%) and years compare as they are.
- `years_since_founding` is derived from the founding date; `patents.any` sums the patent types.
- Tiers (`when`): the criterion applies only if its conditions hold (`not_applicable` when they
  do not; `unknown` when they cannot be checked). `any_of`: met if one option is met.
- Sets: `in` / `not_in` / `contains` against multi-valued facts (certifications, risk signals,
  funding stages: the latest stage counts). A risk or credit-record set judges each risk it names
  on its own yes/no fact: met when all are stated absent, unknown when one is not stated. A region
  criterion is met when the firm is located under one of the named regions (the jurisdiction tree), "本市" meaning the program's own city.
- A field the profile does not have is `unknown`, never `unmet`: absence of evidence is a
  question to ask the client, not a failure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from app.core.jurisdiction import as_path, load_regions, region_path
from app.core.profile import EnterpriseProfile
from app.core.risk_facts import SET_FIELDS, scoped_fact
from app.core.taxonomy import TAXONOMY_DIR, load_taxonomy
from app.core.types import Criterion, Fact
from app.core.verdict_text import Reason, reason, render

FX_FILE = Path(__file__).resolve().parents[1] / "data" / "fx.yaml"
STAGES = ["seed", "angel", "pre-A", "A", "B", "C", "D+", "growth", "IPO"]
_NUMERIC = {">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, "<": lambda a, b: a < b,
            "==": lambda a, b: abs(a - b) < 1e-9}


@dataclass(frozen=True)
class Verdict:
    criterion: Criterion
    verdict: str  # met | unmet | unknown | not_applicable
    fact: Fact | None = None
    reason: str = ""  # in English; verdict_text(verdict, lang) writes `why` in either language
    why: Reason | None = None


def verdict(c: Criterion, outcome: str, fact: Fact | None, why: Reason) -> Verdict:
    return Verdict(c, outcome, fact, render(why, "en"), why)


@lru_cache(maxsize=1)
def fx_rates() -> dict[str, float]:
    """Units of CNY per unit of each currency (reference rates, not live)."""
    data = yaml.safe_load(FX_FILE.read_text(encoding="utf-8"))
    return {str(k): float(v) for k, v in data["cny_per_unit"].items()}


def convert(value: float, unit: str, to: str) -> float | None:
    if unit == to or not unit or not to:
        return value
    rates = fx_rates()
    if unit not in rates or to not in rates:
        return None
    return value * rates[unit] / rates[to]


def evaluate(c: Criterion, profile: EnterpriseProfile, home: tuple[str, ...] = ()) -> Verdict:
    """`home`: the program's jurisdiction path ("本市" and friends resolve to it)."""
    if c.when:
        conditions = [evaluate(w, profile, home) for w in c.when]
        if any(v.verdict == "unmet" for v in conditions):
            failed = next(v for v in conditions if v.verdict == "unmet")
            return verdict(c, "not_applicable", failed.fact, reason("tier.not_applicable", failed.why))
        if any(v.verdict == "unknown" for v in conditions):
            return verdict(c, "unknown", None, reason("tier.unknown", fields=[w.field for w in c.when]))
    if c.op == "any_of":
        options = [evaluate(o, profile, home) for o in c.options]
        for wanted in ("met", "unknown"):
            hit = next((v for v in options if v.verdict == wanted), None)
            if hit:
                return verdict(c, wanted, hit.fact, reason("any_of.hit", hit.why))
        return verdict(c, "unmet", options[0].fact if options else None, reason("any_of.none"))
    fact = _risk_fact(c, profile) if c.field in SET_FIELDS else _fact(profile, c.field)
    if fact is None:
        return verdict(c, "unknown", None, reason("missing", field=c.field))
    if c.field == "region":
        return _region(c, fact, home)
    numeric_value = isinstance(c.value, (int, float)) and not isinstance(c.value, bool)
    if (c.op in _NUMERIC and numeric_value) or (c.op == "exists" and isinstance(fact.value, (int, float))):
        return _numeric(c, fact)
    return _categorical(c, fact)


def _risk_fact(c: Criterion, profile: EnterpriseProfile) -> Fact | None:
    """Each risk a criterion names is judged on its own yes/no fact (app/core/risk_facts.py)."""
    wanted = [str(x) for x in c.value] if isinstance(c.value, (tuple, list)) else [str(c.value)] if c.value else []
    return scoped_fact(profile.fields, c.field, wanted) if wanted else _fact(profile, c.field)


def _fact(profile: EnterpriseProfile, field: str) -> Fact | None:
    fv = profile.fields.get(field)
    if fv is not None:
        return fv.chosen
    if field in ("patents.any", "patents"):
        parts = [profile.fields[f].chosen for f in profile.fields if f.startswith("patents.")]
        if parts and all(isinstance(p.value, (int, float)) for p in parts):
            total = sum(float(p.value) for p in parts if isinstance(p.value, (int, float)))
            return Fact(field="patents.any", value=total, unit="items", method="derived", inputs=tuple(parts),
                        quote=" + ".join(p.quote for p in parts), confidence=min(p.confidence for p in parts))
    return None


def _numeric(c: Criterion, fact: Fact) -> Verdict:
    if not isinstance(fact.value, (int, float)):
        return verdict(c, "unknown", fact, reason("not_a_number", field=c.field, value=repr(fact.value)))
    if c.op == "exists":
        ok = float(fact.value) > 0
        return verdict(c, "met" if ok else "unmet", fact,
                       reason(f"exists.{'met' if ok else 'unmet'}", field=c.field, value=fact.value, unit=fact.unit))
    value = float(fact.value)
    converted: float | None = None
    if c.unit in fx_rates() or fact.unit in fx_rates():
        converted = convert(value, fact.unit, c.unit)
        if converted is None:
            return verdict(c, "unknown", fact, reason("no_rate", have=fact.unit or "no currency", want=c.unit))
        value = converted
        converted = converted if fact.unit != c.unit else None
    assert isinstance(c.value, (int, float))
    ok = _NUMERIC[c.op](value, float(c.value))
    why = reason("compare", field=c.field, op=c.op, value=float(fact.value), unit=fact.unit, compared=value,
                 converted=converted, threshold=float(c.value), tunit=c.unit)
    return verdict(c, "met" if ok else "unmet", fact, why)


def _values(fact: Fact) -> list[str]:
    v = fact.value
    return [str(x) for x in v] if isinstance(v, (tuple, list)) else [str(v)]


def _norm(s: str) -> set[str]:
    """'robotics/advanced manufacturing' → {'robotics/advanced manufacturing', 'robotics', 'advanced manufacturing'}."""
    low = s.casefold().strip()
    return {low, *(p.strip() for p in re.split(r"[/&,，、]| and ", low) if p.strip())}


def _overlap(have: list[str], want: list[str]) -> list[str]:
    wanted = set().union(*(_norm(w) for w in want)) if want else set()
    return [h for h in have if _norm(h) & wanted]


@lru_cache(maxsize=1)
def _domain_keywords() -> dict[str, str]:
    """keyword or label (case-folded) → tech-domain label of the shipped taxonomy."""
    path = TAXONOMY_DIR / "tech_domains.yaml"
    if not path.exists():
        return {}
    out: dict[str, str] = {}
    for label in load_taxonomy(path).labels:
        for word in (label.name, *label.keywords):
            out.setdefault(word.casefold(), label.name)
    return out


def _domain_labels(values: list[str]) -> list[str]:
    """A catalog's own words for a domain ("SaaS", "robotics") → the tagger's labels."""
    table = _domain_keywords()
    return [table[v.casefold()] for v in values if v.casefold() in table]


def _categorical(c: Criterion, fact: Fact) -> Verdict:
    have = _values(fact)
    want = [str(x) for x in c.value] if isinstance(c.value, (tuple, list)) else [str(c.value)] if c.value is not None else []
    if c.field == "funding_stage":
        known = [h for h in have if h in STAGES]
        have = [max(known, key=STAGES.index)] if known else have  # the latest round is where the firm is
        if have and have[0] in ("seed", "angel"):
            have = ["seed", "angel"]  # investors use the two words for the same stage
    if c.op == "exists":
        return verdict(c, "met" if have else "unmet", fact, reason(f"set.exists.{'met' if have else 'unmet'}", field=c.field, have=have))
    if c.field == "tech_domains":
        want = [*want, *_domain_labels(want)]
    hits = _overlap(have, want)
    if c.op in ("in", "contains", "=="):
        ok = bool(hits)
    elif c.op == "not_in":
        ok = not hits
    else:
        return verdict(c, "unknown", fact, reason("set.bad_op", field=c.field, op=c.op))
    if c.op == "contains" and not ok and c.field == "certifications":
        # a list read from documents is not exhaustive: a certification not mentioned is unknown
        return verdict(c, "unknown", fact, reason("set.not_found", field=c.field, have=have, want=want))
    outcome = "met" if ok else "unmet"
    key = f"set.{'not_in' if c.op == 'not_in' else 'in'}.{outcome}"
    return verdict(c, outcome, fact, reason(key, field=c.field, have=hits or have, want=want))


def _region(c: Criterion, fact: Fact, home: tuple[str, ...]) -> Verdict:
    regions = load_regions()
    firm = as_path(fact.value)
    want = [str(x) for x in c.value] if isinstance(c.value, (tuple, list)) else [str(c.value)]
    paths = [region_path(w) or (home if w in ("本市", "本省", "本区", "本區", "本地") else ()) for w in want]
    paths = [p for p in paths if p]
    if not paths:
        return verdict(c, "unknown", fact, reason("region.unknown_area", field=c.field, want=want))
    ok = c.op != "not_in" and any(regions.covers(p, firm) for p in paths)
    if c.op == "not_in":
        ok = not any(regions.covers(p, firm) for p in paths)
    outcome = "met" if ok else "unmet"
    key = f"region.{'not_in' if c.op == 'not_in' else 'in'}.{outcome}"
    return verdict(c, outcome, fact, reason(key, field=c.field, firm=firm, want=want))
