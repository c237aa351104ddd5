"""Pages inside the routed documents: once routing has found the filing, which of its hundreds of
pages answers. Two signals join the fused score of each routed candidate, as shares of the best
fused score, scaled by its document's routing weight and the route's confidence:

- the page's shape: the share of its lines that are rows of figures (two numbers or more). A filing
  states its amounts on statement and table pages, and a question asked of a filing mostly asks for
  one; a page's structure says what kind of page it is, whatever words it uses.
- term proximity: the question's adjacent word pairs ("cash flow", "operating activities", "income
  statement") found within a few words of each other, either order, in the candidate chunk, counted
  at its page's best chunk. BM25 scores the words apart; a line item is the words together.

Fitted on the tuning half of financebench-scale (docs/eval/financebench-scale.md), BM25-only first and
confirmed with the dense ranker; on by default (PageWeights).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

_NUMBER = re.compile(r"(?<![\w.])\(?[$€£¥]?\s?\d[\d,]*(?:\.\d+)?%?\)?")
PageKey = tuple[str, int]


@dataclass(frozen=True)
class PageWeights:
    """Shares of the best fused score, fitted on the tuning half of financebench-scale with BM25 and
    routing, then re-checked with the dense ranker (the centre of a flat region of table 0.3-1.2 x
    proximity 0-0.5; page r@5 tune 0.316 -> 0.447, held-out 0.431 -> 0.586; financebench-pages
    unchanged at 0.9). PageWeights(table=0, proximity=0) turns the stage off."""

    table: float = 0.6
    proximity: float = 0.25
    window: int = 3  # how many words apart a pair may stand and still count as together


def table_share(text: str) -> float:
    """The share of a page's non-empty lines that are rows of figures (two numbers or more)."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return 0.0
    return sum(1 for line in lines if len(_NUMBER.findall(line)) >= 2) / len(lines)


def word_pairs(tokens: Sequence[str]) -> list[tuple[str, str]]:
    """The question's adjacent word pairs (its own tokens, in order), each once."""
    return list(dict.fromkeys((a, b) for a, b in pairwise(tokens) if a != b))


def proximity(pairs: Sequence[tuple[str, str]], tokens: Sequence[str], window: int) -> int:
    """How many of the pairs occur within `window` words of each other, in either order."""
    present = set(tokens)
    pairs = [(a, b) for a, b in pairs if a in present and b in present]
    vocab = {w for pair in pairs for w in pair}
    where: dict[str, set[int]] = {}
    for i, t in enumerate(tokens):
        if t in vocab:
            where.setdefault(t, set()).add(i)
    steps = [d for d in range(-window, window + 1) if d]
    return sum(1 for a, b in pairs if a in where and b in where
               and any(i + d in where[b] for i in where[a] for d in steps))


@dataclass
class PageShapes:
    """Each page's table share, read once per page (documents are immutable: content-hash ids)."""

    limit: int = 200_000
    _seen: dict[PageKey, float] = field(default_factory=dict)

    def of(self, key: PageKey, page_text: Callable[[str, int], str | None]) -> float:
        if key not in self._seen:
            if len(self._seen) >= self.limit:
                self._seen.clear()
            self._seen[key] = table_share(page_text(*key) or "")
        return self._seen[key]


def _row_tokens(row: Mapping[str, Any], tokenize: Callable[[str], list[str]]) -> list[str]:
    try:
        stored = row["tokens"]
    except (KeyError, IndexError):
        stored = None
    return str(stored).split() if stored else tokenize(str(row["text"]))


def rank_pages(fused: dict[int, float], rows: Mapping[int, Mapping[str, Any]], doc_weight: Mapping[str, float],
               query_tokens: Sequence[str], shape_of: Callable[[PageKey], float],
               tokenize: Callable[[str], list[str]], weights: PageWeights) -> dict[int, float]:
    """The routed candidates raised by their page's shape and by the question's word pairs."""
    routed = [r for r in fused if doc_weight.get(str(rows[r]["doc_id"]), 0.0) > 0]
    if not routed or not (weights.table or weights.proximity):
        return fused
    page = {r: (str(rows[r]["doc_id"]), int(rows[r]["page"] or 1)) for r in routed}
    near: dict[PageKey, int] = {}
    pairs = word_pairs(query_tokens) if weights.proximity else []
    for r in routed if pairs else ():
        n = proximity(pairs, _row_tokens(rows[r], tokenize), weights.window)
        near[page[r]] = max(near.get(page[r], 0), n)
    most = max(near.values(), default=0) or 1
    top = max(fused.values())
    out = dict(fused)
    for r in routed:
        gain = weights.table * shape_of(page[r]) + weights.proximity * near.get(page[r], 0) / most
        out[r] += doc_weight[page[r][0]] * top * gain
    return out
