"""Clause rules for a firm's age written in English: in business for at least N years, N years old,
founded more than N years ago, founded within the last N years, no older than N years, N years of
trading history, trading for 12 months or more. Registered into the same RULES table as the others."""

from __future__ import annotations

import re
from collections.abc import Iterator

from app.core.criteria_numeric import CMP_EN, EN_NUM, Found, op_en, rule, years_of
from app.core.numbers import NUM

_SINCE = (r"in business|operating|operated|operational|active|trading|traded|registered|incorporated|established|"
          r"in operation|in existence")
# "registered in Singapore for …", "registered with Companies House for …": a place or a registry is capitalised
_WHERE = r"(?:\s+(?:in|with)\s+(?:the\s+)?(?-i:[A-Z])[\w.]*(?:\s+(?:(?:and|of|for)\s+)?(?-i:[A-Z])[\w.]*){0,4})?"
_SPAN = r"(years?|months?)"
_FOUNDED = r"(?:founded|incorporated|established|formed|registered|set\s+up)"
# (pattern, group of the comparison, group of the number, group of the unit)
_FORMS = [
    (rf"(?:{_SINCE}){_WHERE}\s+(?:for\s+)?(?:a\s+(?:period|minimum\s+period)\s+of\s+)?({CMP_EN})\s+({NUM}|{EN_NUM}|\w+)\s+{_SPAN}",
     1, 2, 3),  # "in business for a period of not less than two years"
    (rf"({CMP_EN})\s+({NUM}|{EN_NUM}|\w+)\s+{_SPAN}\s+old\b", 1, 2, 3),  # "less than 6 months old"
    (rf"{_FOUNDED}\s+({CMP_EN})\s+({NUM}|{EN_NUM}|\w+)\s+{_SPAN}\s+ago", 1, 2, 3),  # "founded more than 10 years ago"
    # "at least two years of trading history", "3 years' operating record"
    ((rf"({CMP_EN})\s+({NUM}|{EN_NUM}|\w+)\s+{_SPAN}(?:'|’)?\s+(?:of\s+)?(?:trading|operating|operational|business)\s+"
      r"(?:history|record|experience)"), 1, 2, 3),
    # "trading for 12 months or more": the comparison after the span
    (rf"(?:{_SINCE}){_WHERE}\s+for\s+({NUM}|{EN_NUM}|\w+)\s+{_SPAN}\s+((?:or|and)\s+(?:more|longer|above|less|fewer|shorter|below))",
     3, 1, 2),
]
_LONGER = {"or longer": "or more", "and longer": "or more", "or shorter": "or less", "and shorter": "or less"}
_OLDER = {"no older": "<=", "not older": "<=", "older": ">", "younger": "<", "no younger": ">=", "not younger": ">="}


@rule
def founding_en(c: str) -> Iterator[Found]:
    for pat, cmp_at, num_at, unit_at in _FORMS:
        for m in re.finditer(pat, c, re.IGNORECASE):
            word = re.sub(r"\s+", " ", m.group(cmp_at).lower())
            yield from _age(op_en(_LONGER.get(word, word)), m.group(num_at), m.group(unit_at), m.start())
    # "no older than 7 years", "younger than 5 years"
    for m in re.finditer(rf"\b((?:no\s+|not\s+)?(?:older|younger))\s+than\s+({NUM}|{EN_NUM}|\w+)\s+{_SPAN}", c, re.IGNORECASE):
        yield from _age(_OLDER[re.sub(r"\s+", " ", m.group(1).lower())], m.group(2), m.group(3), m.start())
    # "minimum 2 years in business", "at least 3 years in operation", "company age: less than 5 years"
    for m in re.finditer(rf"({CMP_EN}|minimum|min\.)\s+({NUM}|{EN_NUM})\s+{_SPAN}\s+(?:in\s+(?:business|operation)|of\s+operations?|trading|operating)\b"
                         rf"|\bage(?:\s+of)?\s*:?\s*({CMP_EN})\s+({NUM}|{EN_NUM})\s+{_SPAN}", c, re.IGNORECASE):
        if m.group(1):
            yield from _age(op_en(m.group(1)), m.group(2), m.group(3), m.start())
        else:
            yield from _age(op_en(m.group(4)), m.group(5), m.group(6), m.start())
    within = rf"{_FOUNDED}\s+(?:within|in)\s+the\s+(?:last|past)\s+({NUM}|{EN_NUM}|\w+)\s+{_SPAN}"
    for m in re.finditer(within, c, re.IGNORECASE):
        yield from _age("<=", m.group(1), m.group(2), m.start(), m.group(1))


def _age(op: str, num: str, unit: str, start: int, text: str | None = None) -> Iterator[Found]:
    try:
        yield Found("years_since_founding", op, years_of(num, unit.lower()), "years", text or f"{num} {unit}", start)
    except ValueError:  # "operating for several years": no number
        return
