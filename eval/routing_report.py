"""How often a question's company routes to its documents: the share of questions whose gold
documents get a routing weight (any, and the full weight of a matched period), and how routing was
applied. Scored on the dataset's qrels, split into the tuning and held-out halves like the rest."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from app.core.filters import Filters
from app.core.retrieve import Retriever
from eval.metrics import split_of


def routing_report(retriever: Retriever, queries: Sequence[Mapping[str, Any]],
                   doc_qrels: Mapping[str, Mapping[str, float]], doc_of: Callable[[str], str | None]) -> dict[str, object]:
    """`doc_of` maps a qrels corpus id to the indexed document id."""
    if retriever.router is None:
        return {}
    rows: dict[str, dict[str, float]] = {"tune": {}, "held_out": {}, "all": {}}
    applied: Counter[str] = Counter()
    for q in queries:
        qid = str(q["_id"])
        gold = {d for c in doc_qrels.get(qid, {}) if (d := doc_of(c))}
        if not gold:
            continue
        route = retriever.router.route(str(q["text"]), None, Filters())
        applied[route.applied] += 1
        routed = any(route.weights.get(d, 0.0) > 0 for d in gold)
        exact = any(route.weights.get(d, 0.0) >= 1.0 for d in gold) and route.applied == "company+period"
        for half in (split_of(qid), "all"):
            rows[half][qid] = 1.0 if routed else 0.0
            rows[half][qid + "#period"] = 1.0 if exact else 0.0
    return {"applied": dict(applied), **{half: _shares(r) for half, r in rows.items()}}


def _shares(rows: dict[str, float]) -> dict[str, float]:
    company = [v for k, v in rows.items() if not k.endswith("#period")]
    period = [v for k, v in rows.items() if k.endswith("#period")]
    return {"company_routed": round(sum(company) / max(len(company), 1), 4),
            "period_routed": round(sum(period) / max(len(period), 1), 4), "n": len(company)}
