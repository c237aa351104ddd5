"""Batch profiling: enterprises (JSONL records or per-enterprise folders) in, one profile each out.

Resumable: each finished batch is appended to the JSONL and fsynced, so a killed run loses at most
the batches in flight; a rerun repairs a torn last line and skips enterprises already written.
CSV and Parquet are written from that JSONL (kept beside them as `<out>.partial.jsonl`) when the
run completes. A bad record or an unreadable file is logged, counted and skipped.

Engines (a registry): `local` runs batches in this process (workers=1) or a process pool, `ray`
on Ray actors (local, or a cluster at `address`). Every worker builds its own Profiler once,
embedding model included, and profiles whole batches: facts, industry, tech domains.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from app.adapters.embedder import MemoEmbedder
from app.core.errors import DocumentError, InputError
from app.core.profile import EnterpriseProfile
from app.core.profile_json import profile_row
from app.core.profiler import INDUSTRY_DEFAULT, TECH_DOMAINS, ProfileInput, Profiler
from app.core.taxonomy import TaxonomyClassifier, load_taxonomy
from app.jobs.enterprise_input import folder_records, jsonl_records, read_input
from app.jobs.outputs import write_table
from app.settings import Settings

logger = logging.getLogger(__name__)
BATCH = 64
Work = Callable[[list[dict[str, Any]]], list[dict[str, Any]]]


@dataclass(frozen=True)
class ProfileJob:
    """What every worker needs to build its Profiler (picklable, sent to processes and actors)."""

    settings: Settings
    taxonomy: str | None = str(INDUSTRY_DEFAULT)  # None: no industry classification
    tech_domains: bool = True
    today: str | None = None  # ISO date that ages are computed at (fixed in tests)


@dataclass
class BatchReport:
    written: int = 0
    skipped_done: int = 0
    bad: list[str] = field(default_factory=list)
    failed_files: list[str] = field(default_factory=list)  # "enterprise: file: reason"; the rest of it was profiled


def make_profiler(job: ProfileJob) -> Profiler:
    from app.wiring import make_embedder

    embedder = MemoEmbedder(make_embedder(job.settings))  # industry and tech domains read the same texts
    industry = TaxonomyClassifier(load_taxonomy(Path(job.taxonomy)), embedder) if job.taxonomy else None
    tech = TaxonomyClassifier(load_taxonomy(TECH_DOMAINS), embedder) if job.tech_domains and TECH_DOMAINS.exists() else None
    return Profiler(industry, tech, date.fromisoformat(job.today) if job.today else None)


def make_work(job: ProfileJob) -> Work:
    return partial(profile_records, make_profiler(job), job.settings)


def profile_records(profiler: Profiler, settings: Settings, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows in record order; a record that cannot be read becomes {"enterprise_id", "error"}."""
    inputs: list[ProfileInput] = []
    rows: list[dict[str, Any] | None] = []
    for record in records:
        try:
            inputs.append(read_input(record, settings))
            rows.append(None)
        except (DocumentError, InputError, OSError, ValueError) as exc:
            rows.append({"enterprise_id": str(record.get("id")), "error": str(exc)})
    profiled = iter(zip(inputs, profiler.profile_many(inputs)))
    return [row if row is not None else _row(*next(profiled)) for row in rows]


def _row(item: ProfileInput, profile: EnterpriseProfile) -> dict[str, Any]:
    return {**profile_row(profile), "failed_files": list(item.failed_files)}


# -- engines ------------------------------------------------------------------------------------
_WORK: Work | None = None


def _init_worker(factory: Callable[[], Work]) -> None:
    global _WORK
    _WORK = factory()


def _run_in_worker(batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
    assert _WORK is not None
    return _WORK(batch)


def run_local(factory: Callable[[], Work], batches: Iterable[list[dict[str, Any]]], workers: int,
              address: str | None = None) -> Iterator[list[dict[str, Any]]]:
    if workers <= 1:
        work = factory()
        yield from (work(b) for b in batches)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # workers are spawned, not forked: a fork copies the parent's locks mid-use (onnxruntime's and OpenMP's thread
    # pools, once a model is loaded in the caller) and a child can wait on one forever
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=spawn, initializer=_init_worker, initargs=(factory,)) as pool:
        yield from pool.map(_run_in_worker, batches)


def run_ray(factory: Callable[[], Work], batches: Iterable[list[dict[str, Any]]], workers: int,
            address: str | None = None) -> Iterator[list[dict[str, Any]]]:
    from app.adapters.ray_engine import ray_map

    return ray_map(factory, batches, workers, address)


ENGINES: dict[str, Callable[..., Iterator[list[dict[str, Any]]]]] = {"local": run_local, "ray": run_ray}


# -- the job ------------------------------------------------------------------------------------
def done_ids(out: Path) -> set[str]:
    """Ids already written; a torn last line (killed mid-write) is cut off first."""
    if not out.exists():
        return set()
    data = out.read_bytes()
    if data and not data.endswith(b"\n"):
        keep = data.rfind(b"\n") + 1
        with open(out, "r+b") as fh:
            fh.truncate(keep)
        data = data[:keep]
    return {json.loads(line)["enterprise_id"] for line in data.decode("utf-8").splitlines() if line.strip()}


def records_of(inputs: list[Path], report: BatchReport) -> Iterator[dict[str, Any]]:
    for path in inputs:
        if path.is_dir():
            yield from folder_records(path)
        else:
            yield from jsonl_records(path, report.bad)


def _batches(records: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for r in records:
        batch.append(r)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def journal_path(out: Path) -> Path:
    return out if out.suffix == ".jsonl" else out.with_name(out.name + ".partial.jsonl")


def run_batch(inputs: list[Path], out: Path, job: ProfileJob, workers: int = 1, engine: str = "local",
              address: str | None = None, progress: Callable[[int], None] | None = None) -> BatchReport:
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}; expected one of {', '.join(ENGINES)}")
    report = BatchReport()
    journal = journal_path(out)
    journal.parent.mkdir(parents=True, exist_ok=True)
    finished = done_ids(journal)
    todo = (r for r in records_of(inputs, report) if not _seen(r, finished, report))
    for rows in ENGINES[engine](partial(make_work, job), _batches(todo, BATCH), workers, address):
        good = [r for r in rows if "error" not in r]
        report.failed_files += [f"{r['enterprise_id']}: {f}" for r in good for f in r.get("failed_files") or ()]
        for r in rows:
            if "error" in r:
                report.bad.append(f"{r['enterprise_id']}: {r['error']}")
                logger.warning("skipping enterprise %s: %s", r["enterprise_id"], r["error"])
        _append(journal, good)
        finished.update(r["enterprise_id"] for r in good)
        report.written += len(good)
        if progress:
            progress(len(rows))
    if journal != out:
        write_table(journal, out)
    return report


def _seen(record: dict[str, Any], finished: set[str], report: BatchReport) -> bool:
    if str(record["id"]) in finished:
        report.skipped_done += 1
        return True
    return False


def _append(out: Path, rows: list[dict[str, Any]]) -> None:
    payload = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
    with open(out, "ab") as fh:
        fh.write(payload)
        fh.flush()
        os.fsync(fh.fileno())
