"""FAISS flat, HNSW and IVF-PQ at one collection size, each wrapped in an IndexIDMap2 as the product
wraps its index (app/adapters/faiss_index.py), with tenant filtering two ways: a selector in the
search parameters at the index's own setting, and the product's own path (`faiss_scope.Scope`:
an approximate index scans a scope of at most 65,536 ids exactly)."""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import faiss
import numpy as np

from app.adapters.faiss_scope import Scope
from eval.scale_measure import F32, I64, Tenant, measured, rss_mb

logger = logging.getLogger(__name__)
api: Any = faiss  # the stubs shipped with faiss lack the search parameter classes
BLOCK = 50_000


@dataclass
class Case:
    base: F32
    queries: F32
    truth: I64
    tenants: list[Tenant]
    tenant_truth: dict[str, I64]
    k: int = 10
    ef_grid: tuple[int, ...] = (16, 32, 64, 128, 256)
    nprobe_grid: tuple[int, ...] = (8, 16, 32, 64, 128)
    pq_m: tuple[int, ...] = (48, 96)
    train_sample: int = 50_000
    hnsw_budget_s: float = 480.0
    threads: int = 2  # for builds; single queries are timed on one thread
    results: dict[str, Any] = field(default_factory=dict)


def index_mb(index: faiss.Index) -> float:
    fd, path = tempfile.mkstemp(suffix=".faiss")
    os.close(fd)
    try:
        faiss.write_index(index, path)
        return round(os.path.getsize(path) / 2**20, 1)
    finally:
        os.unlink(path)


def threads(n: int) -> None:
    faiss.omp_set_num_threads(n)


def add_blocks(index: faiss.Index, base: F32, budget_s: float = float("inf")) -> tuple[int, float]:
    """Add in blocks of ids 0.., stopping after the block that crosses `budget_s`."""
    start = time.perf_counter()
    done = 0
    for lo in range(0, len(base), BLOCK):
        part = base[lo:lo + BLOCK]
        index.add_with_ids(part, np.arange(lo, lo + len(part), dtype=np.int64))
        done += len(part)
        if time.perf_counter() - start > budget_s and done < len(base):
            break
    return done, time.perf_counter() - start


def searcher(index: faiss.Index, k: int, params: Callable[[], Any] | None = None) -> Callable[[F32], I64]:
    def search(q: F32) -> I64:
        _, ids = index.search(q, k) if params is None else index.search(q, k, params=params())
        return ids[0]
    return search


def scope_searcher(scope: Scope, k: int) -> Callable[[F32], I64]:
    return lambda q: scope.search(q, k)[1][0]


def filtered(case: Case, index: faiss.Index, kind: str, param: Callable[..., Any] | None) -> dict[str, Any]:
    """Per tenant: the selector at this setting (`param` builds the parameters around a selector)."""
    out: dict[str, Any] = {}
    for tenant in case.tenants:
        sel = faiss.IDSelectorBatch(tenant.ids)
        make = (lambda sel=sel: api.SearchParameters(sel=sel)) if param is None else (lambda sel=sel: param(sel=sel))
        out[tenant.name] = measured(searcher(index, case.k, make), case.queries, case.tenant_truth[tenant.name])
    return out


def product_path(case: Case, index: faiss.Index, kind: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for tenant in case.tenants:
        scope = Scope(index, kind, tenant.ids)
        out[tenant.name] = {**measured(scope_searcher(scope, case.k), case.queries, case.tenant_truth[tenant.name]),
                            "exact_scan": bool(scope.small)}
        del scope
    return out


def flat(case: Case) -> dict[str, Any]:
    threads(case.threads)
    before = rss_mb()
    index = faiss.IndexIDMap2(faiss.IndexFlatIP(case.base.shape[1]))
    _, seconds = add_blocks(index, case.base)
    threads(1)
    out = {"build_s": round(seconds, 2), "rss_delta_mb": round(rss_mb() - before, 1), "index_mb": index_mb(index),
           "search": measured(searcher(index, case.k), case.queries, case.truth),
           "tenant_search": product_path(case, index, "flat")}
    del index
    return out


def hnsw(case: Case, m: int = 32) -> dict[str, Any]:
    threads(case.threads)
    before = rss_mb()
    inner = faiss.IndexHNSWFlat(case.base.shape[1], m, faiss.METRIC_INNER_PRODUCT)
    index = faiss.IndexIDMap2(inner)
    done, seconds = add_blocks(index, case.base, case.hnsw_budget_s)
    threads(1)
    out: dict[str, Any] = {"M": m, "efConstruction": int(inner.hnsw.efConstruction), "added": done,
                           "build_s": round(seconds, 2), "build_rate_per_s": round(done / seconds, 1),
                           "rss_delta_mb": round(rss_mb() - before, 1), "index_mb": index_mb(index)}
    if done < len(case.base):
        # a graph's insert cost grows ~log N: the measured rate over the first `done` is an upper bound
        out["extrapolated"] = {"note": "build stopped at the time budget; figures below are extrapolated, not measured",
                               "build_s_at_least": round(len(case.base) / out["build_rate_per_s"], 0),
                               "index_mb": round(out["index_mb"] * len(case.base) / done, 0)}
        del index
        return out
    grid: dict[str, Any] = {}
    for ef in case.ef_grid:
        inner.hnsw.efSearch = ef
        grid[str(ef)] = {"search": measured(searcher(index, case.k), case.queries, case.truth),
                         "tenant_selector": filtered(case, index, "hnsw",
                                                     partial(api.SearchParametersHNSW, efSearch=ef))}
    out["efSearch"] = grid
    inner.hnsw.efSearch = 64
    out["tenant_search_product_ef64"] = product_path(case, index, "hnsw")
    del index
    return out


def ivfpq(case: Case) -> dict[str, Any]:
    n, d = case.base.shape
    nlist = int(4 * np.sqrt(n))
    rng = np.random.default_rng(5)
    sample = case.base[np.sort(rng.choice(n, min(case.train_sample, n), replace=False))]
    quantizer = faiss.IndexFlatIP(d)
    out: dict[str, Any] = {"nlist": nlist, "train_sample": len(sample),
                           "train_note": "the first m trains the coarse centroids and its PQ, later ones their PQ only"}
    for m in case.pq_m:
        threads(case.threads)
        before = rss_mb()
        inner = faiss.IndexIVFPQ(quantizer, d, nlist, m, 8, faiss.METRIC_INNER_PRODUCT)
        t = time.perf_counter()
        inner.train(sample)  # the coarse centroids once (the second m reuses the trained quantizer)
        train_s = time.perf_counter() - t
        index = faiss.IndexIDMap2(inner)
        _, add_s = add_blocks(index, case.base)
        threads(1)
        res: dict[str, Any] = {"train_s": round(train_s, 2), "add_s": round(add_s, 2),
                               "build_s": round(train_s + add_s, 2),
                               "rss_delta_mb": round(rss_mb() - before, 1), "index_mb": index_mb(index)}
        grid: dict[str, Any] = {}
        for nprobe in case.nprobe_grid:
            inner.nprobe = nprobe
            grid[str(nprobe)] = {"search": measured(searcher(index, case.k), case.queries, case.truth),
                                 "tenant_selector": filtered(case, index, "ivf",
                                                             partial(api.SearchParametersIVF, nprobe=nprobe))}
            logger.info("ivfpq m=%d nprobe=%d: %s", m, nprobe, grid[str(nprobe)]["search"])
        res["nprobe"] = grid
        inner.nprobe = 32
        res["tenant_search_product_nprobe32"] = product_path(case, index, "ivf")
        out[f"m{m}"] = res
        del index
    return out


FAISS_KINDS: dict[str, Callable[[Case], dict[str, Any]]] = {"flat": flat, "hnsw": hnsw, "ivfpq": ivfpq}
