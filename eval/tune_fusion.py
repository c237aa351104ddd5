"""Fit the hybrid retriever's fusion weights on the tuning half of retrieval dev sets; report both
halves. `python -m eval.tune_fusion [DATASET ...]` (default: the bilingual embedding probe).

The grid is small and coarse on purpose: weights are chosen where the tuning half is high and flat,
and the held-out half is only read, never searched."""

from __future__ import annotations

import argparse
import itertools
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from app.core.retrieve import Fusion
from eval.retrieval import indexed

PROBE = Path(__file__).parent / "data" / "embedding_probe"
GRID = {"dense": (1.0, 1.5, 2.5), "cross": (0.8, 1.0), "translation": (0.5, 1.0)}


def _recall5(report: dict[str, Any], half: str) -> float:
    """recall@5 of the half; with query directions (the probe), of its worst direction: the goal is
    every direction, not the mean."""
    level = "page" if "page" in report else "document"  # filings are judged by the page
    by_dir = report.get("by_dir")
    if by_dir:
        return min(float(v[half][level].get("recall@5", 0.0)) for v in by_dir.values())
    return float(report[half][level].get("recall@5", 0.0))


def sweep(dataset: Path, grid: dict[str, tuple[float, ...]] = GRID) -> list[dict[str, Any]]:
    rows = []
    with indexed(dataset) as ix:
        base = ix.deps.retriever()
        for dense, cross, translation in itertools.product(grid["dense"], grid["cross"], grid["translation"]):
            fusion = replace(base.fusion, dense=dense, dense_cjk=dense if base.fusion.dense_cjk else 0.0,
                             cross=cross, translation=translation)
            report = ix.score(replace(base, fusion=fusion), depth=10)
            rows.append({"fusion": {"dense": dense, "cross": cross, "translation": translation},
                         "tune_recall@5": _recall5(report, "tune"),
                         "held_out_recall@5": _recall5(report, "held_out"), "report": report})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("datasets", nargs="*", type=Path, default=[PROBE])
    parser.add_argument("--out", type=Path)
    for name, values in GRID.items():
        parser.add_argument(f"--{name}", type=float, nargs="+", default=list(values))
    args = parser.parse_args(argv)
    grid = {name: tuple(getattr(args, name)) for name in GRID}
    results = {}
    for dataset in args.datasets:
        rows = sweep(dataset, grid)
        best = max(rows, key=lambda r: r["tune_recall@5"])
        results[dataset.name] = {"grid": [{k: v for k, v in r.items() if k != "report"} for r in rows],
                                 "best_on_tune": best["fusion"], "best_report": best["report"],
                                 "default": Fusion().__dict__}
        for r in rows:
            print(dataset.name, r["fusion"], "tune", r["tune_recall@5"], "held_out", r["held_out_recall@5"])
    if args.out:
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps({k: v["best_on_tune"] for k, v in results.items()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
