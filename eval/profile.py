"""`sme eval profile --dataset DIR`: the product's profiler against gold.jsonl (SPEC format).

Every enterprise goes through the batch profiler's own path (text and/or docs read as `sme profile`
reads them, rule facts, then the taxonomy classifier). Each gold field is scored: accuracy for
every field, macro-F1 for the taxonomy field too. Numbers match within 1%, lists as sets, strings
after trimming and case folding. The classifier sees only what the product ships: when the
dataset's label list matches a shipped taxonomy, that taxonomy's descriptions and keywords are
used; otherwise the dataset's labels (and descriptions, when given).

`facts` pools every gold fact of every enterprise (right / n): the figure a dossier set (gold
facts of many fields, no taxonomy) is judged on, e.g. tests/fixtures/dossiers.

Every metric is reported over all enterprises and again over two halves split by a hash of the id
(:func:`split_of`): ``tune``, the half that weights and vocabulary may be fitted on, and
``held_out``, the half that says how the product does on data nobody tuned for.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from app.core.profile import EnterpriseProfile
from app.core.profiler import Profiler
from app.core.taxonomy import TaxonomyClassifier, load_taxonomy, shipped_taxonomy_for
from app.jobs.enterprise_input import jsonl_records, read_input
from app.settings import Settings
from app.wiring import make_embedder
from eval.metrics import accuracy, macro_f1

BATCH = 64


def _same(gold: Any, predicted: Any) -> bool:
    if predicted is None:
        return False
    if isinstance(gold, (int, float)) and isinstance(predicted, (int, float)):
        return abs(gold - predicted) <= 0.01 * max(abs(gold), 1e-9)
    if isinstance(gold, list):
        got = predicted if isinstance(predicted, (list, tuple)) else [predicted]
        return {str(g).strip().casefold() for g in gold} == {str(p).strip().casefold() for p in got}
    return str(gold).strip().casefold() == str(predicted).strip().casefold()


def _profiles(dataset: Path, profiler: Profiler, settings: Settings) -> list[EnterpriseProfile]:
    bad: list[str] = []
    records = list(jsonl_records(dataset / "enterprises.jsonl", bad))
    out: list[EnterpriseProfile] = []
    for i in range(0, len(records), BATCH):
        out += profiler.profile_many([read_input(r, settings) for r in records[i : i + BATCH]])
    return out


def split_of(item_id: str) -> str:
    """"tune" when the last hex digit of md5(id) is even, else "held_out"."""
    return "tune" if int(hashlib.md5(item_id.encode("utf-8")).hexdigest()[-1], 16) % 2 == 0 else "held_out"


def pooled_facts(gold: dict[str, dict[str, Any]], profiles: list[EnterpriseProfile]) -> dict[str, float]:
    hits = [_same(v, p.value(k)) for p in profiles for k, v in gold.get(p.enterprise_id, {}).items() if k != "id"]
    return {"accuracy": round(sum(hits) / max(len(hits), 1), 4), "right": sum(hits), "n": len(hits)}


def _scores(gold: dict[str, dict[str, Any]], profiles: list[EnterpriseProfile], fields: list[str],
            taxonomy_field: str | None) -> dict[str, object]:
    result: dict[str, object] = {"facts": pooled_facts(gold, profiles)}
    for name in fields:
        pairs = [(gold[p.enterprise_id][name], p.value(name)) for p in profiles
                 if p.enterprise_id in gold and name in gold[p.enterprise_id]]
        scores: dict[str, float] = {"accuracy": round(sum(_same(g, v) for g, v in pairs) / max(len(pairs), 1), 4),
                                    "n": len(pairs)}
        if name == taxonomy_field:
            truth, predicted = [str(g) for g, _ in pairs], [str(v) for _, v in pairs]
            scores.update(accuracy=round(accuracy(truth, predicted), 4), macro_f1=round(macro_f1(truth, predicted), 4))
        result[name] = scores
    return result


def run(dataset: Path, settings: Settings | None = None) -> dict[str, object]:
    settings = settings or Settings()
    gold = {str(g["id"]): g for g in map(json.loads, (dataset / "gold.jsonl").read_text(encoding="utf-8").splitlines()) if g}
    given = load_taxonomy(dataset / "taxonomy.json") if (dataset / "taxonomy.json").exists() else None
    taxonomy = (shipped_taxonomy_for(given.names) or given) if given else None
    classifier = TaxonomyClassifier(taxonomy, make_embedder(settings)) if taxonomy else None
    profiles = _profiles(dataset, Profiler(industry=classifier), settings)
    fields = sorted({k for g in gold.values() for k in g if k != "id"})
    result: dict[str, object] = {"enterprises": len(profiles)}
    if given:
        result["taxonomy"] = "shipped" if taxonomy is not given else "dataset labels only"
    else:
        result["field"] = "facts"  # what the report headlines for a set without a taxonomy
    result.update(_scores(gold, profiles, fields, given.field if given else None))
    for half in ("tune", "held_out"):
        subset = [p for p in profiles if split_of(p.enterprise_id) == half]
        result[half] = {"enterprises": len(subset), **_scores(gold, subset, fields, given.field if given else None)}
    return result
