"""Vectors for the index-scale benchmark: real text embedded once, the rest derived from it.

Real passages (interleaved so any prefix is a mix): Chinese law articles from ../shared/data/corpus
/cn-laws (a few sentences per passage), SBIR solicitation topics, SBIR award abstracts and Y
Combinator company descriptions. Queries are real questions and query-like fragments: FinanceBench
questions, SBIR award titles, the first 12-24 characters of law sentences (as an RM types). Both are
embedded by the shipped embedder (multilingual-e5-small, 384 d; passages with `embed`, questions
with `embed_query`) through a content-hash cache, so a rerun embeds nothing.

Synthetic vector i (for N beyond the real ones): two real passages a, b drawn at random, t ~ U(0,
0.5), g ~ N(0, Σ) with Σ the covariance of the real vectors, then
    v = normalise((1 - t)·a + t·b + 0.5·g)
so the set keeps the real vectors' mean direction and spread per dimension (E5 vectors share a
strong common component), without being copies of a few thousand points.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt

from app.adapters.vector_cache import VectorCache, cache_name
from eval.corpus_gen import SHARED

logger = logging.getLogger(__name__)
F32 = npt.NDArray[np.float32]
PIECE = 50  # texts embedded between cache writes: an interrupted run keeps what it paid for


def _jsonl(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _law_sentences() -> list[str]:
    texts = [p.read_text(encoding="utf-8", errors="ignore") for p in sorted((SHARED / "corpus" / "cn-laws").glob("*.md"))]
    return [s.strip() for t in texts for s in re.split(r"(?<=[。！？])\s*|\n+", t) if len(s.strip()) > 15]


def _interleave(*sources: list[str]) -> Iterator[str]:
    for row in range(max((len(s) for s in sources), default=0)):
        for source in sources:
            if row < len(source):
                yield source[row]


def real_passages() -> list[str]:
    laws = _law_sentences()
    law_passages = [" ".join(laws[i:i + 3]) for i in range(0, len(laws), 6)]  # odd triples feed the queries
    ev = SHARED / "eval"
    topics = [f"{p['title']}. {p['text']}"[:600] for p in _jsonl(ev / "sbir-match" / "programs.jsonl")]
    awards = [e["text"][:600] for e in _jsonl(ev / "sbir-match" / "enterprises.jsonl")]
    startups = [e["text"][:600] for e in _jsonl(ev / "yc-industry" / "enterprises.jsonl")]
    return list(dict.fromkeys(_interleave(law_passages, topics, awards, startups)))


def real_queries(n: int) -> list[str]:
    ev = SHARED / "eval"
    questions = [q["text"] for name in ("financebench-scale", "financebench-pages")
                 for q in _jsonl(ev / name / "queries.jsonl")]
    titles = [e["text"].split(". ")[0][:160] for e in _jsonl(ev / "sbir-match" / "enterprises.jsonl")]
    laws = _law_sentences()
    fragments = [laws[i][: 12 + i % 13] for i in range(3, len(laws), 6)]
    return list(dict.fromkeys(_interleave(questions, titles, fragments)))[:n]


def embedded(texts: list[str], embed: Callable[[list[str]], F32], kind: str, model_id: str,
             cache_dir: Path) -> F32:
    cache = VectorCache(cache_dir / cache_name(kind, model_id))
    out = []
    for start in range(0, len(texts), PIECE):
        out.append(cache.vectors(texts[start:start + PIECE], embed))
        logger.info("%s: %d/%d embedded", kind, min(start + PIECE, len(texts)), len(texts))
    return np.vstack(out).astype(np.float32)


def synthetic(real: F32, n: int, seed: int = 7, block: int = 100_000) -> F32:
    """`n` unit vectors: the real ones first, then mixtures of two real ones plus shaped noise."""
    rng = np.random.default_rng(seed)
    out = np.empty((n, real.shape[1]), dtype=np.float32)
    head = min(n, len(real))
    out[:head] = real[:head]
    cov = np.cov(real, rowvar=False).astype(np.float64)
    shape = np.linalg.cholesky(cov + 1e-6 * np.eye(cov.shape[0])).astype(np.float32)
    for start in range(head, n, block):
        m = min(block, n - start)
        a = real[rng.integers(0, len(real), m)]
        b = real[rng.integers(0, len(real), m)]
        t = rng.uniform(0.0, 0.5, (m, 1)).astype(np.float32)
        g = rng.standard_normal((m, real.shape[1]), dtype=np.float32) @ shape.T
        v = (1 - t) * a + t * b + 0.5 * g
        out[start:start + m] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


def similarity_profile(vectors: F32, sample: int = 2000, seed: int = 3) -> dict[str, float]:
    """Mean cosine between random pairs and to each vector's nearest other vector, in a sample:
    how close the synthetic set's geometry stays to the real one's."""
    rng = np.random.default_rng(seed)
    pick = vectors[rng.choice(len(vectors), min(sample, len(vectors)), replace=False)]
    sims = pick @ pick.T
    np.fill_diagonal(sims, -np.inf)
    off = sims[np.isfinite(sims)]
    return {"mean_pair_cos": round(float(off.mean()), 4), "mean_top1_cos": round(float(sims.max(axis=1).mean()), 4)}
