"""What kind of document a cover announces: annual, quarterly or current report, earnings release,
business plan, financial statement, policy, contract — read from the first pages' own words.

Doc types are stable names (`annual_report`, ...); a filter or a question may also use the form
("10-K") or a plain word ("annual", "年报"), which `doc_type_named` maps to the same name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

DOC_TYPES = ("annual_report", "quarterly_report", "current_report", "earnings_release", "business_plan",
             "financial_statement", "policy", "contract")


@dataclass(frozen=True)
class Cue:
    doc_type: str
    form: str
    pattern: re.Pattern[str]
    confidence: float
    head: int = 3000  # how far into each cover page the cue may be (a form name stands at the top of page one)


# first match wins, in this order: a filing's form outranks the words of an exhibit it carries
_CUES = (
    Cue("annual_report", "10-K", re.compile(r"\bFORM\s+10-K\b|ANNUAL\s+REPORT\s+PURSUANT\s+TO\s+SECTION", re.IGNORECASE), 0.95, 1200),
    Cue("quarterly_report", "10-Q", re.compile(r"\bFORM\s+10-Q\b|QUARTERLY\s+REPORT\s+PURSUANT\s+TO\s+SECTION", re.IGNORECASE), 0.95, 1200),
    Cue("current_report", "8-K", re.compile(r"\bFORM\s+8-K\b|\bCURRENT\s+REPORT\s+PURSUANT", re.IGNORECASE), 0.95, 1200),
    Cue("annual_report", "20-F", re.compile(r"\bFORM\s+20-F\b", re.IGNORECASE), 0.95, 1200),
    Cue("quarterly_report", "", re.compile(r"(?:19|20)\d\d\s*年\s*(?:第\s*[一二三四1-4]\s*季度报告|半年度报告|中期报告)"), 0.9),
    Cue("annual_report", "", re.compile(r"(?:19|20)\d\d\s*年\s*(?:年度报告|年报)|\bannual\s+report\b", re.IGNORECASE), 0.85),
    Cue("earnings_release", "", re.compile(
        r"\b(?:reports?|announces?|posts?|delivers?)\b[^.]{0,80}\bresults\b|\bfinancial\s+results\s+for\s+the\s+"
        r"(?:quarter|year|fiscal)|业绩快报|业绩公告|业绩预告", re.IGNORECASE), 0.8),
    Cue("business_plan", "", re.compile(r"商业计划书|\bbusiness\s+plan\b|融资计划书", re.IGNORECASE), 0.85),
    Cue("financial_statement", "", re.compile(
        r"资产负债表|利润表|现金流量表|财务报表|审计报告|\b(?:balance\s+sheets?|income\s+statements?|"
        r"statements?\s+of\s+(?:financial\s+position|operations|cash\s+flows))\b", re.IGNORECASE), 0.7),
    Cue("contract", "", re.compile(r"合同|协议书|\b(?:agreement|contract)\b\s*$", re.IGNORECASE | re.MULTILINE), 0.7),
    Cue("policy", "", re.compile(r"(?:管理|实施|暂行)?办法|实施细则|通知|指引|政策|\b(?:policy|guidelines?|regulations?|notice)\b",
                                 re.IGNORECASE), 0.6),
)


@dataclass(frozen=True)
class DocKind:
    doc_type: str
    form: str
    page: int
    quote: str
    span: tuple[int, int]
    confidence: float


def doc_type_of(cover: Sequence[tuple[int, str]]) -> DocKind | None:
    """The first cue found on the cover pages (in cue order, then page order)."""
    for cue in _CUES:
        for page, text in cover[:2] if cue.head < 3000 else cover:
            m = cue.pattern.search(text[: cue.head])
            if m:
                return DocKind(cue.doc_type, cue.form, page, m.group(0)[:120], m.span(), cue.confidence)
    return None


_NAMED_TYPES = {
    "annual_report": re.compile(r"\b10-?K\b|\b20-?F\b|\bannual\s+(?:report|filing)\b|年报|年度报告", re.IGNORECASE),
    "quarterly_report": re.compile(r"\b10-?Q\b|\bquarterly\s+(?:report|filing)\b|季报|季度报告|半年报|半年度报告", re.IGNORECASE),
    "current_report": re.compile(r"\b8-?K\b|\bcurrent\s+report\b", re.IGNORECASE),
    "earnings_release": re.compile(r"\b(?:earnings|press)\s+release\b|业绩快报|业绩公告", re.IGNORECASE),
    "business_plan": re.compile(r"\bbusiness\s+plan\b|商业计划书", re.IGNORECASE),
    "financial_statement": re.compile(r"\bfinancial\s+statements?\b|财务报表", re.IGNORECASE),
    "policy": re.compile(r"\bpolicy\b|政策", re.IGNORECASE),
    "contract": re.compile(r"\bcontract\b|合同", re.IGNORECASE),
}


def doc_type_named(text: str) -> str | None:
    """A doc type given by name, form or plain word ("10-K", "annual report", "季报"), or None."""
    if text.strip() in DOC_TYPES:
        return text.strip()
    return next((t for t, pattern in _NAMED_TYPES.items() if pattern.search(text)), None)
