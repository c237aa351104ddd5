"""What reading a text sentence by sentence costs the industry classifier, side by side in one run.

    .venv/bin/python -m eval.bench_label_reading [--dataset ../shared/data/eval/yc-industry] [--n 200]
        [--out docs/benchmarks/label_reading.json]

The shipped startup-industry taxonomy classifies the same texts (each cut to what the profiler reads) with
its learned model reading each text whole only (``sentences`` 0) and whole plus sentence by sentence (the
shipped share), alternating the two three times; it reports the best wall time of each, texts per second,
and the accuracy of each on those texts where the dataset has gold labels.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from pathlib import Path

from app.core.profiler import CLASSIFY_CHARS
from app.core.taxonomy import TaxonomyClassifier, shipped_taxonomy
from app.settings import Settings
from app.wiring import make_embedder
from eval.match_relevance import read_jsonl


def run(dataset: Path, n: int) -> dict[str, object]:
    records = read_jsonl(dataset / "enterprises.jsonl")[:n]
    gold = {g["id"]: g.get("industry") for g in read_jsonl(dataset / "gold.jsonl")}
    texts = [str(r["text"])[:CLASSIFY_CHARS] for r in records]
    embedder = make_embedder(Settings())
    shipped = shipped_taxonomy("startup_industry")
    variants = {"whole": replace(shipped, sentence_share=0.0), "whole_and_sentences": shipped}
    classifiers = {k: TaxonomyClassifier(t, embedder) for k, t in variants.items()}
    for c in classifiers.values():
        c.warm_up()
        c.classify(texts[:4])  # the model's first call is not timed
    best: dict[str, float] = {}
    labels: dict[str, list[str]] = {}
    for _ in range(3):
        for name, c in classifiers.items():
            start = time.perf_counter()
            labels[name] = [x.label for x in c.classify(texts)]
            best[name] = min(best.get(name, float("inf")), time.perf_counter() - start)
    scored = [i for i, r in enumerate(records) if gold.get(r["id"])]
    out: dict[str, object] = {"dataset": dataset.name, "texts": len(texts), "share": shipped.sentence_share}
    for name in classifiers:
        right = sum(labels[name][i] == gold[records[i]["id"]] for i in scored)
        out[name] = {"seconds": round(best[name], 2), "texts_per_s": round(len(texts) / best[name], 1),
                     "accuracy": round(right / max(len(scored), 1), 4)}
    out["cost"] = round(best["whole_and_sentences"] / best["whole"], 2)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dataset", type=Path, default=Path("../shared/data/eval/yc-industry"))
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--out", type=Path, default=Path("docs/benchmarks/label_reading.json"))
    args = ap.parse_args()
    result = run(args.dataset, args.n)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
