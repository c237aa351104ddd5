"""In-memory hybrid relevance index over program texts: BM25 (bm25s) + dense vectors, fused.

Built once per process from (program_id, text) pairs; every query scores the whole catalog, so
the matcher can ask for the relevance of any eligible program, not only of a top-k.

Fusion follows app.core.retrieve (weighted): each ranker's scores are rescaled to 0..1 by
(score - floor) / (best - floor), clipped at 0, where floor is the ranker's score at rank `depth`;
the fused relevance is the weight-averaged rescaled score, so it lies in 0..1 and the best program
of a query scores near 1. It is relative to the catalog: a good score means "among the best fits
here", not an absolute probability. Rescaling against the depth-th score rather than the
catalog minimum keeps the many irrelevant programs from compressing the head.

Chinese queries (CJK share > 0.5) use `dense_cjk` as the dense weight (0 by default: the bundled
English model embeds Chinese as noise). Texts longer than the model window are split into
sentence-packed windows of at most `window_tokens` model tokens; a text's vector is the
renormalised mean of its window vectors, so a long program or enterprise description is
represented as a whole instead of by its first 256 tokens.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import bm25s
import numpy as np
import numpy.typing as npt

from app.core.ports import Embedder, Vectors
from app.core.textnorm import cjk_ratio
from app.core.tokenize import tokens

logger = logging.getLogger(__name__)
logging.getLogger("bm25s").setLevel(logging.WARNING)

Scores = npt.NDArray[np.float32]
_SENTENCE_END = re.compile(r"(?<=[.!?;。！？；])\s+|(?<=[。！？；])|\n+")


@dataclass(frozen=True)
class IndexWeights:
    dense: float = 1.0
    dense_cjk: float = 0.0  # Settings.dense_weight_cjk
    sparse: float = 1.0
    depth: int = 50  # rescaling floor: each ranker's score at this rank
    window_tokens: int = 200  # model tokens per embedded window (model window: 256)
    max_windows: int = 8  # a very long text: its first windows only, the cost stays bounded
    unique_query_terms: bool = True  # BM25 without query term frequency: long texts repeat words


@dataclass(frozen=True)
class ProgramScores:
    """Fused relevance (0..1) of every program for one query, plus each ranker's raw scores."""

    ids: tuple[str, ...]
    fused: Scores
    sparse: Scores
    dense: Scores  # cosine similarity; zeros when the dense ranker was skipped

    def top(self, k: int, which: str = "fused") -> list[tuple[str, float]]:
        values: Scores = getattr(self, which)
        k = min(k, len(values))
        if k <= 0:
            return []
        head = np.argpartition(-values, k - 1)[:k]
        # stable order: score, then position in the catalog, so ties never depend on argpartition
        head = head[np.lexsort((head, -values[head]))]
        return [(self.ids[i], float(values[i])) for i in head]

    def of(self, program_ids: Iterable[str], position: dict[str, int]) -> dict[str, float]:
        return {p: float(self.fused[position[p]]) for p in program_ids if p in position}


def split_windows(text: str, count_tokens: Callable[[str], int], max_tokens: int, max_windows: int) -> list[str]:
    """Sentences packed greedily into windows of at most max_tokens model tokens (an overlong
    sentence becomes its own window; the model truncates it)."""
    text = text.strip()
    if not text or count_tokens(text) <= max_tokens:
        return [text] if text else []
    windows: list[str] = []
    current: list[str] = []
    used = 0
    for sentence in (s.strip() for s in _SENTENCE_END.split(text)):
        if not sentence:
            continue
        n = count_tokens(sentence)
        if current and used + n > max_tokens:
            windows.append(" ".join(current))
            current, used = [], 0
            if len(windows) >= max_windows:
                return windows
        current.append(sentence)
        used += n
    if current and len(windows) < max_windows:
        windows.append(" ".join(current))
    return windows


def embed_long(texts: Sequence[str], embedder: Embedder, weights: IndexWeights, query: bool = False) -> Vectors:
    """One L2-normalised vector per text: the mean of its window vectors, in one embed call
    (`query`: the texts are search queries, such as a firm's text against the programs)."""
    parts = [split_windows(t, embedder.count_tokens, weights.window_tokens, weights.max_windows) or [""]
             for t in texts]
    flat = [w for p in parts for w in p]
    embed = embedder.embed_query if query else embedder.embed
    vectors = embed(flat) if flat else np.zeros((0, embedder.dim), np.float32)
    out = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
    start = 0
    for row, p in enumerate(parts):
        out[row] = vectors[start:start + len(p)].mean(axis=0)
        start += len(p)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return (out / np.maximum(norms, 1e-9)).astype(np.float32)


def rescale(values: Scores, depth: int) -> Scores | None:
    """(v - floor) / (best - floor) clipped to 0..1, floor = the depth-th best; None: no signal."""
    if len(values) == 0:
        return None
    best = float(values.max())
    floor = float(np.partition(values, len(values) - depth)[len(values) - depth]) if depth < len(values) \
        else float(values.min())
    if best <= floor:
        return None
    return np.clip((values - floor) / (best - floor), 0.0, 1.0).astype(np.float32)


class ProgramIndex:
    def __init__(self, ids: Sequence[str], bm25: bm25s.BM25 | None, vectors: Vectors, embedder: Embedder,
                 tokenize: Callable[[str], list[str]] = tokens, weights: IndexWeights | None = None) -> None:
        self.ids = tuple(ids)
        self.position = {p: i for i, p in enumerate(self.ids)}
        self.bm25 = bm25
        self.vectors = vectors
        self.embedder = embedder
        self.tokenize = tokenize
        self.weights = weights or IndexWeights()

    @classmethod
    def build(cls, items: Sequence[tuple[str, str]], embedder: Embedder, *,
              tokenize: Callable[[str], list[str]] = tokens, weights: IndexWeights | None = None,
              vectors: Vectors | None = None) -> ProgramIndex:
        """items: (program_id, text), text usually title + text + tags; `vectors` (one row per item,
        L2-normalised) skips embedding when the caller already has them."""
        weights = weights or IndexWeights()
        ids = [p for p, _ in items]
        if len(set(ids)) != len(ids):
            raise ValueError("program ids must be unique")
        texts = [t for _, t in items]
        bm25 = None
        if items:
            bm25 = bm25s.BM25(k1=1.2, b=0.75)
            bm25.index([tokenize(t) or ["\u2205"] for t in texts], show_progress=False)
        if vectors is None:
            vectors = embed_long(texts, embedder, weights)
        if vectors.shape[0] != len(items):
            raise ValueError(f"{vectors.shape[0]} vectors for {len(items)} programs")
        logger.info("program index built: %d programs", len(items))
        return cls(ids, bm25, np.ascontiguousarray(vectors, dtype=np.float32), embedder, tokenize, weights)

    @property
    def size(self) -> int:
        return len(self.ids)

    def dense_weight(self, text: str) -> float:
        """The dense ranker's weight for this text: 0 skips embedding it (Chinese by default)."""
        return self.weights.dense_cjk if cjk_ratio(text) > 0.5 else self.weights.dense

    def embed_query(self, text: str) -> Vectors:
        return embed_long([text], self.embedder, self.weights, query=True)[0]

    def query(self, text: str, vector: Vectors | None = None) -> ProgramScores:
        """Relevance of every program; `vector` (the text's embedding) skips embedding it again."""
        sparse = self._sparse(text)
        dense_weight = self.dense_weight(text)
        if dense_weight and self.size:
            dense = self.vectors @ (self.embed_query(text) if vector is None else vector)
        else:
            dense = np.zeros(self.size, np.float32)
        fused = np.zeros(self.size, np.float32)
        total = 0.0
        for weight, raw in ((self.weights.sparse, sparse), (dense_weight, dense)):
            scaled = rescale(raw, self.weights.depth) if weight > 0 else None
            if scaled is not None:  # a ranker without signal neither adds nor dilutes
                fused += weight * scaled
                total += weight
        if total:
            fused /= total
        return ProgramScores(self.ids, fused, sparse, np.asarray(dense, np.float32))

    def search(self, text: str, k: int = 10) -> list[tuple[str, float]]:
        return self.query(text).top(k)

    def score_ids(self, text: str, program_ids: Iterable[str]) -> dict[str, float]:
        """Fused relevance of the given programs (unknown ids are left out)."""
        return self.query(text).of(program_ids, self.position)

    def _sparse(self, text: str) -> Scores:
        if self.bm25 is None:
            return np.zeros(self.size, np.float32)
        terms = self.tokenize(text)
        if self.weights.unique_query_terms:
            terms = list(dict.fromkeys(terms))
        ids = self.bm25.get_tokens_ids(terms)
        if not ids:
            return np.zeros(self.size, np.float32)
        return np.asarray(self.bm25.get_scores(ids), np.float32)
