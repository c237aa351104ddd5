"""Dense search restricted to what a caller may read, inside the FAISS index.

Searching everything and filtering afterwards makes a small tenant pay for a big one: its few
visible chunks sit deep in the ranking, so the caller fetches (and looks up) most of the index
before it has enough. A scope is the sorted ids of the chunks some tenants own; FAISS skips every
other id during the search (an `IDSelectorBatch` in the search parameters). An approximate index
searches a scope small enough to scan exactly (HNSW: the scope's own vectors as a matrix; IVF:
every list probed), since a graph or one probed list filtered down to a few members returns too
few hits.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection
from typing import Any

import faiss
import numpy as np
import numpy.typing as npt

TenantIds = Callable[[str], npt.NDArray[np.int64]]  # a tenant's chunk ids with a vector, from the metadata store
Result = tuple[npt.NDArray[np.float32], npt.NDArray[np.int64]]
EXACT_MAX = 65_536  # an approximate index scans a visible set this small exactly (~25 ms at 384 d)
CACHED_SCOPES = 256
CACHED_BYTES = 512 * 1024 * 1024  # scopes' vector matrices kept at most (HNSW), then all rebuilt on demand


def empty(n: int, k: int) -> Result:
    return np.full((n, k), -np.inf, np.float32), np.full((n, k), -1, np.int64)


def top_k(scores: npt.NDArray[np.float32], ids: npt.NDArray[np.int64], k: int) -> Result:
    """The k best of each row of `scores` (queries x candidates), padded like FAISS."""
    n = scores.shape[0]
    out_scores, out_ids = empty(n, k)
    take = min(k, scores.shape[1])
    if take == 0:
        return out_scores, out_ids
    best = np.argpartition(-scores, take - 1, axis=1)[:, :take]
    order = np.take_along_axis(scores, best, axis=1).argsort(axis=1)[:, ::-1]
    best = np.take_along_axis(best, order, axis=1)
    out_scores[:, :take] = np.take_along_axis(scores, best, axis=1)
    out_ids[:, :take] = ids[best]
    return out_scores, out_ids


class Scope:
    """The ids some tenants may see in one index, and how to search only them."""

    def __init__(self, index: faiss.Index, kind: str, ids: npt.NDArray[np.int64]) -> None:
        self.index, self.kind, self.ids = index, kind, ids
        self.selector = faiss.IDSelectorBatch(ids)
        self.small = len(ids) <= EXACT_MAX
        # HNSW gives its vectors back: a small scope is scanned as a matrix (the graph, filtered
        # down to a few members, would return too few); IVF probes every list for a small scope
        self.vectors = (np.asarray(index.reconstruct_batch(ids), dtype=np.float32)
                        if kind == "hnsw" and self.small and len(ids) else None)

    @property
    def nbytes(self) -> int:
        return int(self.ids.nbytes) + (0 if self.vectors is None else int(self.vectors.nbytes))

    def search(self, query: npt.NDArray[np.float32], k: int) -> Result:
        if len(self.ids) == 0:
            return empty(len(query), k)
        if self.vectors is not None:
            return top_k(query @ self.vectors.T, self.ids, k)
        scores, ids = self.index.search(query, k, params=self._params())
        return scores, ids

    def _params(self) -> Any:
        """New per call: the ID map swaps the selector inside the parameters while it searches."""
        inner: Any = faiss.downcast_index(self.index.index)  # type: ignore[attr-defined]
        api: Any = faiss  # the stubs shipped with faiss lack the search parameter classes
        if self.kind == "hnsw":
            return api.SearchParametersHNSW(sel=self.selector, efSearch=inner.hnsw.efSearch)
        if self.kind == "ivf":
            return api.SearchParametersIVF(sel=self.selector, nprobe=inner.nlist if self.small else inner.nprobe)
        return api.SearchParameters(sel=self.selector)


class Scopes:
    """Scopes of one index, built on first use per set of tenants; forgotten when the index changes."""

    def __init__(self, tenant_ids: TenantIds) -> None:
        self.tenant_ids = tenant_ids
        self._built: dict[frozenset[str], Scope] = {}
        self._lock = threading.Lock()

    def get(self, index: faiss.Index, kind: str, tenants: Collection[str]) -> Scope:
        key = frozenset(tenants)
        with self._lock:
            scope = self._built.get(key)
        if scope is not None:
            return scope
        owned = [self.tenant_ids(t) for t in sorted(key)]
        wanted = np.unique(np.concatenate(owned)) if owned else np.zeros(0, np.int64)
        present = faiss.vector_to_array(index.id_map)  # type: ignore[attr-defined]  # ids a newer commit added are not here yet
        scope = Scope(index, kind, np.intersect1d(wanted, present).astype(np.int64))
        with self._lock:
            held = sum(s.nbytes for s in self._built.values())
            if len(self._built) >= CACHED_SCOPES or held + scope.nbytes > CACHED_BYTES:
                self._built.clear()
            self._built[key] = scope
        return scope

    def clear(self) -> None:
        with self._lock:
            self._built.clear()
