"""Values as people type them into a profile: amounts with units and currencies ("4800万元",
"RMB 48m", "48 million"), counts and ratios with their words ("120人", "5%"), and dates
("2019年3月", "2019-03-01", "March 2019"). Each parser raises ValueError on what it cannot read."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from app.core.numbers import CN_NUM, chinese_to_int

_NUMBER = rf"(?:\d[\d,]*(?:\.\d+)?|\.\d+|{CN_NUM})"
_SCALES = {"万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8, "千": 1e3, "百万": 1e6, "千万": 1e7, "k": 1e3, "thousand": 1e3,
           "m": 1e6, "mn": 1e6, "mm": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9}
_CURRENCIES = {"rmb": "CNY", "cny": "CNY", "¥": "CNY", "元": "CNY", "人民币": "CNY", "人民币元": "CNY", "元人民币": "CNY",
               "usd": "USD", "us$": "USD", "$": "USD", "美元": "USD", "eur": "EUR", "€": "EUR", "欧元": "EUR",
               "hkd": "HKD", "hk$": "HKD", "港元": "HKD", "港币": "HKD", "gbp": "GBP", "£": "GBP", "英镑": "GBP",
               "jpy": "JPY", "日元": "JPY", "sgd": "SGD", "s$": "SGD"}
_CURRENCY = "|".join(sorted((re.escape(k) for k in _CURRENCIES), key=len, reverse=True))
_SCALE = "|".join(sorted((re.escape(k) for k in _SCALES), key=len, reverse=True))
_AMOUNT = re.compile(rf"(?P<pre>{_CURRENCY})?\s*(?P<num>{_NUMBER})\s*(?P<scale>{_SCALE})?\s*(?P<post>{_CURRENCY})?",
                     re.IGNORECASE)
_QUANTITY_WORDS = r"人|名|位|个|個|项|項|件|家|年|%|percent|per cent|years?|yrs?|people|persons?|employees|staff|items?|patents?"
_QUANTITY = re.compile(rf"(?P<num>{_NUMBER})\s*(?P<scale>{_SCALE})?\s*(?:{_QUANTITY_WORDS})?", re.IGNORECASE)
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_YMD = re.compile(r"(\d{4})(?:\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?|\s*月)?)?\s*年?(?:T[\d:.+Z-]*)?")
_MONTH_YEAR = re.compile(r"(?:(\d{1,2})\s+)?([A-Za-z]{3})[a-z]*\.?,?\s+(?:(\d{1,2}),?\s+)?(\d{4})")


def _plain(text: str) -> str:
    """Full-width digits and signs to ASCII ('４８００万元' → '4800万元'), trimmed."""
    return unicodedata.normalize("NFKC", text).strip().replace("，", ",")


def _number(text: str) -> float:
    if re.fullmatch(CN_NUM, text):
        return float(chinese_to_int(text))
    return float(text.replace(",", ""))


def parse_amount(text: str) -> tuple[float, str]:
    """'4800万元' → (48000000.0, 'CNY'); 'RMB 48m' → (48000000.0, 'CNY'); '48 million' → (48000000.0, '')."""
    m = _AMOUNT.fullmatch(_plain(text))
    if m is None:
        raise ValueError("not an amount")
    pre, post, scale = (m.group(g) or "" for g in ("pre", "post", "scale"))
    if pre and post and _CURRENCIES[pre.lower()] != _CURRENCIES[post.lower()]:
        raise ValueError("two different currencies")
    currency = _CURRENCIES.get((pre or post).lower(), "")
    if not currency and scale in ("万", "萬", "亿", "億", "千万", "百万"):
        currency = "CNY"  # 万 and 亿 are how amounts in yuan are written
    return _number(m.group("num")) * _SCALES.get(scale.lower(), 1.0), currency


# an amount inside running text: a number with its scale word ("50m", "5,000万元", "RMB 1.5 million", "2亿"), or a
# number grouped by thousands ("1,000,000 yuan"); a currency before or after it when one is written
# (a number starts where no digit is before it, and is at most 24 characters, and spaces are read only after a currency:
# a run of digits or of spaces is read once, not from each of its characters, so a long one costs linear time)
_SCALED_IN_TEXT = re.compile(rf"(?:(?P<pre>{_CURRENCY})\s*)?(?<!\d)(?<!\d[.,])(?P<num>\d[\d,]{{0,23}}(?:\.\d{{1,6}})?)\s*"
                             rf"(?P<scale>{_SCALE})(?![a-z])\s*(?P<post>{_CURRENCY})?", re.IGNORECASE)
_GROUPED_IN_TEXT = re.compile(rf"(?:(?P<pre>{_CURRENCY})\s*)?(?<!\d)(?<!\d[.,])(?P<num>\d{{1,3}}(?:,\d{{3}}){{1,7}}(?:\.\d{{1,6}})?)"
                              rf"(?![\d,])\s*(?P<post>{_CURRENCY})?", re.IGNORECASE)


def amounts_in(text: str) -> list[tuple[str, float, str]]:
    """The amounts written in a text, each as (its words, value, currency or ""): "between 50m and 200m RMB" →
    [("50m", 5e7, ""), ("200m RMB", 2e8, "CNY")]; "5,000万元至2亿元" → [("5,000万元", 5e7, "CNY"), ("2亿元", 2e8, "CNY")]."""
    plain = _plain(text)
    out: list[tuple[str, float, str]] = []
    taken: list[tuple[int, int]] = []
    for pattern in (_SCALED_IN_TEXT, _GROUPED_IN_TEXT):
        for m in pattern.finditer(plain):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            try:
                value, currency = parse_amount(m.group(0))
            except ValueError:
                continue
            taken.append(m.span())
            out.append((m.group(0).strip(), value, currency))
    return out


def parse_quantity(text: str) -> float:
    """'120人' → 120.0; '5%' → 5.0; '3 years' → 3.0; '1.2万' → 12000.0."""
    m = _QUANTITY.fullmatch(_plain(text))
    if m is None:
        raise ValueError("not a number")
    return _number(m.group("num")) * _SCALES.get((m.group("scale") or "").lower(), 1.0)


def parse_date(text: str, today: date) -> str:
    """'2019年3月' → '2019-03'; '2019/3/1' → '2019-03-01'; 'March 2019' → '2019-03'; '2019' → '2019'.
    A date that does not exist or lies after `today` is not a founding date."""
    plain = _plain(text)
    m = _YMD.fullmatch(plain)
    if m:
        year, month, day = m.group(1), m.group(2), m.group(3)
    else:
        n = _MONTH_YEAR.fullmatch(plain)
        if n is None or n.group(2).lower() not in _MONTHS:
            raise ValueError("not a date")
        year, month, day = n.group(4), str(_MONTHS[n.group(2).lower()]), n.group(1) or n.group(3)
    start = date(int(year), int(month or 1), int(day or 1))  # ValueError for 2019-13 or 02-30
    if start > today:
        raise ValueError(f"after {today.isoformat()}")
    return "-".join(p for p in (f"{int(year):04d}", month and f"{int(month):02d}", day and f"{int(day):02d}") if p)


def years_between(start: str, today: date) -> float:
    """Whole and part years from an ISO date ('2019', '2019-03', '2019-03-01') to `today`."""
    parts = [int(p) for p in start.split("-")]
    first = date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    return round((today - first).days / 365.25, 2)
