"""BM25 over chunk tokens with bm25s, saved as its own numpy/JSON files (no pickle).

Positions map to chunk rowids; a per-position tenant code lets the search itself mask out
chunks the principal may not see, so nothing invisible is ever scored into the results.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np

logger = logging.getLogger(__name__)
logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG


class Bm25Index:
    def __init__(self, model: bm25s.BM25 | None, rowids: np.ndarray, tenants: np.ndarray, names: list[str]) -> None:
        self.model = model
        self.rowids = rowids
        self.tenants = tenants  # code per position, into names
        self.names = names

    @classmethod
    def build(cls, rowids: Sequence[int], token_lists: Sequence[list[str]], tenants: Sequence[str]) -> Bm25Index:
        names = sorted(set(tenants))
        codes = np.array([names.index(t) for t in tenants], dtype=np.int32) if tenants else np.zeros(0, np.int32)
        if not token_lists:
            return cls(None, np.zeros(0, np.int64), codes, names)
        model = bm25s.BM25(k1=1.2, b=0.75)
        model.index([t or ["\u2205"] for t in token_lists], show_progress=False)
        return cls(model, np.asarray(rowids, dtype=np.int64), codes, names)

    def save(self, folder: Path) -> None:
        """Written beside and renamed into place; when another process (an API worker) got there
        first with the same generation, its copy stands and ours is dropped."""
        tmp = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
        tmp.mkdir(parents=True, exist_ok=True)
        if self.model is not None:
            self.model.save(str(tmp))
        np.save(tmp / "rowids.npy", self.rowids)
        np.save(tmp / "tenants.npy", self.tenants)
        (tmp / "tenant_names.json").write_text(json.dumps(self.names), encoding="utf-8")
        try:
            tmp.rename(folder)
        except OSError:
            if not folder.exists():
                raise
            shutil.rmtree(tmp, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path) -> Bm25Index:
        rowids = np.load(folder / "rowids.npy")
        model = bm25s.BM25.load(str(folder)) if len(rowids) else None
        names = json.loads((folder / "tenant_names.json").read_text(encoding="utf-8"))
        return cls(model, rowids, np.load(folder / "tenants.npy"), names)

    @property
    def size(self) -> int:
        return len(self.rowids)

    def search(self, query_tokens: list[str], k: int, tenants: set[str] | None,
               weights: Sequence[float] | None = None) -> list[tuple[int, float]]:
        """Top-k (rowid, score); `tenants` limits the scored chunks (None: all); `weights` scale
        each query token's contribution (glossary expansions count less than the user's words)."""
        if self.model is None or not query_tokens:
            return []
        mask = None
        if tenants is not None:
            allowed = [i for i, n in enumerate(self.names) if n in tenants]
            mask = np.isin(self.tenants, allowed).astype(np.float32)
            if not mask.any():
                return []
        weights = weights or [1.0] * len(query_tokens)
        by_weight: dict[float, list[str]] = {}
        for token, w in zip(query_tokens, weights):
            if token in self.model.vocab_dict:
                by_weight.setdefault(w, []).append(token)
        if not by_weight:
            return []
        scores = sum(w * self.model.get_scores(toks, weight_mask=mask) for w, toks in by_weight.items())
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(int(self.rowids[i]), float(scores[i])) for i in top if scores[i] > 0]
