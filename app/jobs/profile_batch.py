"""Batch profiling: enterprises.jsonl in, one profile per enterprise out (JSONL), resumable.

Each finished batch is appended and fsynced, so a killed run loses at most the batch in flight;
a rerun skips enterprises already written and repairs a torn last line. A bad record is logged,
counted and skipped. Facts are extracted in a process pool (`workers`); industry classification
runs batched in the parent, where the embedding model is loaded once.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.facts_categorical import extract_facts
from app.core.profile import EnterpriseProfile, build_profile
from app.core.taxonomy import Classification, TaxonomyClassifier

logger = logging.getLogger(__name__)
BATCH = 64


@dataclass
class BatchReport:
    written: int = 0
    skipped_done: int = 0
    bad: list[str] = field(default_factory=list)


def profile_to_json(profile: EnterpriseProfile) -> dict[str, Any]:
    fields = {}
    for name, fv in sorted(profile.fields.items()):
        f = fv.chosen
        fields[name] = {"value": f.value, "unit": f.unit, "quote": f.quote, "span": f.span, "confidence": f.confidence,
                        "method": f.method, "as_of": f.as_of, "conflict": fv.conflict, "candidates": len(fv.candidates),
                        "inputs": [i.field for i in f.inputs]}
    return {"enterprise_id": profile.enterprise_id, "name": profile.name, "fields": fields}


def profile_record(record: dict[str, Any]) -> dict[str, Any]:
    text = str(record.get("text") or "")
    return profile_to_json(build_profile(str(record["id"]), extract_facts(text), name=str(record.get("name") or "")))


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


def read_records(path: Path, report: BatchReport) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict) or not str(record.get("id") or "").strip():
                    raise ValueError("no 'id'")
            except (json.JSONDecodeError, ValueError) as exc:
                report.bad.append(f"{path.name}:{n}: {exc}")
                logger.warning("skipping %s:%d: %s", path, n, exc)
                continue
            yield record


def _batches(records: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for r in records:
        batch.append(r)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def run_batch(inputs: list[Path], out: Path, classifier: TaxonomyClassifier | None, workers: int = 1,
              progress: Callable[[int], None] | None = None) -> BatchReport:
    report = BatchReport()
    out.parent.mkdir(parents=True, exist_ok=True)
    finished = done_ids(out)
    pool = ProcessPoolExecutor(workers) if workers > 1 else None
    try:
        for path in inputs:
            todo = (r for r in read_records(path, report) if not _seen(r, finished, report))
            for batch in _batches(todo, BATCH):
                rows = list(pool.map(profile_record, batch, chunksize=8)) if pool else [profile_record(r) for r in batch]
                if classifier is not None:
                    for row, c in zip(rows, classifier.classify([str(r.get("text") or "") for r in batch])):
                        row["industry"] = _classification(c)
                _append(out, rows)
                finished.update(row["enterprise_id"] for row in rows)
                report.written += len(rows)
                if progress:
                    progress(len(rows))
    finally:
        if pool:
            pool.shutdown()
    return report


def _seen(record: dict[str, Any], finished: set[str], report: BatchReport) -> bool:
    if str(record["id"]) in finished:
        report.skipped_done += 1
        return True
    return False


def _classification(c: Classification) -> dict[str, Any]:
    return {"label": c.label, "confidence": c.confidence, "runners_up": [list(r) for r in c.runners_up]}


def _append(out: Path, rows: list[dict[str, Any]]) -> None:
    payload = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
    with open(out, "ab") as fh:
        fh.write(payload)
        fh.flush()
        os.fsync(fh.fileno())
