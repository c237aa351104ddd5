"""Risk and credit summaries from the per-risk facts, and the facts a risk criterion is judged on.

`risk_signals` lists the risks a document states happened; `credit_record` the credit ones
(overdue debt, default) plus `first_time_borrower`. A criterion "no overdue loans or defaults"
(`credit_record not_in [overdue_debt, default]`) is met only when every risk it names is stated
absent, unmet when one is stated present, and unknown otherwise: "no litigation" says nothing
about penalties.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from app.core.types import Fact

CREDIT_LABELS = ("overdue_debt", "default")
ALIASES = {"dishonest_debtor": "serious_dishonesty", "overdue": "overdue_debt"}
SET_FIELDS = ("risk_signals", "credit_record")


class _Chosen(Protocol):
    @property
    def chosen(self) -> Fact: ...


def derive_risk(fields: Mapping[str, _Chosen]) -> list[Fact]:
    risks = {name[5:]: fv.chosen for name, fv in sorted(fields.items()) if name.startswith("risk.")}
    out = []
    if risks:
        present = tuple(label for label, f in risks.items() if f.value is True)
        out.append(_summary("risk_signals", present, tuple(risks.values())))
    credit = {label: f for label, f in risks.items() if label in CREDIT_LABELS}
    first = fields.get("first_time_borrower")
    if credit or first:
        present = tuple(label for label, f in credit.items() if f.value is True)
        if first and first.chosen.value is True:
            present = (*present, "first_time_borrower")
        out.append(_summary("credit_record", present, (*credit.values(), *([first.chosen] if first else []))))
    return out


def _summary(name: str, value: tuple[str, ...], inputs: tuple[Fact, ...]) -> Fact:
    quote = "; ".join(f"{f.field.removeprefix('risk.')}={'yes' if f.value else 'no'}" for f in inputs)
    return Fact(field=name, value=value, quote=quote, method="derived", inputs=inputs,
                confidence=min(f.confidence for f in inputs))


def scoped_fact(fields: Mapping[str, _Chosen], field: str, wanted: Sequence[str]) -> Fact | None:
    """The fact a set criterion on risk_signals / credit_record is judged on: the named risks that
    happened (empty when all are stated absent), or None when one of them is not stated."""
    if not any(name.startswith("risk.") for name in fields):
        legacy = fields.get(field)  # a profile given as plain values ("risk_signals": ["litigation"])
        return legacy.chosen if legacy is not None and legacy.chosen.method != "derived" else None
    known = {w: fields[f"risk.{ALIASES.get(w, w)}"].chosen for w in wanted if f"risk.{ALIASES.get(w, w)}" in fields}
    present = tuple(w for w, f in known.items() if f.value is True)
    if not present and len(known) < len(wanted):
        return None
    chosen = [f for f in known.values() if f.value is True] or list(known.values())
    return _summary(field, present, tuple(chosen))
