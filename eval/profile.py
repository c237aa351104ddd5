"""`sme eval profile --dataset DIR`: taxonomy fields of enterprises.jsonl against gold.jsonl (SPEC format).

So far the industry classification (accuracy and macro-F1); fact fields come with the profiler.
The classifier sees only what the product ships: when the dataset's label list matches a shipped
taxonomy, that taxonomy's descriptions and keywords are used; otherwise the bare label names.
"""

from __future__ import annotations

import json
from pathlib import Path

from app.core.taxonomy import TaxonomyClassifier, load_taxonomy, shipped_taxonomy_for
from app.settings import Settings
from app.wiring import make_embedder
from eval.metrics import accuracy, macro_f1


def run(dataset: Path, settings: Settings | None = None) -> dict[str, object]:
    settings = settings or Settings()
    enterprises = [json.loads(line) for line in (dataset / "enterprises.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    gold = {g["id"]: g for g in map(json.loads, (dataset / "gold.jsonl").read_text(encoding="utf-8").splitlines()) if g}
    given = load_taxonomy(dataset / "taxonomy.json")
    taxonomy = shipped_taxonomy_for(given.names) or given
    classifier = TaxonomyClassifier(taxonomy, make_embedder(settings))
    texts = [str(e.get("text") or "") for e in enterprises]
    predicted = [c.label for c in classifier.classify(texts)]
    truth = [str(gold[e["id"]].get(given.field, "")) for e in enterprises]
    return {"enterprises": len(enterprises), "taxonomy": "shipped" if taxonomy is not given else "label names only",
            given.field: {"accuracy": round(accuracy(truth, predicted), 4), "macro_f1": round(macro_f1(truth, predicted), 4)}}
