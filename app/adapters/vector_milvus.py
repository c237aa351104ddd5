"""Milvus behind the vector-index port: Milvus Lite (a local `.db` file, embedded) for tests and
single hosts, the same client against a Milvus cluster (`http://host:19530`) for several hosts.

Each vector row carries its chunk's tenant and document kind, so a search given the caller's
tenants (and kinds) filters inside the engine (a boolean expression over indexed scalar fields),
never after it: another tenant's volume costs the caller nothing and no other tenant's id comes
back. The port's `add(ids, vectors)` does not say whose chunks they are, so the index asks
`owners` (the metadata store, or the ingest batch being written) unless `add` is told.
Inner product over an HNSW graph (M=32), as FAISS's HNSW in `faiss_index.py`; see
docs/benchmarks/vector_engines.md for why Milvus.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Collection, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from pymilvus import DataType, MilvusClient

from app.adapters.faiss_scope import empty
from app.core.ports import Vectors

logger = logging.getLogger(__name__)
Owners = Callable[[Sequence[int]], Sequence[tuple[str, str]]]  # chunk ids -> (tenant, kind) each
NAME_MAX = 128


def _in(field: str, values: Collection[str]) -> str:
    """`field in [...]` with each value quoted as a JSON string (Milvus expressions accept them)."""
    return f"{field} in [{', '.join(json.dumps(v) for v in sorted(values))}]"


def filter_expr(tenants: Collection[str] | None, kinds: Collection[str] | None) -> str:
    parts = [_in(name, values) for name, values in (("tenant", tenants), ("kind", kinds)) if values is not None]
    return " and ".join(parts)


class MilvusIndex:
    kind = "milvus"

    def __init__(self, client: MilvusClient, collection: str, dim: int, owners: Owners | None = None,
                 ef: int = 64) -> None:
        self._client, self.collection, self._dim = client, collection, dim
        self._owners = owners
        self.ef = ef

    @classmethod
    def open(cls, uri: str, dim: int, collection: str = "chunks", owners: Owners | None = None,
             hnsw_m: int = 32) -> MilvusIndex:
        """Connect (a path ending in .db starts Milvus Lite) and create the collection if missing."""
        client = MilvusClient(uri)
        index = cls(client, collection, dim, owners)
        index._create(hnsw_m)
        return index

    def _create(self, hnsw_m: int = 32) -> None:
        """Strong consistency: a vector upserted through one host is seen by the next search on any."""
        client = self._client
        if not client.has_collection(self.collection):
            client.create_collection(self.collection, schema=_schema(client, self._dim),
                                     index_params=_indexes(client, hnsw_m), consistency_level="Strong")
        client.load_collection(self.collection)

    def clear(self, hnsw_m: int = 32) -> None:
        """Drop every vector (a rebuild re-adds them all)."""
        self._client.drop_collection(self.collection)
        self._create(hnsw_m)

    def scope_by(self, owners: Owners) -> None:
        self._owners = owners

    @property
    def dim(self) -> int:
        return self._dim

    @property
    def size(self) -> int:
        rows = self._client.query(self.collection, filter="", output_fields=["count(*)"])
        return int(rows[0]["count(*)"]) if rows else 0

    def add(self, ids: Sequence[int], vectors: Vectors, owners: Sequence[tuple[str, str]] | None = None) -> None:
        if len(ids) == 0:
            return
        labels = owners if owners is not None else self._labels(ids)
        vecs = np.ascontiguousarray(vectors, dtype=np.float32)
        rows = [{"id": int(i), "vec": vecs[n], "tenant": t, "kind": k}
                for n, (i, (t, k)) in enumerate(zip(ids, labels, strict=True))]
        self._client.upsert(self.collection, rows)

    def _labels(self, ids: Sequence[int]) -> Sequence[tuple[str, str]]:
        if self._owners is None:
            raise ValueError("MilvusIndex.add needs each chunk's tenant and kind: pass owners or call scope_by first")
        return self._owners(ids)

    def vectors(self, ids: Sequence[int]) -> dict[int, np.ndarray]:
        """The stored vectors of these ids (those present)."""
        if not len(ids):
            return {}
        rows = self._client.get(self.collection, ids=[int(i) for i in ids], output_fields=["vec"])
        return {int(r["id"]): np.asarray(r["vec"], dtype=np.float32) for r in rows}

    def remove(self, ids: Sequence[int]) -> None:
        if len(ids):
            self._client.delete(self.collection, ids=[int(i) for i in ids])

    def search(self, query: Vectors, k: int, tenants: Collection[str] | None = None,
               kinds: Collection[str] | None = None) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int64]]:
        """The k nearest ids per row, only of `tenants`' chunks (and `kinds`) when given, padded
        with id -1 and score -inf like FAISS."""
        q = np.ascontiguousarray(query, dtype=np.float32)
        scores, found = empty(len(q), k)
        if len(q) == 0 or (tenants is not None and not tenants) or (kinds is not None and not kinds):
            return scores, found
        params: dict[str, Any] = {"metric_type": "IP", "params": {"ef": max(self.ef, k)}}
        hits = self._client.search(self.collection, data=list(q), limit=k, filter=filter_expr(tenants, kinds),
                                   search_params=params, anns_field="vec", consistency_level="Strong")
        for row, row_hits in enumerate(hits):
            for col, hit in enumerate(row_hits[:k]):
                found[row, col], scores[row, col] = int(hit["id"]), float(hit["distance"])
        return scores, found

    def close(self) -> None:
        self._client.close()


def _schema(client: MilvusClient, dim: int) -> Any:
    schema = client.create_schema(auto_id=False)
    schema.add_field("id", DataType.INT64, is_primary=True)
    schema.add_field("vec", DataType.FLOAT_VECTOR, dim=dim)
    schema.add_field("tenant", DataType.VARCHAR, max_length=NAME_MAX)
    schema.add_field("kind", DataType.VARCHAR, max_length=NAME_MAX)
    return schema


def _indexes(client: MilvusClient, hnsw_m: int) -> Any:
    params = client.prepare_index_params()
    params.add_index(field_name="vec", index_type="HNSW", metric_type="IP", params={"M": hnsw_m, "efConstruction": 64})
    params.add_index(field_name="tenant", index_type="INVERTED")
    params.add_index(field_name="kind", index_type="INVERTED")
    return params
