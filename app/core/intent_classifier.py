"""Intent by meaning: a question scored against every intent's bilingual exemplars under the
embedding model (nearest neighbours, both sides embedded as queries: a symmetric comparison).

An intent's score is the mean cosine of its k nearest exemplars. E5-style models compress cosines
(unrelated questions still score ~0.72), so decisions look at gaps between intents, never at an
absolute threshold. Exemplar vectors are computed once per process (through `vectors`, which a
caller may back with a disk cache keyed by content)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

import numpy as np

from app.core.intents import Intents
from app.core.ports import Embedder, Vectors


class IntentClassifier:
    def __init__(self, intents: Intents, embedder: Embedder,
                 vectors: Callable[[list[str]], Vectors] | None = None) -> None:
        self.intents = intents
        self.embedder = embedder
        self._vectors = vectors or (lambda texts: embedder.embed_query(texts))
        self._matrix: Vectors | None = None
        self._owner = np.zeros(0, dtype=np.int64)  # exemplar row → intent index
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        with self._lock:
            if self._matrix is not None:
                return
            texts = [t for s in self.intents.specs for t in s.examples]
            owner = [i for i, s in enumerate(self.intents.specs) for _ in s.examples]
            self._owner = np.asarray(owner, dtype=np.int64)
            self._matrix = np.asarray(self._vectors(texts), dtype=np.float32)

    def scores(self, question: str) -> dict[str, float]:
        """Every intent's score for the question, best first."""
        return self.scores_of(self.embedder.embed_query([question]))[0]

    def scores_of(self, queries: Vectors) -> list[dict[str, float]]:
        """Scores for questions already embedded (embed_query); one dict per row, best first."""
        self.warm_up()
        assert self._matrix is not None
        sims = np.asarray(queries, dtype=np.float32) @ self._matrix.T
        return [self._rank(row) for row in sims]

    def _rank(self, sims: Sequence[float] | np.ndarray) -> dict[str, float]:
        row = np.asarray(sims)
        out: dict[str, float] = {}
        for i, spec in enumerate(self.intents.specs):
            mine = np.sort(row[self._owner == i])[::-1][: self.intents.k]
            out[spec.name] = float(mine.mean())
        return dict(sorted(out.items(), key=lambda kv: -kv[1]))
