"""Fiscal periods: read from a document's cover ("For the fiscal year ended June 30, 2023", "2022年年度报告")
and from a question ("FY2018", "Q2 2023", "2022年", "the latest quarter").

A period is a short label: `FY2022` (a fiscal year), `2023Q2` (a quarter), `2023H1` (a half year).
A question's year alone (`2022`) matches any period of that year.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"])}
_MONTH = r"(january|february|march|april|may|june|july|august|september|october|november|december)"
EN_DATE = re.compile(_MONTH + r"\s+(\d{1,2})\s*,?\s*((?:19|20)\d\d)", re.IGNORECASE)
ZH_DATE = re.compile(r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
            "一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_YEAR = r"((?:19|20)\d\d)"
# "FY2018", "FY 18", "fiscal 2022", "fiscal year 2022"
_Q_FY = re.compile(r"\b(?:FY\s*'?(\d{4}|\d{2})|fiscal\s+(?:year\s+)?" + _YEAR + r")\b", re.IGNORECASE)
# "Q2 2023", "2Q23", "Q2 FY2023", "2023 Q2", "second quarter of 2023", "second-quarter 2023"
_Q_QTR = re.compile(
    r"\bQ([1-4])\s*(?:of\s+)?(?:FY\s*)?'?(\d{4}|\d{2})\b|\b([1-4])Q\s*'?(\d{4}|\d{2})\b|\b" + _YEAR + r"\s*Q([1-4])\b"
    r"|\b(first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+quarter(?:\s+of)?(?:\s+(?:fiscal|FY))?(?:\s+year)?\s+" + _YEAR,
    re.IGNORECASE)
# a quarter of the company's own fiscal year: "Q2 of FY2024", "Q1 FY23", "second quarter of fiscal 2023"
_FISCAL = r"(?:of\s+)?(?:FY\s*'?|fiscal\s+(?:year\s+)?)(\d{4}|\d{2})\b"
_FISCAL_QTR = re.compile(r"\bQ([1-4])\s*" + _FISCAL + r"|\b(first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+quarter\s+" + _FISCAL,
                         re.IGNORECASE)
_ZH_QTR = re.compile(_YEAR + r"\s*年\s*(?:第\s*)?([一二三四1-4])\s*季度")
_ZH_HALF = re.compile(_YEAR + r"\s*年\s*(?:半年度|上半年|中期)")
_ZH_YEAR = re.compile(_YEAR + r"\s*(?:年度|财年|年)")
_BARE_YEAR = re.compile(r"(?<![\d.$,])" + _YEAR + r"(?![\d%])")
LATEST = re.compile(r"\b(?:latest|most recent|last|recent|current)\s+(?:fiscal\s+)?(?:period|year|quarter|report|filing)\b"
                    r"|最近一期|最新一期|最新|最近|上一期|本期", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    label: str  # FY2022 | 2023Q2 | 2023H1
    end: str = ""  # ISO date the period ends, when known

    @property
    def year(self) -> str:
        return self.label[2:] if self.label.startswith("FY") else self.label[:4]


def parse_date(text: str) -> date | None:
    """The first English ("June 30, 2023") or Chinese (2023年6月30日) date in the text."""
    m = EN_DATE.search(text)
    z = ZH_DATE.search(text)
    if m and (not z or m.start() < z.start()):
        return _safe_date(int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2)))
    if z:
        return _safe_date(int(z.group(1)), int(z.group(2)), int(z.group(3)))
    return None


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def fiscal_year_of(end: date) -> list[str]:
    """The fiscal-year labels a year ending on `end` goes by. A year ending in January to March is
    named by its end year by some companies and by its start year by others (retailers' "fiscal 2022"
    ends in January 2023), so both labels are kept, the end year first."""
    labels = [f"FY{end.year}"]
    if end.month <= 3:
        labels.append(f"FY{end.year - 1}")
    return labels


def quarter_of(end: date) -> str:
    return f"{end.year}Q{(end.month - 1) // 3 + 1}"


def _year4(text: str) -> int:
    return int(text) if len(text) == 4 else 2000 + int(text)


def periods_in_question(text: str) -> tuple[list[str], bool]:
    """(period labels named in a question, whether it asks for the latest one). Quarters and fiscal
    years as labels; a bare year ("in 2022", "2022年") as the year itself."""
    found: list[str] = []
    spans: list[tuple[int, int]] = []
    for m in _Q_QTR.finditer(text):
        spans.append(m.span())
        if m.group(1):
            found.append(f"{_year4(m.group(2))}Q{m.group(1)}")
        elif m.group(3):
            found.append(f"{_year4(m.group(4))}Q{m.group(3)}")
        elif m.group(5):
            found.append(f"{m.group(5)}Q{m.group(6)}")
        else:
            found.append(f"{m.group(8)}Q{_ORDINAL[m.group(7).lower()]}")
    for m in _ZH_QTR.finditer(text):
        found.append(f"{m.group(1)}Q{_ORDINAL[m.group(2)]}")
    for m in _ZH_HALF.finditer(text):
        found.append(f"{m.group(1)}H1")
    for m in _Q_FY.finditer(text):
        if any(a <= m.start() < b for a, b in spans):  # "Q1 FY23" is a quarter, not the year
            continue
        found.append(f"FY{_year4(m.group(1))}" if m.group(1) else f"FY{m.group(2)}")
    covered = {label[2:] if label.startswith("FY") else label[:4] for label in found}
    for m in [*_ZH_YEAR.finditer(text), *_BARE_YEAR.finditer(text)]:
        if m.group(1) not in covered:
            found.append(m.group(1))
            covered.add(m.group(1))
    return list(dict.fromkeys(found)), bool(LATEST.search(text))


def matches(wanted: Iterable[str], have: Iterable[str]) -> bool:
    """Whether a document's periods satisfy a question's: the same label, or a bare year that any
    of the document's periods falls in."""
    have = list(have)
    years = {p[2:] if p.startswith("FY") else p[:4] for p in have}
    return any(w in have or (w.isdigit() and w in years) for w in wanted)


def fiscal_quarters(text: str) -> list[tuple[int, int]]:
    """(fiscal year, quarter) of each quarter the question names by the fiscal year ("Q2 of FY2024")."""
    out = []
    for m in _FISCAL_QTR.finditer(text):
        if m.group(1):
            out.append((_year4(m.group(2)), int(m.group(1))))
        else:
            out.append((_year4(m.group(4)), _ORDINAL[m.group(3).lower()]))
    return list(dict.fromkeys(out))


def calendar_quarters(fiscal_year: int, quarter: int, year_end_month: int) -> list[str]:
    """The calendar quarter labels (what a quarterly report's cover date gives, quarter_of) of a fiscal
    quarter, for a company whose fiscal year ends in `year_end_month`. A year ending in January to March
    goes by its end year or by its start year (fiscal_year_of), so both readings."""
    out = []
    for end_year in [fiscal_year] + ([fiscal_year + 1] if year_end_month <= 3 else []):
        month = end_year * 12 + year_end_month - 1 - (4 - quarter) * 3  # months since year 0, the quarter's last
        out.append(quarter_of(date(month // 12, month % 12 + 1, 1)))
    return out
