"""Clause rules for bands written as two numbers joined by 至 / 到 / - ("在2000万元至1亿元之间",
"从业人员在10人至100人之间"). Registered into the same RULES table as the other rules.

A money band is > low and <= high (the 高新技术企业 tier reading) unless its low end says 含
("500万元（含）至5000万元"); a headcount band is a count of people, both ends included.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from app.core.criteria_numeric import (
    CURRENCY_WORD,
    LINK_ZH,
    MARK_ZH,
    MONEY_FIELDS_ZH,
    MONEY_UNIT_ZH,
    STAFF_ZH,
    Found,
    currency_zh,
    rule,
)
from app.core.numbers import NUM, money, parse_number

# "介于500万元和5000万元之间": 和 / 与 join a band's ends when 之间 closes it
_TO = r"\s*(?:至|到|-|~|—|－|(?:和|与)(?=[^，。；]{0,12}之间))\s*"
_INCLUSIVE = r"(（含）|\(含\))?"
_HIGH_OUT = rf"({MARK_ZH})?"  # "至300人（不含）": the high end left out


@rule
def money_range_zh(c: str) -> Iterator[Found]:
    subject = "|".join(s for s, _ in MONEY_FIELDS_ZH)
    pat = (rf"({subject})[^，。；\d]{{0,8}}?(?:介于|在)?\s*{CURRENCY_WORD}\s*({NUM})\s*({MONEY_UNIT_ZH})?\s*{_INCLUSIVE}"
           rf"{_TO}({NUM})\s*({MONEY_UNIT_ZH}){_HIGH_OUT}")
    for m in re.finditer(pat, c):
        field = next(f for s, f in MONEY_FIELDS_ZH if re.fullmatch(s, m.group(1)))
        low_unit, currency = m.group(3) or m.group(6), currency_zh(m.group(0))
        low_op = ">=" if m.group(4) else ">"
        yield Found(field, low_op, money(m.group(2), low_unit), currency, m.group(2) + (m.group(3) or ""), m.start())
        high_op = "<" if "不含" in (m.group(7) or "") else "<="
        yield Found(field, high_op, money(m.group(5), m.group(6)), currency, m.group(5) + m.group(6), m.start())


@rule
def headcount_range_zh(c: str) -> Iterator[Found]:
    pat = rf"{STAFF_ZH}{LINK_ZH}(?:介于)?\s*({NUM})\s*(?:人|名)?\s*{_INCLUSIVE}{_TO}({NUM})\s*(人|名){_HIGH_OUT}"
    for m in re.finditer(pat, c):
        yield Found("employees", ">=", parse_number(m.group(1)), "persons", m.group(1), m.start())
        high_op = "<" if "不含" in (m.group(5) or "") else "<="
        yield Found("employees", high_op, parse_number(m.group(3)), "persons", m.group(3) + m.group(4), m.start())
