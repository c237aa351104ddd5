"""`sme eval match --dataset DIR`: the product's matcher on a match dev set (SPEC format).

programs.jsonl is loaded into a fresh temporary catalog (the fields a Program has: id, kind, title,
text, label, issuer, tags, jurisdiction, valid_from, valid_to, benefits; anything else is
ignored); each enterprise's text goes through POST /v1/match's own path (profiled on the fly,
then eligibility, relevance with label voting, ranking). Validity dates are not applied: dev sets
hold closed historical calls. Metrics: label_acc@1 (the top program's label is the gold label),
label_hit@5 (the gold label among the top five programs' labels), mrr@10 when program_ids are given;
over all firms and over each half of the id-hash split (`tune`, `held_out`: eval.metrics.split_of).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from app.adapters.kb import KnowledgeBase
from app.core.program_json import program_from_json
from app.core.types import Principal, Program
from app.enterprises import Enterprises
from app.matching import Matching
from app.settings import Settings
from app.wiring import Deps, make_embedder
from eval.metrics import split_of

PROGRAM_KEYS = {"id", "kind", "title", "text", "label", "issuer", "tags", "jurisdiction", "benefits"}


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_programs(path: Path) -> list[Program]:
    out = []
    for row in _jsonl(path):
        body = {k: v for k, v in row.items() if k in PROGRAM_KEYS}
        body.setdefault("kind", "policy")
        if isinstance(body.get("issuer"), str):  # "Agency,Agency" in some exports
            body["issuer"] = ", ".join(dict.fromkeys(x.strip() for x in body["issuer"].split(",") if x.strip()))
        out.append(program_from_json(body))
    return out


def _rr(ranked: list[str], wanted: set[str], depth: int = 10) -> float:
    return next((1.0 / (i + 1) for i, p in enumerate(ranked[:depth]) if p in wanted), 0.0)


def _metrics(items: Iterable[tuple[bool, bool, float | None]]) -> dict[str, float]:
    rows = list(items)
    n = max(len(rows), 1)
    out = {"label_acc@1": round(sum(a for a, _, _ in rows) / n, 4), "label_hit@5": round(sum(h for _, h, _ in rows) / n, 4)}
    rrs = [r for _, _, r in rows if r is not None]
    if rrs:
        out["mrr@10"] = round(sum(rrs) / len(rrs), 4)
    return out


def run(dataset: Path, settings: Settings | None = None, limit: int | None = None) -> dict[str, object]:
    programs = load_programs(dataset / "programs.jsonl")
    enterprises = _jsonl(dataset / "enterprises.jsonl")[:limit]
    gold = {str(g["enterprise_id"]): g for g in _jsonl(dataset / "gold.jsonl")}
    labels = {p.id: p.label for p in programs}
    with tempfile.TemporaryDirectory() as tmp:
        base = settings or Settings()
        # a fresh data dir; program embeddings (keyed by text hash) are reused from the user's cache
        s = base.model_copy(update={"data_dir": Path(tmp), "cache_dir": base.cache_path})
        deps = Deps(settings=s, kb=KnowledgeBase(s), embedder=make_embedder(base))
        deps.programs.upsert(programs)
        matching = Matching(deps, Enterprises(deps))
        matcher = matching.matcher()
        matcher.today = None  # dev sets hold closed historical calls: no date check
        # per item: (label right at 1, label among the top 5, reciprocal rank or None), by the id's half
        scored: dict[str, tuple[bool, bool, float | None]] = {}
        for e in enterprises:
            g = gold.get(str(e["id"]))
            if g is None:
                continue
            profile, text = matching.firm(Principal("eval", "admin"), text=str(e.get("text") or e.get("name") or ""))
            top = [m.program.id for m in matcher.match(profile, text, k=10).matches]
            at1 = bool(top) and "label" in g and labels.get(top[0]) == g["label"]
            at5 = "label" in g and g["label"] in {labels.get(p) for p in top[:5]}
            scored[str(e["id"])] = (at1, at5, _rr(top, set(map(str, g["program_ids"]))) if g.get("program_ids") else None)
    result: dict[str, object] = {"enterprises": len(scored), "programs": len(programs), **_metrics(scored.values())}
    for half in ("tune", "held_out"):
        part = [v for k, v in scored.items() if split_of(k) == half]
        result[half] = {"enterprises": len(part), **_metrics(part)}
    return result

