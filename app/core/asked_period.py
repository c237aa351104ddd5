"""The period a question asks about, and the profile facts that describe it.

A question that names a year ("2021年的营收", "revenue forecast for 2026") is answered by a fact of
that year, not by the latest one: a value of another period does not answer it. A field whose facts
carry no period (founding date, certificates) is not filtered."""

from __future__ import annotations

import re

from app.core.profile import FieldValue
from app.core.types import Fact

# a year, not an amount ("2000万", "2,023") nor part of a longer number or code
_YEAR = re.compile(r"(?<![\d,.])(19[89]\d|20\d\d)(?![\d,.]?\d)(?!\s*(?:万|亿|元|%|人|项|个|家))")


def years_asked(question: str) -> tuple[str, ...]:
    """The years the question names, in order, each once."""
    return tuple(dict.fromkeys(_YEAR.findall(question)))


def year_of(fact: Fact) -> str | None:
    return fact.as_of[:4] if fact.as_of and re.match(r"\d{4}", fact.as_of) else None


def held_years(fv: FieldValue) -> list[str]:
    return sorted({y for f in (fv.chosen, *fv.candidates) if (y := year_of(f))})


def facts_for(fv: FieldValue, years: tuple[str, ...]) -> list[Fact]:
    """The field's facts for the years asked (the chosen one where it is of that year), one per year
    held; every year asked when no year is asked or the field has no periods. Empty: the field holds
    values for other periods only."""
    if not years or not held_years(fv):
        return [fv.chosen]
    out = []
    for y in years:
        fact = next((f for f in (fv.chosen, *fv.candidates) if year_of(f) == y), None)
        if fact is not None:
            out.append(fact)
    return out
