"""Held-out check of the chat's intent router: `python -m eval.intents [--fit]`.

Reads eval/data/intent_probe.jsonl (questions written apart from the exemplars, zh-Hans, zh-Hant
and en, each labelled with its intent) and routes each as the chat does with an enterprise in
focus. Prints, on all items and on the tuning / held-out halves (md5(id) last hex digit even /
odd): intent accuracy (the best-scoring intent), decision accuracy (route, kind and fields right),
abstentions (too close to call: retrieval, or every kind) and wrong confident decisions.
`--fit` searches the thresholds (route, kind, profile field share) on the tuning half only and prints
them for app/data/intents.yaml."""

from __future__ import annotations

import argparse
import itertools
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from app.adapters.vector_cache import VectorCache
from app.core.chat_route import Decision, Router
from app.core.intents import Intents, load_intents
from app.intent_router import build_router, intent_cache_name
from app.settings import Settings
from app.wiring import Deps
from eval.metrics import split_of

PROBE = Path(__file__).resolve().parent / "data" / "intent_probe.jsonl"


@dataclass(frozen=True)
class Item:
    id: str
    lang: str
    question: str
    intent: str

    @property
    def held_out(self) -> bool:
        return split_of(self.id) == "held_out"


def load_probe(path: Path = PROBE) -> list[Item]:
    return [Item(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def outcome(intents: Intents, label: str, d: Decision) -> str:
    """correct | abstain | wrong for one decision against the labelled intent."""
    spec = intents.spec(label)
    if spec.route == "retrieval":
        return "correct" if d.route == "retrieval" else "wrong"
    if d.method == "uncertain":
        return "abstain"
    if d.route != spec.route:
        return "wrong"
    if spec.route == "match":
        if d.kind == spec.kind:
            return "correct"
        return "abstain" if d.kind is None else "wrong"
    return "correct" if spec.fields[0] in d.fields else "wrong"


def decide(intents: Intents, item: Item, scores: dict[str, float]) -> Decision:
    """The chat's decision with an enterprise in focus: exact rules, then the scores."""
    return Router(intents).decide(item.question, True, scores)


def summary(intents: Intents, items: Sequence[Item], scores: Sequence[dict[str, float]]) -> dict[str, float]:
    n = max(len(items), 1)
    decided = [outcome(intents, it.intent, decide(intents, it, s)) for it, s in zip(items, scores)]
    return {"n": len(items), "intent_acc": sum(next(iter(s)) == it.intent for it, s in zip(items, scores)) / n,
            "decision_acc": decided.count("correct") / n, "abstain": decided.count("abstain") / n,
            "wrong": decided.count("wrong") / n}


def fit(intents: Intents, items: Sequence[Item], scores: Sequence[dict[str, float]]) -> Intents:
    """Route and kind thresholds that maximise correct − 3 × wrong on these items (a wrong route costs
    more than a retrieval); among equals, the most cautious (highest). Then the profile field share
    by the same value; among equals, the middle of the best run (as far from the items on either side
    as the grid allows: too high sends clear field questions to retrieval, too low guesses a group).
    The second field group's threshold stays as the file says (answering one more group is never a
    wrong route)."""
    grid = [x / 20 for x in range(4, 20)]
    best, best_value = intents, -1e9
    for route, kind in itertools.product(grid, grid):
        trial = replace(intents, route_confidence=route, kind_share=kind)
        value = _value(trial, items, scores) + 1e-6 * (route + kind)
        if value > best_value:
            best, best_value = trial, value
    shares = [x / 20 for x in range(20)]
    values = [_value(replace(best, field_share=f), items, scores) for f in shares]
    top = [f for f, v in zip(shares, values) if v >= max(values) - 1e-9]
    return replace(best, field_share=top[len(top) // 2])


def _value(intents: Intents, items: Sequence[Item], scores: Sequence[dict[str, float]]) -> float:
    s = summary(intents, items, scores)
    return s["decision_acc"] - 3 * s["wrong"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", action="store_true", help="fit the margins on the tuning half and report with them")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    deps = Deps.build(Settings())
    router = build_router(deps)
    if router.classifier is None:
        raise SystemExit(f"the embedding model {deps.embedder.model_id} does not read both languages: no classifier")
    items = load_probe()
    cache = VectorCache(deps.settings.cache_path / f"intent_probe-{intent_cache_name(deps.embedder.model_id)}")
    vectors = cache.vectors([it.question for it in items], deps.embedder.embed_query)
    scores = router.classifier.scores_of(vectors)
    intents = load_intents()
    if args.fit:
        tune = [i for i, it in enumerate(items) if not it.held_out]
        intents = fit(intents, [items[i] for i in tune], [scores[i] for i in tune])
        print(f"fitted thresholds: route {intents.route_confidence} kind {intents.kind_share} "
              f"second_field {intents.second_field} field {intents.field_share}")
    halves = {"all": list(range(len(items))), "tuning": [i for i, it in enumerate(items) if not it.held_out],
              "held_out": [i for i, it in enumerate(items) if it.held_out]}
    print(f"model {deps.embedder.model_id}, {len(intents.specs)} intents")
    for name, rows in halves.items():
        s = summary(intents, [items[i] for i in rows], [scores[i] for i in rows])
        print(f"{name:9s} n={s['n']:3.0f}  intent_acc {s['intent_acc']:.3f}  decision_acc {s['decision_acc']:.3f}  "
              f"abstain {s['abstain']:.3f}  wrong {s['wrong']:.3f}")
    for it, s in zip(items, scores):
        top = next(iter(s))
        d = decide(intents, it, s)
        if top != it.intent or outcome(intents, it.intent, d) != "correct":
            print(f"  {'H' if it.held_out else 'T'} {it.id:24s} {it.question[:44]:44s} → {top} ({d.route}/{d.kind or ''}"
                  f"/{','.join(d.fields[:2])}, {d.method}, p {d.confidence:.2f})")


if __name__ == "__main__":
    main()
