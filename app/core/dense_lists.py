"""The dense ranker's two language lists: which list a chunk belongs to, and how they merge.

A small multilingual model scores any passage in the query's own language above the right one in the
other; within each language, though, the answer stands out from the rest about as far. So a chunk is
put in its script's list, and the lists merge by z-score.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.core.textnorm import cjk_ratio

_SCRIPT: dict[str, bool] = {}  # chunk id (a content hash) -> mostly Chinese; read once per process


def chinese_chunk(row: Mapping[str, Any]) -> bool:
    """Whether a chunk is mostly Chinese, remembered by chunk id: every search reads it for each
    candidate, and counting the letters of a long chunk costs more than the search itself."""
    key = str(row["id"])
    known = _SCRIPT.get(key)
    if known is None:
        if len(_SCRIPT) >= 200_000:
            _SCRIPT.clear()
        known = _SCRIPT[key] = cjk_ratio(str(row["text"])) > 0.3
    return known


def calibrated(*lists: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """One list from several, each score replaced by its z-score within its own list. A small
    model's cosine scale differs by language pair (a same-language passage scores higher than the
    right one in the other language), but within a language the answer stands out from the rest
    about as far. A list too short to have a spread keeps its order, below the others' best."""
    merged: list[tuple[int, float]] = []
    for ranked in lists:
        if not ranked:
            continue
        scores = [s for _, s in ranked]
        mean = sum(scores) / len(scores)
        spread = (sum((s - mean) ** 2 for s in scores) / len(scores)) ** 0.5
        merged += [(i, (s - mean) / spread if spread > 1e-9 else 0.0) for i, s in ranked]
    return sorted(merged, key=lambda pair: -pair[1])
