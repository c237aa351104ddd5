"""Retrieval: dense search over the index, filtered by the principal inside the search itself."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from app.core.errors import InputError
from app.core.ports import Embedder, VectorIndex
from app.core.types import PUBLIC_TENANT, Hit, Principal

MAX_K = 100


class ChunkLookup(Protocol):
    def hits(self, rowids: Sequence[int]) -> Mapping[int, Mapping[str, Any]]: ...


@dataclass(frozen=True)
class Filters:
    kind: str | None = None
    enterprise_id: str | None = None
    doc_id: str | None = None
    lang: str | None = None


def visible(row: Mapping[str, Any], principal: Principal) -> bool:
    return principal.is_admin or row["tenant"] in (PUBLIC_TENANT, principal.tenant)


def _matches(row: Mapping[str, Any], f: Filters) -> bool:
    return (
        (f.kind is None or row["kind"] == f.kind)
        and (f.enterprise_id is None or row["enterprise_id"] == f.enterprise_id)
        and (f.doc_id is None or row["doc_id"] == f.doc_id)
        and (f.lang is None or str(row["lang"]).startswith(f.lang))
    )


def snippet(text: str, query: str, width: int = 240) -> str:
    """A window of the chunk around the first query term, terms marked with **."""
    terms = sorted({t for t in re.findall(r"[\w\u4e00-\u9fff]{2,}", query)}, key=len, reverse=True)
    low = text.lower()
    first = min((p for p in (low.find(t.lower()) for t in terms) if p >= 0), default=0)
    start = max(0, first - width // 3)
    window = text[start : start + width]
    for term in terms:
        window = re.sub(re.escape(term), lambda m: f"**{m.group(0)}**", window, flags=re.I)
    return ("…" if start else "") + window + ("…" if start + width < len(text) else "")


class SparseIndex(Protocol):
    @property
    def size(self) -> int: ...

    def search(self, query_tokens: list[str], k: int, tenants: set[str] | None) -> list[tuple[int, float]]: ...


@dataclass(frozen=True)
class Fusion:
    """Reciprocal-rank fusion: score = sum over rankers of weight / (k0 + rank)."""

    k0: int = 60
    dense: float = 1.0
    sparse: float = 1.0
    depth: int = 50  # candidates taken from each ranker


def allowed_tenants(principal: Principal) -> set[str] | None:
    return None if principal.is_admin else {PUBLIC_TENANT, principal.tenant}


class Retriever:
    """Hybrid dense + BM25 retrieval; every candidate is access-checked before it is ranked."""

    def __init__(
        self,
        embedder: Embedder,
        index: VectorIndex | None,
        sparse: SparseIndex | None,
        lookup: ChunkLookup,
        tokenize: Callable[[str], list[str]],
        fusion: Fusion = Fusion(),
    ) -> None:
        self.embedder = embedder
        self.index = index
        self.sparse = sparse
        self.lookup = lookup
        self.tokenize = tokenize
        self.fusion = fusion

    def search(self, query: str, principal: Principal, k: int = 10, filters: Filters | None = None) -> list[Hit]:
        if not query.strip():
            raise InputError("query is empty")
        if not 1 <= k <= MAX_K:
            raise InputError(f"k must be between 1 and {MAX_K}")
        filters = filters or Filters()
        depth = max(self.fusion.depth, k * 3)
        fused: dict[int, float] = {}
        rows: dict[int, Mapping[str, Any]] = {}
        for weight, ranked in (
            (self.fusion.dense, self._dense(query, principal, filters, depth, rows)),
            (self.fusion.sparse, self._sparse(query, principal, filters, depth, rows)),
        ):
            for rank, rowid in enumerate(ranked):
                fused[rowid] = fused.get(rowid, 0.0) + weight / (self.fusion.k0 + rank + 1)
        best = sorted(fused, key=lambda r: -fused[r])[:k]
        return [_hit(rows[r], fused[r], query) for r in best]

    def _accept(self, ids: list[int], principal: Principal, filters: Filters, rows: dict[int, Any]) -> list[int]:
        found = self.lookup.hits([i for i in ids if i not in rows])
        rows.update(found)
        return [i for i in ids if i in rows and visible(rows[i], principal) and _matches(rows[i], filters)]

    def _dense(self, query: str, principal: Principal, filters: Filters, depth: int, rows: dict[int, Any]) -> list[int]:
        if self.index is None or self.index.size == 0:
            return []
        vector = self.embedder.embed([query])
        fetch = depth * 2
        while True:
            _, ids = self.index.search(vector, min(fetch, self.index.size))
            accepted = self._accept([int(i) for i in ids[0] if i >= 0], principal, filters, rows)
            if len(accepted) >= depth or fetch >= self.index.size:
                return accepted[:depth]
            fetch *= 4

    def _sparse(self, query: str, principal: Principal, filters: Filters, depth: int, rows: dict[int, Any]) -> list[int]:
        if self.sparse is None or self.sparse.size == 0:
            return []
        scored = self.sparse.search(self.tokenize(query), depth * 2, allowed_tenants(principal))
        return self._accept([r for r, _ in scored], principal, filters, rows)[:depth]


def _hit(row: Mapping[str, Any], score: float, query: str) -> Hit:
    return Hit(
        chunk_id=row["id"],
        doc_id=row["doc_id"],
        title=row["title"] or "",
        text=row["text"],
        page=row["page"],
        section=row["section"] or "",
        score=round(score, 4),
        span=(row["span_start"], row["span_end"]),
        kind=row["kind"],
        tenant=row["tenant"],
        source=row["source"],
        snippet=snippet(row["text"], query),
    )
