"""MatchResult → JSON: the stable shape of POST /v1/match and `sme match --json` (SPEC)."""

from __future__ import annotations

from typing import Any

from app.core.eligibility import Verdict
from app.core.match import Match, MatchResult
from app.core.profile_json import fact_to_json
from app.core.program_json import program_to_json
from app.core.verdict_text import LANGS, verdict_text


def verdict_to_json(v: Verdict) -> dict[str, Any]:
    c = v.criterion
    criterion = {k: getattr(c, k) for k in ("field", "op", "value", "unit", "hard", "window_years")}
    if isinstance(criterion["value"], tuple):
        criterion["value"] = list(criterion["value"])
    if c.when:
        criterion["when"] = [{"field": w.field, "op": w.op, "value": w.value, "unit": w.unit} for w in c.when]
    if c.options:
        criterion["options"] = [{"field": o.field, "op": o.op, "value": o.value, "unit": o.unit} for o in c.options]
    return {"criterion": criterion, "verdict": v.verdict, "reason": v.reason,
            "reasons": {lang: verdict_text(v, lang) for lang in LANGS},
            "fact": fact_to_json(v.fact) if v.fact is not None else None, "source_text": c.source_text}


def match_to_json(m: Match) -> dict[str, Any]:
    program = program_to_json(m.program, criteria=False)  # each criterion comes back once, in its verdict
    return {"program": program, "kind": m.kind, "score": m.score, "status": m.status,
            "relevance": m.relevance, "fit": m.fit, "label_share": m.label_share,
            "benefits": m.program.benefits, "verdicts": [verdict_to_json(v) for v in m.verdicts],
            "explanation": m.explanation, "questions": list(m.questions)}


def result_to_json(r: MatchResult, include_excluded: bool = False,
                   summaries: dict[str, dict[str, str]] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"enterprise_id": r.profile.enterprise_id, "matches": [match_to_json(m) for m in r.matches]}
    for row in out["matches"]:
        if summaries and row["program"]["id"] in summaries:
            row["summary"] = summaries[row["program"]["id"]]
    groups: dict[str, list[str]] = {}
    for m in r.matches:
        groups.setdefault(m.kind, []).append(m.program.id)
    out["by_kind"] = groups
    if include_excluded:
        out["excluded"] = [{"program_id": e.program.id, "title": e.program.title, "kind": e.program.kind, "reason": e.reason}
                           for e in r.excluded]
    return out
