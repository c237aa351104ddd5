"""`python -m eval.tech_domains_probe`: the technology domains the profiler tags a firm with, against an
analyst's labels.

eval/data/tech_domains_probe.jsonl holds firm descriptions written for this probe (zh, zh-Hant, en: plan
paragraphs, web blurbs with navigation, pitch bullets, R&D project tables, RM memos), each with the set of
tech_domains labels an analyst gives it (none for a firm of no technology domain; a domain word in passing
is no domain). Every text goes through the profiler's own tagger (the shipped taxonomy, its learned label
model, the configured embedding model). Reported over all items and over the tuning and held-out halves
(:func:`eval.metrics.split_of`): micro precision, recall and F1 over the labels, and the share of firms whose
set is exactly right. Settings are chosen on ``tune`` only (``--corroborate`` compares the tagger's bar).
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path
from typing import Any

from app.core.profiler import TECH_DOMAINS
from app.core.taxonomy import TaxonomyClassifier, load_taxonomy
from app.settings import Settings
from app.wiring import make_embedder
from eval.metrics import split_of

PROBE = Path(__file__).resolve().parent / "data" / "tech_domains_probe.jsonl"


def read_probe(path: Path = PROBE) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def predict(items: list[dict[str, Any]], settings: Settings | None = None, **tag: float) -> list[set[str]]:
    """The domains the tagger gives each item's text (`tag`: the tagger's settings, its defaults when none)."""
    classifier = TaxonomyClassifier(load_taxonomy(TECH_DOMAINS), make_embedder(settings or Settings()))
    return [{name for name, _ in tags} for tags in classifier.tag([i["text"] for i in items], **tag)]  # type: ignore[arg-type]


def scores(pairs: list[tuple[set[str], set[str]]]) -> dict[str, float]:
    """Micro precision / recall / F1 over the labels and exact-set accuracy, for (gold, predicted) pairs."""
    hit = sum(len(g & p) for g, p in pairs)
    given = sum(len(p) for _, p in pairs)
    wanted = sum(len(g) for g, _ in pairs)
    precision = hit / given if given else 1.0
    recall = hit / wanted if wanted else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "exact": round(sum(g == p for g, p in pairs) / max(len(pairs), 1), 4), "n": len(pairs)}


def report(items: list[dict[str, Any]], predicted: list[set[str]]) -> dict[str, Any]:
    rows = [(i, set(i["domains"]), p) for i, p in zip(items, predicted)]
    out: dict[str, Any] = {"all": scores([(g, p) for _, g, p in rows])}
    for half in ("tune", "held_out"):
        out[half] = scores([(g, p) for i, g, p in rows if split_of(i["id"]) == half])
    for lang in sorted({i["lang"] for i in items}):
        out[f"lang {lang}"] = scores([(g, p) for i, g, p in rows if i["lang"] == lang])
    out["errors"] = [{"id": i["id"], "split": split_of(i["id"]), "missed": sorted(g - p), "extra": sorted(p - g),
                      "text": i["text"][:80]} for i, g, p in rows if g != p]
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--probe", type=Path, default=PROBE)
    parser.add_argument("--corroborate", type=float, default=None,
                        help="the tagger's bar for a label one strong term names (default: the tagger's own)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    items = read_probe(args.probe)
    tag = {} if args.corroborate is None else {"corroborate": args.corroborate}
    result = report(items, predict(items, **tag))
    text = json.dumps(result, ensure_ascii=False, indent=1)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "errors"}, ensure_ascii=False))


if __name__ == "__main__":
    main()
