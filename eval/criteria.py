"""Criteria extraction precision and recall on the labelled clauses in eval/data/criteria/criteria_clauses*.yaml.

    .venv/bin/python -m eval.criteria [--clauses FILE ...] [--out docs/benchmarks/criteria_extraction.json]
    sme eval criteria [--dataset eval/data/criteria] [--out FILE]

Each clause falls in the "tune" or "held_out" half by eval.metrics.split_of on its id (a hash of its
text); every file is reported whole and by half, and the halves are pooled over the files.
criteria_clauses.yaml was tuned on whole. In sets 2-4 grammar changes are made on "tune" misses only;
set 2's held-out misses were read once, by category (issue 17), so its held-out half is no longer
blind: "held_out_blind" pools the held-out halves nobody has read (sets 3-14, each written blind and
committed before the extractor ran on it; less the few clauses in HELD_OUT_SEEN), the figure for clause
forms never tuned on.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from app.core.criteria import extract_clause, reading
from app.core.criteria_subjects import SubjectReader
from app.core.types import Criterion
from app.settings import Settings
from app.wiring import make_embedder
from eval.metrics import split_of

DATA = Path(__file__).parent / "data" / "criteria"
CLAUSES = DATA / "criteria_clauses.yaml"
CLAUSES_2 = DATA / "criteria_clauses_2.yaml"
CLAUSES_3 = DATA / "criteria_clauses_3.yaml"
CLAUSES_4 = DATA / "criteria_clauses_4.yaml"
CLAUSES_5 = DATA / "criteria_clauses_5.yaml"
CLAUSES_6 = DATA / "criteria_clauses_6.yaml"
CLAUSES_7 = DATA / "criteria_clauses_7.yaml"
CLAUSES_8 = DATA / "criteria_clauses_8.yaml"
CLAUSES_9 = DATA / "criteria_clauses_9.yaml"
CLAUSES_10 = DATA / "criteria_clauses_10.yaml"
CLAUSES_11 = DATA / "criteria_clauses_11.yaml"
CLAUSES_12 = DATA / "criteria_clauses_12.yaml"
CLAUSES_13 = DATA / "criteria_clauses_13.yaml"
CLAUSES_14 = DATA / "criteria_clauses_14.yaml"
ALL = (CLAUSES, CLAUSES_2, CLAUSES_3, CLAUSES_4, CLAUSES_5, CLAUSES_6, CLAUSES_7, CLAUSES_8, CLAUSES_9, CLAUSES_10,
       CLAUSES_11, CLAUSES_12, CLAUSES_13, CLAUSES_14)
HELD_OUT_READ = {"criteria_clauses.yaml", "criteria_clauses_2.yaml"}  # tuned whole / misses read by category
# held-out clauses whose extraction was seen while probing a form (set 14: three table rows and one list of
# excluded cases, issue 17): scored in their file's held-out half, left out of "held_out_blind"
HELD_OUT_SEEN = {"9d5141e5e49e", "00612bd648b4", "211309c5275a", "8b104d158f02"}
Key = tuple[Any, ...]


def key(field: str, op: str, value: Any, unit: str | None, hard: bool, when: Any, options: Any) -> Key:
    if isinstance(value, (list, tuple)):
        value = tuple(sorted(str(v) for v in value))
    elif isinstance(value, (int, float)):
        value = round(float(value), 4)
    return (field, op, value, unit or None, hard, when, options)


def criterion_key(c: Criterion, units: set[str]) -> Key:
    when = tuple(sorted(criterion_key(w, units) for w in c.when))
    options = tuple(sorted(criterion_key(o, units) for o in c.options))
    return key(c.field, c.op, c.value, c.unit if c.field in units else None, c.hard, when, options)


def expected_key(e: dict[str, Any]) -> Key:
    when = tuple(sorted(expected_key(w) for w in e.get("when", [])))
    options = tuple(sorted(expected_key(o) for o in e.get("options", [])))
    return key(e["field"], e["op"], e.get("value"), e.get("unit"), e.get("hard", True), when, options)


def _units(expect: list[dict[str, Any]]) -> set[str]:
    """Fields whose unit is labelled somewhere in the clause (options and tiers included)."""
    nested = [n for e in expect for n in e.get("options", []) + e.get("when", [])]
    return {e["field"] for e in expect + nested if "unit" in e}


def score_clause(item: dict[str, Any], subjects: SubjectReader | None = None) -> tuple[set[Key], set[Key]]:
    expected = {expected_key(e) for e in item["expect"]}
    units = _units(item["expect"])
    got = {criterion_key(c, units) for c in extract_clause(item["text"], item.get("context"), subjects)}
    return expected, got


def clause_id(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()[:12]


Scored = dict[int, tuple[set[Key], set[Key]]]  # a run's clauses scored once, by id(item)


def score(items: Sequence[dict[str, Any]], subjects: SubjectReader | None = None, memo: Scored | None = None) -> dict[str, Any]:
    tp = n_expected = n_got = 0
    misses = []
    memo = {} if memo is None else memo
    for item in items:
        if id(item) not in memo:
            memo[id(item)] = score_clause(item, subjects)
        expected, got = memo[id(item)]
        tp, n_expected, n_got = tp + len(expected & got), n_expected + len(expected), n_got + len(got)
        if expected != got:
            misses.append({"id": clause_id(item["text"]), "split": split_of(clause_id(item["text"])),
                           "text": item["text"], "missing": sorted(map(str, expected - got)),
                           "extra": sorted(map(str, got - expected))})
    return {"clauses": len(items), "criteria": n_expected, "precision": round(tp / n_got, 4) if n_got else 1.0,
            "recall": round(tp / n_expected, 4) if n_expected else 1.0, "mismatches": misses}


def half(items: Sequence[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [i for i in items if split_of(clause_id(i["text"])) == name]


def _summary(items: Sequence[dict[str, Any]], subjects: SubjectReader | None = None,
             memo: Scored | None = None) -> dict[str, Any]:
    return {k: v for k, v in score(items, subjects, memo).items() if k != "mismatches"}


def load(path: Path) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return items


def clause_files(source: Path | Sequence[Path] = ALL) -> list[Path]:
    """The clause files of a folder (criteria_clauses*.yaml), or the files given."""
    if isinstance(source, Path):
        return sorted(source.glob("criteria_clauses*.yaml")) if source.is_dir() else [source]
    return list(source)


def run(source: Path | Sequence[Path] = ALL, settings: Any = None, subjects: SubjectReader | None = None) -> dict[str, Any]:
    """All clauses scored together, each file and each half of each file, the halves pooled over the
    files, and the pooled held-out halves nobody has read (scored, their mismatches not listed).
    With `settings` (the `sme eval` call) the product's subject reader runs on its embedder, as
    policy ingest does; without, the grammar alone (or the `subjects` reader given)."""
    if subjects is None and settings is not None:
        subjects = SubjectReader(make_embedder(settings))
    by_file = {p.name: load(p) for p in clause_files(source)}
    every = [i for items in by_file.values() for i in items]
    memo: Scored = {}
    if subjects is not None:
        subjects.prime([reading(i["text"]) for i in every])
    result = score(every, subjects, memo)
    result["subject_reader"] = subjects is not None and subjects.active
    result["files"] = {name: {**_summary(items, subjects, memo), "tune": _summary(half(items, "tune"), subjects, memo),
                              "held_out": _summary(half(items, "held_out"), subjects, memo)}
                       for name, items in by_file.items()}
    result["tune"] = _summary(half(every, "tune"), subjects, memo)
    result["held_out"] = _summary(half(every, "held_out"), subjects, memo)
    blind = [i for name, items in by_file.items() if name not in HELD_OUT_READ for i in half(items, "held_out")
             if clause_id(i["text"]) not in HELD_OUT_SEEN]
    result["held_out_blind"] = _summary(blind, subjects, memo) | {"files": sorted(set(by_file) - HELD_OUT_READ)}
    # their mismatches are counted, never listed: the halves stay unread (the seen clauses' too)
    unread = {i["text"] for name, items in by_file.items() if name not in HELD_OUT_READ for i in half(items, "held_out")}
    result["mismatches"] = [m for m in result["mismatches"] if m["text"] not in unread]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clauses", type=Path, nargs="+", default=list(ALL))
    parser.add_argument("--out", type=Path, help="also write the report to this JSON file")
    parser.add_argument("--grammar-only", action="store_true", help="without the subject reader (no embedder)")
    args = parser.parse_args()
    report = json.dumps(run(args.clauses, None if args.grammar_only else Settings()), ensure_ascii=False, indent=1)
    if args.out:
        args.out.write_text(report + "\n", encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
