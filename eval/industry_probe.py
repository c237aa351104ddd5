"""`python -m eval.industry_probe`: industry accuracy on startup descriptions (issue 17, item 3).

eval/data/startup_industry_probe.jsonl holds startup descriptions written for this probe (zh, en,
a few zh-Hant), each naming banks, investors or customers beside what the firm does; the gold
label is from the startup_industry taxonomy. Every text goes through the profiler's own path (the
shipped taxonomy, its learned label model, the configured embedding model). Accuracy is reported
over all items and over the tuning and held-out halves (:func:`eval.metrics.split_of`); settings
are chosen on ``tune`` only.
"""

from __future__ import annotations

import argparse
import json
import logging
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from app.core.profiler import INDUSTRY_DEFAULT, ProfileInput, Profiler
from app.core.taxonomy import TaxonomyClassifier, load_taxonomy
from app.settings import Settings
from app.wiring import make_embedder
from eval.metrics import split_of

PROBE = Path(__file__).resolve().parent / "data" / "startup_industry_probe.jsonl"


def read_probe(path: Path = PROBE) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def predict(items: list[dict[str, str]], settings: Settings | None = None,
            filters: tuple[str, ...] | None = None) -> list[str]:
    """The industry the profiler gives each item's text; ``filters``: other evidence filters than
    the taxonomy file's (to compare settings on the tuning half)."""
    taxonomy = load_taxonomy(INDUSTRY_DEFAULT)
    if filters is not None:
        taxonomy = replace(taxonomy, evidence_filters=filters)
    classifier = TaxonomyClassifier(taxonomy, make_embedder(settings or Settings()))
    profiles = Profiler(industry=classifier).profile_many(
        [ProfileInput(enterprise_id=i["id"], facts=(), text=i["text"]) for i in items])
    return [str(p.value(classifier.taxonomy.field) or "") for p in profiles]


def _accuracy(pairs: list[tuple[str, str]]) -> dict[str, float]:
    return {"accuracy": round(sum(g == p for g, p in pairs) / max(len(pairs), 1), 4), "n": len(pairs)}


def report(items: list[dict[str, str]], predicted: list[str]) -> dict[str, Any]:
    rows = list(zip(items, predicted))
    out: dict[str, Any] = {"all": _accuracy([(i["label"], p) for i, p in rows])}
    for half in ("tune", "held_out"):
        out[half] = _accuracy([(i["label"], p) for i, p in rows if split_of(i["id"]) == half])
    for lang in sorted({i["lang"] for i in items}):
        out[f"lang {lang}"] = _accuracy([(i["label"], p) for i, p in rows if i["lang"] == lang])
    out["confusions"] = dict(Counter(f"{i['label']} -> {p}" for i, p in rows if i["label"] != p).most_common())
    out["errors"] = [{"id": i["id"], "split": split_of(i["id"]), "gold": i["label"], "got": p, "text": i["text"][:80]}
                     for i, p in rows if i["label"] != p]
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--probe", type=Path, default=PROBE)
    parser.add_argument("--out", type=Path, help="write the report as JSON here too")
    parser.add_argument("--filters", help="evidence filters instead of the taxonomy's, comma-separated ('' for none)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    items = read_probe(args.probe)
    filters = None if args.filters is None else tuple(f for f in args.filters.split(",") if f)
    result = report(items, predict(items, filters=filters))
    text = json.dumps(result, ensure_ascii=False, indent=1)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
