"""Vector indexes at 100,000 and 1,000,000 chunks (issue 15 item 5, issue 20 item 2).

    nice -n 10 .venv/bin/python -m eval.bench_index_scale [--sizes 100000 1000000] [--real 2000]
        [--queries 200] [--kinds flat hnsw ivfpq milvus_lite qdrant_local] [--out docs/benchmarks/index_scale.json]

Vectors: `eval.scale_vectors` (real passages embedded once by the shipped multilingual-e5-small, 384
d, the rest mixtures of them; real questions as queries). Per size: FAISS flat, HNSW (M=32, an
efSearch grid) and IVF-PQ (nlist = 4·sqrt(N), m = 48 and 96, trained on a 50k sample, an nprobe
grid), then Milvus Lite and Qdrant's local mode. Each reports build time, memory (index file size and
resident growth), single-query latency p50/p95 at k=10 on one thread, and recall@10 against exact
search, without a filter and for a tenant holding 1% and one holding 30% of the vectors (truth:
exact search over that tenant's vectors). Results merge into the JSON per size and kind, so a
later run of one kind or size keeps the others.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from app.adapters.e5_onnx import OnnxE5Embedder
from app.settings import Settings
from eval.index_scale_engines import ENGINES
from eval.index_scale_faiss import FAISS_KINDS, Case
from eval.scale_measure import exact, peak_rss_mb, rss_mb, tenants
from eval.scale_vectors import embedded, real_passages, real_queries, similarity_profile, synthetic

logger = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[1]
SHARES = {"tenant_1pct": 0.01, "tenant_30pct": 0.30}


def real_vectors(n_real: int, n_queries: int) -> tuple[np.ndarray, np.ndarray, str]:
    embedder = OnnxE5Embedder()
    embedder.warm_up()
    cache = Settings().cache_path
    queries = embedded(real_queries(n_queries), embedder.embed_query, "bench_scale_queries", embedder.model_id, cache)
    passages = embedded(real_passages()[:n_real], embedder.embed, "bench_scale_passages", embedder.model_id, cache)
    return passages, queries, embedder.model_id


def case_at(size: int, real: np.ndarray, queries: np.ndarray, args: argparse.Namespace) -> tuple[Case, dict[str, Any]]:
    t = time.perf_counter()
    base = synthetic(real, size)
    held = tenants(size, SHARES)
    truth = exact(base, queries, 10)
    tenant_truth = {h.name: exact(base, queries, 10, h.ids) for h in held}
    info = {"vectors": size, "queries": len(queries), "dim": int(base.shape[1]), "vectors_mb": round(base.nbytes / 2**20, 1),
            "prepare_s": round(time.perf_counter() - t, 1), "synthetic_profile": similarity_profile(base[len(real):]),
            "tenants": {h.name: len(h.ids) for h in held}}
    return Case(base, queries, truth, held, tenant_truth, hnsw_budget_s=args.hnsw_budget,
                threads=args.threads, pq_m=tuple(args.pq_m)), info


def run_size(size: int, real: np.ndarray, queries: np.ndarray, args: argparse.Namespace,
             report: dict[str, Any]) -> None:
    case, info = case_at(size, real, queries, args)
    entry = report.setdefault("sizes", {}).setdefault(str(size), {})
    entry["data"] = info
    for kind in args.kinds:
        run = FAISS_KINDS.get(kind) or ENGINES.get(kind)
        if run is None:
            raise SystemExit(f"unknown kind {kind}")
        logger.info("%d: %s (rss %.0f MB)", size, kind, rss_mb())
        t = time.perf_counter()
        try:
            load = os.getloadavg()[0]
            entry[kind] = {**run(case), "wall_s": round(time.perf_counter() - t, 1),
                           "load_avg_1m": [round(load, 1), round(os.getloadavg()[0], 1)]}
        except ImportError as exc:
            entry[kind] = {"skipped": f"not installed: {exc}"}
        logger.info("%d: %s done in %.0f s", size, kind, time.perf_counter() - t)
        write(report, args.out)


def write(report: dict[str, Any], out: Path) -> None:
    report["peak_rss_mb"] = max(report.get("peak_rss_mb", 0.0), peak_rss_mb())
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--real", type=int, default=2000, help="real passages embedded (then mixed)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--kinds", nargs="+", default=[*FAISS_KINDS, *ENGINES])
    parser.add_argument("--hnsw-budget", type=float, default=480.0, help="seconds of HNSW inserts, then extrapolate")
    parser.add_argument("--pq-m", type=int, nargs="+", default=[48, 96], help="IVF-PQ sub-quantizers")
    parser.add_argument("--threads", type=int, default=2, help="FAISS build threads (searches run on one)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks" / "index_scale.json")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    real, queries, model_id = real_vectors(args.real, args.queries)
    report: dict[str, Any] = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    report.update({"measured_at": datetime.now(UTC).isoformat(timespec="seconds"), "machine": platform.machine(),
                   "cpus": "2 cores shared with other work (nice 10); load_avg_1m per kind says how busy", "faiss": faiss.__version__, "embedder": model_id,
                   "real_passages": len(real), "queries": len(queries), "k": 10,
                   "real_profile": similarity_profile(real), "method": (__doc__ or "").strip().split("\n\n")[2]})
    for size in args.sizes:
        run_size(size, real, queries, args, report)
    logger.info("peak RSS %.0f MB", peak_rss_mb())


if __name__ == "__main__":
    main()
