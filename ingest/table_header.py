"""Statement headers for chunks cut from a statement page's text layer.

A PDF's text layer gives a financial statement as lines: a header line with the period columns
("2022 2021 2020", "2023年 2022年"), a units line ("(in millions, except per share data)",
"单位：元"), then the rows. A chunk cut below the header would cite "Net revenue 1,500 2,900" with no
year or unit, so the nearest header and units lines above it on the same page are carried in front
of the chunk's text (its span stays the rows' own).
"""

from __future__ import annotations

import re

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_UNITS = re.compile(r"\(?\s*(?:in|amounts?\s+in|dollars\s+in)\s+(?:millions|thousands|billions)\b|\bexcept\s+per\s+share"
                    r"|单位\s*[:：]|人民币\s*(?:元|千元|万元|百万元)|\b(?:RMB|USD|US\$)\s*(?:'000|thousands|millions)",
                    re.IGNORECASE)
_NUMBER = re.compile(r"\(?-?\$?\d[\d,]*(?:\.\d+)?\)?%?")
LOOKBACK = 1500  # characters above the chunk searched for a header
MAX_HEADER = 240


def _is_period_header(line: str) -> bool:
    """Two or more period columns and little else: "2022 2021 2020", "Year Ended December 31, 2022 2021"."""
    years = _YEAR.findall(line)
    if len(set(years)) < 2 or len(line) > 160:
        return False
    other_numbers = [n for n in _NUMBER.findall(line) if not _YEAR.fullmatch(n.strip("()$,"))]
    return len(other_numbers) <= 2


def _is_units(line: str) -> bool:
    return len(line) <= 160 and bool(_UNITS.search(line))


def _rows(text: str) -> int:
    """Lines that read as table rows: at least two numbers."""
    return sum(1 for line in text.split("\n") if len(_NUMBER.findall(line)) >= 2)


def header_above(page_text: str, start: int, chunk_text: str) -> str:
    """The period-header and units lines nearest above `start` on the page, in page order, when the
    chunk is table rows and does not carry them itself; "" otherwise."""
    if _rows(chunk_text) < 2:
        return ""
    own = chunk_text.split("\n")[:3]
    if any(_is_period_header(x) for x in own):
        return ""
    above = page_text[max(0, start - LOOKBACK):start].split("\n")
    period = units = ""
    for line in reversed(above):
        line = line.strip()
        if not period and _is_period_header(line):
            period = line
        elif not units and _is_units(line):
            units = line
        if period and units:
            break
    if not period:
        return ""
    parts = [x for x in (units, period) if x]
    if units and page_text.rfind(units, 0, start) > page_text.rfind(period, 0, start):
        parts.reverse()
    return "\n".join(parts)[:MAX_HEADER]
