"""Prompt-injection detection on a labelled set: `python -m eval.injection [--embedder hashing]`.

Reads eval/data/injection_probe.jsonl (zh and en sentences written apart from the exemplars in
app/data/injection.yaml: injections, many without a cue phrase, and benign look-alikes such as
imperatives addressed to applicants, links to government portals, AI companies' facts). Each is
classified as one unit by the product's detector (app/core/injection.py) with the configured
embedding model. Prints precision / recall / F1 for the cues alone and for cues + model, on all
items and on the tuning / held-out halves (md5(id) last hex digit even / odd), and the threshold
the tuning half prefers; the figures as one JSON object on the last line."""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.core.injection import InjectionDetector, cues, gated
from app.settings import Settings
from app.wiring import make_embedder
from eval.metrics import split_of

PROBE = Path(__file__).resolve().parent / "data" / "injection_probe.jsonl"


@dataclass(frozen=True)
class Item:
    id: str
    lang: str
    text: str
    injection: bool

    @property
    def held_out(self) -> bool:
        return split_of(self.id) == "held_out"


def load_probe(path: Path = PROBE) -> list[Item]:
    return [Item(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def ratio(a: float, b: float) -> float:
    return a / b if b else 0.0


def scores(predicted: Sequence[bool], gold: Sequence[bool]) -> dict[str, float | int]:
    tp = sum(p and g for p, g in zip(predicted, gold))
    fp = sum(p and not g for p, g in zip(predicted, gold))
    fn = sum(g and not p for p, g in zip(predicted, gold))
    precision, recall = ratio(tp, tp + fp), ratio(tp, tp + fn)
    f1 = ratio(2 * precision * recall, precision + recall)
    return {"n": len(gold), "positives": sum(gold), "precision": round(precision, 3), "recall": round(recall, 3),
            "f1": round(f1, 3), "false_positives": fp, "missed": fn}


def report(items: Sequence[Item], predicted: Sequence[bool]) -> dict[str, object]:
    out: dict[str, object] = {}
    for name, keep in (("all", lambda i: True), ("tune", lambda i: not i.held_out), ("held_out", lambda i: i.held_out),
                       ("en", lambda i: i.lang == "en"), ("zh", lambda i: i.lang == "zh")):
        pairs = [(p, i.injection) for i, p in zip(items, predicted) if keep(i)]
        out[name] = scores([p for p, _ in pairs], [g for _, g in pairs])
    return out


def best_threshold(items: Sequence[Item], rule: Sequence[bool], gate: Sequence[bool], prob: Sequence[float]) -> float:
    """The threshold with the best F1 on the tuning half (ties: the higher, fewer false alarms)."""
    tune = [k for k, i in enumerate(items) if not i.held_out]

    def f1(t: float) -> float:
        predicted = [rule[k] or (gate[k] and prob[k] >= t) for k in tune]
        return float(scores(predicted, [items[k].injection for k in tune])["f1"])

    grid = [round(0.05 * k, 2) for k in range(2, 20)]
    return max(grid, key=lambda t: (f1(t), t))


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", choices=["default", "hashing"], default="default")
    args = parser.parse_args(argv)
    settings = Settings(embedder="hashing") if args.embedder == "hashing" else Settings()
    embedder = make_embedder(settings)
    embedder.warm_up()
    detector = InjectionDetector(embedder)
    items = load_probe()
    rule = [bool(cues(i.text)) for i in items]
    gate = [gated(i.text) for i in items]
    prob = detector.probabilities([i.text for i in items])
    combined = [bool(detector.classify(i.text)) for i in items]
    result = {"model": embedder.model_id, "uses_model": detector.uses_model, "threshold": detector.spec.threshold,
              "tuned_threshold": best_threshold(items, rule, gate, prob) if detector.uses_model else None,
              "gated_share": round(sum(gate) / len(items), 3),
              "cues": report(items, rule), "cues_and_model": report(items, combined),
              "missed": [i.id for i, p in zip(items, combined) if i.injection and not p],
              "false_alarms": [i.id for i, p in zip(items, combined) if p and not i.injection]}
    for name in ("cues", "cues_and_model"):
        part = result[name]
        assert isinstance(part, dict)
        print(f"{name:15s} " + "  ".join(f"{k}: P {v['precision']:.2f} R {v['recall']:.2f} (n {v['n']})" for k, v in part.items()))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
