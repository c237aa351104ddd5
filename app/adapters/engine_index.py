"""A vector engine (Milvus) as the knowledge base's index, with SME_VECTOR_STORE=milvus://…; FAISS
files stay the default. pymilvus loads only then.

The engine is live, not a file saved at commit: a vector added goes in at once, and is unreachable
until its chunk's rows commit (searches resolve ids through the store, which knows only committed,
indexed chunks; a failed batch's rowids are handed out again and upserted over). Removals wait for
the commit, so a batch that fails to commit leaves the previous document searchable."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from app.core.errors import ConfigError
from app.core.ports import Vectors

if TYPE_CHECKING:
    from app.adapters.vector_milvus import MilvusIndex, Owners

SCHEME = "milvus://"


def engine_uri(setting: str) -> str:
    """milvus://host:port → http://host:port (a server); milvus:///abs/x.db, milvus://./x.db or any
    path ending in .db → that Milvus Lite file (one process may hold it)."""
    if not setting.startswith(SCHEME):
        raise ConfigError(f"SME_VECTOR_STORE must start with {SCHEME} (milvus://host:19530 or milvus:///path/index.db)")
    rest = setting[len(SCHEME):]
    if not rest:
        raise ConfigError("SME_VECTOR_STORE names no Milvus server or Milvus Lite file")
    if rest.startswith(("/", ".")) or rest.endswith(".db"):
        return rest
    return rest if rest.startswith(("http://", "https://")) else f"http://{rest}"


class EngineIndex:
    kind = "milvus"

    def __init__(self, engine: MilvusIndex) -> None:
        self.engine = engine
        self._removals: list[int] = []

    @classmethod
    def open(cls, setting: str, dim: int, owners: Owners, hnsw_m: int, ef: int) -> EngineIndex:
        from app.adapters.vector_milvus import MilvusIndex

        engine = MilvusIndex.open(engine_uri(setting), dim, owners=owners, hnsw_m=hnsw_m)
        engine.ef = ef
        return cls(engine)

    @property
    def dim(self) -> int:
        return self.engine.dim

    @property
    def size(self) -> int:
        return self.engine.size

    def add(self, ids: Sequence[int], vectors: Vectors, owners: Sequence[tuple[str, str]] | None = None) -> None:
        self.engine.add(ids, vectors, owners)

    def vectors(self, ids: Sequence[int]) -> dict[int, np.ndarray]:
        return self.engine.vectors(ids)

    def remove(self, ids: Sequence[int]) -> None:
        self._removals.extend(int(i) for i in ids)

    def search(self, query: Vectors, k: int,
               tenants: Collection[str] | None = None) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int64]]:
        return self.engine.search(query, k, tenants)

    def committed(self) -> None:
        """The batch's rows are in: its removals go from the engine too."""
        removals, self._removals = self._removals, []
        self.engine.remove(removals)

    def rolled_back(self) -> None:
        self._removals = []

    def clear(self, hnsw_m: int) -> None:
        self._removals = []
        self.engine.clear(hnsw_m)

    def close(self) -> None:
        self.engine.close()
