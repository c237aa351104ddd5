"""Ports: what the domain needs from heavy libraries, each a small Protocol."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors. `embed` is for documents and passages,
    `embed_query` for search questions and for both sides of a symmetric comparison (models
    trained with role prefixes, such as E5, read them differently). `multilingual`: the model
    reads Chinese as well as English. `model_id` names the model that made an index's vectors."""

    dim: int
    multilingual: bool
    model_id: str

    def warm_up(self) -> None: ...

    def embed(self, texts: Sequence[str]) -> Vectors: ...

    def embed_query(self, texts: Sequence[str]) -> Vectors: ...

    def count_tokens(self, text: str) -> int: ...


class VectorIndex(Protocol):
    """Inner-product search over int64 ids; persisted by the caller through save(). `search` given
    `tenants` returns only ids of chunks those tenants own (the caller passes its own tenant and
    public), filtered inside the index, so another tenant's volume costs the caller nothing; rows
    are padded with id -1 when fewer ids qualify. None: every id (an admin). `add`'s `owners`,
    (tenant, kind) per id, are stored with the vectors by an engine that filters on them (Milvus);
    FAISS asks the metadata store whose ids are whose instead, and ignores them."""

    @property
    def size(self) -> int: ...

    def add(self, ids: Sequence[int], vectors: Vectors, owners: Sequence[tuple[str, str]] | None = None) -> None: ...

    def remove(self, ids: Sequence[int]) -> None: ...

    def search(self, query: Vectors, k: int,
               tenants: Collection[str] | None = None) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int64]]: ...


class ChatModel(Protocol):
    """A chat LLM behind one port: a system and a user message in, text out (whole or streamed);
    `history`: earlier (role, text) turns, user or assistant, sent between the two."""

    name: str

    def complete(self, system: str, user: str) -> str: ...

    def stream(self, system: str, user: str, history: Sequence[tuple[str, str]] = ()) -> Iterator[str]: ...
