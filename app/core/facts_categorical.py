"""Categorical enterprise facts: certifications, region, credit code, ratios, company name.

Funding rounds live in app/core/funding.py, credit and risk facts in app/core/facts_credit.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from app.core import facts_credit, funding  # noqa: F401  (their rules register on import)
from app.core.facts import FACT_RULES, MONEY_ZH, _fact, fact_rule
from app.core.jurisdiction import load_regions
from app.core.numbers import NUM, parse_number
from app.core.textnorm import to_simplified
from app.core.types import Fact
from app.core.uscc import find_codes

_CERTS = [
    ("专精特新小巨人", r"专精特新[“\"]?小巨人[”\"]?|小巨人企业|little giant"),
    ("专精特新中小企业", r"专精特新(?!\s*[“\"]?小巨人)(?:中小)?企业|專精特新(?:中小)?企業|specialised and innovative SME|specialized and innovative SME"),
    ("高新技术企业", r"高新技术企业|高新技術企業|high-tech enterprise|HNTE"),
    ("科技型中小企业", r"科技型中小企业|科技型中小企業|tech-based SME|technology-based SME"),
    # an ISO management-system standard by its number, "ISO <number>": the three common ones wherever named; any
    # other (13485 medical devices, 45001 safety, 22000 food …) where a certification is said of it ("通过ISO 13485
    # 医疗器械质量管理体系认证", "ISO 13485 certified"), not a standard merely cited ("dates in ISO 8601")
    ("ISO", (r"(?<![A-Za-z])ISO(?:/IEC)?\s?(9001|14001|27001)(?!\d)|"
             r"(?<![A-Za-z])ISO(?:/IEC)?\s?(\d{4,5})(?!\d)(?=[^。；;\n]{0,24}?(?:认证|認證|体系|體系|certif|accredit))")),
]
_NEGATED = re.compile(r"(?:未|尚未|没有|沒有|并非|不是|申请中|正在申请|拟申报)\S{0,6}$|"
                      r"\b(?:not|no longer|applying for)\b(?:\s+\w+){0,2}\s*$", re.IGNORECASE)


@fact_rule
def certifications(text: str) -> Iterator[Fact]:
    for label, words in _CERTS:
        for m in re.finditer(words, text, re.IGNORECASE):
            if _NEGATED.search(text[max(0, m.start() - 12) : m.start()]):
                continue
            yield _fact("certifications", f"ISO {m.group(1) or m.group(2)}" if label == "ISO" else label, m, confidence=0.8)


NAME_PLACE = "rule:name_place"  # a region read from a registered name: the profile's fallback (app/core/profile.py)


@fact_rule
def region(text: str) -> Iterator[Fact]:
    for m in re.finditer(r"在((?:[\u4e00-\u9fff]{2,8}?(?:省|市|区|區|县|縣|新区)){1,3})[^。；\n]{0,6}?(?:注册|註冊|成立)", text):
        path = load_regions().path_of(m.group(1))
        if path:
            yield _fact("region", ">".join(path), m, confidence=0.85)
    pattern = r"(?:注册地址|註冊地址|注册地|住所|地址|总部位于|總部位於|位于|位於|headquartered in|located in|based in|registered (?:office|address)[:：]?)\s*[:：]?\s*([^\n。；;]{2,60})"
    for m in re.finditer(pattern, text, re.IGNORECASE):
        path = load_regions().path_of(m.group(1))
        if path:
            yield _fact("region", ">".join(path), m, confidence=0.85)
    # a Chinese registered name starts with, or brackets, the place it is registered in (行政区划 + 字号 + 行业 + 组织形式:
    # "苏州蓝芯微电子有限公司", "蓝芯微电子（苏州）有限公司"): a province or city, read where no address says more
    for m in re.finditer(_COMPANY[0], text):
        name = m.group(1)
        inner = re.search(r"[（(]([\u4e00-\u9fff]{2,8})[）)]", name)
        place = next((path for k in range(2, 5) if len(path := load_regions().path_of(name[:k])) >= 2), ()) or \
            (load_regions().path_of(inner.group(1)) if inner else ())
        if len(place) >= 2:
            yield Fact(field="region", value=">".join(place), quote=name, span=m.span(1), confidence=0.6, method=NAME_PLACE)


@fact_rule
def credit_code(text: str) -> Iterator[Fact]:
    for code, offset, valid in find_codes(text):
        yield Fact(field="unified_social_credit_code", value=code, quote=code, span=(offset, offset + 18),
                   confidence=0.99 if valid else 0.1, method="rule" if valid else "rule:invalid_check_digit")


_RATIOS = [
    ("rd_expense_ratio", r"研发(?:费用|投入)[^。；\n]{0,12}?(?:占|佔)[^。；\n]{0,12}?(?:收入|营收)[^。；\n]{0,6}?(?:比例|比重)?(?:为|達|达)?|R&D (?:intensity|expense ratio|spending as a share of revenue)(?: of| was| is)?"),
    ("rd_staff_ratio", r"研发人员[^。；\n]{0,10}?(?:占|佔)[^。；\n]{0,10}?(?:总数|员工)[^。；\n]{0,6}?(?:比例|比重)?(?:为|達|达|超过)?"),
    ("revenue_growth", r"(?:营业收入|营收|收入)[^。；\n]{0,20}?同比增长|revenue grew(?: by)?|revenue growth of"),
]


@fact_rule
def ratios(text: str) -> Iterator[Fact]:
    for field, subject in _RATIOS:
        for m in re.finditer(rf"(?:{subject})\s*({NUM})\s*(%|％)", text, re.IGNORECASE):
            yield _fact(field, parse_number(m.group(1)), m, "%")


_COMPANY = [r"([\u4e00-\u9fff（）()]{2,30}?(?:股份)?有限(?:责任)?公司)",
            r"\b((?:[A-Z][\w&'-]*[ \t]){0,5}[A-Z][\w&'-]*,?[ \t](?:Co\.,? Ltd\.?|Inc\.|Ltd\.|LLC|Corp\.|Corporation|GmbH|Limited))"]


@fact_rule
def company_name(text: str) -> Iterator[Fact]:
    """The first company name a document states (a legal-form suffix makes it a name)."""
    for pattern in _COMPANY:
        m = re.search(pattern, text)
        if m:
            yield Fact(field="company_name", value=m.group(1).strip(), quote=m.group(0), span=m.span(1), confidence=0.6)


# the business licence's other items: its legal representative (法定代表人: a person's name) and registered capital
_LEGAL_REP = re.compile(r"(?:法定代表人|法人代表)(?:为|是|：|:)?\s*([\u4e00-\u9fff]{1,3}(?:·[\u4e00-\u9fff]{1,6})?)(?=[，,。；;、（(\s]|$)|"
                        r"\blegal representative(?: is|:|,)?\s+((?:Mr\.?|Ms\.?|Dr\.?)?\s*[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2})")
_REG_CAPITAL = re.compile(r"(?:注册资本|註冊資本|registered capital)(?:为|是|：|:|of)?\s*(?:人民币|RMB)?\s*", re.IGNORECASE)


@fact_rule
def legal_representative(text: str) -> Iterator[Fact]:
    for m in _LEGAL_REP.finditer(text):
        name = (m.group(1) or m.group(2) or "").strip()
        if name:
            yield Fact(field="legal_representative", value=name, quote=m.group(0), span=m.span(), confidence=0.85)


@fact_rule
def registered_capital(text: str) -> Iterator[Fact]:
    from app.core.facts_credit import _amount

    for m in _REG_CAPITAL.finditer(text):
        amount = _amount(text[m.end(): m.end() + 24])
        if amount is not None and amount[2] <= 20:  # the amount right after the label ("注册资本1,200万元人民币")
            end = m.end() + amount[2]
            yield Fact(field="registered_capital", value=amount[0], unit=amount[1], quote=text[m.start():end],
                       span=(m.start(), end), confidence=0.85)


def extract_facts(text: str) -> list[Fact]:
    """Every fact the rules find, in text order, one per (field, value, span).

    The rules are written in simplified Chinese and English. A text in traditional characters (a Taiwan or Hong
    Kong firm's plan: 員工62人, 專注於, 新台幣1億2,000萬元) is read in simplified form, character for character
    (`read_form`), so every span still points into the text as written, and each fact quotes the text as written;
    a name or sentence the fact holds (the business, an address) is given as written too."""
    form = read_form(text)
    seen: set[tuple[str, str, tuple[int, int] | None]] = set()
    out: list[Fact] = []
    for rule in FACT_RULES:
        for f in rule(form):
            key = (f.field, repr(f.value), f.span)
            if key not in seen:
                seen.add(key)
                out.append(_as_written(_in_currency(f, form), form, text) if form is not text else _in_currency(f, form))
    return sorted(out, key=lambda f: (f.span or (0, 0))[0])


# an amount in a currency other than the renminbi its 元 would otherwise mean: the currency named before it
_CURRENCY_WORDS = {"TWD": r"新台币|台币|NT\$|NTD|TWD", "HKD": r"港币|港元|HK\$|HKD"}
# an amount in 亿 and 万 at once ("1亿2,000万元"): rewritten as 亿 with the same length ("  1.2000亿元")
_YI_WAN = re.compile(r"(\d+)亿(\d{1,2},?\d{3}|\d{1,4})万")


def read_form(text: str) -> str:
    """The text as the rules read it: simplified characters, and an amount in 亿 and 万 at once written in 亿 —
    always of the same length as the text, so a span of the one is a span of the other (else the text as it is)."""
    simple = to_simplified(text)
    if len(simple) != len(text):
        return text

    def in_yi(m: re.Match[str]) -> str:
        wan = int(m.group(2).replace(",", ""))
        written = f"{m.group(1)}.{wan:04d}亿"
        return written.rjust(len(m.group(0))) if len(written) <= len(m.group(0)) else m.group(0)

    form = _YI_WAN.sub(in_yi, simple)
    return text if form == text else form


def _in_currency(f: Fact, form: str) -> Fact:
    """A renminbi amount whose 元 follows another currency's name ("新台币1.5亿元") in that currency."""
    if f.unit != "CNY" or f.span is None:
        return f
    start, end = f.span
    amount = re.search(MONEY_ZH, form[start:end])
    if amount is None:
        return f
    before = form[max(0, start + amount.start() - 8): start + amount.start()]
    currency = next((c for c, words in _CURRENCY_WORDS.items() if re.search(rf"(?:{words})\s*$", before, re.IGNORECASE)), None)
    if currency is None and re.match(r"\s*[，,]?\s*(?:较|比|相比|相较)", form[start:end]):
        # the earlier amount a sentence sets beside the one it states ("新台币1.2亿元，较2022年的8,000万元"): the same currency
        sentence = re.split(r"[。；;！!？?\n]", form[:start])[-1]
        named = [c for c, words in _CURRENCY_WORDS.items() if re.search(words, sentence, re.IGNORECASE)]
        currency = named[0] if len(named) == 1 else None
    if currency is None:
        return f
    value = {**f.value, "currency": currency} if isinstance(f.value, dict) and f.value.get("currency") == "CNY" else f.value
    return replace(f, unit=currency, value=value)


# facts whose value is the document's own words (not a label of a vocabulary): given as the document writes them
_WRITTEN_FIELDS = frozenset({"business", "address", "company_name", "legal_representative", "investors"})


def _as_written(f: Fact, form: str, text: str) -> Fact:
    """The fact with its quote, and a value that is a piece of the text, as the text writes them."""
    quote = f.quote
    if f.span is not None and form[f.span[0]: f.span[1]] == f.quote:
        quote = text[f.span[0]: f.span[1]]
    value = f.value
    if f.field in _WRITTEN_FIELDS and isinstance(value, str) and value and (at := form.find(value)) >= 0:
        value = text[at: at + len(value)]
    return replace(f, quote=quote, value=value)
