"""The knowledge base: a FAISS index file (or, with SME_VECTOR_STORE, a vector engine) plus the
metadata store (SQLite, or PostgreSQL with SME_DATABASE_URL).

Commit protocol (crash-safe): the new index is written to a new generation file, then one SQLite
transaction records the batch together with the pointer to that file. A crash before the
transaction leaves the previous pointer, file and rows intact; orphans are removed at next open.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from app.adapters.backends import database_url, document_store
from app.adapters.bm25 import Bm25Index
from app.adapters.engine_index import EngineIndex
from app.adapters.faiss_index import FaissIndex
from app.adapters.private_files import private_dir
from app.adapters.store import Batch
from app.core.errors import ConfigError, SmeError, WriterBusy
from app.settings import Settings

if TYPE_CHECKING:
    from app.core.retrieve import SparseIndex

logger = logging.getLogger(__name__)
IndexT = TypeVar("IndexT", FaissIndex, EngineIndex)
LEGACY_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"  # indexes written before the model was recorded


class KnowledgeBase:
    def __init__(self, settings: Settings, model_id: str | None = None) -> None:
        self.settings = settings
        self.model_id = model_id  # the embedding model of this process; None: not checked (tools, tests)
        private_dir(settings.data_dir)
        private_dir(settings.index_dir, tighten=True)
        self.store = document_store(settings)
        self._index: FaissIndex | None = None
        self._engine: EngineIndex | None = None  # with SME_VECTOR_STORE: live, kept across reloads
        self._index_file: str | None = None  # the committed file `_index` was loaded from or saved to
        self._sparse: Bm25Index | None = None
        self._sparse_seed: Bm25Index | None = None  # the previous generation's, until the current is built

    def index(self, dim: int | None = None) -> FaissIndex | EngineIndex | None:
        """The current index; created empty when `dim` is given and none exists yet."""
        if self.settings.vector_store:
            return self._engine_index(dim)
        if self._index is None:
            name = self.store.meta("index_file")
            if not name and self.store.meta("index_kind") == EngineIndex.kind:
                raise ConfigError("the index is in a vector engine (SME_VECTOR_STORE was set when it was built); "
                                  "set it again, or run `sme index rebuild` to build FAISS files")
            if name:
                self.check_model()
                kind, checksum = self.store.meta("index_kind") or "flat", self.store.meta("index_checksum")
                while (now := self.store.meta("index_file")) and now != name:  # a generation committed between the reads: the
                    # name, kind and checksum read again, of one generation (the old file with the new checksum is no
                    # corrupt index)
                    name, kind, checksum = now, self.store.meta("index_kind") or "flat", self.store.meta("index_checksum")
                self._index = FaissIndex.load(self.settings.index_dir / name, kind, checksum)
                self._index_file = name
            elif dim is not None:
                s = self.settings
                self._index = FaissIndex.create(dim, s.index_type, s.hnsw_m, s.ivf_nlist)
            if self._index is not None:
                self._index.search_depth(self.settings.hnsw_ef_search, self.settings.ivf_nprobe)
                self._index.scope_by(self.store.tenant_rowids)
        return _same_dim(self._index, dim)

    def _engine_index(self, dim: int | None) -> EngineIndex | None:
        if self._engine is None:
            stored = self.store.meta("index_dim")
            if stored and self.store.meta("index_kind") != EngineIndex.kind:
                raise ConfigError("the index is FAISS files but SME_VECTOR_STORE names a vector engine; "
                                  "run `sme index rebuild` to fill the engine (no document is lost)")
            if stored:
                self.check_model()
            size = int(stored) if stored else dim
            if size is None:
                return None
            self._engine = self._open_engine(size)
        return _same_dim(self._engine, dim)

    def _open_engine(self, dim: int) -> EngineIndex:
        s = self.settings
        assert s.vector_store is not None
        return EngineIndex.open(s.vector_store, dim, self.store.chunk_owners, s.hnsw_m, s.hnsw_ef_search)

    def close(self) -> None:
        """The store's connection and the engine's client (FAISS holds neither)."""
        self.store.close()
        if self._engine is not None:
            self._engine.close()
            self._engine = None

    def check_model(self) -> None:
        """Vectors of two models never mix: an index made by another model must be rebuilt."""
        made_by = self.store.meta("index_model") or LEGACY_MODEL_ID
        if self.model_id is not None and self.model_id != "hashing" and made_by != self.model_id:
            raise ConfigError(
                f"the index was embedded with {made_by} but the configured model is {self.model_id} "
                "(SME_EMBEDDING_MODEL); run `sme index rebuild` to re-embed every chunk (no document is lost)"
            )

    def reload(self) -> None:
        """Forget loaded indexes; the next use reads the committed generation."""
        self._index = None
        if self._engine is not None:
            self._engine.rolled_back()
        self._forget_sparse()

    def _forget_sparse(self) -> None:
        """The BM25 index stays as the seed of the next one: its unchanged partitions are reused."""
        self._sparse_seed = self._sparse or self._sparse_seed
        self._sparse = None

    def _sparse_folder(self) -> Path:
        return self.settings.index_dir / f"bm25-{int(self.store.meta('index_generation') or 0):06d}"

    def sparse(self) -> SparseIndex:
        """BM25 over the committed chunks, a partition per tenant, cached on disk per index
        generation; a new generation rebuilds only the partitions of tenants whose chunks changed.
        With SME_DATABASE_URL: the lexical index in PostgreSQL, shared by every host (nothing to build)."""
        if database_url(self.settings) is not None:
            from app.adapters.pg.lexical import shared_index

            return shared_index(self.store)
        if self._sparse is None:
            folder = self._sparse_folder()
            if Bm25Index.saved(folder):
                self._sparse = Bm25Index.load(folder)
            else:
                started = time.perf_counter()
                self._sparse = Bm25Index.assemble(self.store.sparse_keys(), self.store.sparse_tokens, self._seed())
                if folder.exists():  # the single-model format of earlier versions: replaced
                    shutil.rmtree(folder, ignore_errors=True)
                self._sparse.save(folder)
                logger.info("BM25 index %s built in %.2f s", folder.name, time.perf_counter() - started)
            self._sparse_seed = None
        return self._sparse

    def _seed(self) -> Bm25Index | None:
        """The last BM25 index this process held, else the newest older one on disk."""
        if self._sparse_seed is not None:
            return self._sparse_seed
        older = self._older_sparse_folder()
        return Bm25Index.load(older) if older is not None else None

    def _older_sparse_folder(self) -> Path | None:
        """The newest partitioned BM25 folder of an earlier generation, while the current one is unbuilt."""
        current = self._sparse_folder()
        if Bm25Index.saved(current):
            return None
        older = sorted(p for p in self.settings.index_dir.glob("bm25-*")
                       if ".tmp-" not in p.name and p.name < current.name and Bm25Index.saved(p))
        return older[-1] if older else None

    def rebuild(self, embedder, batch_size: int = 256) -> int:
        """Re-embed every indexed chunk that has a vector into a new index of the configured type
        (after corruption, a model change or a switch to HNSW/IVF); committed as a new generation
        like any ingest. Each distinct text is encoded once, shortest first; chunks without words
        stay without a vector, as ingest left them."""
        by_text: dict[str, list[int]] = {}
        for r in self.store.all_chunks():
            by_text.setdefault(r["embed_text"] or "", []).append(int(r["rid"]))
        texts = sorted(by_text, key=len)
        embedder.warm_up()
        self.model_id = embedder.model_id
        index = self._fresh_index(embedder.dim)
        for start in range(0, len(texts), batch_size):
            part = texts[start : start + batch_size]
            vectors = embedder.embed(part)
            rows = [(rid, v) for text, v in zip(part, vectors) for rid in by_text[text]]
            index.add([rid for rid, _ in rows], np.stack([v for _, v in rows]))  # an engine asks the store whose ids
        self.commit(Batch(), force=True)
        return sum(len(ids) for ids in by_text.values())

    def _fresh_index(self, dim: int) -> FaissIndex | EngineIndex:
        s = self.settings
        if not s.vector_store:
            self._index = FaissIndex.create(dim, s.index_type, s.hnsw_m, s.ivf_nlist).search_depth(s.hnsw_ef_search,
                                                                                                    s.ivf_nprobe)
            return self._index
        if self._engine is not None:
            self._engine.close()
        self._engine = self._open_engine(dim)
        self._engine.clear(s.hnsw_m)
        return self._engine

    def commit(self, batch: Batch, force: bool = False) -> None:
        meta: dict[str, str] = {}
        changed = batch.chunks or batch.superseded or force
        if self._engine is not None and self.settings.vector_store and changed:
            meta = self._engine_meta(self._engine)
        elif self._index is not None and changed:
            generation = int(self.store.meta("index_generation") or 0) + 1
            name = f"index-{generation:06d}.faiss"
            try:
                checksum = self._index.save(self.settings.index_dir / name)
            except (OSError, RuntimeError) as exc:
                self.reload()  # drop the vectors of the failed batch from memory too
                raise SmeError(f"could not write the index ({exc}); the previous index is intact") from exc
            meta = {
                "index_file": name,
                "index_checksum": checksum,
                "index_generation": str(generation),
                "index_kind": self._index.kind,
                "index_dim": str(self._index.dim),
            }
            if self.model_id is not None:
                meta["index_model"] = self.model_id
        try:
            self.store.write_batch(batch, meta)
        except self.store.write_errors as exc:
            self.reload()  # the rows were rolled back: the vectors of the batch go from memory too
            raise SmeError(f"could not write the metadata database ({exc}); the previous state is intact") from exc
        if self._engine is not None:
            self._engine.committed()
        self._index_file = meta.get("index_file", self._index_file)
        self._forget_sparse()  # rebuilt for the new generation on next use
        if meta:
            self.remove_orphans()

    def _engine_meta(self, engine: EngineIndex) -> dict[str, str]:
        """The engine holds the vectors: the pointer records its generation, kind and model, no file."""
        meta = {"index_file": "", "index_checksum": "", "index_kind": engine.kind, "index_dim": str(engine.dim),
                "index_generation": str(int(self.store.meta("index_generation") or 0) + 1)}
        if self.model_id is not None:
            meta["index_model"] = self.model_id
        return meta

    def remove_orphans(self) -> None:
        current = self.store.meta("index_file")
        for path in self.settings.index_dir.glob("index-*.faiss*"):
            if path.name != current:
                path.unlink(missing_ok=True)
        keep = {self._sparse_folder(), self._older_sparse_folder()}  # the older one seeds the unbuilt current
        for path in self.settings.index_dir.glob("bm25-*"):
            if path not in keep:
                shutil.rmtree(path, ignore_errors=True)

    @contextmanager
    def writer_lock(self) -> Iterator[None]:
        """One writer at a time per data dir; readers never block."""
        path: Path = self.settings.data_dir / "ingest.lock"
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise WriterBusy("another ingest is writing to this knowledge base; try again when it is done") from exc
            with self.store.exclusive():  # and one writer across the hosts sharing a database
                if self._index is not None and self.store.meta("index_file") != self._index_file:
                    self.reload()  # another writer (a CLI run, an ingest job) committed since: add to its index
                self.remove_orphans()
                yield
        finally:
            os.close(fd)


def _same_dim(index: IndexT | None, dim: int | None) -> IndexT | None:
    """`index`, unless it holds vectors of another size than the embedding model makes."""
    if index is not None and dim is not None and index.dim != dim:
        raise ConfigError(
            f"the index holds {index.dim}-d vectors but the embedding model makes {dim}-d ones; "
            "use the same model or rebuild with `sme index rebuild`"
        )
    return index
