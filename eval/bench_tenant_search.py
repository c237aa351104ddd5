"""A small tenant's search latency beside a big tenant (issue 18, finding 3).

    .venv/bin/python -m eval.bench_tenant_search [--big 22700] [--small 100] [--public 400] [--queries 200]

Tenant "bank-b" holds `--small` chunks, "public" `--public`; then "bank-a" adds `--big`. Chunk texts
are real sentences, vectors random unit vectors (what they are does not change the cost; a small
tenant's chunks sit deep in any ranking of a big index, as they do here). Queries are embedded by
the hashing embedder (English queries: it reads no Chinese, so a Chinese query would skip the dense
ranker), so the figures are search alone, without the model's ~10 ms per query.

Reported for bank-b, p50/p95 ms: the whole retriever (dense + BM25 + lookups) and the dense index
search alone (k=100), with bank-a absent, with bank-a and the filter after the search (the index
asked for every id, as before), and with bank-a and the filter inside the index
(`search(..., tenants=...)`); a view fixes which, whatever retrieve.py passes.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt

from app.adapters.embedder import HashingEmbedder
from app.adapters.faiss_index import FaissIndex
from app.adapters.kb import KnowledgeBase
from app.adapters.store import Batch
from app.core.retrieve import Retriever
from app.core.tokenize import tokens
from app.core.types import PUBLIC_TENANT, Chunk, Document, Principal
from app.settings import Settings
from app.wiring import Deps
from eval.bench_search import sentences

SMALL = Principal("bank-b", "rm")
DIM = 384


@dataclass
class TenantView:
    """The index with the filter fixed, whatever the retriever passes: the caller's tenants (inside
    the index), or None (every id: the retriever filters the rows afterwards, as before)."""

    index: FaissIndex
    tenants: Collection[str] | None

    @property
    def size(self) -> int:
        return self.index.size

    def add(self, ids: Sequence[int], vectors: npt.NDArray[np.float32],
            owners: Sequence[tuple[str, str]] | None = None) -> None:
        self.index.add(ids, vectors, owners)

    def remove(self, ids: Sequence[int]) -> None:
        self.index.remove(ids)

    def search(self, query: npt.NDArray[np.float32], k: int,
               tenants: Collection[str] | None = None) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int64]]:
        return self.index.search(query, k, tenants=self.tenants)


def add_tenant(settings: Settings, tenant: str, n_chunks: int, pool: list[str], per_doc: int = 50) -> None:
    kb = KnowledgeBase(settings)
    index = kb.index(dim=DIM)
    assert index is not None
    rng = np.random.default_rng(abs(hash(tenant)) % 2**32)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    rowid = kb.store.max_chunk_rowid() + 1
    batch = Batch()
    for d in range((n_chunks + per_doc - 1) // per_doc):
        count = min(per_doc, n_chunks - d * per_doc)
        doc_id = f"{tenant}-{d:06d}"
        batch.documents.append(Document(id=doc_id, source=f"bench/{doc_id}.txt", kind="general", tenant=tenant,
                                        title=f"{tenant} {d}", lang="en", ingested_at=now, n_chunks=count))
        for pos in range(count):
            text = " ".join(random.sample(pool, 3))
            chunk = Chunk(id=f"{doc_id}-{pos}", doc_id=doc_id, text=text, position=pos, page=1, section="",
                          element_types=("NarrativeText",), span=(0, len(text)), embed_text=text)
            batch.chunks.append((rowid + pos, chunk))
            batch.tokens[chunk.id] = tokens(text)
        vecs = rng.standard_normal((count, DIM)).astype(np.float32)
        index.add(list(range(rowid, rowid + count)), vecs / np.linalg.norm(vecs, axis=1, keepdims=True))
        rowid += count
    kb.commit(batch)
    kb.store.close()


def timed(fn: Callable[[str], object], queries: list[str]) -> dict[str, float]:
    for q in queries[:10]:  # warm caches (the scope, BM25, SQLite pages)
        fn(q)
    spent = []
    for q in queries:
        t = time.perf_counter()
        fn(q)
        spent.append(time.perf_counter() - t)
    cuts = statistics.quantiles(spent, n=100)
    return {"p50_ms": round(cuts[49] * 1000, 2), "p95_ms": round(cuts[94] * 1000, 2)}


def measure(settings: Settings, queries: list[str], scoped: bool) -> dict[str, object]:
    embedder = HashingEmbedder(DIM)
    deps = Deps(settings=settings, kb=KnowledgeBase(settings), embedder=embedder)
    retriever: Retriever = deps.retriever()
    index = retriever.index
    assert isinstance(index, FaissIndex)
    tenants = {SMALL.tenant, PUBLIC_TENANT}
    retriever = replace(retriever, index=TenantView(index, tenants if scoped else None))
    vectors = {q: embedder.embed_query([q]) for q in queries}
    return {
        "retriever": timed(lambda q: retriever.search(q, SMALL, k=10), queries),
        "dense_k100": timed(lambda q: index.search(vectors[q], 100, tenants=tenants if scoped else None), queries),
        "index_chunks": index.size,
    }


def run(big: int, small: int, public: int, n_queries: int, workdir: Path) -> dict[str, object]:
    random.seed(5)
    settings = Settings(data_dir=workdir / "data", embedder="hashing")
    pool = sentences()
    english = [s for s in pool if s.isascii()] or pool  # the dense ranker runs (the hashing embedder reads no Chinese)
    queries = [random.choice(english)[:80] for _ in range(n_queries)]
    add_tenant(settings, PUBLIC_TENANT, public, pool)
    add_tenant(settings, SMALL.tenant, small, pool)
    alone = measure(settings, queries, scoped=False)
    add_tenant(settings, "bank-a", big, pool)
    return {
        "chunks": {"bank-a": big, "bank-b": small, "public": public},
        "queries": n_queries,
        "bank_b_alone": alone,
        "bank_b_beside_a_filter_after_search": measure(settings, queries, scoped=False),
        "bank_b_beside_a_filter_in_index": measure(settings, queries, scoped=True),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--big", type=int, default=22_700)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--public", type=int, default=400)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        result = run(args.big, args.small, args.public, args.queries, Path(tmp))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
