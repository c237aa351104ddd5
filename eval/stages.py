"""One evaluation stage per process, so each stage's peak memory is its own (read by eval.all_run).

    .venv/bin/python -m eval.stages NAME [--dataset DIR] [--params JSON] --out FILE

Product stages call the product's own eval runners and benchmark functions; baseline stages call
eval.baseline. Every stage writes one JSON object; raw per-query timings are kept for the plots.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from eval import baseline


def product_retrieval(dataset: Path, depth: int = 100, curve_k: int = 20) -> dict[str, Any]:
    """eval.retrieval.run's path (same ingest, retriever, qrels and ids), timed per stage and query."""
    from app.core.types import Principal
    from app.settings import Settings
    from app.wiring import Deps
    from eval.metrics import dedupe
    from eval.retrieval import _materialise_corpus, corpus_id
    from ingest.pipeline import Ingestor, Target

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings().model_copy(update={"data_dir": Path(tmp) / "data"})
        corpus = _materialise_corpus(dataset, Path(tmp) / "corpus")
        deps = Deps.build(settings)
        deps.embedder.warm_up()  # model load is not ingest throughput, on either side
        started = time.perf_counter()
        report = Ingestor(settings, deps.kb, deps.embedder).run([corpus], Target(kind="general"))
        ingest_s = time.perf_counter() - started
        retriever, admin = deps.retriever(), Principal("public", "admin")
        queries = baseline._jsonl(dataset / "queries.jsonl")
        retriever.search(str(queries[0]["text"]), admin, k=depth)  # first call builds BM25 and loads the index
        doc_runs: dict[str, list[str]] = {}
        page_runs: dict[str, list[str]] = {}
        latencies, floor = [], []
        index = deps.kb.index()
        for q in queries:
            t = time.perf_counter()
            hits = retriever.search(str(q["text"]), admin, k=depth)
            latencies.append(time.perf_counter() - t)
            t = time.perf_counter()
            if index is not None:  # the floor: embed the query, search the raw FAISS index
                index.search(deps.embedder.embed_query([str(q["text"])]), 50)
            floor.append(time.perf_counter() - t)
            doc_runs[str(q["_id"])] = dedupe([corpus_id(h.source) for h in hits])
            page_runs[str(q["_id"])] = dedupe([f"{corpus_id(h.source)}#page={h.page or 1}" for h in hits])
    out = baseline._retrieval_result(dataset, doc_runs, page_runs, curve_k)
    return out | {"documents": report.counts.get("indexed", 0), "outcomes": report.counts, "chunks": report.chunks,
                  "ingest_s": round(ingest_s, 2), "search_latency_s": latencies, "floor_latency_s": floor}


def product_match(dataset: Path, limit: int | None = None) -> dict[str, Any]:
    from eval import match

    started = time.perf_counter()
    result = match.run(dataset, limit=limit)
    return result | {"seconds": round(time.perf_counter() - started, 2)}


def product_profile(dataset: Path) -> dict[str, Any]:
    from eval import profile

    started = time.perf_counter()
    result = profile.run(dataset)
    return result | {"seconds": round(time.perf_counter() - started, 2)}


def baseline_match(dataset: Path, limit: int | None = None) -> dict[str, Any]:
    started = time.perf_counter()
    return baseline.match(dataset, limit=limit) | {"seconds": round(time.perf_counter() - started, 2)}


def bench_ingest() -> dict[str, Any]:
    from eval import bench_ingest as bench

    with tempfile.TemporaryDirectory() as tmp:
        return bench.run(Path(tmp))


def bench_search(chunks: int = 100_000, queries: int = 200, index_type: str = "flat") -> dict[str, Any]:
    from eval import bench_search as bench

    with tempfile.TemporaryDirectory() as tmp:
        return bench.run(chunks, queries, Path(tmp), index_type)


def bench_profile(n: int = 1000, runs: tuple[tuple[int, str], ...] = ((1, "local"), (2, "local"), (2, "ray"))
                  ) -> dict[str, Any]:
    """eval.bench_profile's input and timing: (workers, engine) runs, Ray start-up included."""
    from eval import bench_profile as bench

    with tempfile.TemporaryDirectory() as tmp:
        src = bench.write_input(Path(tmp) / "enterprises.jsonl", n)
        timed = [bench.timed(src, Path(tmp) / f"out-{i}.jsonl", w, e, n) for i, (w, e) in enumerate(runs)]
    return {"enterprises": n, "runs": timed}


def product_chat(dataset: Path) -> dict[str, Any]:
    from eval import chat

    started = time.perf_counter()
    return chat.run(dataset) | {"seconds": round(time.perf_counter() - started, 1)}


def product_cleaning(dataset: Path) -> dict[str, Any]:
    from eval import cleaning

    started = time.perf_counter()
    result = cleaning.run(dataset)
    result.pop("tune_errors", None)  # lines for tuning, not for the report
    return result | {"seconds": round(time.perf_counter() - started, 1)}


def product_criteria(dataset: Path) -> dict[str, Any]:
    from eval import criteria

    started = time.perf_counter()
    result = criteria.run(dataset)
    result.pop("mismatches", None)  # clause by clause, for tuning (python -m eval.criteria), not for the report
    return result | {"seconds": round(time.perf_counter() - started, 2)}


STAGES: dict[str, Callable[..., dict[str, Any]]] = {
    "product_chat": product_chat, "product_cleaning": product_cleaning, "product_criteria": product_criteria,
    "product_retrieval": product_retrieval, "baseline_retrieval": baseline.retrieval,
    "product_match": product_match, "baseline_match": baseline_match,
    "product_profile": product_profile, "baseline_profile": baseline.profile,
    "bench_ingest": bench_ingest, "bench_search": bench_search, "bench_profile": bench_profile,
}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("name", choices=sorted(STAGES))
    ap.add_argument("--dataset", type=Path)
    ap.add_argument("--params", default="{}", help="keyword arguments as JSON")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    import logging

    logging.basicConfig(level=logging.WARNING)
    params = json.loads(args.params)
    if args.dataset is not None:
        params["dataset"] = args.dataset
    started = time.perf_counter()
    result = STAGES[args.name](**params)
    result["stage_seconds"] = round(time.perf_counter() - started, 2)
    args.out.write_text(json.dumps(result, ensure_ascii=False, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
