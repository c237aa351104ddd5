"""FAISS vector index over int64 chunk ids, saved as FAISS's own file, written atomically.

flat (exact inner product) is the default; hnsw and ivf trade exactness for speed on large
collections. HNSW cannot delete, so removed ids stay in the graph and are filtered by the caller
(the metadata store no longer knows them) until the next rebuild. A search given the caller's
tenants looks only at their chunks, inside the index (`faiss_scope`).
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import faiss
import numpy as np
import numpy.typing as npt

from app.adapters.faiss_scope import Scopes, TenantIds, empty
from app.core.errors import IndexCorrupt
from app.core.ports import Vectors

logger = logging.getLogger(__name__)


FEW_ROWS = 8  # a search of this many query rows or fewer runs on one OpenMP thread


@contextmanager
def one_thread() -> Iterator[None]:
    """One OpenMP thread for what runs inside, in the calling thread only (OpenMP keeps the thread
    count per thread): a question's scan of 28k vectors takes ~2 ms on one core, while FAISS's
    default team of every core waited 13-26 ms at its barrier when the cores were busy with other
    requests and the model (financebench-scale's index, 2 cores). Builds and batched searches keep
    every core."""
    saved = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(saved)


def _build(dim: int, kind: str, hnsw_m: int = 32, nlist: int = 1024) -> faiss.Index:
    if kind == "hnsw":
        return faiss.IndexIDMap2(faiss.IndexHNSWFlat(dim, hnsw_m, faiss.METRIC_INNER_PRODUCT))
    if kind == "ivf":
        quantizer = faiss.IndexFlatIP(dim)
        return faiss.IndexIDMap2(faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT))
    return faiss.IndexIDMap2(faiss.IndexFlatIP(dim))


class FaissIndex:
    def __init__(self, index: faiss.Index, kind: str) -> None:
        self._index = index
        self.kind = kind
        self._pending: list[tuple[npt.NDArray[np.int64], Vectors]] = []  # IVF waits for training data
        self._scopes: Scopes | None = None
        self._positions: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] | None = None  # flat: sorted ids, rows

    def scope_by(self, tenant_ids: TenantIds) -> None:
        """Where a tenant's chunk ids come from; until set, a search's `tenants` is not applied."""
        self._scopes = Scopes(tenant_ids)

    @classmethod
    def create(cls, dim: int, kind: str = "flat", hnsw_m: int = 32, nlist: int = 1024) -> FaissIndex:
        return cls(_build(dim, kind, hnsw_m, nlist), kind)

    @classmethod
    def load(cls, path: Path, kind: str, checksum: str | None = None) -> FaissIndex:
        if checksum is not None and file_checksum(path) != checksum:
            raise IndexCorrupt(
                f"index file {path} does not match its recorded checksum; rebuild it with `sme index rebuild`"
            )
        try:
            index = faiss.read_index(str(path))
        except RuntimeError as exc:
            raise IndexCorrupt(f"index file {path} cannot be read ({exc}); rebuild it with `sme index rebuild`") from exc
        return cls(index, kind)

    def search_depth(self, hnsw_ef: int, ivf_nprobe: int) -> FaissIndex:
        """How far an approximate index looks per search (not stored with IVF, so set on every load)."""
        inner: Any = faiss.downcast_index(self._index.index)  # type: ignore[attr-defined]
        if hasattr(inner, "hnsw"):
            inner.hnsw.efSearch = hnsw_ef
        elif hasattr(inner, "nprobe"):  # an IVF saved before training holds its vectors flat
            inner.nprobe = min(ivf_nprobe, inner.nlist)
        return self

    @property
    def dim(self) -> int:
        return int(self._index.d)

    @property
    def size(self) -> int:
        return int(self._index.ntotal) + sum(len(ids) for ids, _ in self._pending)

    def add(self, ids: Sequence[int], vectors: Vectors, owners: Sequence[tuple[str, str]] | None = None) -> None:
        """`owners` unused: a scoped search asks the store for a tenant's ids (scope_by)."""
        if len(ids) == 0:
            return
        ids_arr = np.asarray(ids, dtype=np.int64)
        vecs = np.ascontiguousarray(vectors, dtype=np.float32)
        inner = faiss.downcast_index(self._index.index)  # type: ignore[attr-defined]  # IndexIDMap2 wraps it
        if not inner.is_trained:
            self._pending.append((ids_arr, vecs))
            self._train_if_ready(inner)
            return
        self._index.add_with_ids(vecs, ids_arr)
        self._changed()

    def _changed(self) -> None:
        self._positions = None
        if self._scopes is not None:
            self._scopes.clear()

    def _flat_vectors(self, ids: Sequence[int]) -> dict[int, np.ndarray]:
        """A flat index's rows read where FAISS keeps them (one array), found by id with a sorted
        copy of its id map: a routed search reads thousands of vectors, ~7 us each one at a time."""
        if self._positions is None:
            id_map = faiss.vector_to_array(self._index.id_map)  # type: ignore[attr-defined]
            order = np.argsort(id_map, kind="stable")
            self._positions = (id_map[order], order)
        known, position = self._positions
        wanted = np.asarray(ids, dtype=np.int64)
        if not len(known) or not len(wanted):
            return {}
        at = np.minimum(np.searchsorted(known, wanted), len(known) - 1)
        found = known[at] == wanted
        inner: Any = faiss.downcast_index(self._index.index)  # type: ignore[attr-defined]
        rows = faiss.rev_swig_ptr(inner.get_xb(), inner.ntotal * inner.d).reshape(inner.ntotal, inner.d)
        chosen = np.array(rows[position[at[found]]], dtype=np.float32)  # a copy: the index may grow
        return {int(i): chosen[j] for j, i in enumerate(wanted[found])}

    def _train_if_ready(self, inner: faiss.Index) -> None:
        count = sum(len(i) for i, _ in self._pending)
        if count < 39 * inner.nlist:  # type: ignore[attr-defined]
            return
        vecs = np.vstack([v for _, v in self._pending])
        ids = np.concatenate([i for i, _ in self._pending])
        inner.train(vecs)
        self._pending.clear()
        self._index.add_with_ids(vecs, ids)
        self._changed()

    def vectors(self, ids: Sequence[int]) -> dict[int, np.ndarray]:
        """The stored vectors of these ids, where the index can give them back (not IVF)."""
        if self.kind == "flat" and not self._pending:
            return self._flat_vectors(ids)
        out: dict[int, np.ndarray] = {}
        for rid in ids:
            try:
                out[rid] = np.asarray(self._index.reconstruct(int(rid)), dtype=np.float32)
            except RuntimeError:  # an id not in the index, or an index that cannot reconstruct
                continue
        return out

    def remove(self, ids: Sequence[int]) -> None:
        if len(ids) and self.kind != "hnsw":
            self._index.remove_ids(np.asarray(ids, dtype=np.int64))  # type: ignore[arg-type]
            self._changed()

    def search(self, query: Vectors, k: int,
               tenants: Collection[str] | None = None) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int64]]:
        """The k nearest ids per query row; with `tenants`, only ids of those tenants' chunks (padded
        with -1 when they hold fewer than k), once the knowledge base has said who owns which."""
        q = np.ascontiguousarray(query, dtype=np.float32)
        if len(q) <= FEW_ROWS:
            with one_thread():
                return self._search(q, k, tenants)
        return self._search(q, k, tenants)

    def _search(self, q: npt.NDArray[np.float32], k: int,
                tenants: Collection[str] | None) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int64]]:
        scoped = tenants is not None and self._scopes is not None
        if self._index.ntotal == 0:
            return self._search_pending(q, k, tenants if scoped else None)
        if scoped:
            assert self._scopes is not None and tenants is not None
            return self._scopes.get(self._index, self.kind, tenants).search(q, k)
        scores, ids = self._index.search(q, k)
        return scores, ids

    def _search_pending(self, query: Vectors, k: int,
                        tenants: Collection[str] | None) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int64]]:
        """An untrained IVF index searches its pending vectors exactly."""
        if not self._pending:
            return empty(len(query), k)
        vecs = np.vstack([v for _, v in self._pending])
        ids = np.concatenate([i for i, _ in self._pending])
        if tenants is not None and self._scopes is not None:
            keep = np.isin(ids, np.concatenate([self._scopes.tenant_ids(t) for t in tenants] or [ids[:0]]))
            vecs, ids = vecs[keep], ids[keep]
            if len(ids) == 0:
                return empty(len(query), k)
        flat = faiss.IndexIDMap2(faiss.IndexFlatIP(vecs.shape[1]))
        flat.add_with_ids(vecs, ids)
        scores, found = flat.search(np.ascontiguousarray(query, dtype=np.float32), k)
        return scores, found

    def save(self, path: Path) -> str:
        """Write to a temporary file, fsync, then rename: a crash leaves the old file intact."""
        index = self._index
        if self._pending:  # persist an untrained IVF as flat so nothing is lost
            index = faiss.IndexIDMap2(faiss.IndexFlatIP(self.dim))
            for ids, vecs in self._pending:
                index.add_with_ids(vecs, np.asarray(ids, dtype=np.int64))
        tmp = path.with_suffix(path.suffix + ".tmp")
        faiss.write_index(index, str(tmp))
        tmp.chmod(0o600)  # every tenant's vectors: the service's user only, whatever the umask
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        return file_checksum(path)


def file_checksum(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
