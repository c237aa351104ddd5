"""Query routing: which indexed company a question names, and which of its documents cover the
period it asks about.

Entities are built from the documents' own metadata (ingest/doc_meta.py): documents that share an
identifier (US employer number, Chinese credit code) or a distinguishing name are one entity, so a
renamed company ("Square, Inc." → "Block, Inc.") keeps all its years. A question names an entity by
any of its names — exactly, or within a small edit distance for longer names — or by its ticker.
Routing is a soft boost (app/core/routed_search.py); no company found means no routing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from app.core.doc_types import doc_type_named
from app.core.entity_names import core, tokens, zh_short
from app.core.periods import calendar_quarters, fiscal_quarters, matches, periods_in_question

FUZZY_MIN_CHARS = 6  # shorter names only match exactly: one letter off is another company
FUZZY_RATIO = 0.88
OTHER_PERIOD = 0.5  # the named company's documents of other periods: their prior-year columns may hold the answer
OTHER_TYPE = 0.8
# no period named ("Is Boeing's business subject to cyclicality?"): the question asks of the company as it
# stands, so its newest documents lead a little (financebench-scale tuning half: document r@1 0.868 -> 0.895,
# flat from 0.7 to 0.9; page r@5 unchanged)
OLDER_UNASKED = 0.8


@dataclass(frozen=True)
class DocInfo:
    doc_id: str
    tenant: str
    company: str
    names: tuple[str, ...]  # every name the document gives itself (legal, short, zh, en)
    ids: tuple[str, ...]  # identifiers: ein, uscc, ticker
    periods: tuple[str, ...]
    period_end: str
    doc_type: str

    @classmethod
    def of(cls, doc_id: str, tenant: str, meta: Mapping[str, str]) -> DocInfo:
        names = [meta.get("company", ""), *meta.get("aliases", "").split("|"), meta.get("name_zh", ""),
                 meta.get("name_en", "")]
        ids = [f"{key}:{meta[key].upper()}" for key in ("ein", "uscc", "ticker") if meta.get(key)]
        return cls(doc_id, tenant, meta.get("company", ""), tuple(n for n in dict.fromkeys(names) if n),
                   tuple(ids), tuple(p for p in meta.get("periods", "").split("|") if p),
                   meta.get("period_end", "") or meta.get("date", ""), meta.get("doc_type", ""))


@dataclass(frozen=True)
class Route:
    """What routing did: `applied` is "none" (whole index), "company", "company+period" or "filter"."""

    applied: str = "none"
    companies: tuple[str, ...] = ()
    periods: tuple[str, ...] = ()
    doc_type: str = ""
    weights: Mapping[str, float] = field(default_factory=dict)  # doc id -> share of the routing boost
    confidence: float = 0.0
    hard: bool = False  # a filter: only these documents
    reason: str = ""


NO_ROUTE = Route(reason="no indexed company named in the question: whole index")


def route_json(route: Route) -> dict[str, object]:
    """What a response says of the routing applied (documents by count, not by id)."""
    return {"applied": route.applied, "companies": list(route.companies), "periods": list(route.periods),
            "doc_type": route.doc_type, "documents": len(route.weights),
            "confidence": round(route.confidence, 2), "reason": route.reason}


@dataclass
class EntityIndex:
    docs: dict[str, DocInfo] = field(default_factory=dict)
    entity_of: dict[str, str] = field(default_factory=dict)  # doc id -> entity key
    names: dict[str, set[str]] = field(default_factory=dict)  # name core -> entity keys
    tickers: dict[str, set[str]] = field(default_factory=dict)
    shown: dict[str, str] = field(default_factory=dict)  # entity key -> the name to show

    @classmethod
    def build(cls, docs: Iterable[DocInfo]) -> EntityIndex:
        ix = cls()
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for d in docs:
            ix.docs[d.doc_id] = d
            keys = [*d.ids, *(f"name:{core(d.company)}" for _ in [0] if core(d.company))]
            keys = keys or [f"doc:{d.doc_id}"]
            for k in keys[1:]:
                parent[find(k)] = find(keys[0])
            ix.entity_of[d.doc_id] = keys[0]
        for doc_id, key in ix.entity_of.items():
            ix.entity_of[doc_id] = entity = find(key)
            d = ix.docs[doc_id]
            for name in d.names:
                for form in {core(name), zh_short(name), *_leading(core(name))}:
                    if form and len(form) >= 2:
                        ix.names.setdefault(form, set()).add(entity)
            for ident in d.ids:
                if ident.startswith("ticker:"):
                    ix.tickers.setdefault(ident[7:], set()).add(entity)
        for d in sorted(ix.docs.values(), key=lambda d: d.period_end):  # the newest name shown
            if d.company:
                ix.shown[ix.entity_of[d.doc_id]] = d.company
        return ix

    # -- questions ---------------------------------------------------------------------------
    def companies_in(self, query: str) -> dict[str, float]:
        """entity key -> how surely the question names it (1.0 exact name or ticker, less when fuzzy)."""
        found: dict[str, float] = {}
        words = tokens(query)
        norm = "".join(words)
        for name, entities in self.names.items():
            score = _name_score(name, words, norm, query)
            for e in entities if score else ():
                found[e] = max(found.get(e, 0.0), score)
        for word in set(re.findall(r"\b[A-Z][A-Z.]{1,5}\b", query)):
            for e in self.tickers.get(word, ()):
                found[e] = max(found.get(e, 0.0), 0.9)
        return found

    def route(self, query: str, tenants: set[str] | None) -> Route:
        visible = {i: d for i, d in self.docs.items() if tenants is None or d.tenant in tenants}
        named = self.companies_in(query)
        named = {e: s for e, s in named.items() if any(self.entity_of[i] == e for i in visible)}
        if not named:
            return NO_ROUTE
        best = max(named.values())
        entities = {e for e, s in named.items() if s >= best - 0.15}
        periods, latest = periods_in_question(query)
        kind = doc_type_named(query) or ""
        weights: dict[str, float] = {}
        # a quarter named by the fiscal year ("Q2 of FY2023") is read through each company's own fiscal year
        as_calendar = {f"{fy}Q{q}" for fy, q in fiscal_quarters(query)}
        named_periods = [p for p in periods if p not in as_calendar]
        for entity in entities:
            ours = [d for i, d in visible.items() if self.entity_of[i] == entity]
            wanted = [p for p in periods if p not in as_calendar] + _fiscal_labels(query, ours)
            named_periods += [q for q in wanted if q not in named_periods]
            weights.update(_weights(ours, wanted, latest, kind))
        period_hit = any(w == 1.0 for w in weights.values()) and bool(periods or latest)
        return Route(applied="company+period" if period_hit else "company",
                     companies=tuple(sorted(self.shown.get(e, e) for e in entities)),
                     periods=tuple(named_periods) + (("latest",) if latest else ()), doc_type=kind,
                     weights=weights, confidence=best,
                     reason=f"{len(weights)} document(s) of the named company" + (", period matched" if period_hit else ""))

    def filtered(self, company: str | None, period: str | None, doc_type: str | None,
                 tenants: set[str] | None) -> Route:
        """The documents a filter admits (company by any name or ticker, period label or year, type)."""
        kind = doc_type_named(doc_type) if doc_type else None
        keep = {}
        for i, d in self.docs.items():
            if tenants is not None and d.tenant not in tenants:
                continue
            if company and self.entity_of[i] not in self._entities_named(company):
                continue
            if period and not matches(periods_in_question(period)[0] or [period], d.periods):
                continue
            if doc_type and d.doc_type != (kind or doc_type):
                continue
            keep[i] = 1.0
        return Route(applied="filter", companies=(company,) if company else (), periods=(period,) if period else (),
                     doc_type=kind or doc_type or "", weights=keep, confidence=1.0, hard=True,
                     reason=f"{len(keep)} document(s) pass the filters")

    def _entities_named(self, company: str) -> set[str]:
        named = self.companies_in(company) or self.companies_in(company.upper())
        return set(named) | self.tickers.get(company.strip().upper(), set())


def _leading(name: str) -> list[str]:
    """The first words of a longer English name, as people shorten it ("Verizon" for Verizon
    Communications): four letters at least, so an initial or a short word alone never names a company."""
    words = name.split() if name.isascii() else []
    return [" ".join(words[:i]) for i in range(1, len(words)) if len(" ".join(words[:i])) >= 4]


def _name_score(name: str, words: list[str], norm: str, query: str) -> float:
    if not name.isascii():
        return 1.0 if name in norm else 0.0
    parts = name.split()
    n = len(parts)
    for i in range(len(words) - n + 1):
        window = words[i : i + n]
        if window == parts:
            # a one-word name that is also a common word ("block", "target") counts when capitalised
            return 1.0 if n > 1 or _capitalised(parts[0], query) else 0.0
    if len(name) < FUZZY_MIN_CHARS:
        return 0.0
    for size in {n, n + 1, max(1, n - 1)}:
        for i in range(len(words) - size + 1):
            span = " ".join(words[i : i + size])
            if span[:1] == name[:1] and SequenceMatcher(None, span, name).ratio() >= FUZZY_RATIO:
                return 0.8 if size > 1 or _capitalised(span, query) else 0.0
    return 0.0


def _capitalised(word: str, query: str) -> bool:
    return bool(re.search(rf"(?<![A-Za-z]){re.escape(word[:1].upper())}(?i:{re.escape(word[1:])})(?![A-Za-z])", query))


def _fiscal_labels(query: str, docs: list[DocInfo]) -> list[str]:
    """The calendar quarters of the fiscal quarters the question names ("Q2 of FY2024"), through the
    company's fiscal year end read from its newest annual report (December when it has none)."""
    ends = sorted(d.period_end for d in docs if d.doc_type == "annual_report" and d.period_end[5:7].isdigit())
    month = int(ends[-1][5:7]) if ends else 12
    return [label for fy, q in fiscal_quarters(query) for label in calendar_quarters(fy, q, month)]


def _weights(docs: list[DocInfo], periods: list[str], latest: bool, kind: str) -> dict[str, float]:
    newest = max((d.period_end for d in docs), default="")
    out = {}
    for d in docs:
        w = 1.0
        if periods:
            w = 1.0 if matches(periods, d.periods) else OTHER_PERIOD
        elif latest:
            w = 1.0 if d.period_end == newest else OTHER_PERIOD
        elif d.period_end != newest:
            w = OLDER_UNASKED
        if kind and d.doc_type and d.doc_type != kind:
            w *= OTHER_TYPE
        out[d.doc_id] = w
    return out
