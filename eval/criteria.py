"""Criteria extraction precision and recall on the labelled clauses in eval/data/criteria_clauses.yaml.

    .venv/bin/python -m eval.criteria [--clauses FILE]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import yaml

from app.core.criteria import extract_clause
from app.core.types import Criterion

CLAUSES = Path(__file__).parent / "data" / "criteria_clauses.yaml"


def key(field: str, op: str, value: Any, unit: str | None, hard: bool, when: Any, options: Any) -> tuple[Any, ...]:
    if isinstance(value, (list, tuple)):
        value = tuple(sorted(str(v) for v in value))
    elif isinstance(value, (int, float)):
        value = round(float(value), 4)
    return (field, op, value, unit or None, hard, when, options)


def criterion_key(c: Criterion, with_unit: bool) -> tuple[Any, ...]:
    when = tuple(sorted(criterion_key(w, False) for w in c.when))
    options = tuple(sorted(criterion_key(o, False) for o in c.options))
    return key(c.field, c.op, c.value, c.unit if with_unit else None, c.hard, when, options)


def expected_key(e: dict[str, Any]) -> tuple[Any, ...]:
    when = tuple(sorted(expected_key(w) for w in e.get("when", [])))
    options = tuple(sorted(expected_key(o) for o in e.get("options", [])))
    return key(e["field"], e["op"], e.get("value"), e.get("unit"), e.get("hard", True), when, options)


def score_clause(item: dict[str, Any]) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    expected = {expected_key(e) for e in item["expect"]}
    units = {e["field"] for e in item["expect"] if "unit" in e}
    got = {criterion_key(c, c.field in units) for c in extract_clause(item["text"], item.get("context"))}
    return expected, got


def run(clauses: Path = CLAUSES) -> dict[str, Any]:
    items = yaml.safe_load(clauses.read_text(encoding="utf-8"))
    tp = n_expected = n_got = 0
    misses = []
    for item in items:
        expected, got = score_clause(item)
        tp += len(expected & got)
        n_expected += len(expected)
        n_got += len(got)
        if expected != got:
            misses.append({"text": item["text"], "missing": sorted(map(str, expected - got)),
                           "extra": sorted(map(str, got - expected))})
    return {"clauses": len(items), "criteria": n_expected, "precision": round(tp / n_got, 4) if n_got else 0.0,
            "recall": round(tp / n_expected, 4) if n_expected else 0.0, "mismatches": misses}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clauses", type=Path, default=CLAUSES)
    print(json.dumps(run(parser.parse_args().clauses), ensure_ascii=False))


if __name__ == "__main__":
    main()
