"""Search latency benchmark: POST /v1/search over HTTP on a >= 100,000-chunk index.

    .venv/bin/python -m eval.bench_search [--chunks 100000] [--queries 200] [--out FILE]

The index is filled with chunk texts sampled from real sentences (../shared cn-laws and the
fixture corpus) and random unit vectors (embedding 100k chunks would take ~30 min here and does
not change search cost). Queries: half short Chinese clauses, half English questions (financebench
questions when present), embedded by the real model at query time.
Reported next to the floor measured in the same run: query embedding + raw FAISS search.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import numpy as np

from app.adapters.faiss_index import FaissIndex
from app.adapters.kb import KnowledgeBase
from app.adapters.keys import KeyStore
from app.adapters.store import Batch
from app.core.tokenize import tokens
from app.core.types import Chunk, Document
from app.settings import Settings
from app.wiring import make_embedder
from eval.corpus_gen import FIXTURES, SHARED


def sentences() -> list[str]:
    texts = [p.read_text(encoding="utf-8", errors="ignore") for p in (SHARED / "corpus" / "cn-laws").glob("*.md")]
    texts += [p.read_text(encoding="utf-8", errors="ignore") for p in FIXTURES.glob("*.md")]
    out = [s.strip() for t in texts for s in re.split(r"(?<=[。！？.!?])\s*|\n+", t) if len(s.strip()) > 15]
    return out or ["Aurora Innovation builds solid-state LiDAR for logistics robots."]


def query_mix(pool: list[str], n: int) -> list[str]:
    """Half Chinese (a clause's first 12-24 characters, as an RM would type), half English questions."""
    rng = random.Random(11)
    chinese = [s[: rng.randint(12, 24)] for s in pool if "\u4e00" <= s[0] <= "\u9fff"]
    english = [s for s in pool if s.isascii()]
    fb = SHARED / "eval" / "financebench-pages" / "queries.jsonl"
    if fb.exists():
        english += [json.loads(line)["text"] for line in fb.read_text(encoding="utf-8").splitlines() if line.strip()]
    english = english or ["What was the revenue growth in 2023?"]
    return [rng.choice(chinese or english) if i % 2 else rng.choice(english) for i in range(n)]


def fill(settings: Settings, n_chunks: int, pool: list[str], dim: int, per_doc: int = 50) -> None:
    kb = KnowledgeBase(settings)
    rng = np.random.default_rng(7)
    index = FaissIndex.create(dim, settings.index_type)
    kb._index = index
    now = datetime.now(UTC).isoformat(timespec="seconds")
    rowid = 1
    for d in range(n_chunks // per_doc):
        batch = Batch()
        doc_id = f"bench{d:06d}"
        batch.documents.append(Document(id=doc_id, source=f"bench/{doc_id}.txt", kind="policy", title=f"Bench {d}",
                                        lang="zh-Hans", ingested_at=now, status="indexed", n_chunks=per_doc))
        texts = [" ".join(random.sample(pool, 3)) for _ in range(per_doc)]
        for pos, text in enumerate(texts):
            chunk = Chunk(id=f"{doc_id}-{pos}", doc_id=doc_id, text=text, position=pos, page=1 + pos // 5,
                          section="", element_types=("NarrativeText",), span=(0, len(text)), embed_text=text)
            batch.chunks.append((rowid, chunk))
            batch.tokens[chunk.id] = tokens(text)
            rowid += 1
        vecs = rng.standard_normal((per_doc, dim)).astype(np.float32)
        index.add(list(range(rowid - per_doc, rowid)), vecs / np.linalg.norm(vecs, axis=1, keepdims=True))
        if d % 200 == 199 or (d + 1) * per_doc >= n_chunks:
            kb.commit(batch)
        else:
            kb.store.write_batch(batch, {})
    kb.sparse()  # build and save BM25 once, as the server would on first search


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentiles(values: list[float]) -> dict[str, float]:
    q = statistics.quantiles(values, n=100)
    return {"p50_ms": round(q[49] * 1000, 2), "p95_ms": round(q[94] * 1000, 2), "mean_ms": round(statistics.fmean(values) * 1000, 2)}


def run(n_chunks: int, n_queries: int, workdir: Path, index_type: str = "flat") -> dict[str, object]:
    settings = Settings(data_dir=workdir / "data", index_type=index_type)
    pool = sentences()
    embedder = make_embedder(settings)
    embedder.warm_up()
    started = time.perf_counter()
    fill(settings, n_chunks, pool, embedder.dim)
    build_s = time.perf_counter() - started
    queries = query_mix(pool, n_queries)

    kb = KnowledgeBase(settings)
    index = kb.index()
    assert index is not None
    floor = []
    for q in queries:  # the floor: embed the query and search the raw index, nothing else
        t = time.perf_counter()
        index.search(embedder.embed_query([q]), 50)
        floor.append(time.perf_counter() - t)

    key, _ = KeyStore(settings.keys_path).create("bench", "rm")
    port = free_port()
    # the benchmark fires queries back to back from one key: it measures search, not the per-key rate limiter
    env = {**os.environ, "SME_DATA_DIR": str(settings.data_dir), "SME_INDEX_TYPE": index_type, "SME_RATE_LIMIT_PER_S": "0"}
    server = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        http = httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {key}"}, timeout=60)
        deadline = time.time() + 180
        while time.time() < deadline:
            try:
                if http.get("/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.5)
        for q in queries[:10]:  # warm caches
            http.post("/v1/search", json={"query": q, "k": 10})
        latencies = []
        for q in queries:
            t = time.perf_counter()
            r = http.post("/v1/search", json={"query": q, "k": 10})
            latencies.append(time.perf_counter() - t)
            assert r.status_code == 200, r.text
    finally:
        server.terminate()
        server.wait(timeout=30)
    http_stats, floor_stats = percentiles(latencies), percentiles(floor)
    chinese = [i for i, q in enumerate(queries) if not q.isascii()]
    english = [i for i, q in enumerate(queries) if q.isascii()]
    by_language = {
        name: {"queries": len(ix), "http": percentiles([latencies[i] for i in ix]),
               "floor": percentiles([floor[i] for i in ix])}
        for name, ix in (("chinese", chinese), ("english", english)) if len(ix) > 2
    }
    return {
        "chunks": index.size,
        "index_type": index_type,
        "queries": n_queries,
        "index_build_s": round(build_s, 1),
        "http_search": http_stats,
        "floor_embed_plus_faiss": floor_stats,
        "p50_ratio_http_to_floor": round(http_stats["p50_ms"] / floor_stats["p50_ms"], 2),
        "by_query_language": by_language,
        "note": "Chinese queries skip the dense ranker (SME_DENSE_WEIGHT_CJK=0), so they can beat the floor",
        "goal_p50_ms": 50,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--index-type", choices=("flat", "hnsw", "ivf"), default="flat")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        result = run(args.chunks, args.queries, Path(tmp), args.index_type)
    out = args.out or Path("eval/reports") / str(date.today()) / f"bench_search_{args.index_type}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
