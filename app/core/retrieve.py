"""Hybrid retrieval: dense + BM25 fused by reciprocal rank, access-checked inside the search.

Every candidate from either ranker is checked against the principal and the filters before it
can be ranked, so nothing a principal may not read ever reaches the fused list.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from app.core.errors import InputError
from app.core.glossary import Glossary
from app.core.names import NameIndex
from app.core.ports import Embedder, VectorIndex
from app.core.snippet import query_terms, snippet
from app.core.textnorm import cjk_ratio
from app.core.types import PUBLIC_TENANT, Hit, Principal

MAX_K = 100
Row = Mapping[str, Any]


class ChunkLookup(Protocol):
    def hits(self, rowids: Sequence[int]) -> Mapping[int, Any]: ...


class SparseIndex(Protocol):
    @property
    def size(self) -> int: ...

    def search(self, query_tokens: list[str], k: int, tenants: set[str] | None,
               weights: Sequence[float] | None = None) -> list[tuple[int, float]]: ...



def dense_text(query: str, expansions: list[str]) -> str:
    """What the dense ranker embeds: the query and its first English glossary expansions (the
    bundled model reads English)."""
    return " ".join([query, *[t for t in expansions if t.isascii()][:3]])

@dataclass(frozen=True)
class Filters:
    kind: str | None = None
    tenant: str | None = None
    enterprise_id: str | None = None
    doc_id: str | None = None
    lang: str | None = None
    issuer: str | None = None
    jurisdiction: str | None = None  # matches any level of the document's jurisdiction path
    valid_on: date | None = None  # documents valid on this date (default today)
    include_expired: bool = False

    def accepts(self, row: Row) -> bool:
        exact = (("kind", self.kind), ("tenant", self.tenant), ("enterprise_id", self.enterprise_id),
                 ("doc_id", self.doc_id))
        if any(want is not None and row[col] != want for col, want in exact):
            return False
        if self.lang and not str(row["lang"] or "").startswith(self.lang):
            return False
        if self.issuer and self.issuer.lower() not in str(row["issuer"] or "").lower():
            return False
        if self.jurisdiction and self.jurisdiction not in str(row["jurisdiction"] or "").split(">"):
            return False
        return self.include_expired or _valid(row, self.valid_on or date.today())


def _valid(row: Row, on: date) -> bool:
    day = on.isoformat()
    return not ((row["valid_to"] and row["valid_to"] < day) or (row["valid_from"] and row["valid_from"] > day))


@dataclass(frozen=True)
class Fusion:
    """How the two rankers combine.

    "weighted" (default): score = sum of weight x (ranker score / best score of that ranker), so
    strong lexical evidence (an exact clause, a translated term) can outweigh a vague dense match.
    "rrf": reciprocal rank, weight / (k0 + rank); ignores score gaps.

    Dense weight for Chinese queries is 0 by default: the bundled English model embeds Chinese as
    noise (measured on cn-laws: its top hits for "高新技术企业 条件" are unrelated articles) and the
    query embedding is most of the latency; set SME_DENSE_WEIGHT_CJK with a multilingual model. Glossary expansions count in
    BM25 at `translation` when in the other language than the query, else at `expansion`. Documents whose title or file
    name carries a rare word of the query (a company name) get a `named` share of a top vote.
    """

    method: str = "weighted"
    k0: int = 60
    dense: float = 1.0
    dense_cjk: float = 0.0
    sparse: float = 1.0
    expansion: float = 0.3  # a synonym in the query's own language: the user already chose words
    translation: float = 1.0  # a term in the other language: the only way to reach those documents
    named: float = 1.0
    depth: int = 50


@dataclass
class Retriever:
    embedder: Embedder
    index: VectorIndex | None
    sparse: SparseIndex | None
    lookup: ChunkLookup
    tokenize: Callable[[str], list[str]]
    glossary: Glossary
    names: NameIndex = field(default_factory=NameIndex)
    fusion: Fusion = field(default_factory=Fusion)
    rerank: Callable[[str, list[str]], list[float]] | None = None  # a cross-encoder, when configured
    rerank_depth: int = 30

    def search(self, query: str, principal: Principal, k: int = 10, filters: Filters | None = None) -> list[Hit]:
        if not query.strip():
            raise InputError("query is empty")
        if not 1 <= k <= MAX_K:
            raise InputError(f"k must be between 1 and {MAX_K}")
        filters = filters or Filters()
        expansions = self.glossary.expansions(query)
        named_docs = self.names.documents_named_in(query)
        depth = max(self.fusion.depth, k * 3)
        rows: dict[int, Row] = {}
        dense_weight = self.fusion.dense_cjk if cjk_ratio(query) > 0.5 else self.fusion.dense
        rankings = [
            (dense_weight, self._dense(query, expansions, principal, filters, depth, rows) if dense_weight else []),
            (self.fusion.sparse, self._sparse(query, expansions, principal, filters, depth, rows)),
        ]
        fused = self._fuse(rankings)
        bonus = self.fusion.named * (1 / (self.fusion.k0 + 1) if self.fusion.method == "rrf" else 0.25)
        for rowid in fused:
            if rows[rowid]["doc_id"] in named_docs:
                fused[rowid] += bonus
        best = sorted(fused, key=lambda r: -fused[r])
        if self.rerank is not None and best:
            head = best[: max(k, self.rerank_depth)]
            scores = self.rerank(query, [rows[r]["text"] for r in head])
            fused.update(zip(head, scores))
            best = sorted(head, key=lambda r: -fused[r])
        best = best[:k]
        terms = query_terms(query, expansions)
        return [_hit(rows[r], fused[r], terms) for r in best]

    def _fuse(self, rankings: list[tuple[float, list[tuple[int, float]]]]) -> dict[int, float]:
        fused: dict[int, float] = {}
        for weight, ranked in rankings:
            if not ranked:
                continue
            top = max(score for _, score in ranked) or 1.0
            floor = min(score for _, score in ranked) if self.fusion.method == "weighted" else 0.0
            for rank, (rowid, score) in enumerate(ranked):
                if self.fusion.method == "rrf":
                    part = weight / (self.fusion.k0 + rank + 1)
                else:
                    part = weight * (score - floor) / ((top - floor) or 1.0)
                fused[rowid] = fused.get(rowid, 0.0) + part
        return fused

    def _accept(self, ids: list[int], principal: Principal, filters: Filters, rows: dict[int, Row]) -> list[int]:
        rows.update(self.lookup.hits([i for i in ids if i not in rows]))
        return [i for i in ids if i in rows and visible(rows[i], principal) and filters.accepts(rows[i])]

    def _dense(self, query: str, expansions: list[str], principal: Principal, filters: Filters, depth: int,
               rows: dict[int, Row]) -> list[tuple[int, float]]:
        if self.index is None or self.index.size == 0:
            return []
        vector = self.embedder.embed_query([dense_text(query, expansions)])
        fetch = depth * 2
        while True:
            scores, ids = self.index.search(vector, min(fetch, self.index.size))
            score_of = {int(i): float(sc) for sc, i in zip(scores[0], ids[0]) if i >= 0}
            accepted = self._accept(list(score_of), principal, filters, rows)
            if len(accepted) >= depth or fetch >= self.index.size:
                return [(i, score_of[i]) for i in accepted[:depth]]
            fetch *= 4

    def _sparse(self, query: str, expansions: list[str], principal: Principal, filters: Filters, depth: int,
                rows: dict[int, Row]) -> list[tuple[int, float]]:
        if self.sparse is None or self.sparse.size == 0:
            return []
        own = self.tokenize(query)
        chinese_query = cjk_ratio(query) > 0.5
        extra: dict[str, float] = {}
        for term in expansions:
            cross = (cjk_ratio(term) > 0.5) != chinese_query
            weight = self.fusion.translation if cross else self.fusion.expansion
            for t in self.tokenize(term):
                if t not in own:
                    extra[t] = max(extra.get(t, 0.0), weight)
        weights = [1.0] * len(own) + list(extra.values())
        own = own + list(extra)
        fetch = depth * 2
        while True:
            scored = self.sparse.search(own, fetch, allowed_tenants(principal), weights)
            score_of = dict(scored)
            accepted = self._accept([r for r, _ in scored], principal, filters, rows)
            if len(accepted) >= depth or len(scored) < fetch:
                return [(i, score_of[i]) for i in accepted[:depth]]
            fetch *= 4


def allowed_tenants(principal: Principal) -> set[str] | None:
    return None if principal.is_admin else {PUBLIC_TENANT, principal.tenant}


def visible(row: Row, principal: Principal) -> bool:
    return principal.is_admin or row["tenant"] in (PUBLIC_TENANT, principal.tenant)


def group_by_document(hits: Sequence[Hit]) -> list[list[Hit]]:
    """Hits of one document together, documents in order of their best hit, best page first."""
    groups: dict[str, list[Hit]] = {}
    for hit in hits:
        groups.setdefault(hit.doc_id, []).append(hit)
    return list(groups.values())


def _hit(row: Row, score: float, terms: list[str]) -> Hit:
    return Hit(
        chunk_id=row["id"],
        doc_id=row["doc_id"],
        title=row["title"] or "",
        text=row["text"],
        page=row["page"],
        section=row["section"] or "",
        score=round(score, 5),
        span=(row["span_start"], row["span_end"]),
        kind=row["kind"],
        tenant=row["tenant"],
        source=row["source"],
        snippet=snippet(row["text"], terms),
    )
