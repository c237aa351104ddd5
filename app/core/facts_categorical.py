"""Categorical enterprise facts: certifications, region, credit code, ratios, company name.

Funding rounds live in app/core/funding.py, credit and risk facts in app/core/facts_credit.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from app.core import facts_credit, funding  # noqa: F401  (their rules register on import)
from app.core.facts import FACT_RULES, _fact, fact_rule
from app.core.jurisdiction import load_regions
from app.core.numbers import NUM, parse_number
from app.core.types import Fact
from app.core.uscc import find_codes

_CERTS = [
    ("专精特新小巨人", r"专精特新[“\"]?小巨人[”\"]?|小巨人企业|little giant"),
    ("专精特新中小企业", r"专精特新(?!\s*[“\"]?小巨人)(?:中小)?企业|專精特新(?:中小)?企業|specialised and innovative SME|specialized and innovative SME"),
    ("高新技术企业", r"高新技术企业|高新技術企業|high-tech enterprise|HNTE"),
    ("科技型中小企业", r"科技型中小企业|科技型中小企業|tech-based SME|technology-based SME"),
    ("ISO 9001", r"ISO\s?9001"), ("ISO 27001", r"ISO(?:/IEC)?\s?27001"), ("ISO 14001", r"ISO\s?14001"),
]
_NEGATED = re.compile(r"(?:未|尚未|没有|沒有|并非|不是|申请中|正在申请|拟申报)\S{0,6}$|"
                      r"\b(?:not|no longer|applying for)\b(?:\s+\w+){0,2}\s*$", re.IGNORECASE)


@fact_rule
def certifications(text: str) -> Iterator[Fact]:
    for label, words in _CERTS:
        for m in re.finditer(words, text, re.IGNORECASE):
            if _NEGATED.search(text[max(0, m.start() - 12) : m.start()]):
                continue
            yield _fact("certifications", label, m, confidence=0.8)


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
            r"\b((?:[A-Z][\w&'-]*[ \t]){1,6}(?:Co\.,? Ltd\.?|Inc\.|Ltd\.|LLC|Corp\.|Corporation|GmbH|Limited))"]


@fact_rule
def company_name(text: str) -> Iterator[Fact]:
    """The first company name a document states (a legal-form suffix makes it a name)."""
    for pattern in _COMPANY:
        m = re.search(pattern, text)
        if m:
            yield Fact(field="company_name", value=m.group(1).strip(), quote=m.group(0), span=m.span(1), confidence=0.6)


def extract_facts(text: str) -> list[Fact]:
    """Every fact the rules find, in text order, one per (field, value, span)."""
    seen: set[tuple[str, str, tuple[int, int] | None]] = set()
    out: list[Fact] = []
    for rule in FACT_RULES:
        for f in rule(text):
            key = (f.field, repr(f.value), f.span)
            if key not in seen:
                seen.add(key)
                out.append(f)
    return sorted(out, key=lambda f: (f.span or (0, 0))[0])
