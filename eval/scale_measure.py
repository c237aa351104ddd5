"""What the index-scale benchmark measures of any index: latency percentiles of single queries,
recall@k against exact results, resident memory, and tenants drawn over the ids."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import psutil

F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]
Search = Callable[[F32], I64]  # one query row (1 x d) in, its k ids (k,) out


@dataclass(frozen=True)
class Tenant:
    name: str
    share: float
    ids: I64  # sorted


def tenants(n: int, shares: dict[str, float], seed: int = 11) -> list[Tenant]:
    """Disjoint tenants holding these shares of ids 0..n-1, scattered (ingested over time, between
    other tenants' documents, as in a shared index)."""
    order = np.random.default_rng(seed).permutation(n)
    out, start = [], 0
    for name, share in shares.items():
        count = round(n * share)
        out.append(Tenant(name, share, np.sort(order[start:start + count]).astype(np.int64)))
        start += count
    return out


def exact(base: F32, queries: F32, k: int, ids: I64 | None = None, block: int = 200_000) -> I64:
    """The exact top-k ids by inner product, over all rows or over `ids`, in blocks (bounded memory)."""
    rows = np.arange(len(base), dtype=np.int64) if ids is None else ids
    best_s = np.full((len(queries), k), -np.inf, np.float32)
    best_i = np.full((len(queries), k), -1, np.int64)
    for start in range(0, len(rows), block):
        part = rows[start:start + block]
        scores = queries @ base[part].T
        all_s = np.hstack([best_s, scores])
        all_i = np.hstack([best_i, np.broadcast_to(part, scores.shape)])
        top = np.argpartition(-all_s, k - 1, axis=1)[:, :k]
        best_s, best_i = np.take_along_axis(all_s, top, 1), np.take_along_axis(all_i, top, 1)
    order = np.argsort(-best_s, axis=1)
    return np.take_along_axis(best_i, order, 1)


def recall(found: I64, truth: I64) -> float:
    k = truth.shape[1]
    hits = [len(set(f[f >= 0].tolist()) & set(t.tolist())) for f, t in zip(found, truth, strict=True)]
    return round(sum(hits) / (k * len(truth)), 4)


def timed(search: Search, queries: F32, warm: int = 5) -> tuple[dict[str, float], I64]:
    """p50/p95 ms of one query at a time, and every query's ids (for recall)."""
    for row in range(min(warm, len(queries))):
        search(queries[row:row + 1])
    spent, found = [], []
    for row in range(len(queries)):
        t = time.perf_counter()
        found.append(search(queries[row:row + 1]))
        spent.append(time.perf_counter() - t)
    cuts = statistics.quantiles(spent, n=100)
    return {"p50_ms": round(cuts[49] * 1000, 3), "p95_ms": round(cuts[94] * 1000, 3)}, np.vstack(found)


def measured(search: Search, queries: F32, truth: I64) -> dict[str, float]:
    lat, found = timed(search, queries)
    return {**lat, "recall_at_10": recall(found, truth)}


def rss_mb() -> float:
    """Resident memory after handing freed heap back to the system (else a freed buffer hides growth)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    return round(psutil.Process().memory_info().rss / 2**20, 1)


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
