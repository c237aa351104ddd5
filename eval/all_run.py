"""`sme eval all` / `make eval`: every dev set through the product and the LangChain baseline, the
benchmarks, one report.

    .venv/bin/python -m eval.all_run [DATASET_DIR ...] [--out-dir DIR] [--quick]

Dev sets are the folders of ../shared/data/eval that are present, plus any given on the command
line; each folder's task follows from its files (qrels.tsv → retrieval, programs.jsonl → match,
gold.jsonl → profile). Every stage runs in its own process: its wall time and peak resident memory
(ru_maxrss of the process and its children, from wait4) are its own. A failed stage is reported
with its exit code and log, and the rest still run. Writes report.json, report.md, the plots and
logs/ under eval/reports/<date>/ (or --out-dir).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from eval.corpus_gen import SHARED

logger = logging.getLogger(__name__)
DEV_SETS = SHARED / "eval"
ROOT = Path(__file__).resolve().parents[1]
CHAT_SET = ROOT / "eval" / "data" / "chat"  # written for the demo enterprises (issue 16)
CLEANING_SET = ROOT / "eval" / "data" / "cleaning"  # labelled messy pages, zh-Hans/zh-Hant/en (issue 19)
CRITERIA_SET = ROOT / "eval" / "data" / "criteria"  # labelled policy clauses, tune and held-out halves (issue 17)
PRODUCT_ONLY = ("chat", "cleaning", "criteria")  # no LangChain baseline for these

# Benchmark sizes that fit the whole run in 30 minutes on 2 cores (full sizes in eval/bench_*.py docstrings):
# profiling and matching at their full sizes, search on a fifth of its index.
FULL_SIZES: dict[str, dict[str, Any]] = {
    "bench_search": {"chunks": 20_000, "queries": 100},
    "bench_profile": {"n": 1000, "runs": [[1, "local"], [2, "local"], [2, "ray"]]},
    "bench_match": {"programs": 10_000, "queries": 60},
}
QUICK_SIZES: dict[str, dict[str, Any]] = {
    "bench_search": {"chunks": 2_000, "queries": 20},
    "bench_profile": {"n": 40, "runs": [[1, "local"], [2, "local"]]},
    "bench_match": {"programs": 200, "queries": 10},
}
BENCH_DEFAULTS = {"bench_search": {"chunks": 100_000, "queries": 200},
                  "bench_profile": {"n": 1000, "runs": [[1, "local"], [2, "local"], [2, "ray"]]},
                  "bench_match": {"programs": 10_000, "queries": 60}, "bench_ingest": {"documents": ">= 200"}}


@dataclass(frozen=True)
class Stage:
    name: str
    group: str  # a dataset name or "bench"
    side: str  # "product" | "baseline" | "bench"
    argv: tuple[str, ...]
    params: dict[str, Any] = field(default_factory=dict)


def task_of(dataset: Path) -> str | None:
    if (dataset / "qrels.tsv").exists():
        return "retrieval"
    if (dataset / "programs.jsonl").exists():
        return "match"
    if (dataset / "gold.jsonl").exists() and (dataset / "enterprises.jsonl").exists():
        return "profile"
    if (dataset / "questions.jsonl").exists() and (dataset / "enterprises").is_dir():
        return "chat"
    if any(dataset.glob("docs_*.txt")):
        return "cleaning"
    if any(dataset.glob("criteria_clauses*.yaml")):
        return "criteria"
    return None


def datasets(extra: list[Path]) -> list[Path]:
    found = sorted(p for p in DEV_SETS.iterdir() if p.is_dir()) if DEV_SETS.is_dir() else []
    return list(dict.fromkeys([*found, CHAT_SET, CLEANING_SET, CRITERIA_SET, *(p.resolve() for p in extra)]))


def _stage(name: str, group: str, side: str, out: Path, dataset: Path | None = None,
           params: dict[str, Any] | None = None) -> Stage:
    argv = [sys.executable, "-m", "eval.stages", name, "--out", str(out), "--params", json.dumps(params or {})]
    argv += ["--dataset", str(dataset)] if dataset else []
    return Stage(f"{group}:{side}", group, side, tuple(argv), params or {})


def plan(sets: list[Path], work: Path, quick: bool, benches: bool = True) -> list[Stage]:
    stages: list[Stage] = []
    for ds in sets:
        task = task_of(ds)
        if task is None:
            logger.warning("skipping %s: no qrels.tsv, programs.jsonl, gold.jsonl or questions.jsonl", ds)
            continue
        params = {"limit": 40} if quick and task == "match" else {}
        for side in ("product",) if task in PRODUCT_ONLY else ("product", "baseline"):
            stages.append(_stage(f"{side}_{task}", ds.name, side, work / f"{ds.name}.{side}.json", ds, params))
    sizes = QUICK_SIZES if quick else FULL_SIZES
    if not benches:
        return stages
    if not quick:
        stages.append(_stage("bench_ingest", "bench_ingest", "bench", work / "bench_ingest.json"))
    for name in ("bench_search", "bench_profile"):
        stages.append(_stage(name, name, "bench", work / f"{name}.json", params=sizes[name]))
    m = sizes["bench_match"]
    stages.append(Stage("bench_match:bench", "bench_match", "bench", (
        sys.executable, "-m", "eval.bench_match", "--programs", str(m["programs"]), "--queries", str(m["queries"]),
        "--out", str(work / "bench_match.json")), m))
    return stages


def run_stage(stage: Stage, logs: Path) -> dict[str, Any]:
    """Run one stage in a child process; its JSON plus wall time and peak RSS (MiB)."""
    out = Path(stage.argv[stage.argv.index("--out") + 1])
    log = logs / f"{stage.name.replace(':', '.')}.log"
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as fh:
        proc = subprocess.Popen(stage.argv, cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    meta = {"wall_s": round(time.perf_counter() - started, 1), "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
            "params": stage.params, "log": str(log.relative_to(logs.parent))}
    if proc.returncode != 0 or not out.exists():
        tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
        return meta | {"error": f"exit code {proc.returncode}: {' | '.join(tail)}"}
    return meta | {"result": json.loads(out.read_text(encoding="utf-8"))}


def run_all(extra: list[Path], out_dir: Path, quick: bool = False, only: set[str] | None = None,
            benches: bool = True) -> dict[str, Any]:
    from eval import report

    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "logs").mkdir(exist_ok=True)
    work = out_dir / "stages"
    work.mkdir(exist_ok=True)
    sets = [d for d in datasets(extra) if only is None or d.name in only]
    started = time.perf_counter()
    results: dict[str, dict[str, Any]] = {}
    stages = plan(sets, work, quick, benches)
    for i, stage in enumerate(stages, 1):
        logger.info("[%d/%d] %s", i, len(stages), stage.name)
        results[stage.name] = run_stage(stage, out_dir / "logs") | {"group": stage.group, "side": stage.side}
        logger.info("    %s in %.0f s, peak %.0f MiB%s", stage.name, results[stage.name]["wall_s"],
                    results[stage.name]["peak_rss_mib"], " FAILED" if "error" in results[stage.name] else "")
    total = time.perf_counter() - started
    tasks = {ds.name: t for ds in sets if (t := task_of(ds)) is not None}
    data = report.build(results, tasks, total, quick, FULL_SIZES if not quick else QUICK_SIZES, BENCH_DEFAULTS)
    report.write(data, out_dir)
    return data


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("datasets", nargs="*", type=Path, help="extra dataset folders (SPEC formats)")
    ap.add_argument("--out-dir", type=Path, default=None)
    ap.add_argument("--quick", action="store_true", help="small benchmark sizes and 40 match firms (development)")
    ap.add_argument("--only", help="comma-separated dev-set names to run (default: all present)")
    ap.add_argument("--no-bench", action="store_true", help="dev sets only")
    args = ap.parse_args(argv)
    only = set(args.only.split(",")) if args.only else None
    return cli(args.datasets, args.out_dir, args.quick, only, not args.no_bench)


def cli(extra: list[Path], out_dir: Path | None = None, quick: bool = False, only: set[str] | None = None,
        benches: bool = True) -> int:
    """Entry point shared by `sme eval all` and `python -m eval.all_run`; 1 when a stage failed or a
    product metric fell below its threshold (the levels earlier issues reached)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    logger.setLevel(logging.INFO)  # progress shows even when `sme` configured the root logger for warnings
    missing = [p for p in extra if task_of(p) is None]
    if missing:
        print(f"sme eval all: error: not a dataset folder (SPEC formats): {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    if not DEV_SETS.is_dir():
        logger.warning("no dev sets at %s: only the benchmarks and the given folders run", DEV_SETS)
    out = out_dir or ROOT / "eval" / "reports" / date.today().isoformat()
    data = run_all(extra, out, quick, only | {p.name for p in extra} if only else None, benches)
    print(f"report: {out / 'report.md'}")
    print(json.dumps(data["headline"], ensure_ascii=False))
    for failure in data["failed_stages"] + data["threshold_failures"]:
        print(f"sme eval all: FAILED: {failure}", file=sys.stderr)
    return 1 if data["failed_stages"] or data["threshold_failures"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
