"""The clause grammar: one rule per way policies state a condition, Chinese and English.

A rule matches inside one clause and yields (field, op, value, unit, value_text). Comparison words
map to operators here, numbers and units are normalised in app/core/numbers.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from app.core.numbers import CN_NUM, NUM, money, parse_number

# numbers written as English words, compounds included ("forty-nine", "two hundred and fifty", "a hundred")
_EN_ONES = {w: i for i, w in enumerate(["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                                        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                                        "eighteen", "nineteen"], 1)}
_EN_TENS = {w: 10 * i for i, w in enumerate(["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], 2)}
_ONES = "|".join(sorted(_EN_ONES, key=len, reverse=True))
_TENS = rf"(?:{'|'.join(_EN_TENS)})(?:[-\s](?:{'|'.join(list(_EN_ONES)[:9])}))?"
_BELOW_100 = rf"(?:{_TENS}|{_ONES})"
EN_NUM = (rf"\b(?:(?:(?:{_ONES}|an?)[-\s]+hundred|hundred)(?:[-\s]+(?:and\s+)?{_BELOW_100})?|{_BELOW_100})"
          r"(?![-\w])")


def count(text: str) -> float:
    """A count as written: digits, Chinese numerals or English words ("forty-nine" → 49, "a hundred" → 100)."""
    words = [w for w in re.split(r"[-\s]+", text.strip().lower()) if w != "and"]
    if not words or not all(w in _EN_ONES or w in _EN_TENS or w in ("hundred", "a", "an") for w in words):
        return parse_number(text)
    total = 0
    for w in words:
        total = (total or 1) * 100 if w == "hundred" else total + _EN_ONES.get(w, 0) + _EN_TENS.get(w, 0) + (w in ("a", "an"))
    return float(total)


# comparison words -> operator; inclusive "（含）" turns < into <=
_MORE_ZH = "超过|高于|大于|多于|超出|超過|高於|大於|多於|逾"  # "員工人數逾200人": 逾 is more than
_LESS_ZH = "低于|少于|小于|低於|少於|小於"
# a negated comparison is its complement: "不得少于" is at least, "不逾" / "不得超出" at most
_NEG_ZH = "不得|不能|不应|不應|不可|不|未"
_CMP_ZH = [  # simplified and traditional forms
    (rf"(?:{_NEG_ZH})(?:{_LESS_ZH})|达到|達到|达|至少|最少|≥|>=|＞=|≧", ">="),  # signs, half and full width
    (rf"(?:{_NEG_ZH})(?:{_MORE_ZH})|最多|≤|<=|＜=|≦", "<="),
    (rf"{_MORE_ZH}|突破|>|＞", ">"),
    (rf"{_LESS_ZH}|不足|未满|未滿|不满|不滿|未达到|未達到|未达|未達|不到|<|＜", "<"),
]
CMP_ZH = "|".join(words for words, _ in _CMP_ZH)
# a negated comparison is its complement ("should not be more than" is "no more than")
_NOT = r"(?:(?:must|shall|should|may|does|do|can)\s+)?not\s+(?:to\s+)?(?:be\s+|have\s+)?"  # "not to exceed"
_CMP_EN = [
    (rf"greater than or equal to|more than or equal to|at least|no less than|no fewer than|{_NOT}(?:less|fewer|lower) than|{_NOT}below|a minimum of|minimum of|or more|or above|and above|or greater", ">="),
    (rf"less than or equal to|no more than|{_NOT}(?:more|greater|higher) than|{_NOT}(?:exceed|exceeded|exceeding|above|over)|at most|up to|a maximum of|maximum of|or fewer|or less|or below|and below", "<="),
    (r"more than|over|above|exceeding|exceeds?|greater than|in excess of", ">"),
    (r"fewer than|less than|under|below", "<"),
]
CMP_EN = "|".join(words for words, _ in _CMP_EN)
# between a subject and its comparison: a modal, then a copula ("研发投入强度须达到5%", "应当在20%以上")
MODAL_ZH = r"(?:原则上)?(?:须|需|应当|应|必须|要|均|都)?"
# a table flattened into a line puts a cell mark between a subject and its value ("研发人员占比 | ≥15%", "从业人员：≤300人")
CELL_ZH = r"(?:\s*[|｜:：]\s*|\s+)?"
LINK_ZH = rf"{CELL_ZH}{MODAL_ZH}\s*(?:为|在|是|的|保持在)?"
# "（含）" / "（不含）" (or "（含本数）") next to a bound: the bound is in, or out ("300人（不含）以下")
MARK_ZH = r"(?:[（(]不?含(?:本数)?[）)])"
_TAIL = {"以上": ">=", "及以上": ">=", "以下": "<=", "及以下": "<=", "以内": "<=", "以內": "<="}
CURRENCY = r"(?:RMB|CNY|USD|US\$|S\$|SGD|HK\$|HKD|GBP|£|A\$|AUD|C\$|CAD|NZ\$|NZD|\$|EUR|€|¥|人民币)"
MONEY_UNIT_ZH = r"(?:万元|萬元|亿元|億元|千元|元|(?:万|萬|亿|億)(?![元圓人名个件项家]))"  # "2000万" is 2000万元
MONEY_UNIT_EN = r"(?:million|billion|thousand|mn|bn|m|k)\b"


def op_zh(word: str | None, tail: str | None = None, inclusive: bool = False) -> str:
    """The operator of a comparison word or a tail; a mark in the tail ("（含）以上", "（不含）以下",
    "以下（不含）") says whether the bound itself is in."""
    marks = "".join(re.findall(r"不?含", tail or ""))
    tail = re.sub(MARK_ZH, "", tail or "")
    op = next((o for words, o in _CMP_ZH if word and re.fullmatch(words, word)), None)
    op = op or _TAIL.get(tail, ">=")
    if "不含" in marks:
        return op.rstrip("=") if op in ("<=", ">=") else op
    if (inclusive or marks) and op in ("<", ">"):
        op += "="
    return op


def op_en(word: str | None) -> str:
    word = re.sub(r"\s+", " ", word or "").lower()
    return next((o for words, o in _CMP_EN if word and re.fullmatch(words, word)), ">=")


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


def years_of(num: str, unit: str) -> float:
    n = count(num)
    return round(n / 12, 4) if unit in ("个月", "個月", "month", "months") else n


# "已经营业务最少一年": years in business stated by the operating verb
_OPERATING_ZH = r"(?:已)?(?:经营业务|經營業務|经营|經營)"


_SINCE_ZH = r"(?:注册成立|成立|设立|登记注册|注册|登记|经营业务|经营|营运|运营)"
# between the verb and the age: a word for the span, or a second tie ("注册并纳税满1年"), never a
# noun of its own ("实际经营期不足十二个月" is a tax period, not the firm's age)
_SINCE_GAP = rf"(?:时间|期限|年限|(?:并|且|及)?(?:纳税|登记|注册|成立|运营|经营))?(?:之日起|之日|以来)?(?:时间)?{CELL_ZH}{MODAL_ZH}在?"
_MAN = ("满", "已满")


def second_bound(c: str, end: int, unit: str, compared: bool) -> tuple[str, str, str, int] | None:
    """(op, number, unit, start) of a second bound right after a first one on the same subject:
    "2000万元以上、5亿元以下", "1年以上5年以下", "超过500万元但不超过5000万元"."""
    # the currency named again before the second amount ("新台币三千万元以上、未达新台币一亿元")
    m = re.match(rf"\s*(?:[、，,]\s*)?(?:但|且|并|而)?\s*({CMP_ZH})?\s*{CURRENCY_WORD}\s*({NUM})\s*({unit})"
                 rf"({MARK_ZH}?(?:以上|以下|及以上|及以下|以内){MARK_ZH}?)?", c[end:])
    if not m or not compared or not (m.group(1) or m.group(4)):
        return None
    return op_zh(m.group(1), m.group(4)), m.group(2), m.group(3), end + m.start(2)


# "具有2年以上连续经营记录", "有3年以上的实际经营历史": a record of operating for a span
_RECORD_ZH = (rf"(?:具有|具备|拥有|有)\s*({CMP_ZH})?\s*({NUM})\s*(年|个月)({MARK_ZH}?(?:以上|及以上){MARK_ZH}?)?(?:的)?"
              r"(?:连续|持续|实际|正常)?(?:生产)?(?:经营|营业|运营)(?:记录|历史)")


@rule
def founding_record_zh(c: str) -> Iterator[Found]:
    for m in re.finditer(_RECORD_ZH, c):
        if m.group(1) or m.group(4):
            yield Found("years_since_founding", op_zh(m.group(1), m.group(4)), years_of(m.group(2), m.group(3)), "years",
                        m.group(2) + m.group(3), m.start())


@rule
def founding_zh(c: str) -> Iterator[Found]:
    """"注册成立一年以上", "设立登记满一年", "经营期限满两年以上", "在本区注册并纳税满1年", "成立未满5年"."""
    pat = (rf"(?:已)?{_SINCE_ZH}({_SINCE_GAP})(?:(已满|满|{CMP_ZH}))?({NUM})\s*(周年|年|个月)"
           rf"({MARK_ZH}?(?:以上|及以上|以下|以内){MARK_ZH}?)?")
    for m in re.finditer(pat, c):
        gap, word, tail = m.group(1), m.group(2), m.group(5)
        if gap.strip("时间在") and not (word or tail) or re.fullmatch(r"(?:19|20)\d\d", m.group(3)):
            continue  # "注册地在本区近3年": the years belong to something else; "2018年1月1日以后" is a date
        op = ">=" if word in _MAN else op_zh(word, tail)
        yield Found("years_since_founding", op, years_of(m.group(3), m.group(4)), "years",
                    m.group(3) + m.group(4), m.start())
        if other := second_bound(c, m.end(), r"年|个月", bool(word or tail)):  # "成立时间在2年以上、10年以下"
            op2, num, unit, at = other
            yield Found("years_since_founding", op2, years_of(num, unit), "years", num + unit, at)


# a social-insurance headcount ("参保职工人数") or a qualified part of the staff ("硕士以上学历员工") is another field
STAFF_ZH = (r"(?:从业人员|从业人数|在职人员|(?<!参保)(?<!社保)(?<!学历)(?<!以上)(?:在职|经常雇用)?(?:职工|员工|雇员|用工)"
             r"(?:总数|人数|总人数|平均人数|数量|规模|数)?)")
_TAIL_ZH = rf"({MARK_ZH}?(?:以上|以下|及以上|及以下|以内){MARK_ZH}?)"


@rule
def headcount_zh(c: str) -> Iterator[Found]:
    """"职工总数不超过500人", "从业人员300人以上、1000人以下" (a second bound on the same subject)."""
    pat = (rf"(?:{STAFF_ZH}|(?:聘用|雇用|招用)(?={CMP_ZH})){CELL_ZH}{MODAL_ZH}(?:在|达到|达|为)?\s*({CMP_ZH})?\s*({NUM})\s*(人|名)"
           rf"{_TAIL_ZH}?")
    for m in re.finditer(pat, c):
        yield Found("employees", op_zh(m.group(1), m.group(4)), parse_number(m.group(2)), "persons",
                    m.group(2) + m.group(3), m.start())
        if other := second_bound(c, m.end(), r"人|名", bool(m.group(1) or m.group(4))):
            op2, num, unit, at = other
            yield Found("employees", op2, parse_number(num), "persons", num + unit, at)


_STAFF_EN = r"(?:full-time\s+(?:equivalent\s+)?)?(?:employees?|staff|workers|people|persons|individuals|FTEs?)\b"


@rule
def headcount_en(c: str) -> Iterator[Found]:
    pat = rf"(?:({CMP_EN})\s+)?({NUM}|{EN_NUM})\s+(?:({CMP_EN})\s+)?{_STAFF_EN}"  # "a minimum of two full-time employees"
    for m in re.finditer(pat, c, re.IGNORECASE):
        word = m.group(1) or m.group(3)
        if word and not re.search(r"\bby\s+$", c[: m.start()], re.IGNORECASE):  # "owned by one or more individuals": owners
            yield Found("employees", op_en(word), count(m.group(2)), "persons", m.group(2), m.start())
            # "at least five employees and no more than 100": a second bound on the count, its noun left out
            if m.group(1) and (other := re.match(rf"\s+(?:and|but)\s+({CMP_EN})\s+({NUM}|{EN_NUM})(?!\s*[%$£€\w])",
                                                  c[m.end():], re.IGNORECASE)):
                yield Found("employees", op_en(other.group(1)), count(other.group(2)), "persons", other.group(2),
                            m.end() + other.start(2))
    # "50 employees or fewer": the comparison after the noun
    # ("500 employees and less than $7.5 million" is a second condition, not a comparison on the count)
    for m in re.finditer(rf"(?<![\d,.])({NUM}|{EN_NUM})\s+{_STAFF_EN}\s+((?:or|and)\s+(?:fewer|less|more|above|below|greater))\b(?!\s+than)", c,
                         re.IGNORECASE):
        yield Found("employees", op_en(m.group(2)), count(m.group(1)), "persons", m.group(1), m.start())
    # "a staff of no more than 20", "a headcount under 100": the count after the noun
    after = rf"\b(?:staff|workforce|headcount|employees|employment(?:\s+size)?|(?:employee|staff)\s+(?:count|numbers?)|number\s+of\s+employees)(?:\s*:)?\s+(?:of\s+|(?:must|should|shall|will|is|are)\s+(?:be\s+)?)?({CMP_EN})\s+({NUM}|{EN_NUM})\b(?!\s*(?:%|million|m\b|k\b))"
    for m in re.finditer(after, c, re.IGNORECASE):
        yield Found("employees", op_en(m.group(1)), count(m.group(2)), "persons", m.group(2), m.start())
    # "between 10 and 249 people", "at least 10 but no more than 500 employees"
    between = rf"(?:between|({CMP_EN}))\s+({NUM}|{EN_NUM})\s+(?:and|but)\s+(?:({CMP_EN})\s+)?({NUM}|{EN_NUM})\s+{_STAFF_EN}"
    # "10-250 employees", "5 to 49 staff": a band written with a dash or "to"
    for m in re.finditer(rf"(?<![\d,.$€£])({NUM})\s*(?:-|–|—|to)\s*({NUM})\s+{_STAFF_EN}", c, re.IGNORECASE):
        yield Found("employees", ">=", count(m.group(1)), "persons", m.group(1), m.start())
        yield Found("employees", "<=", count(m.group(2)), "persons", m.group(2), m.start(2))
    for m in re.finditer(between, c, re.IGNORECASE):
        if bool(m.group(1)) != bool(m.group(3)):
            continue  # "between" takes no comparisons; two comparisons take both
        low, high = (op_en(m.group(1)), op_en(m.group(3))) if m.group(1) else (">=", "<=")
        yield Found("employees", low, count(m.group(2)), "persons", m.group(2), m.start())
        yield Found("employees", high, count(m.group(4)), "persons", m.group(4), m.start())


# each field as policies name it (simplified: a clause is read in its simplified form)
MONEY_FIELDS_ZH = [
    (r"(?:(?:主营业务|营业|销售|经营)总?收入(?:总额)?|营业额|销售额|营收|年收入)", "revenue"),
    (r"(?:资产总额|总资产|资产总计)", "total_assets"),
    (r"(?:研究开发|研发|R&D|R＆D)(?:(?:费用|投入|经费)(?:支出)?|支出)(?:总额)?", "rd_expense"),  # "研发支出", "R&D投入"
]
# a currency named before the amount ("须在港币5,000万元以下"); otherwise 元 is CNY
_CURRENCY_ZH = {"港币": "HKD", "港元": "HKD", "新台币": "TWD", "台币": "TWD", "美元": "USD", "欧元": "EUR",
                "澳门元": "MOP", "人民币": "CNY", "RMB": "CNY"}


CURRENCY_WORD = rf"(?:{'|'.join(_CURRENCY_ZH)})?"  # "未超过新台币一亿元": the currency between comparison and amount


def currency_zh(gap: str) -> str:
    return next((code for word, code in _CURRENCY_ZH.items() if word in gap), "CNY")


@rule
def money_zh(c: str) -> Iterator[Found]:
    for subject, field in MONEY_FIELDS_ZH:
        # the currency after the scale too ("1亿港元", "500万美元")
        pat = (rf"{subject}([^，。；,;%％\d]{{0,10}}?)({CMP_ZH})?\s*{CURRENCY_WORD}\s*({NUM})\s*({MONEY_UNIT_ZH}){CURRENCY_WORD}({MARK_ZH})?"
               rf"((?:以上|以下|及以上|及以下){MARK_ZH}?)?(?!\s*{MARK_ZH}?\s*(?:至|到|-|~|—))")
        for m in re.finditer(pat, c):
            if "占" in m.group(0) or "的" in m.group(1):
                continue  # a ratio, or another amount ("研发投入的10%给予补助")
            if not (m.group(2) or m.group(6)):
                continue  # "营业收入跨越1亿元台阶": an amount with no comparison states no bound
            op = op_zh(m.group(2), (m.group(5) or "") + (m.group(6) or ""))
            currency = currency_zh(m.group(0))
            yield Found(field, op, money(m.group(3), m.group(4)), currency, m.group(3) + m.group(4), m.start())
            if other := second_bound(c, m.end(), MONEY_UNIT_ZH, bool(m.group(2) or m.group(6))):
                op2, num, unit, at = other  # "2000万元以上、5亿元以下", "超过500万元但不超过5000万元"
                yield Found(field, op2, money(num, unit), currency, num + unit, at)


_RATIO_ZH = [
    ((r"(?:研究开发费用|研发费用|研发投入|研发经费|研发支出|R&D投入|R&D费用|R&D经费)[^。；]{0,30}?占[^。；]{0,20}?"
     r"(?:收入|营收|营业额|销售额)[^。；]{0,12}?(?:比例|比重)?"), "rd_expense_ratio"),
    (r"(?:研究开发|研发)(?:投入|经费|费用)?强度(?:[（(][^）)]{0,30}[）)])?", "rd_expense_ratio"),  # intensity is the ratio
    (r"(?:研究开发|研发|R&D)(?:投入|经费|费用|支出)(?:总额)?占比", "rd_expense_ratio"),  # "研发费用占比": its share of revenue
    (r"(?:研究开发|研发|科技)人员(?:数量|人数|数)?(?:占比|比例|比重)", "rd_staff_ratio"),  # "研发人员占比": its share of staff
    ((r"(?:科技人员|科技人員|研发人员|研發人員|研究开发人员|技术人员|研发人力)[^。；]{0,16}?(?:占|佔)[^。；]{0,16}?"
     r"(?:职工|職工|员工|員工|从业人员|從業人員)[^。；]{0,6}?(?:比例|比重)?"), "rd_staff_ratio"),
    (r"高新技术产品(?:[（(]服务[)）])?收入[^。；]{0,12}?占[^。；]{0,16}?(?:比例|比重)?", "hightech_revenue_ratio"),
    (r"境内[^。；]{0,16}?研究开发费用[^。；]{0,16}?(?:占|佔)[^。；]{0,20}?(?:比例|比重)?", "rd_domestic_ratio"),
]


@rule
def ratio_zh(c: str) -> Iterator[Found]:
    for subject, field in _RATIO_ZH:
        # "不低于10%", "在20%以上", "達百分之三以上": a comparison word, a tail, or both
        pat = (rf"{subject}\s*{LINK_ZH}({CMP_ZH})?\s*({NUM}\s*(?:%|％|个百分点)|百分之{CN_NUM})"
               rf"({MARK_ZH}?(?:以上|及以上|以下|及以下){MARK_ZH}?)?")
        for m in re.finditer(pat, c):
            if m.group(1) or m.group(3):
                number = re.sub(r"^百分之|\s*(?:%|％|个百分点)$", "", m.group(2))
                yield Found(field, op_zh(m.group(1), m.group(3)), parse_number(number), "%", m.group(2), m.start())


_SHARE_OF_ZH = [
    (r"(?:研究开发|研发)(?:费用|投入|经费)(?:支出|总额)?", r"(?:(?:营业|销售|主营业务)?收入|营收)(?:总额)?", "rd_expense_ratio"),
    # 研发人力 is the Taiwan word for R&D staff
    (r"(?:研究开发|研发|科技)(?:人员|人力)(?:数量|人数)?(?:比例|比重|占比)?", r"(?:职工|员工|从业人员)(?:总数|总人数|人数)?",
     "rd_staff_ratio"),
]


@rule
def ratio_of_zh(c: str) -> Iterator[Found]:
    """"研发投入不少于年销售收入的3%", "研发人员不少于职工总数的10%", "研发人力须达员工总人数百分之十五以上": a part
    compared with a share of its whole."""
    for part, whole, field in _SHARE_OF_ZH:
        pat = (rf"{part}\s*{MODAL_ZH}\s*({CMP_ZH})\s*[^，。；,;\d]{{0,6}}?{whole}的?\s*({NUM}\s*(?:%|％)|百分之{CN_NUM})"
               rf"({MARK_ZH}?(?:以上|及以上){MARK_ZH}?)?")
        for m in re.finditer(pat, c):
            number = re.sub(r"^百分之|\s*(?:%|％)$", "", m.group(2))
            yield Found(field, op_zh(m.group(1), m.group(3)), parse_number(number), "%", m.group(2), m.start())


_WORKFORCE_EN = r"(?:staff|employees|workforce|personnel|headcount)\b"
_SHARE_OF_COSTS = re.compile(r"\s+of\s+(?:the\s+|its\s+|their\s+)?(?:(?:total|eligible|qualifying|project|approved)\s+)*"
                             r"(?:R&D\s+)?(?:costs?|expenditures?|expenses?|budget)\b", re.IGNORECASE)
_RD_EN = r"(?:R&D|research(?:\s+and\s+development)?)"
_PCT_EN = r"\s*(?:%|per\s*cent\b|percent\b)"


@rule
def ratio_en(c: str) -> Iterator[Found]:
    pats = [
        ((rf"{_RD_EN}\s+(?:expenses?|expenditures?|spend(?:ing)?|intensity|investment|costs?)"
          rf"[^.;]{{0,30}}?({CMP_EN})\s+({NUM})\s*(?:%|per\s*cent\b|percent\b)"), "rd_expense_ratio"),
        ((rf"({CMP_EN})\s+({NUM}){_PCT_EN}\s+of\s+(?:its\s+|their\s+|the\s+)?(?:annual\s+)?(?:revenues?|sales|turnover)\s+"
          rf"(?:(?:must|should|shall)\s+be\s+|is\s+)?(?:spent\s+|invested\s+)?(?:on|in|to)\s+{_RD_EN}"), "rd_expense_ratio"),
        # "at least 15% R&D intensity": the share before what it measures
        (rf"({CMP_EN})\s+({NUM}){_PCT_EN}\s+(?:R&D|research(?:\s+and\s+development)?)\s+(?:intensity|spend(?:ing)?|expenditure)",
         "rd_expense_ratio"),
        (rf"(?:R&D|technical|research)\s+(?:staff|personnel|employees|headcount|workforce|team)[^.;]{{0,30}}?({CMP_EN})\s+({NUM})\s*(?:%|per\s*cent\b|percent\b)",
         "rd_staff_ratio"),
        # "at least 30% of its staff engaged in R&D": the share first, then whose work it is
        (rf"({CMP_EN})\s+({NUM}){_PCT_EN}\s+of\s+(?:its\s+|their\s+|the\s+)?{_WORKFORCE_EN}[^.;]{{0,30}}?\b{_RD_EN}",
         "rd_staff_ratio"),
    ]
    for pat, field in pats:
        for m in re.finditer(pat, c, re.IGNORECASE):
            if field == "rd_expense_ratio" and _SHARE_OF_COSTS.match(c[m.end():]):
                continue  # "R&D costs are reimbursed at up to 50% of eligible costs": a funding rate, not an intensity
            sign = re.match(r"\s*(?:%|per\s*cent|percent)", c[m.end(2):], re.IGNORECASE)  # "3%", "3 per cent"
            yield Found(field, op_en(m.group(1)), parse_number(m.group(2)), "%", m.group(2) + (sign.group(0) if sign else ""),
                        m.start())
