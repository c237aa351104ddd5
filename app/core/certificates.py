"""A certificate the firm already holds, read from the page its certification fact came from:
number, issue date, validity, expiry and the renewal window derived from them.

Scans are OCR'd, and OCR of a form often puts every label before every value ("证书编号 : 发证时间 :
… GR202344201234 2023 年 12 月 12 日"), so each value is found by its shape near or after its label,
not by its position beside the label."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

RENEWAL_LEAD_DAYS = 183  # re-recognition is prepared in the half year before expiry
_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NUMBER = re.compile(r"(?:证书编号|證書編號|certificate (?:no\.?|number))\s*[:：]?\s*([A-Z]{1,4}\d{6,})", re.IGNORECASE)
_ANY_NUMBER = re.compile(r"\b([A-Z]{1,4}\d{8,})\b")
_DATE = re.compile(r"(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?")
# an issue date a plan gives to the month ("2022年12月，公司通过高新技术企业认定", "recognised in December 2022")
_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?!\s*\d{1,2}\s*[日号])|"
                    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{4})\b", re.IGNORECASE)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ISSUED = re.compile(r"(?:发证(?:时间|日期)|發證(?:時間|日期)|issued?(?: on| date)?)\s*[:：]?", re.IGNORECASE)
_YEARS = re.compile(r"(?:有效期|valid(?:ity)?(?: for)?)\s*[:：]?\s*([一二两三四五六七八九十\d]+)\s*(?:年|years?)", re.IGNORECASE)
_UNTIL = re.compile(r"(?:有效期至|valid (?:until|through))\s*[:：]?\s*", re.IGNORECASE)
_ISSUER = re.compile(r"批准机关|批准機關|发证机关|發證機關|颁发机关|頒發機關|发证单位|發證單位|认定机构|認定機構|issued by|issuing (?:authority|body)",
                     re.IGNORECASE)
# an authority's name: a Chinese body (…委员会, …局, …厅) or an English one (… Commission, Ministry of …)
_AUTHORITY = re.compile(r"[\u4e00-\u9fff]{2,24}?(?:委员会|委員會|局|厅|廳|办公室|辦公室|人民政府)|"
                        r"(?:[A-Z][\w&'-]*\s+){0,8}(?:Commission|Ministry|Department|Agency|Bureau|Administration|Council)"
                        r"(?:\s+(?:of|for)(?:\s+(?:the\s+|and\s+|&\s+)?[A-Z][\w&'-]*)+)?")


@dataclass(frozen=True)
class Certificate:
    name: str
    number: str | None
    issued: date | None
    valid_years: int | None
    expires: date | None
    issuer: str | None = None  # the authority that approved it (批准机关), as printed
    month_only: bool = False  # the issue date is known to the month: `issued` is its first day, `expires` the
    # earliest day it can expire (the day before the first of the month `valid_years` later), so its state errs early

    def when(self, d: date | None) -> str | None:
        """A date of the certificate as it is known: "2025-12-11", or "2025-12" when only the month is."""
        if d is None:
            return None
        return f"{d.year:04d}-{d.month:02d}" if self.month_only else d.isoformat()

    def expiry_month(self) -> date | None:
        """The month it expires in (its first day): the issue month `valid_years` later when only the month is known."""
        if self.month_only and self.issued is not None and self.valid_years:
            return self.issued.replace(year=self.issued.year + self.valid_years)
        return self.expires

    def renewal_opens(self) -> date | None:
        return self.expires - timedelta(days=RENEWAL_LEAD_DAYS) if self.expires else None

    def state(self, today: date) -> str:
        """valid | renewal_window | expired | unknown."""
        if self.expires is None:
            return "unknown"
        if today > self.expires:
            return "expired"
        opens = self.renewal_opens()
        return "renewal_window" if opens is not None and today >= opens else "valid"


def read_certificate(name: str, text: str, lead: str = "") -> Certificate:
    """The certificate `text` (from the certification's name on) describes; `lead`, the words before the name in
    its sentence, may date it to the month ("2022年12月，公司通过高新技术企业认定，证书编号…")."""
    issued = _issued(text)
    years = _years(text)
    expires = _until(text)
    month_only = False
    if issued is None and expires is None:  # a month after an issue label, or in the words before the name
        label = _ISSUED.search(text)
        issued = (_month(text[label.end():label.end() + 20]) if label else None) or _month(lead)
        month_only = issued is not None
    if month_only and issued is not None:
        return of_month(name, _number(text), issued, years, _issuer(text))
    if expires is None and issued is not None and years:
        expires = _add_years(issued, years) - timedelta(days=1)
    return Certificate(name, _number(text), issued, years, expires, _issuer(text))


def of_month(name: str, number: str | None, issued: date, years: int | None, issuer: str | None) -> Certificate:
    """A certificate issued in a month, day unknown (`issued` its first day), its expiry derived as `read_certificate`
    derives it."""
    expires = _add_years(issued, years) - timedelta(days=1) if years else None
    return Certificate(name, number, issued, years, expires, issuer, month_only=True)


def month_date(value: str) -> date | None:
    """"2022-12" → its first day; None for any other form."""
    m = re.fullmatch(r"(\d{4})-(\d{2})", value.strip())
    return date(int(m.group(1)), int(m.group(2)), 1) if m and 1 <= int(m.group(2)) <= 12 else None


def _month(text: str) -> date | None:
    """The first month-and-year date of the text (no day given), as its first day."""
    for m in _MONTH.finditer(text):
        year, month = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), str(_MONTHS.index(m.group(3).lower()[:3]) + 1))
        if 1 <= int(month) <= 12:
            return date(int(year), int(month), 1)
    return None


def _issuer(text: str) -> str | None:
    """The authorities named after the issuer's label (a form's label may stand apart from its value, as OCR
    reads it: the first names after it); several approve jointly ("科技局、财政局、税务局")."""
    label = _ISSUER.search(text)
    if label is None:
        return None
    names: list[str] = []
    end = -1
    for m in _AUTHORITY.finditer(text[label.end():label.end() + 120]):
        if m.start() == end and names:  # "国家税务总局深圳市税务局": a body within a body, one name
            names[-1] += m.group(0)
        else:
            names.append(m.group(0).strip())
        end = m.end()
    return "、".join(dict.fromkeys(names)) or None


def _number(text: str) -> str | None:
    m = _NUMBER.search(text) or _ANY_NUMBER.search(text)
    return m.group(1) if m else None


def _dates(text: str) -> list[tuple[int, date]]:
    out = []
    for m in _DATE.finditer(text):
        try:
            out.append((m.start(), date(int(m.group(1)), int(m.group(2)), int(m.group(3)))))
        except ValueError:
            continue
    return out


def _issued(text: str) -> date | None:
    until = _UNTIL.search(text)
    dates = [(pos, d) for pos, d in _dates(text) if until is None or not until.end() <= pos <= until.end() + 2]
    label = _ISSUED.search(text)
    after = [d for pos, d in dates if label is not None and pos >= label.end()]
    found = after or [d for _, d in dates]
    return found[0] if found else None


def _years(text: str) -> int | None:
    m = _YEARS.search(text)
    if not m:
        return None
    raw = m.group(1)
    if raw.isdigit():
        return int(raw)
    return _CN_DIGITS.get(raw)


def _until(text: str) -> date | None:
    m = _UNTIL.search(text)
    if not m:
        return None
    found = _dates(text[m.end():m.end() + 30])
    return found[0][1] if found else None


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)
