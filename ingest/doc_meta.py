"""Document metadata read at ingest: who the document is about, what kind of document it is, which
period it covers and its date — from the cover, title page and first statements, never the file name.

Every value is a fact with provenance (page, quoted span). The flat values go on `Document.meta`
(`company`, `aliases`, `ticker`, `ein`, `uscc`, `name_zh`, `name_en`, `doc_type`, `form`, `periods`,
`period`, `period_end`, `date`); the facts as JSON under `facts`.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date

from app.core.doc_types import doc_type_of
from app.core.entity_names import core
from app.core.page_rank import statement_titles
from app.core.periods import EN_DATE, ZH_DATE, fiscal_year_of, parse_date, periods_in_question, quarter_of
from app.core.uscc import find_codes

COVER_PAGES = 3
COVER_CHARS = 6000
STATEMENT_HEAD = 600  # characters of a statement page holding its title and column header
_REGISTRANT = re.compile(r"\(?\s*exact\s+name\s+of\s+(?:the\s+)?registrant", re.IGNORECASE)
_LEGAL = r"(?:Inc\.?|Incorporated|Corporation|Corp\.?|Company|Co\.|plc|PLC|Ltd\.?|Limited|LLC|N\.V\.|S\.A\.|AG|SE|Group|Holdings)"
_NAMED = re.compile(r"((?:The\s+)?[A-Z0-9][\w.&'’\-]*(?:,?\s+[A-Z0-9&][\w.&'’\-]*){0,6}?,?\s+" + _LEGAL + r")"
                    r"\s*\((?:the\s+)?[“\"]?(?:Company|Registrant|we|our)", re.MULTILINE)
_LISTED = re.compile(r"([A-Z][\w.&'’\-]*(?:,?\s+[A-Z&][\w.&'’\-]*){0,6}?)\s*\((?:NYSE|NASDAQ|Nasdaq|NYSE American|LSE|ASX|HKEX|SSE|SZSE)\s*:\s*([A-Z][A-Z.]{0,5})\)")
_ANNOUNCES = re.compile(r"^\s*([A-Z][\w.&'’\-]*(?:\s+[A-Z&][\w.&'’\-]*){0,4}?)\s+(?:Reports|Announces|Posts|Delivers|reports|announces)\b", re.MULTILINE)
_NOT_NAME = re.compile(r"\b(?:commission|file|number|registrant|transition|pursuant|securities|exchange\s+act|"
                       r"(?:19|20)\d\d)\b|\(|\d{3}-\d", re.IGNORECASE)
_LINE_NAME = re.compile(r"^\s*((?:THE\s+)?[A-Z0-9][A-Z0-9.,&'\-]*(?:\s+[A-Z0-9.,&'\-]+){0,5}\s+(?:COMPANY|INC\.?|CORPORATION|"
                        r"INCORPORATED|CORP\.?|PLC|LIMITED|LTD\.?|CO\.))\s*$", re.MULTILINE)
_LEGAL_NAME = re.compile(r"((?:The\s+)?[A-Z][\w.&'\-]*(?:\s+[A-Z][\w.&'\-]*){0,4},?\s+(?:Inc\.|Company|Corporation|plc|Incorporated))\b")
_SHORT = re.compile(r"\(\s*[“\"]([A-Z][\w.&'’\- ]{1,40})[”\"]\s*(?:,|or|and)", re.MULTILINE)
_TICKER_ROW = re.compile(r"Common\s+Stock[^\n]{0,80}?\b((?-i:[A-Z]{1,5}(?:\.[A-Z])?))\s+(?:The\s+)?(?:New\s+York\s+Stock|NYSE|Nasdaq|NASDAQ)", re.IGNORECASE)
_EIN = re.compile(r"\b(\d{2}-\d{7})\b")
_FY_END = re.compile(r"(?:fiscal\s+year|year)\s+ended\s*:?\s*" + EN_DATE.pattern, re.IGNORECASE)
_Q_END = re.compile(r"quarterly\s+period\s+ended\s*:?\s*" + EN_DATE.pattern, re.IGNORECASE)
_EVENT = re.compile(r"date\s+of\s+(?:report|earliest\s+event)[^:]{0,60}:\s*" + EN_DATE.pattern, re.IGNORECASE)
_FISCAL_MENTION = re.compile(r"\bfiscal\s+(?:year\s+)?((?:19|20)\d\d)\b", re.IGNORECASE)
_PERIOD_ENDED = re.compile(r"(quarter|three\s+months|year|twelve\s+months|(?:13|14|thirteen|fourteen|52|53|fifty-two|fifty-three)-week\s+period)"
                           r"\s+(?:and\s+(?:full\s+)?(year|quarter)\s+)?ended\s+" + EN_DATE.pattern, re.IGNORECASE)
# a retail calendar's periods by their weeks: a quarter of 13 (or 14), a year of 52 (or 53); a quarter is
# labelled by the calendar quarter it ends in, as a 10-Q cover's "quarterly period ended" is (routing reads
# a fiscal quarter asked through the company's own fiscal year)
_WEEKS_YEAR = re.compile(r"(?:52|53|fifty-two|fifty-three)-week", re.IGNORECASE)
_WEEKS_QUARTER = re.compile(r"(?:13|14|thirteen|fourteen)-week", re.IGNORECASE)
_ZH_NAME = re.compile(r"(?:公司(?:中文)?(?:名称|全称)|企业名称|名称)\s*[:：]\s*([\u4e00-\u9fff（）()]{4,40}?(?:有限公司|有限责任公司|集团))")
_ZH_LINE_NAME = re.compile(r"^\s*([\u4e00-\u9fff（）()]{2,40}?(?:股份有限公司|有限责任公司|有限公司))\s*$", re.MULTILINE)
_EN_NAME = re.compile(r"(?:英文|外文)(?:名称|全称)\s*[:：]\s*([A-Za-z][A-Za-z0-9 .,&()'\-]{3,120})")
_ZH_SHORT = re.compile(r"(?:证券|股票|公司)简称\s*[:：]?\s*([\u4e00-\u9fffA-Z*]{2,12})")
_ZH_CODE = re.compile(r"(?:证券|股票)代码\s*[:：]?\s*(\d{6})")
_ZH_ANNUAL = re.compile(r"((?:19|20)\d\d)\s*年\s*(?:年度报告|年报|年度财务报告|度报告)")
_ZH_HALF = re.compile(r"((?:19|20)\d\d)\s*年\s*(?:半年度报告|中期报告|半年报)")
_ZH_QUARTER = re.compile(r"((?:19|20)\d\d)\s*年\s*第?\s*([一二三四1-4])\s*季度")
_ZH_Q = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass(frozen=True)
class MetaFact:
    field: str
    value: str
    page: int
    quote: str
    span: tuple[int, int]
    confidence: float = 0.9


def _fact(name: str, value: str, page: int, text: str, start: int, end: int, conf: float = 0.9) -> MetaFact:
    return MetaFact(name, " ".join(value.split()), page, text[start:end].strip()[:200], (start, end), conf)


def _cover(page_texts: dict[int, str]) -> list[tuple[int, str]]:
    out, used = [], 0
    for page in sorted(page_texts)[:COVER_PAGES]:
        text = page_texts[page][: COVER_CHARS - used]
        out.append((page, text))
        used += len(text)
        if used >= COVER_CHARS:
            break
    return out


def _registrant(page: int, text: str) -> list[MetaFact]:
    """The line above "(Exact name of registrant as specified in its charter)" on a US filing cover
    (short lines above it joined: small capitals come out of some PDFs a few letters a line)."""
    m = _REGISTRANT.search(text)
    if not m:
        return []
    lines = text[: m.start()].rstrip().split("\n")
    parts = [re.split(r"_{3,}", lines[-1])[-1].strip(" ,")]
    while len(parts[0]) <= 15 and len(lines) > len(parts) and len(parts) < 6:
        above = re.split(r"_{3,}", lines[-len(parts) - 1])[-1].strip()
        if not above or len(above) > 15 or re.search(r"\d", above):
            break
        parts.insert(0, above)
    name = re.sub(r"\b([A-Z]) (?=[A-Z]{2,})", r"\1", " ".join(parts))
    if not _plausible(name):
        return []
    start = max(0, m.start() - len(name) - 8)
    return [MetaFact("company", name, page, name, (start, m.start()), 0.95)]


def _plausible(name: str) -> bool:
    return (2 <= len(name) <= 100 and bool(re.search(r"[A-Za-z\u4e00-\u9fff]", name))
            and not _NOT_NAME.search(name))


def _names(cover: list[tuple[int, str]]) -> list[MetaFact]:
    facts: list[MetaFact] = []
    for page, text in cover:
        facts += _registrant(page, text)
        for pattern, conf in ((_LISTED, 0.85), (_NAMED, 0.8), (_ANNOUNCES, 0.6)):
            for m in pattern.finditer(text):
                facts.append(_fact("company", m.group(1), page, text, m.start(1), m.end(1), conf))
        for m in _LINE_NAME.finditer(text[:2500]):
            facts.append(_fact("company", m.group(1), page, text, m.start(1), m.end(1), 0.75))
        for m in _ZH_NAME.finditer(text):
            facts.append(_fact("company", m.group(1), page, text, m.start(1), m.end(1), 0.95))
        for m in _ZH_LINE_NAME.finditer(text):
            facts.append(_fact("company", m.group(1), page, text, m.start(1), m.end(1), 0.85))
    return [f for f in facts if _plausible(f.value)] or _frequent_name(cover)


def _frequent_name(cover: list[tuple[int, str]]) -> list[MetaFact]:
    """No name where covers print it (a logo in its place): the legal name the first pages repeat."""
    found = [(page, text, m) for page, text in cover for m in _LEGAL_NAME.finditer(text)]
    counts = Counter(core(m.group(1)) for _, _, m in found if core(m.group(1)))
    if not counts or counts.most_common(1)[0][1] < 2:
        return []
    best = counts.most_common(1)[0][0]
    page, text, m = next((p, t, m) for p, t, m in found if core(m.group(1)) == best)
    return [_fact("company", m.group(1), page, text, m.start(1), m.end(1), 0.5)]


def _identifiers(cover: list[tuple[int, str]]) -> list[MetaFact]:
    facts: list[MetaFact] = []
    for page, text in cover:
        for m in _LISTED.finditer(text):
            facts.append(_fact("ticker", m.group(2), page, text, m.start(2), m.end(2)))
        for m in _TICKER_ROW.finditer(text):
            facts.append(_fact("ticker", m.group(1), page, text, m.start(1), m.end(1), 0.8))
        for m in _ZH_CODE.finditer(text):
            facts.append(_fact("ticker", m.group(1), page, text, m.start(1), m.end(1)))
        for m in _SHORT.finditer(text):
            facts.append(_fact("alias", m.group(1), page, text, m.start(1), m.end(1), 0.8))
        for m in _ZH_SHORT.finditer(text):
            facts.append(_fact("alias", m.group(1), page, text, m.start(1), m.end(1)))
        for m in _EN_NAME.finditer(text):
            facts.append(_fact("name_en", m.group(1).rstrip(" ,"), page, text, m.start(1), m.end(1)))
        if "employer" in text.lower() or "identification" in text.lower():
            for m in _EIN.finditer(text[:3000]):
                facts.append(_fact("ein", m.group(1), page, text, m.start(1), m.end(1), 0.8))
        for code, offset, valid in find_codes(text):
            if valid:
                facts.append(_fact("uscc", code, page, text, offset, offset + 18, 0.98))
    return facts


def _headline(cover: list[tuple[int, str]]) -> list[MetaFact]:
    """Periods a release names in its headline ("Fourth Quarter Fiscal 2022 Results"), and the fiscal
    year a fourth quarter's release closes."""
    for page, text in cover:
        head = text[:400]
        if page and re.search(r"\bresults\b|业绩", head, re.IGNORECASE):
            labels = [p for p in periods_in_question(head)[0] if not p.isdigit()]
            # a fourth quarter's results close the fiscal year: the release reports the year too
            years = [f"FY{label[:4]}" for label in labels if label.endswith("Q4") and f"FY{label[:4]}" not in labels]
            return [MetaFact("period", label, page, head[:200], (0, len(head)), 0.95 if label in labels else 0.8)
                    for label in [*labels, *years]]
    return []


def _periods(cover: list[tuple[int, str]]) -> list[MetaFact]:
    facts: list[MetaFact] = _headline(cover)
    mentions = Counter(m.group(1) for _, t in cover for m in _FISCAL_MENTION.finditer(t))
    for page, text in cover:
        for m in _FY_END.finditer(text):
            end = parse_date(m.group(0))
            if end:
                for i, label in enumerate(_fy_labels(end, mentions)):
                    facts.append(_fact("period", label, page, text, m.start(), m.end(), 0.9 if i == 0 else 0.5))
                facts.append(_fact("period_end", end.isoformat(), page, text, m.start(), m.end()))
        for m in _Q_END.finditer(text):
            end = parse_date(m.group(0))
            if end:
                facts.append(_fact("period", quarter_of(end), page, text, m.start(), m.end()))
                facts.append(_fact("period_end", end.isoformat(), page, text, m.start(), m.end()))
        for m in _PERIOD_ENDED.finditer(text[:2500]):
            end = parse_date(m.group(0))
            if end:
                kinds = {m.group(1).lower(), (m.group(2) or "").lower()}
                kinds |= {"year"} if _WEEKS_YEAR.match(m.group(1)) else {"quarter"} if _WEEKS_QUARTER.match(m.group(1)) else set()
                if kinds & {"year", "twelve months"}:
                    for i, label in enumerate(_fy_labels(end, mentions)):
                        facts.append(_fact("period", label, page, text, m.start(), m.end(), 0.7 if i == 0 else 0.5))
                if kinds & {"quarter", "three months"}:
                    facts.append(_fact("period", quarter_of(end), page, text, m.start(), m.end(), 0.7))
                facts.append(_fact("period_end", end.isoformat(), page, text, m.start(), m.end(), 0.7))
        for pattern, label in ((_ZH_ANNUAL, "FY{}"), (_ZH_HALF, "{}H1")):
            for m in pattern.finditer(text):
                facts.append(_fact("period", label.format(m.group(1)), page, text, m.start(), m.end()))
        for m in _ZH_QUARTER.finditer(text):
            facts.append(_fact("period", f"{m.group(1)}Q{_ZH_Q[m.group(2)]}", page, text, m.start(), m.end()))
    return facts


def _fy_labels(end: date, mentions: Counter[str]) -> list[str]:
    """The fiscal-year labels of a year ending on `end`, the one the document itself says first: a year
    ending early in the calendar year goes by its start year at some companies (a retailer's "fiscal
    2022" ends in January 2023), so the document's own "fiscal 20XX" mentions decide."""
    return sorted(fiscal_year_of(end), key=lambda label: -mentions.get(label[2:], 0))


def _statement_period(page_texts: dict[int, str], doc_type: str) -> list[MetaFact]:
    """The period of a filing whose cover states none (a text layer that lost the cover's words):
    the latest date in the column header of its first primary statement ("CONSOLIDATED BALANCE
    SHEETS … December 31, 2018 2017"), a quarter for a quarterly report (a calendar quarter, as the cover's
    "quarterly period ended" gives it), else a fiscal year, named as the document names its years."""
    for page in sorted(page_texts):
        text = page_texts[page]
        if not statement_titles(text):
            continue
        head = text[:STATEMENT_HEAD]
        dated = [(d, m) for m in [*EN_DATE.finditer(head), *ZH_DATE.finditer(head)] if (d := parse_date(m.group(0)))]
        if not dated:
            continue
        end, m = max(dated, key=lambda pair: pair[0])
        mentions = Counter(f.group(1) for t in page_texts.values() for f in _FISCAL_MENTION.finditer(t[:COVER_CHARS]))
        label = quarter_of(end) if doc_type == "quarterly_report" else _fy_labels(end, mentions)[0]
        return [_fact("period", label, page, text, m.start(), m.end(), 0.6),
                _fact("period_end", end.isoformat(), page, text, m.start(), m.end(), 0.6)]
    return []


def _dates(cover: list[tuple[int, str]]) -> list[MetaFact]:
    facts: list[MetaFact] = []
    for page, text in cover:
        for m in _EVENT.finditer(text):
            if (d := parse_date(m.group(0))) is not None:
                facts.append(_fact("date", d.isoformat(), page, text, m.start(), m.end(), 0.95))
        head = text[:600]
        for m in [*EN_DATE.finditer(head), *ZH_DATE.finditer(head)]:
            if (d := parse_date(m.group(0))) is not None:
                facts.append(_fact("date", d.isoformat(), page, text, m.start(), m.end(), 0.6))
                break
    return facts


def extract(title: str, page_texts: dict[int, str]) -> list[MetaFact]:
    """Every metadata fact found on the first pages (and the title), best first within a field."""
    cover = _cover(page_texts)
    if title:
        cover = [(0, title), *cover]
    facts = _names(cover) + _identifiers(cover) + _periods(cover) + _dates(cover)
    kind = doc_type_of(cover)
    if not any(f.field == "period" for f in facts):
        facts += _statement_period(page_texts, kind.doc_type if kind else "")
    if kind is not None:
        facts.append(MetaFact("doc_type", kind.doc_type, kind.page, kind.quote, kind.span, kind.confidence))
        if kind.form:
            facts.append(MetaFact("form", kind.form, kind.page, kind.quote, kind.span, kind.confidence))
    return sorted(facts, key=lambda f: -f.confidence)


def _first(facts: list[MetaFact], name: str) -> str:
    return next((f.value for f in facts if f.field == name), "")


def _all(facts: list[MetaFact], name: str) -> list[str]:
    return list(dict.fromkeys(f.value for f in facts if f.field == name))


def document_meta(title: str, page_texts: dict[int, str]) -> dict[str, str]:
    """The flat metadata a document carries (empty values left out), with its facts as JSON."""
    facts = extract(title, page_texts)
    company = _company(facts)
    names = [company, *_all(facts, "company"), *_all(facts, "alias")]
    aliases = [n for n in dict.fromkeys(names) if n and n != company and core(n) and _plausible(n)]
    periods = _all(facts, "period")
    meta = {
        "company": company,
        "aliases": "|".join(aliases[:8]),
        "ticker": _first(facts, "ticker"),
        "ein": _first(facts, "ein"),
        "uscc": _first(facts, "uscc"),
        "name_zh": next((n for n in names if n and not n.isascii()), ""),
        "name_en": _first(facts, "name_en") or (company if company.isascii() else ""),
        "doc_type": _first(facts, "doc_type"),
        "form": _first(facts, "form"),
        "periods": "|".join(periods[:6]),
        "period": periods[0] if periods else "",
        "period_end": max(_all(facts, "period_end"), default=""),
        "date": _first(facts, "date") or max(_all(facts, "period_end"), default=""),
    }
    out = {k: v for k, v in meta.items() if v}
    if facts:
        kept = [asdict(f) for f in facts if f.field != "company" or f.value in names[:4]][:24]
        out["facts"] = json.dumps(kept, ensure_ascii=False)
    return out


def _company(facts: list[MetaFact]) -> str:
    """The name read most surely; among equally sure readings, the one most often repeated."""
    named = [f for f in facts if f.field == "company" and core(f.value)]
    if not named:
        return ""
    votes = Counter(core(f.value) for f in named)
    best = max(named, key=lambda f: (f.confidence, votes[core(f.value)]))
    return best.value
