"""Lexical search latency: PgLexicalIndex (BM25 in PostgreSQL, shared by every host) against the
per-host Bm25Index over the same chunks.

    .venv/bin/python -m eval.bench_lexical --url postgresql://… [--plain-url postgresql://…]
        [--chunks 5000] [--queries 200] [--out FILE]

`--url` names an empty database (migrated here). Chunk texts are three sentences sampled from real
text (eval.bench_search.sentences), tokenized by the product's tokenizer, in documents of 50 chunks
over three tenants (public 50 %, bank-a 30 %, bank-b 20 %). Queries: bench_search's mix (half
Chinese clauses, half English questions), searched as a bank's user would (bank-a and public) for
the retriever's fetch depth (100). `--plain-url` (another empty database) times the same writes
with the lexical triggers off, so the checkpoint cost of keeping the index is measured too.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from app.adapters.bm25 import Bm25Index
from app.adapters.pg.documents import PgDocumentStore
from app.adapters.pg.lexical import PgLexicalIndex
from app.adapters.store import Batch
from app.core.tokenize import tokens
from app.core.types import Chunk, Document
from eval.bench_search import percentiles, query_mix, sentences

SHARES = {"public": 0.5, "bank-a": 0.3, "bank-b": 0.2}
SCOPE = {"bank-a", "public"}
PER_DOC = 50


def batches(n_chunks: int, pool: list[str]) -> list[Batch]:
    rng = random.Random(7)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    out, rowid = [], 1
    for tenant, share in SHARES.items():
        for d in range(int(n_chunks * share) // PER_DOC):
            batch, doc_id = Batch(), f"{tenant}-{d:05d}"
            batch.documents.append(Document(id=doc_id, source=f"{doc_id}.txt", kind="policy", tenant=tenant,
                                            title=doc_id, ingested_at=now, n_chunks=PER_DOC))
            for pos in range(PER_DOC):
                text = " ".join(rng.sample(pool, 3))
                chunk = Chunk(id=f"{doc_id}-{pos}", doc_id=doc_id, text=text, position=pos, page=1, section="",
                              element_types=(), span=(0, len(text)), embed_text=text)
                batch.chunks.append((rowid, chunk))
                batch.tokens[chunk.id] = tokens(text)
                rowid += 1
            out.append(batch)
    return out


def write(store: PgDocumentStore, work: list[Batch]) -> float:
    started = time.perf_counter()
    for batch in work:
        store.write_batch(batch, {})
    return time.perf_counter() - started


Search = Callable[[list[str], int, set[str] | None], list[tuple[int, float]]]


def timed(search: Search, queries: list[list[str]]) -> tuple[list[list[tuple[int, float]]], list[float]]:
    hits, times = [], []
    for q in queries:
        started = time.perf_counter()
        hits.append(search(q, 100, SCOPE))
        times.append(time.perf_counter() - started)
    return hits, times


def run(url: str, plain_url: str | None, n_chunks: int, n_queries: int) -> dict[str, object]:
    pool = sentences()
    work = batches(n_chunks, pool)
    store = PgDocumentStore(url)
    write_s = write(store, work)
    plain_s = None
    if plain_url:
        plain = PgDocumentStore(plain_url)
        plain.db.run("ALTER TABLE chunks DISABLE TRIGGER lexical_add")
        plain_s = write(plain, work)
        plain.close()
    started = time.perf_counter()
    bm25 = Bm25Index.assemble(store.sparse_keys(), store.sparse_tokens)
    build_s = time.perf_counter() - started
    store.db.run("VACUUM ANALYZE chunk_terms")  # what autovacuum does on a serving database: index-only scans
    pg = PgLexicalIndex(store.db)
    queries = [t for t in (tokens(q) for q in query_mix(pool, n_queries)) if t]
    timed(pg.search, queries[:20])  # warm the server's caches and plans, as a serving host's are
    timed(bm25.search, queries[:20])
    pg_hits, pg_times = timed(pg.search, queries)
    bm_hits, bm_times = timed(bm25.search, queries)
    same_top10 = sum([r for r, _ in a[:10]] == [r for r, _ in b[:10]] for a, b in zip(pg_hits, bm_hits))
    postings = store.db.run("SELECT count(*) AS n FROM chunk_terms").one()
    store.close()
    return {
        "chunks": sum(len(b.chunks) for b in work), "queries": len(queries),
        "postings": int(postings["n"]) if postings else 0,
        "write_s_with_lexical": round(write_s, 2), "write_s_without": None if plain_s is None else round(plain_s, 2),
        "bm25_build_s": round(build_s, 2),
        "pg_lexical": percentiles(pg_times), "bm25_in_process": percentiles(bm_times),
        "same_top10": f"{same_top10}/{len(queries)}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True)
    parser.add_argument("--plain-url")
    parser.add_argument("--chunks", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    report = run(args.url, args.plain_url, args.chunks, args.queries)
    text = json.dumps(report, indent=2, ensure_ascii=False)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
