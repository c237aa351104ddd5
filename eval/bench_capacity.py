"""Per-core rates for the capacity note in docs/deploy.md: ingest tokens/s, profiles/s, searches/s.

    nice -n 10 .venv/bin/python -m eval.bench_capacity [--files 24] [--profiles 60] [--queries 60] [--out FILE]

Everything runs in this one process with the model on one CPU thread (`torch_threads=1`), so each
rate is what one core does; the embedded default store (SQLite + FAISS) and the real default model.
Samples are small (a shared machine): a slice of eval.corpus_gen's documents, eval.bench_profile's
synthetic enterprises after a warm-up batch (model loading excluded: a batch pays it once per worker),
and Retriever.search (query embedding, dense + lexical, fusion) over the small index just ingested
(bench_search measures the 100k-chunk index: the query embedding dominates there too).
The load average before and after is recorded: other work on the machine slows the wall-clock
figures, so each rate is also given per second of this process's CPU time (`*_per_cpu_s`), which is
what one dedicated core would do.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from app.core.types import Principal
from app.jobs.profile_batch import ProfileJob, make_work
from app.settings import Settings
from app.wiring import Deps
from eval.bench_profile import make_record
from eval.corpus_gen import build
from ingest.pipeline import Ingestor, Target

QUERIES = ["科技型中小企业的认定条件是什么", "What are the eligibility rules for a tech credit loan?",
           "研发费用加计扣除比例", "Which subsidies apply to high-tech enterprises in Shenzhen?",
           "职工总数不超过多少人", "How is a small enterprise defined by revenue and headcount?"]


class Clock:
    """Wall-clock and this process's CPU time since it was made."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def rates(self, unit: str, n: int) -> dict[str, float]:
        wall, cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu
        return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), f"{unit}_per_s": round(n / wall, 2),
                f"{unit}_per_cpu_s": round(n / cpu, 2)}


def _say(what: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {what}", file=sys.stderr, flush=True)


def ingest_rate(workdir: Path, files: int) -> tuple[Deps, dict[str, object]]:
    _say("building the corpus")
    corpus = sorted(build(workdir / "corpus"))
    sample = random.Random(7).sample(corpus, min(files, len(corpus)))
    settings = Settings(data_dir=workdir / "data", torch_threads=1)
    deps = Deps.build(settings)
    warm_up = getattr(deps.embedder, "warm_up", None)
    if warm_up is not None:
        warm_up()
    _say(f"ingesting {len(sample)} files")
    clock = Clock()
    report = Ingestor(settings, deps.kb, deps.embedder).run(sample, Target(kind="policy"))
    return deps, {"files": len(sample), "chunks": report.chunks, "embedding_tokens": report.tokens,
                  "embed_seconds": round(report.embed_seconds, 2), **clock.rates("tokens", report.tokens)}


def search_rate(deps: Deps, queries: int) -> dict[str, object]:
    retriever, who = deps.retriever(), Principal("bank-a", "rm")
    retriever.search("warm-up 预热", who, k=10)
    asked = [f"{QUERIES[i % len(QUERIES)]} {i}" for i in range(queries)]  # distinct: no query cache helps
    _say(f"{queries} searches")
    clock = Clock()
    for q in asked:
        retriever.search(q, who, k=10)
    return {"queries": queries, **clock.rates("searches", queries)}


def profile_rate(profiles: int) -> dict[str, object]:
    rng = random.Random(42)
    records = [make_record(i, rng) for i in range(profiles + 8)]
    work = make_work(ProfileJob(Settings(torch_threads=1)))
    work(records[:8])  # model loading and first-call costs, paid once per worker
    _say(f"profiling {profiles} enterprises")
    clock = Clock()
    rows = work(records[8:])
    rates = clock.rates("profiles", profiles)
    bad = [r for r in rows if "error" in r]
    assert not bad, bad[:3]
    return {"enterprises": profiles, "avg_text_chars": round(sum(len(str(r["text"])) for r in records) / len(records)),
            **rates}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--files", type=int, default=24)
    ap.add_argument("--profiles", type=int, default=60)
    ap.add_argument("--queries", type=int, default=60)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        deps, ingest = ingest_rate(Path(tmp), args.files)
        search = search_rate(deps, args.queries)
    profile = profile_rate(args.profiles)
    result = {"date": date.today().isoformat(), "cpu_count": os.cpu_count(), "model_threads": 1,
              "load_average_before": [round(x, 2) for x in load_before],
              "load_average_after": [round(x, 2) for x in os.getloadavg()],
              "ingest": ingest, "search": search, "profile": profile}
    if args.out:
        args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
