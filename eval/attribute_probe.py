"""Held-out check of the chat's attribute check: `python -m eval.attribute_probe`.

Reads eval/data/attribute_probe.jsonl (questions about a client written apart from the chat set and
the exemplars, zh-Hans, zh-Hant and en, each labelled with the profile intent a router sends it to and
whether that intent's fields hold the attribute asked: "How big is its workforce?" held by the
employees; "研发人员的平均工资" not held by the R&D headcount) and runs the chat's own check
(app/chat.holds_attribute) with the intent's fields and the default embedding model, then the profile
answer's own declines (a forecast, a quarter, a person asked of fields holding no names, pending
applications): an item is accepted when a profile answer would be given. Prints, on all
items and on the tuning / held-out halves (eval.metrics.split_of on the id): recall (held
attributes accepted: a profile answer given), precision (of those accepted, held) and false accepts
(not held, accepted: another quantity stated as the answer); the tuning half's misses by id and
text (the held-out half's are never shown)."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.chat import holds_attribute
from app.core.asked_period import future_asked, sub_year_asked
from app.core.fields import kind_of
from app.core.intents import load_intents
from app.core.profile_answer import HELD_ONLY, NAME_FIELDS, asks_who, filings_asked
from app.intent_router import build_router
from app.settings import Settings
from app.wiring import Deps
from eval.metrics import split_of

PROBE = Path(__file__).resolve().parent / "data" / "attribute_probe.jsonl"


@dataclass(frozen=True)
class Item:
    id: str
    lang: str
    question: str
    intent: str
    held: bool
    why: str = ""


def load_probe(path: Path = PROBE) -> list[Item]:
    return [Item(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def summary(items: Sequence[Item], accepted: Sequence[bool]) -> dict[str, Any]:
    held = [a for it, a in zip(items, accepted) if it.held]
    not_held = [a for it, a in zip(items, accepted) if not it.held]
    true_accepts = sum(held)
    all_accepts = true_accepts + sum(not_held)
    return {"n": len(items), "held": len(held), "not_held": len(not_held),
            "recall": round(true_accepts / max(len(held), 1), 3),
            "precision": round(true_accepts / max(all_accepts, 1), 3),
            "false_accept": round(sum(not_held) / max(len(not_held), 1), 3)}


def run(items: Sequence[Item], settings: Settings | None = None) -> list[bool]:
    deps = Deps.build(settings or Settings())
    router = build_router(deps)
    if router.aim is None:
        raise SystemExit(f"the embedding model {deps.embedder.model_id} does not read both languages: no check")
    intents = load_intents()
    return [holds_attribute(it.question, intents.spec(it.intent).fields, router.aim)
            and not declined_later(it.question, intents.spec(it.intent).fields) for it in items]


def declined_later(question: str, fields: Sequence[str]) -> bool:
    """A question the profile answer declines whatever the check says (app/core/profile_answer.py): a
    forecast, a quarter or month, a person asked of fields holding no names, applications pending of
    fields holding what is granted."""
    return future_asked(question) or sub_year_asked(question) \
        or (asks_who(question) and not NAME_FIELDS & set(fields)) \
        or (filings_asked(question) and all(f.startswith(HELD_ONLY) for f in fields if kind_of(f) == "items"))


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    items = load_probe()
    accepted = run(items)
    out = {}
    for half in ("all", "tune", "held_out"):
        chosen = [(it, a) for it, a in zip(items, accepted) if half == "all" or split_of(it.id) == half]
        out[half] = summary([it for it, _ in chosen], [a for _, a in chosen])
    for it, a in zip(items, accepted):
        if a != it.held and split_of(it.id) == "tune":
            print(f"  miss {it.id} [{it.intent}] held={it.held} accepted={a}: {it.question}")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
