"""The clause grammar: one rule per way policies state a condition, Chinese and English.

A rule matches inside one clause and yields (field, op, value, unit, value_text). Comparison words
map to operators here, numbers and units are normalised in app/core/numbers.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from app.core.numbers import CN_NUM, NUM, money, parse_number

# comparison words -> operator; inclusive "（含）" turns < into <=
_CMP_ZH = [  # simplified and traditional forms
    ("不低于|不少于|不小于|不得低于|不低於|不少於|不小於|不得低於|达到|達到|至少|最少|≥", ">="),
    ("不超过|不高于|不多于|不大于|不得超过|不超過|不高於|不多於|不大於|不得超過|最多|≤", "<="),
    ("超过|高于|大于|多于|超過|高於|大於|多於", ">"),
    ("低于|少于|小于|低於|少於|小於|不足|未满|未滿", "<"),
]
CMP_ZH = "|".join(words for words, _ in _CMP_ZH)
_CMP_EN = [
    (r"at least|no less than|not less than|a minimum of|minimum of|or more", ">="),
    (r"no more than|not more than|at most|up to|not exceeding|a maximum of|maximum of|or fewer|or less", "<="),
    (r"more than|over|above|exceeding|greater than", ">"),
    (r"fewer than|less than|under|below", "<"),
]
CMP_EN = "|".join(words for words, _ in _CMP_EN)
_TAIL = {"以上": ">=", "及以上": ">=", "以下": "<=", "及以下": "<=", "以内": "<=", "以內": "<="}
CURRENCY = r"(?:RMB|CNY|USD|US\$|S\$|SGD|HK\$|HKD|GBP|£|\$|EUR|€|¥|人民币)"
MONEY_UNIT_ZH = r"(?:万元|萬元|亿元|億元|千元|元)"
MONEY_UNIT_EN = r"(?:million|billion|thousand|mn|bn|m|k)\b"


def op_zh(word: str | None, tail: str | None = None, inclusive: bool = False) -> str:
    op = next((o for words, o in _CMP_ZH if word and re.fullmatch(words, word)), None)
    op = op or _TAIL.get(tail or "", ">=")
    if inclusive and op in ("<", ">"):
        op += "="
    return op


def op_en(word: str | None) -> str:
    return next((o for words, o in _CMP_EN if word and re.fullmatch(words, word.lower())), ">=")


@dataclass(frozen=True)
class Found:
    field: str
    op: str
    value: float | str | tuple[str, ...] | None
    unit: str
    value_text: str
    start: int
    window_years: float | None = None


Rule = Callable[[str], Iterator[Found]]
RULES: list[Rule] = []


def rule(fn: Rule) -> Rule:
    RULES.append(fn)
    return fn


def _years(num: str, unit: str) -> float:
    n = parse_number(num)
    return round(n / 12, 4) if unit in ("个月", "個月", "month", "months") else n


# "已经营业务最少一年": years in business stated by the operating verb
_OPERATING_ZH = r"(?:已)?(?:经营业务|經營業務|经营|經營)"


@rule
def founding_zh(c: str) -> Iterator[Found]:
    pat = (rf"(?:注册成立|註冊成立|成立|设立|設立|注册|註冊|登记注册|{_OPERATING_ZH})(?:时间|時間)?在?"
           rf"(?:(满|已满|滿|已滿|{CMP_ZH}))?({NUM})\s*(年|个月|個月)(以上|及以上|以下|以内|以內)?")
    for m in re.finditer(pat, c):
        word, tail = m.group(1), m.group(4)
        op = ">=" if word in ("满", "已满", "滿", "已滿") else op_zh(word, tail)
        yield Found("years_since_founding", op, _years(m.group(2), m.group(3)), "years",
                    m.group(2) + m.group(3), m.start())


@rule
def founding_en(c: str) -> Iterator[Found]:
    pat = rf"(?:in business|operating|operated|registered|incorporated|established|in operation)\s+(?:for\s+)?({CMP_EN})\s+({NUM}|\w+)\s+(years?|months?)"
    for m in re.finditer(pat, c, re.IGNORECASE):
        try:
            yield Found("years_since_founding", op_en(m.group(1)), _years(m.group(2), m.group(3).lower()), "years",
                        f"{m.group(2)} {m.group(3)}", m.start())
        except ValueError:
            continue
    pat2 = rf"(?:founded|incorporated|established)\s+(?:within|in)\s+the\s+(?:last|past)\s+({NUM}|\w+)\s+years?"
    for m in re.finditer(pat2, c, re.IGNORECASE):
        yield Found("years_since_founding", "<=", parse_number(m.group(1)), "years", m.group(1), m.start())


@rule
def headcount_zh(c: str) -> Iterator[Found]:
    pat = (r"(?:职工总数|職工總數|从业人员|從業人員|从业人数|從業人數|员工人数|員工人數|职工人数|職工人數|员工总数|在职员工|"
           rf"员工数|員工數|(?:聘用|僱用|雇用|招用)(?={CMP_ZH}))(?:数)?(?:在)?({CMP_ZH})?({NUM})\s*(人|名)(以上|以下|及以上|及以下)?")
    for m in re.finditer(pat, c):
        yield Found("employees", op_zh(m.group(1), m.group(4)), parse_number(m.group(2)), "persons",
                    m.group(2) + m.group(3), m.start())


@rule
def headcount_en(c: str) -> Iterator[Found]:
    pat = rf"(?:({CMP_EN})\s+)?({NUM})\s+(?:({CMP_EN})\s+)?(?:full-time\s+)?(?:employees|staff|workers|people)"
    for m in re.finditer(pat, c, re.IGNORECASE):
        word = m.group(1) or m.group(3)
        if word:
            yield Found("employees", op_en(word), parse_number(m.group(2)), "persons", m.group(2), m.start())
    between = rf"between\s+({NUM})\s+and\s+({NUM})\s+(?:full-time\s+)?(?:employees|staff|workers|people)"
    for m in re.finditer(between, c, re.IGNORECASE):
        yield Found("employees", ">=", parse_number(m.group(1)), "persons", m.group(1), m.start())
        yield Found("employees", "<=", parse_number(m.group(2)), "persons", m.group(2), m.start())


_MONEY_FIELDS_ZH = [
    (r"(?:年销售收入|年銷售收入|销售收入|銷售收入|年营业收入|年營業收入|营业收入|營業收入|主营业务收入|年收入)", "revenue"),
    (r"(?:资产总额|資產總額|总资产|總資產)", "total_assets"),
    (r"(?:研发费用总额|研發費用總額|研究开发费用总额|研发投入|研发费用|研發費用)", "rd_expense"),
]


@rule
def money_zh(c: str) -> Iterator[Found]:
    for subject, field in _MONEY_FIELDS_ZH:
        pat = rf"{subject}(?:[^，。；,;%％\d]{{0,8}}?)({CMP_ZH})?\s*({NUM})\s*({MONEY_UNIT_ZH})(（含）|\(含\))?(以上|以下|及以上|及以下)?(?!\s*至)"
        for m in re.finditer(pat, c):
            if "占" in c[m.start(): m.end()] or "佔" in c[m.start(): m.end()]:
                continue  # a ratio, handled by the ratio rules
            op = op_zh(m.group(1), m.group(5), inclusive=bool(m.group(4)))
            yield Found(field, op, money(m.group(2), m.group(3)), "CNY", m.group(2) + m.group(3), m.start())


@rule
def money_range_zh(c: str) -> Iterator[Found]:
    subject = "|".join(s for s, _ in _MONEY_FIELDS_ZH)
    pat = rf"({subject})[^，。；]{{0,8}}?在?\s*({NUM})\s*({MONEY_UNIT_ZH})?\s*(?:至|到|-|~|—)\s*({NUM})\s*({MONEY_UNIT_ZH})(（含）|\(含\))?"
    for m in re.finditer(pat, c):
        field = next(f for s, f in _MONEY_FIELDS_ZH if re.fullmatch(s, m.group(1)))
        low_unit = m.group(3) or m.group(5)
        yield Found(field, ">", money(m.group(2), low_unit), "CNY", m.group(2) + (m.group(3) or ""), m.start())
        yield Found(field, "<=", money(m.group(4), m.group(5)), "CNY", m.group(4) + m.group(5), m.start())


_CURRENCY_CODE = {"RMB": "CNY", "¥": "CNY", "人民币": "CNY", "US$": "USD", "$": "USD", "€": "EUR", "S$": "SGD",
                  "HK$": "HKD", "£": "GBP"}
_MONEY_FIELDS_EN = [(r"(?:annual\s+)?(?:revenue|sales|turnover)", "revenue"), (r"total\s+assets", "total_assets")]


@rule
def money_en(c: str) -> Iterator[Found]:
    for subject, field in _MONEY_FIELDS_EN:
        pat = rf"{subject}\s+(?:of\s+|is\s+|must\s+be\s+|should\s+be\s+)?({CMP_EN})\s+({CURRENCY})?\s*({NUM})\s*({MONEY_UNIT_EN})?"
        for m in re.finditer(pat, c, re.IGNORECASE):
            currency = _CURRENCY_CODE.get((m.group(2) or "").upper(), (m.group(2) or "").upper())
            unit = m.group(4) or ""
            yield Found(field, op_en(m.group(1)), money(m.group(3), unit), currency or "CNY",
                        f"{m.group(3)}{' ' + unit if unit else ''}".strip(), m.start())


def _amount_en(cur: str | None, num: str, unit: str | None) -> tuple[float, str, str]:
    """(value, currency code, value text) of "£1 million", "S$100m", "5,000"."""
    currency = _CURRENCY_CODE.get((cur or "").upper(), (cur or "").upper()) or "CNY"
    return money(num, unit or ""), currency, f"{num}{' ' + unit if unit else ''}"


@rule
def money_range_en(c: str) -> Iterator[Found]:
    amount = rf"({CURRENCY})?\s*({NUM})\s*({MONEY_UNIT_EN})?"
    for subject, field in _MONEY_FIELDS_EN:
        for m in re.finditer(rf"{subject}\s+(?:of\s+)?between\s+{amount}\s+and\s+{amount}", c, re.IGNORECASE):
            low, high = _amount_en(*m.group(1, 2, 3)), _amount_en(*m.group(4, 5, 6))
            currency = high[1] if low[1] == "CNY" else low[1]  # "between £1 million and 50 million"
            yield Found(field, ">=", low[0], currency, low[2], m.start())
            yield Found(field, "<=", high[0], currency, high[2], m.start())


_RATIO_ZH = [
    ((r"(?:研究开发费用|研究開發費用|研发费用|研發費用|研发投入|研發投入|研发经费|研發經費)[^。；]{0,30}?(?:占|佔)[^。；]{0,20}?"
     r"(?:收入|营业额|營業額)[^。；]{0,12}?(?:比例|比重)?"), "rd_expense_ratio"),
    ((r"(?:科技人员|科技人員|研发人员|研發人員|研究开发人员|技术人员)[^。；]{0,16}?(?:占|佔)[^。；]{0,16}?"
     r"(?:职工|職工|员工|員工|从业人员|從業人員)[^。；]{0,6}?(?:比例|比重)?"), "rd_staff_ratio"),
    (r"高新技术产品[（(]服务[)）]收入[^。；]{0,12}?(?:占|佔)[^。；]{0,16}?(?:比例|比重)?", "hightech_revenue_ratio"),
    (r"境内[^。；]{0,16}?研究开发费用[^。；]{0,16}?(?:占|佔)[^。；]{0,20}?(?:比例|比重)?", "rd_domestic_ratio"),
]


@rule
def ratio_zh(c: str) -> Iterator[Found]:
    for subject, field in _RATIO_ZH:
        # "不低于10%", "在20%以上", "達百分之三以上": a comparison word, a tail, or both
        pat = (rf"{subject}\s*(?:为|為|應|应|在|達|达|均)?({CMP_ZH})?\s*({NUM}\s*(?:%|％|个百分点)|百分之{CN_NUM})"
               r"(以上|及以上|以下|及以下)?")
        for m in re.finditer(pat, c):
            if m.group(1) or m.group(3):
                number = re.sub(r"^百分之|\s*(?:%|％|个百分点)$", "", m.group(2))
                yield Found(field, op_zh(m.group(1), m.group(3)), parse_number(number), "%", m.group(2), m.start())


@rule
def ratio_en(c: str) -> Iterator[Found]:
    pats = [
        (rf"R&D\s+(?:expenses?|spending|intensity|investment)[^.;]{{0,30}}?({CMP_EN})\s+({NUM})\s*%", "rd_expense_ratio"),
        (rf"({CMP_EN})\s+({NUM})\s*%\s+of\s+(?:its\s+)?(?:annual\s+)?(?:revenue|sales)\s+(?:on|in|to)\s+R&D", "rd_expense_ratio"),
        (rf"(?:R&D|technical|research)\s+(?:staff|personnel|employees)[^.;]{{0,30}}?({CMP_EN})\s+({NUM})\s*%", "rd_staff_ratio"),
    ]
    for pat, field in pats:
        for m in re.finditer(pat, c, re.IGNORECASE):
            yield Found(field, op_en(m.group(1)), parse_number(m.group(2)), "%", m.group(2) + "%", m.start())
