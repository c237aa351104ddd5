"""Rule extractors for enterprise facts in Chinese and English text, each with its quoted span.

Groundwork for enterprise profiling (issue 5): money with units and currencies, founding dates,
headcounts, patents by type, certifications, region from addresses, the unified social credit
code (check digit validated), R&D ratios, funding rounds and risk signals.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date

from app.core.numbers import NUM, money, parse_number
from app.core.types import Fact

FactRule = Callable[[str], Iterator[Fact]]
FACT_RULES: list[FactRule] = []
_CURRENCY = {"rmb": "CNY", "cny": "CNY", "人民币": "CNY", "¥": "CNY", "usd": "USD", "us$": "USD", "$": "USD",
             "美元": "USD", "eur": "EUR", "€": "EUR", "欧元": "EUR", "hkd": "HKD", "港元": "HKD", "港币": "HKD"}
_MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"])}
MONEY_ZH = rf"({NUM})\s*(万元|萬元|亿元|億元|千元|元|万美元|亿美元|万港元)"
MONEY_EN = rf"(RMB|CNY|USD|US\$|\$|EUR|€|HKD|¥)\s?({NUM})\s*(million|billion|thousand|mn|bn|m|k|b)?\b"


def fact_rule(fn: FactRule) -> FactRule:
    FACT_RULES.append(fn)
    return fn


def parse_money_zh(num: str, unit: str) -> tuple[float, str]:
    """'1.2', '亿元' → (120000000.0, 'CNY'); '500', '万美元' → (5000000.0, 'USD')."""
    currency = "USD" if "美元" in unit else "HKD" if "港元" in unit else "CNY"
    base = unit.replace("美元", "元").replace("港元", "元")
    return money(num, base), currency


def parse_money_en(symbol: str, num: str, scale: str | None) -> tuple[float, str]:
    currency = _CURRENCY.get(symbol.lower(), "USD")
    return money(num, scale or ""), currency


def _fact(field: str, value: object, m: re.Match[str], unit: str = "", confidence: float = 0.9,
          as_of: str | None = None) -> Fact:
    return Fact(field=field, value=value, unit=unit, quote=m.group(0), span=m.span(), confidence=confidence,
                as_of=as_of)


_MONEY_SUBJECTS = [
    ("revenue", r"营业收入|營業收入|销售收入|主营业务收入|营收|revenue|net sales|sales|turnover"),
    ("rd_expense", r"研发费用|研發費用|研发投入|研究开发费用|R&D (?:expense|expenses|spending|investment)"),
    ("total_assets", r"资产总额|總資產|总资产|total assets"),
    ("funding_raised", r"累计(?:获得)?(?:股权)?融资|累計融資|融资总额|total(?:ly)? raised|raised a total of|total funding(?: raised)?(?: of| to date)?"),
    ("net_profit", r"(?<!归母)(?<!扣非)净利润|(?<!歸母)淨利潤|net (?:income|profit)(?! margin)"),
    ("net_profit.loss", r"净亏损|淨虧損|net loss(?:es)?"),  # a loss: the net profit, negative
]


# the earlier period a Chinese sentence goes on to name: "…5,320万元，较2022年的3,860万元增长37.8%"
_EARLIER_ZH = re.compile(rf"\s*[，,]?\s*(?:较|比|相比|相较于?)\s*(\d{{4}})\s*年度?(?:的|同期的)?\s*(?:新台币|台币|人民币|港币)?\s*{MONEY_ZH}")
_EARLIER = re.compile(rf"(?:(?:up|down)\s+)?(?:from|compared (?:with|to)|versus|vs\.?)\s+{MONEY_EN}"
                      r"\s+(?:in|for)\s+(?:fiscal\s+|FY\s*)?(\d{4})\b", re.IGNORECASE)


@fact_rule
def amounts(text: str) -> Iterator[Fact]:
    """'2023年实现营业收入1.208亿元', 'revenue of RMB 120.8 million in 2023', 'raised $4.5M'."""
    for field, subject in _MONEY_SUBJECTS:
        zh = rf"(?:(\d{{4}})\s*年(?:度)?[^。；\n\d]{{0,12}}?)?(?:{subject})[^。；\n\d]{{0,12}}?{MONEY_ZH}"
        for m in re.finditer(zh, text, re.IGNORECASE):
            value, currency = parse_money_zh(m.group(2), m.group(3))
            yield _signed(_fact(field, value, m, currency, as_of=m.group(1)))
            earlier = _EARLIER_ZH.match(text, m.end())
            if earlier is not None and m.group(1):  # (only beside a year of its own: "2023年…较2022年的…")
                value, currency = parse_money_zh(earlier.group(2), earlier.group(3))
                yield _signed(_fact(field, value, earlier, currency, as_of=earlier.group(1)))
        en = (rf"(?:{subject})(?:\s+(?:for|in)\s+(?:fiscal\s+|FY\s*)?(\d{{4}}))?[^.;\n\d$€¥]{{0,20}}?{MONEY_EN}"
              rf"(?:[^.;\n]{{0,12}}?\b(?:in|for|FY)\s*(\d{{4}}))?")
        for m in re.finditer(en, text, re.IGNORECASE):
            value, currency = parse_money_en(m.group(2), m.group(3), m.group(4))
            yield _signed(_fact(field, value, m, currency, as_of=m.group(1) or m.group(5)))
            # the earlier period the sentence goes on to name: "…was $4.5M, up from $2.8M in 2022"
            after = text[m.end():m.end() + 4]
            earlier = _EARLIER.match(text, m.end() + len(after) - len(after.lstrip(" ,")))
            if earlier is not None:
                value, currency = parse_money_en(earlier.group(1), earlier.group(2), earlier.group(3))
                yield _signed(_fact(field, value, earlier, currency, as_of=earlier.group(4)))


def _signed(fact: Fact) -> Fact:
    """A loss stated as a loss ("net loss was $4.2M", 净亏损300万元) is the net profit, negative."""
    if fact.field.endswith(".loss"):
        return replace(fact, field=fact.field.removesuffix(".loss"), value=-abs(float(fact.value)))  # type: ignore[arg-type]
    return fact


@fact_rule
def founding(text: str) -> Iterator[Fact]:
    zh = r"(?:成立|注册成立|註冊成立|创立|創立|设立|注册日期|成立日期|成立时间)(?:于|於|日期|时间)?[：:\s]*(\d{4})\s*[年\-/.]\s*(\d{1,2})?(?:\s*[月\-/.]\s*(\d{1,2}))?"
    for m in re.finditer(zh, text):
        yield _fact("founded_date", _iso(m.group(1), m.group(2), m.group(3)), m)
    before = r"(?:于|於)\s*(\d{4})\s*年\s*(?:(\d{1,2})\s*月)?\s*(?:(\d{1,2})\s*日)?[^。；\n]{0,16}?(?:注册成立|註冊成立|成立|创立|創立)"
    for m in re.finditer(before, text):
        yield _fact("founded_date", _iso(m.group(1), m.group(2), m.group(3)), m)
    # the place may come first ("incorporated in Delaware in March 2018"); the day before or after the month
    en = (r"(?:founded|incorporated|established|registered)(?:\s+(?:in|under the laws of)\s+(?:the\s+)?[A-Z][\w.'-]*(?:,?\s+[A-Z][\w.'-]*){0,3})?"
          r"\s+(?:in|on)\s+(?:(\d{1,2})\s+)?(January|February|March|April|May|June|July|August|September|October|November|December)?"
          r"\s*(?:(\d{1,2}),\s*)?(\d{4})")
    for m in re.finditer(en, text, re.IGNORECASE):
        month = _MONTHS.get((m.group(2) or "").lower())
        yield _fact("founded_date", _iso(m.group(4), str(month) if month else None, m.group(1) or m.group(3)), m)


def _iso(year: str, month: str | None, day: str | None) -> str:
    y, mo, d = int(year), int(month or 1), int(day or 1)
    return date(y, min(max(mo, 1), 12), min(max(d, 1), 28 if mo == 2 else 30)).isoformat()[: 10 if day else 7 if month else 4]


_HEADCOUNTS = [
    ("rd_staff", (r"研发人员|研發人員|科技人员|技术人员|R&D (?:staff|engineers|personnel|team of)|"
                  r"(?:engineers|researchers|scientists|people|staff|employees) (?:working |who work )?(?:on|in) "
                  r"(?:R&D|research)|of (?:them|whom)\s+(?:are\s+|work\s+|working\s+)?in\s+(?:engineering\s+(?:and|&)\s+)?"
                  r"(?:R&D|research(?: and development)?)")),
    ("social_insurance_headcount", r"社保(?:缴纳|參保|参保)?人数|参保人数|social insurance (?:headcount|contributors)"),
    ("employees", r"员工|職工|职工|在职员工|员工总数|从业人员|employees|staff|headcount"),
]


@fact_rule
def headcounts(text: str) -> Iterator[Fact]:
    for field, subject in _HEADCOUNTS:
        zh = rf"(?<!参保)(?<!社保)(?<!參保)(?:{subject})(?:总数|人数)?(?:为|為|共|达|約|约|：|:)?\s*({NUM})\s*(?:人|名)"
        for m in re.finditer(zh, text):
            yield _fact(field, parse_number(m.group(1)), m, "persons")
        en = rf"({NUM})\s+(?:are\s+|full-time\s+)?(?:{subject})\b|(?:{subject})\s+(?:of|:)\s*({NUM})\b"
        for m in re.finditer(en, text, re.IGNORECASE):
            yield _fact(field, parse_number(m.group(1) or m.group(2)), m, "persons")


_PATENTS = [("patents.invention", r"发明专利|發明專利|invention patents?"),
            ("patents.utility_model", r"实用新型(?:专利)?|(?<!实用)新型专利|utility models?(?: patents?)?"),  # (新型專利 in Taiwan)
            ("patents.design", r"外观设计(?:专利)?|design patents?"),
            ("patents.software_copyright", r"软件著作权|軟件著作權|软著|software copyrights?"),
            ("patents.ic_layout", (r"集成电路布图设计(?:专有权|登记)?|積體電路電路布局|布图设计(?:专有权)?|"
                                   r"(?:IC|integrated circuit) layout[- ]designs?(?: rights?| registrations?)?"))]


_UNTYPED = r"(?<!发明)(?<!發明)(?<!新型)(?<!设计)(?<!設計)(?<!外观)(?<!外觀)"  # 专利 not named by a kind
_ANY_PATENTS = [
    re.compile(rf"{_UNTYPED}(?:专利|專利)(?:授权|授權)?\s*(?:共|达|達|为|為|：|:)?\s*({NUM})\s*(?:项|項|件|个|個)"),
    re.compile(rf"({NUM})\s*(?:项|項|件|个|個)\s*(?:授权|授權|有效|已授权|已授權)?(?:专利|專利)(?!申请|申請)"),
    # (an office may stand between the count and the word: "3 granted US patents", "12 Chinese patents")
    re.compile(rf"\b({NUM})\s+(?:granted\s+|issued\s+|registered\s+|active\s+|valid\s+)?"
               r"(?:(?:US|U\.S\.|USPTO|Chinese|China|PRC|PCT|European|EU|EPO|Japanese|foreign|domestic|international)\s+)?patents?\b"
               r"(?!\s+(?:applications?|pending|filed))", re.IGNORECASE),
]
_PENDING = re.compile(r"(?:申请|申請|受理|pending|applied for|filed)(?:中|了)?\S{0,3}$", re.IGNORECASE)


@fact_rule
def patents(text: str) -> Iterator[Fact]:
    for field, words in _PATENTS:
        for m in re.finditer(rf"(?:{words})\s*(?:共|达|为|：|:)?\s*({NUM})\s*(?:项|項|件|个)", text, re.IGNORECASE):
            if _PENDING.search(text[max(0, m.start() - 6) : m.start()]):
                yield _fact(field.replace("patents.", "patents_pending."), parse_number(m.group(1)), m, "items")
                continue  # an application is not a granted patent
            yield _fact(field, parse_number(m.group(1)), m, "items")
        for m in re.finditer(rf"({NUM})\s+(?:registered\s+)?(?:{words})", text, re.IGNORECASE):
            yield _fact(field, parse_number(m.group(1)), m, "items")
    # a count of patents of no stated kind ("3 granted patents", "专利23项", "拥有15项授权专利"): the total
    for pattern in _ANY_PATENTS:
        for m in pattern.finditer(text):
            if _PENDING.search(text[max(0, m.start() - 6) : m.start()]):
                continue  # applications are not granted patents
            if re.fullmatch(r"(?:19|20)\d\d", m.group(1)):
                continue  # "its 2019 patents": a year
            yield _fact("patents.any", parse_number(m.group(1)), m, "items", confidence=0.8)
