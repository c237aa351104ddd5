"""Clause rules for amounts written in English: revenue, sales, turnover, gross receipts, total assets
and R&D spend, with the comparison before or after the amount, its currency and its scale
("annual revenue must not exceed US$10 million", "$1 million or more", "between £1 million and
£50 million"). Registered into the same RULES table as the other rules."""

from __future__ import annotations

import re
from collections.abc import Iterator

from app.core.criteria_numeric import CMP_EN, CURRENCY, MONEY_UNIT_EN, Found, op_en, rule
from app.core.numbers import NUM, money, parse_number

_CURRENCY_CODE = {"RMB": "CNY", "¥": "CNY", "人民币": "CNY", "US$": "USD", "$": "USD", "€": "EUR", "S$": "SGD",
                  "HK$": "HKD", "£": "GBP", "A$": "AUD", "C$": "CAD", "NZ$": "NZD"}
# what a policy calls the money a firm takes in, holds or spends on R&D
# "average annual receipts": the size standard of US small business programmes
_MONEY_FIELDS_EN = [(r"(?:average\s+)?(?:annual\s+)?(?:recurring\s+)?(?:revenues?|sales(?:\s+turnover)?|turnover|(?:gross\s+)?receipts)",
                     "revenue"),
                    (r"total\s+assets|balance\s+sheet(?:\s+total)?", "total_assets"),
                    # "R&D spending", "spending on research and development": the use before or after the money
                    ((r"(?:R&D|research\s+and\s+development)\s+(?:expenditures?|spending|spend|expenses?|investment|costs?)|"
                      r"(?:expenditures?|spending|spend|expenses?|investment)\s+on\s+(?:R&D|research\s+and\s+development)"),
                     "rd_expense")]
_GAP_EN = r"[^\d.;:$€£¥]{0,40}?"  # "must", "should not be", "of", "in the last financial year"
# "grow by at least 15%", "at least 5 per cent of turnover": a share is no amount
_AMOUNT_EN = rf"({CURRENCY})?\s*({NUM})(?![\d,.]*\s*(?:%|per\s*cent\b|percent\b))\s*({MONEY_UNIT_EN})?"


@rule
def money_en(c: str) -> Iterator[Found]:
    """"annual revenue must not exceed US$10 million", "revenues of $1 million or more"."""
    for subject, field in _MONEY_FIELDS_EN:
        # "Revenue: less than $10 million": a table's label and its value
        prefix = rf"\b(?:{subject})\b(?!\s+growth)(?:\s*:)?{_GAP_EN}\b({CMP_EN})\s+{_AMOUNT_EN}"
        postfix = rf"\b(?:{subject})\b(?!\s+growth){_GAP_EN}{_AMOUNT_EN}\s+({CMP_EN})\b"
        for pat, cmp_at in ((prefix, 1), (postfix, 4)):
            for m in re.finditer(pat, c, re.IGNORECASE):
                cur, num, unit = m.group(2, 3, 4) if cmp_at == 1 else m.group(1, 2, 3)
                if cmp_at == 4 and not (cur or unit):
                    continue  # "sales of 3 or more products": no amount
                value, currency, text = amount_en(cur, num, unit)
                yield Found(field, op_en(m.group(cmp_at)), value, currency, text, m.start())
                other = cmp_at == 1 and re.match(rf"\s*(?:and|but)\s+({CMP_EN})\s+{_AMOUNT_EN}", c[m.end():], re.IGNORECASE)
                if other and (other.group(2) or other.group(4)):  # "at least RMB 20 million and no more than RMB 500 million"
                    value, currency, text = amount_en(*other.group(2, 3, 4))
                    yield Found(field, op_en(other.group(1)), value, currency, text, m.end() + other.start(3))
    # "a minimum turnover of £500,000", "Maximum annual turnover: €10 million"
    for subject, field in _MONEY_FIELDS_EN:
        for m in re.finditer(rf"\b(minimum|maximum)\s+(?:{subject})\s*(?:of|:)\s*{_AMOUNT_EN}", c, re.IGNORECASE):
            value, currency, text = amount_en(*m.group(2, 3, 4))
            yield Found(field, ">=" if m.group(1).lower() == "minimum" else "<=", value, currency, text, m.start())
    # "generate at least $500,000 in annual revenue": the amount before what it measures
    for subject, field in _MONEY_FIELDS_EN:
        for m in re.finditer(rf"({CMP_EN})\s+{_AMOUNT_EN}\s+(?:in|of)\s+(?:{subject})\b", c, re.IGNORECASE):
            if m.group(2) or m.group(4):
                value, currency, text = amount_en(*m.group(2, 3, 4))
                yield Found(field, op_en(m.group(1)), value, currency, text, m.start())
    # "spent at least RMB 3 million on R&D"
    # "spending less than £50,000 a year on research and development": the period between amount and use
    per_year = r"(?:(?:a|per|each)\s+year\s+|per\s+annum\s+|annually\s+)?"
    for m in re.finditer(rf"({CMP_EN})\s+{_AMOUNT_EN}\s+{per_year}(?:on|in)\s+(?:R&D|research and development)", c, re.IGNORECASE):
        value, currency, text = amount_en(*m.group(2, 3, 4))
        yield Found("rd_expense", op_en(m.group(1)), value, currency, text, m.start())


def amount_en(cur: str | None, num: str, unit: str | None) -> tuple[float, str, str]:
    """(value, currency code, value text) of "£1 million", "S$100m", "5,000"."""
    currency = _CURRENCY_CODE.get((cur or "").upper(), (cur or "").upper()) or "CNY"
    return money(num, unit or ""), currency, f"{num}{' ' + unit if unit else ''}"


@rule
def money_range_en(c: str) -> Iterator[Found]:
    amount = rf"({CURRENCY})?\s*({NUM})\s*({MONEY_UNIT_EN})?"
    for subject, field in _MONEY_FIELDS_EN:
        # "between $2 million and $20 million", "of $1 million to $10 million", "from €2m to €10m"
        band = rf"(?:\bbetween\s+{amount}\s+and|(?:\bfrom\s+)?{amount}\s*(?:to|-|–|—))\s*{amount}"
        for m in re.finditer(rf"(?:{subject})\b{_GAP_EN}{band}", c, re.IGNORECASE):
            first = m.group(1, 2, 3) if m.group(2) else m.group(4, 5, 6)
            if not (m.group(2) or any(first[::2]) or any(m.group(7, 9))):
                continue  # no currency and no scale: "sales of 3 to 5 products" is no amount
            if not first[2] and m.group(9) and parse_number(first[1]) < parse_number(m.group(8)):
                first = (first[0], first[1], m.group(9))  # "S$1-20 million": the scale after the band is both ends'
            yield from _band(field, amount_en(*first), amount_en(*m.group(7, 8, 9)), m.start())
        # "between $2 million and $20 million in annual revenue": the band before what it measures
        for m in re.finditer(rf"\bbetween\s+{amount}\s+and\s*{amount}\s+(?:in|of)\s+(?:{subject})\b", c, re.IGNORECASE):
            if any(m.group(1, 3, 4, 6)):
                yield from _band(field, amount_en(*m.group(1, 2, 3)), amount_en(*m.group(4, 5, 6)), m.start())


def _band(field: str, low: tuple[float, str, str], high: tuple[float, str, str], start: int) -> Iterator[Found]:
    currency = high[1] if low[1] == "CNY" else low[1]  # "between £1 million and 50 million"
    yield Found(field, ">=", low[0], currency, low[2], start)
    yield Found(field, "<=", high[0], currency, high[2], start)
