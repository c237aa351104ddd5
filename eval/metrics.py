"""Ranking and classification metrics as pure functions (unit-tested against hand-computed values)."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from typing import Literal

Split = Literal["tune", "held_out"]


def split_of(item_id: str) -> Split:
    """The tuning / held-out split of a dev-set item by the hash of its id: the last hex digit of
    md5(id) even → "tune", odd → "held_out". Decisions are made on "tune"; both are reported."""
    return "tune" if int(hashlib.md5(item_id.encode("utf-8")).hexdigest()[-1], 16) % 2 == 0 else "held_out"


def recall_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    return len(set(ranked[:k]) & relevant) / len(relevant) if relevant else 0.0


def mrr_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    return next((1.0 / (i + 1) for i, r in enumerate(ranked[:k]) if r in relevant), 0.0)


def ndcg_at(ranked: Sequence[str], gains: Mapping[str, float], k: int) -> float:
    dcg = sum(gains.get(r, 0.0) / math.log2(i + 2) for i, r in enumerate(ranked[:k]))
    ideal = sorted(gains.values(), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def ranking_report(runs: Mapping[str, Sequence[str]], qrels: Mapping[str, Mapping[str, float]],
                   ks: Sequence[int] = (1, 5, 10)) -> dict[str, float]:
    """Mean recall@k, mrr@10 and ndcg@10 over the queries that have relevance judgements."""
    queries = [q for q in qrels if qrels[q]]
    if not queries:
        return {}
    out: dict[str, float] = {}
    for k in ks:
        out[f"recall@{k}"] = sum(recall_at(runs.get(q, []), set(qrels[q]), k) for q in queries) / len(queries)
    out["mrr@10"] = sum(mrr_at(runs.get(q, []), set(qrels[q]), 10) for q in queries) / len(queries)
    out["ndcg@10"] = sum(ndcg_at(runs.get(q, []), qrels[q], 10) for q in queries) / len(queries)
    return {k: round(v, 4) for k, v in out.items()}


def dedupe(items: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    return [x for x in items if not (x in seen or seen.add(x))]  # type: ignore[func-returns-value]


def accuracy(gold: Sequence[str], predicted: Sequence[str]) -> float:
    return sum(g == p for g, p in zip(gold, predicted)) / len(gold) if gold else 0.0


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    labels = set(gold) | set(predicted)
    scores = []
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, predicted))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores) if scores else 0.0
