"""The routing stage of hybrid search: the routed documents searched on their own, then merged with
the whole-index ranking under a boost (or alone, for a filter).

A company's filings are a few thousand chunks among millions: the whole-index top 50 may hold none
of them, so they are searched as their own small index — exact dense scores over their stored vectors
and BM25 restricted to their chunks — with the same fusion. Their fused scores then join the
whole-index ones, raised by `boost` x the document's routing weight x the route's confidence.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from app.core.filters import Filters
from app.core.page_rank import PageShapes, PageWeights, SectionVectors, rank_pages, statements_asked
from app.core.routing import NO_ROUTE, EntityIndex, Route
from app.core.textnorm import cjk_ratio

VectorsOf = Callable[[Sequence[int]], dict[int, np.ndarray]]


@dataclass
class ScopedDense:
    """Exact inner-product search over a few chunks' stored vectors (the VectorIndex search shape)."""

    ids: np.ndarray
    matrix: np.ndarray  # one row per id

    @classmethod
    def of(cls, rowids: Sequence[int], vectors_of: VectorsOf) -> ScopedDense | None:
        found = vectors_of(rowids)
        if not found:
            return None
        ids = np.fromiter(found, dtype=np.int64, count=len(found))
        return cls(ids, np.stack([found[int(i)] for i in ids]).astype(np.float32))

    @property
    def size(self) -> int:
        return len(self.ids)

    def search(self, query: npt.NDArray[np.float32], k: int,
               tenants: Collection[str] | None = None) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int64]]:
        scores = self.matrix @ np.asarray(query, dtype=np.float32)[0]
        k = min(k, len(scores))
        if k <= 0:
            return np.zeros((1, 0), np.float32), np.zeros((1, 0), np.int64)
        head = np.argpartition(-scores, k - 1)[:k]  # the k best, then only those sorted
        top = head[np.argsort(-scores[head], kind="stable")]
        return scores[top][None, :].astype(np.float32), self.ids[top][None, :]


@dataclass
class ScopedSparse:
    """BM25 over the whole partition (its statistics), keeping only the routed chunks."""

    inner: Any  # the retriever's SparseIndex
    rowids: frozenset[int]

    @property
    def size(self) -> int:
        return len(self.rowids)

    def search(self, query_tokens: list[str], k: int, tenants: set[str] | None,
               weights: Sequence[float] | None = None) -> list[tuple[int, float]]:
        within = getattr(self.inner, "search_within", None)
        if within is not None:  # scores the routed chunks alone (bm25.Bm25Index)
            return list(within(query_tokens, k, tenants, weights, self.rowids))
        hits = self.inner.search(query_tokens, int(self.inner.size), tenants, weights)
        return [(r, s) for r, s in hits if r in self.rowids][:k]


@dataclass(frozen=True)
class RoutingWeights:
    boost: float = 1.5  # share of the best fused score a fully routed document gains at full confidence (tuning half of financebench-scale, BM25 + routing)


def merge(global_scores: dict[int, float], scoped: dict[int, float], doc_of: Callable[[int], str],
          route: Route, bonus: float) -> dict[int, float]:
    """Whole-index and routed scores, each chunk at its better one, routed documents raised."""
    if route.hard:
        merged = dict(scoped)
    else:
        merged = dict(global_scores)
        for rowid, score in scoped.items():
            merged[rowid] = max(merged.get(rowid, 0.0), score)
    if route.hard:
        return merged
    for rowid in merged:
        w = route.weights.get(doc_of(rowid), 0.0)
        if w:
            merged[rowid] += bonus * w * route.confidence
    return merged


def by_page(scores: dict[int, float], page_of: Callable[[int], tuple[str, int | None]],
            share: float) -> dict[int, float]:
    """Each chunk scored as its page: the page's best chunk plus `share` of its second best, so a
    page whose table and its heading both match outranks a page with one stray mention. A chunk
    keeps a sliver of its own score to order chunks within the page."""
    if share <= 0:
        return scores
    pages: dict[tuple[str, int | None], list[float]] = {}
    for rowid, score in scores.items():
        pages.setdefault(page_of(rowid), []).append(score)
    top2 = {p: sorted(v, reverse=True)[:2] for p, v in pages.items()}
    page_score = {p: v[0] + share * (v[1] if len(v) > 1 else 0.0) for p, v in top2.items()}
    return {r: page_score[page_of(r)] + 1e-3 * s for r, s in scores.items()}


def doc_meta(row: Mapping[str, Any]) -> dict[str, str]:
    """The hit's document's company, type and period, from the row's document metadata (JSON)."""
    try:
        raw = row["doc_meta"]
    except (KeyError, IndexError):
        return {}
    meta = json.loads(raw) if isinstance(raw, str) and raw else {}
    return {"company": str(meta.get("company", "")), "doc_type": str(meta.get("doc_type", "")),
            "period": str(meta.get("period", ""))}


@dataclass
class Router:
    """Routes a search by the documents' metadata: a filter to exactly the documents it admits, a
    question that names a company to that company's documents (boosted, the whole index kept)."""

    entities: EntityIndex
    rowids_of: Callable[[str], Sequence[int]]  # a document's chunk rowids
    vectors_of: VectorsOf | None = None
    weights: RoutingWeights = field(default_factory=RoutingWeights)
    pages: PageWeights = field(default_factory=PageWeights)  # ranking the pages inside the routed documents
    shapes: PageShapes = field(default_factory=PageShapes)
    sections: SectionVectors = field(default_factory=SectionVectors)

    @staticmethod
    def unrouted(filters: Filters) -> Route:
        """No metadata index: a metadata filter admits nothing, a question goes to the whole index."""
        return Route(applied="filter", hard=True, reason="no document metadata indexed") if filters.on_metadata else NO_ROUTE

    def route(self, query: str, tenants: set[str] | None, filters: Filters) -> Route:
        if filters.on_metadata:
            return self.entities.filtered(filters.company, filters.period, filters.doc_type, tenants)
        return self.entities.route(query, tenants)

    def apply(self, retriever: Any, route: Route, fused: dict[int, float],
              rank: Callable[[Any], dict[int, float]], rows: Mapping[int, Mapping[str, Any]]) -> dict[int, float]:
        """`rank` run over the routed documents alone, merged with the whole-index scores."""
        rowids = [r for doc_id in route.weights for r in self.rowids_of(doc_id)]
        if not rowids:
            return {} if route.hard else fused
        dense = ScopedDense.of(rowids, self.vectors_of) if self.vectors_of and retriever.index is not None else None
        sparse = ScopedSparse(retriever.sparse, frozenset(rowids)) if retriever.sparse is not None else None
        scoped = rank(replace(retriever, index=dense, sparse=sparse, router=None))
        top = max([*fused.values(), *scoped.values()], default=0.0)
        return merge(fused, scoped, lambda r: str(rows[r]["doc_id"]), route, self.weights.boost * top)

    def rank_pages(self, retriever: Any, route: Route, fused: dict[int, float], rows: Mapping[int, Mapping[str, Any]],
                   query: str) -> dict[int, float]:
        """The routed documents' candidates raised by their page's shape, the question's word pairs,
        the statement it asks of, their section heading's and their page's similarity to it."""
        if not fused or not route.weights:
            return fused
        weight = {d: w * (route.confidence or 1.0) for d, w in route.weights.items()}
        similarity = meaning = None
        embedder = getattr(retriever, "embedder", None)
        if (self.pages.section or self.pages.meaning) and embedder is not None:
            asked = embedder.embed_query([query])[0]  # the dense search's own vector (memoised) for a multilingual model
        if self.pages.section and embedder is not None:

            def similarity(r: int) -> float | None:
                vector = self.sections.of(str(rows[r]["section"] or ""), retriever.embedder.embed)
                return None if vector is None else float(vector @ asked)
        fusion = getattr(retriever, "fusion", None)
        reads_it = fusion is None or (fusion.dense_cjk if cjk_ratio(query) > 0.5 else fusion.dense) > 0  # the dense ranker's own say
        if self.pages.meaning and embedder is not None and reads_it and self.vectors_of is not None and retriever.index is not None:
            meaning = self._chunk_similarity(asked)
        return rank_pages(fused, rows, weight, retriever.tokenize(query),
                          lambda key: self.shapes.of(key, retriever.lookup.page_text), retriever.tokenize, self.pages,
                          statements_asked(query) if self.pages.statement else frozenset(), similarity, meaning)

    def _chunk_similarity(self, asked: np.ndarray) -> Callable[[Sequence[int]], dict[int, float]]:
        """The candidates' similarity to the question by their stored vectors (those the index gives back)."""
        def similarity(rowids: Sequence[int]) -> dict[int, float]:
            assert self.vectors_of is not None
            vectors = self.vectors_of(rowids)
            if not vectors:
                return {}
            ids = list(vectors)
            scores = np.stack([vectors[r] for r in ids]).astype(np.float32) @ np.asarray(asked, dtype=np.float32)
            return {r: float(s) for r, s in zip(ids, scores)}
        return similarity
