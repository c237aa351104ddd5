"""Hybrid retrieval: dense + BM25 fused by reciprocal rank, access-checked inside the search.

Every candidate from either ranker is checked against the principal and the filters before it
can be ranked, so nothing a principal may not read ever reaches the fused list.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from app.core.dense_lists import calibrated, chinese_chunk
from app.core.dictionary import load_dictionary
from app.core.errors import InputError
from app.core.filters import Filters
from app.core.glossary import Glossary
from app.core.names import NameIndex
from app.core.ports import Embedder, VectorIndex
from app.core.routed_search import Router, by_page, doc_meta
from app.core.routing import Route
from app.core.snippet import query_terms, snippet
from app.core.textnorm import cjk_ratio
from app.core.types import PUBLIC_TENANT, Hit, Principal

MAX_K = 100
Row = Mapping[str, Any]


class ChunkLookup(Protocol):
    def hits(self, rowids: Sequence[int]) -> Mapping[int, Any]: ...

    def page_text(self, doc_id: str, page: int) -> str | None: ...


def in_context(row: Row, page_text: str | None, chars: int = 1200) -> str:
    """What a reranker reads for a candidate: the document title, the heading path and the chunk
    inside its page — up to `chars` characters of the page around the chunk's span."""
    head = " > ".join(x for x in (row["title"], row["section"]) if x)
    text = str(row["text"])
    if page_text and row["span_start"] is not None and len(text) < chars:
        start, end = int(row["span_start"]), int(row["span_end"] or row["span_start"])
        room = (chars - (end - start)) // 2
        lo = max(0, start - room)
        text = page_text[lo : lo + chars]
    return f"{head}\n{text}" if head else text


class SparseIndex(Protocol):
    @property
    def size(self) -> int: ...

    def search(self, query_tokens: list[str], k: int, tenants: set[str] | None,
               weights: Sequence[float] | None = None) -> list[tuple[int, float]]: ...



def dense_text(query: str, expansions: list[str], multilingual: bool = False) -> str:
    """What the dense ranker embeds. An English-only model: the query and its first English glossary
    expansions (it reads those). A multilingual model: the query alone — it reads the terms the
    expansions translate, and they only pull the vector toward the glossary's wording (ties on the
    tuning halves of the probe and financebench-pages); the chat's intent router then reuses the
    same vector, one embedding per question."""
    if multilingual:
        return query
    return " ".join([query, *[t for t in expansions if t.isascii()][:3]])

@dataclass(frozen=True)
class Fusion:
    """How the two rankers combine.

    "weighted" (default): score = sum of weight x (ranker score / best score of that ranker), so
    strong lexical evidence (an exact clause, a translated term) can outweigh a vague dense match.
    "rrf": reciprocal rank, weight / (k0 + rank); ignores score gaps.

    The dense ranker gives two lists: passages in the query's language (Chinese or not) and passages
    in the other. A multilingual model of this size prefers any passage in the query's own language
    to the right one in the other (docs/benchmarks/embedding_models.md: cross-language recall@5 near
    0 in one mixed list, 0.9 within the answer's language), so each list is scored against its own
    spread and they merge by z-score (`dense_merge="z"`), and BM25 with the glossary's translations
    decides between close calls. `dense_cjk` is the dense weight for Chinese
    queries: 0 with a model that does not read Chinese (wiring sets it). Glossary expansions count in
    BM25 at `translation` when in the other language than the query, else at `expansion`. Documents whose title or file
    name carries a rare word of the query (a company name) get a `named` share of a top vote.
    """

    method: str = "weighted"
    k0: int = 60
    # fitted on the tuning halves of the bilingual probe (worst direction's recall@5) and
    # financebench-pages (page recall@5) by python -m eval.tune_fusion; docs/benchmarks/fusion.json
    dense: float = 2.0
    dense_cjk: float = 0.0
    # "z": each language's dense list is scored against its own spread (z-score) and the two merge
    # into one list, so the other language's best passage counts only when it stands out as much;
    # "split": each list scaled to its own best and the other weighted `cross`
    dense_merge: str = "z"
    cross: float = 1.0  # the other language's dense list, relative to the query's own language's ("split")
    sparse: float = 1.0
    expansion: float = 0.3  # a synonym in the query's own language: the user already chose words
    translation: float = 1.0  # a term in the other language: the only way to reach those documents
    # each query word's dictionary translations in the other language (app/core/dictionary.py: CC-CEDICT), beside
    # the glossary's concepts; 0 turns them off. Bilingual probe, tuning half, recall@5 by `sme eval retrieval`:
    # zh→en 0.524 → 0.905, en→zh 0.600 → 0.733, same-language directions unchanged at 0.8; 0.9 gains a little
    # more, 1.0 loses an en→en and a zh→zh question, so 0.8, below that edge (docs/benchmarks/dictionary.json)
    dictionary: float = 0.8
    named: float = 1.0
    depth: int = 50
    page_share: float = 0.0  # a page's second-best chunk's share in each of its chunks' score (0: chunks alone)


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
    # SME_RERANKER_MODEL: a cross-encoder, or the embedding model over each candidate in its page
    rerank: Callable[[str, list[str]], list[float]] | None = None
    rerank_depth: int = 20
    rerank_weight: float = 1.0  # the reranker's share of the head's order; the fused hybrid score keeps the rest
    # a routed search (a company's filings) reranks its best pages, each read whole (its first
    # `rerank_page_chars` characters), not chunks: see _rerank_pages
    rerank_pages: int = 15
    rerank_page_chars: int = 1500
    rerank_page_weight: float = 1.0  # the reranker's share of a page's order (the embedding model: 0.2)
    # how much deeper than the first fetch the dense search may go for the other language: each round
    # reads the candidates' rows, so a one-language archive pays at most this factor, never the whole index
    cross_reach: int = 4
    router: Router | None = None  # company and period routing over the documents' metadata

    def search(self, query: str, principal: Principal, k: int = 10, filters: Filters | None = None) -> list[Hit]:
        return self.search_routed(query, principal, k, filters)[0]

    def search_routed(self, query: str, principal: Principal, k: int = 10,
                      filters: Filters | None = None) -> tuple[list[Hit], Route]:
        """The hits and the routing applied (which company and period the search was steered to)."""
        if not query.strip():
            raise InputError("query is empty")
        if not 1 <= k <= MAX_K:
            raise InputError(f"k must be between 1 and {MAX_K}")
        filters = filters or Filters()
        expansions = self.glossary.expansions(query)
        depth = max(self.fusion.depth, k * 3)
        rows: dict[int, Row] = {}
        route = Router.unrouted(filters) if self.router is None else self.router.route(query, allowed_tenants(principal), filters)
        fused = {} if route.hard else self._ranked(query, expansions, principal, filters, depth, rows)
        if self.router is not None and route.weights:
            fused = self.router.apply(self, route, fused, lambda r: r._ranked(query, expansions, principal, filters, depth, rows), rows)
            fused = self.router.rank_pages(self, route, fused, rows, query)
        fused = by_page(fused, lambda r: (rows[r]["doc_id"], rows[r]["page"]), self.fusion.page_share)
        best = sorted(fused, key=lambda r: -fused[r])
        if self.rerank is not None and best and route.weights and all(rows[r]["page"] for r in best[: self.rerank_pages]):
            best = self._rerank_pages(query, best, fused, rows)
        elif self.rerank is not None and best:
            head = best[: max(k, self.rerank_depth)]
            texts = [in_context(rows[r], self.lookup.page_text(rows[r]["doc_id"], rows[r]["page"] or 1)) for r in head]
            for rowid, score in zip(head, self._mix([fused[r] for r in head], self.rerank(query, texts))):
                fused[rowid] = score
            best = sorted(head, key=lambda r: -fused[r])
        best = best[:k]
        terms = query_terms(query, expansions)
        return [_hit(rows[r], fused[r], terms) for r in best], route

    def _ranked(self, query: str, expansions: list[str], principal: Principal, filters: Filters, depth: int,
                rows: dict[int, Row]) -> dict[int, float]:
        """Dense and BM25 fused, documents named in the query raised."""
        named_docs = self.names.documents_named_in(query)
        dense_weight = self.fusion.dense_cjk if cjk_ratio(query) > 0.5 else self.fusion.dense
        own, other = self._dense(query, expansions, principal, filters, depth, rows) if dense_weight else ([], [])
        if self.fusion.dense_merge == "z":
            own, other = calibrated(own, other), []
        rankings = [
            (dense_weight, own),
            (dense_weight * self.fusion.cross, other),
            (self.fusion.sparse, self._sparse(query, expansions, principal, filters, depth, rows)),
        ]
        fused = self._fuse(rankings)
        total = sum(weight for weight, ranked in rankings if ranked)
        # a top vote's share of the fused scale (the weighted sum tops out at the rankers' total weight)
        bonus = self.fusion.named * (1 / (self.fusion.k0 + 1) if self.fusion.method == "rrf" else total / 8)
        for rowid in fused:
            if rows[rowid]["doc_id"] in named_docs:
                fused[rowid] += bonus
        return fused

    def _rerank_pages(self, query: str, best: list[int], fused: dict[int, float], rows: dict[int, Row]) -> list[int]:
        """The best `rerank_pages` pages reranked by the reranker reading each page (its first
        `rerank_page_chars` characters: a filing page's head says what the page is about), mixed
        with the page's fused score as `_mix` does (a reranked page's chunks score 1 + that mix); their
        chunks keep their order within the page and rank above every other page's, which keep their
        order (scores rescaled below 1).
        Measured on financebench-scale (docs/eval/financebench-scale.md): chunks read in context lost
        page recall@5 on its tuning half, whole pages gained."""
        assert self.rerank is not None
        pages: dict[tuple[str, int], list[int]] = {}
        for r in best:
            pages.setdefault((str(rows[r]["doc_id"]), int(rows[r]["page"] or 1)), []).append(r)
        head = list(pages)[: self.rerank_pages]
        texts = [(self.lookup.page_text(*key) or str(rows[pages[key][0]]["text"]))[: self.rerank_page_chars] for key in head]
        mixed = self._mix([fused[pages[key][0]] for key in head], self.rerank(query, texts), self.rerank_page_weight)
        order = sorted(range(len(head)), key=lambda i: -mixed[i])
        for i in order:  # 1 and above: the page's mixed score, shared by its chunks
            for r in pages[head[i]]:
                fused[r] = 1.0 + mixed[i]
        rest = [r for key in list(pages)[len(head):] for r in pages[key]]
        top = max((fused[r] for r in rest), default=0.0) or 1.0
        for r in rest:  # below 1, in their order
            fused[r] = 0.999 * fused[r] / top
        out = [r for i in order for r in pages[head[i]]]
        return out + rest

    def _mix(self, fused: list[float], reranked: list[float], weight: float | None = None) -> list[float]:
        """Both scores scaled to 0..1 over the reranked head, then weighted (`weight`: the reranker's
        share, else rerank_weight)."""
        def scaled(values: list[float]) -> list[float]:
            lo, hi = min(values), max(values)
            return [(v - lo) / (hi - lo) if hi > lo else 1.0 for v in values]

        w = self.rerank_weight if weight is None else weight
        return [(1 - w) * f + w * r for f, r in zip(scaled(fused), scaled(reranked))]

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
               rows: dict[int, Row]) -> tuple[list[tuple[int, float]], list[tuple[int, float]]]:
        """(passages in the query's language, passages in the other), best first, `depth` each at
        most. The other language ranks below in the index, so the search reaches deeper for it,
        within a bound."""
        if self.index is None or self.index.size == 0:
            return [], []
        vector = self.embedder.embed_query([dense_text(query, expansions, self.embedder.multilingual)])
        chinese = cjk_ratio(query) > 0.5
        fetch, bound = depth * 2, depth * 2 * self.cross_reach
        while True:
            asked = min(fetch, self.index.size)
            # filtered inside the index: another tenant's volume neither costs this search nor crowds it out
            scores, ids = self.index.search(vector, asked, tenants=allowed_tenants(principal))
            score_of = {int(i): float(sc) for sc, i in zip(scores[0], ids[0]) if i >= 0}
            accepted = self._accept(list(score_of), principal, filters, rows)
            same = [i for i in accepted if chinese_chunk(rows[i]) == chinese]
            same_set = set(same)
            other = [i for i in accepted if i not in same_set]
            exhausted = fetch >= self.index.size or len(score_of) < asked
            if exhausted or (len(same) >= depth and (len(other) >= depth or fetch >= bound)):
                return ([(i, score_of[i]) for i in same[:depth]], [(i, score_of[i]) for i in other[:depth]])
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
        if self.fusion.dictionary:
            for t in load_dictionary().translate(own):
                if t not in own and t not in extra:
                    extra[t] = self.fusion.dictionary
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
        **doc_meta(row),
    )
