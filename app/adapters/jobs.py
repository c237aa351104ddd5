"""Ingest jobs (POST /v1/ingest) in the metadata database: what was uploaded, by whom, and how each
file fared. A job belongs to the tenant that submitted it (`owner`); `tenant` is where its
documents go. Every state change is one UPDATE guarded by the state it expects, so two server
processes over one data dir never both run a job.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.adapters.sqlite_db import open_db
from app.core.errors import NotFound
from app.core.server_paths import without_server_paths
from app.core.types import PUBLIC_TENANT

SCHEMA = """
CREATE TABLE IF NOT EXISTS ingest_jobs (
  id TEXT PRIMARY KEY, owner TEXT NOT NULL, key_id TEXT, role TEXT, tenant TEXT NOT NULL, kind TEXT NOT NULL,
  enterprise_id TEXT, status TEXT NOT NULL, created_at TEXT NOT NULL, started_at TEXT, finished_at TEXT,
  inputs TEXT NOT NULL, files TEXT NOT NULL, error TEXT, note TEXT, attempts INTEGER NOT NULL DEFAULT 0,
  runner TEXT, profile_updated INTEGER
);
CREATE INDEX IF NOT EXISTS ingest_jobs_owner ON ingest_jobs(owner, created_at);
CREATE INDEX IF NOT EXISTS ingest_jobs_status ON ingest_jobs(status);
"""
FINISHED = ("succeeded", "failed", "interrupted")
COUNTED = ("indexed", "duplicate", "unchanged", "rejected", "failed")
PUBLIC_KEYS = ("job_id", "status", "created_at", "started_at", "finished_at", "kind", "tenant", "enterprise_id",
               "files", "counts", "error", "note", "attempts", "profile_updated")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class JobSpec:
    """Who submitted a job and where its documents go."""

    owner: str
    key_id: str | None
    role: str
    tenant: str
    kind: str
    enterprise_id: str | None


def public_view(job: dict[str, Any]) -> dict[str, Any]:
    """The job as the API shows it: no submitter key, no stored file names, no server paths."""
    view = {k: job[k] for k in PUBLIC_KEYS}
    for key in ("error", "note"):
        if view.get(key):
            view[key] = without_server_paths(view[key])
    view["files"] = [{**f, "reason": without_server_paths(f.get("reason") or "")} for f in view.get("files") or []]
    return view


class JobStore:
    def __init__(self, path: Path) -> None:
        self.conn = open_db(path, SCHEMA)
        self._lock = threading.Lock()

    def create(self, job_id: str, spec: JobSpec, inputs: list[dict[str, str]], files: list[dict[str, Any]]) -> None:
        with self._lock:
            self.conn.execute(
                "INSERT INTO ingest_jobs (id, owner, key_id, role, tenant, kind, enterprise_id, status, created_at, "
                "inputs, files) VALUES (?,?,?,?,?,?,?,'queued',?,?,?)",
                (job_id, spec.owner, spec.key_id, spec.role, spec.tenant, spec.kind, spec.enterprise_id, now(),
                 json.dumps(inputs, ensure_ascii=False), json.dumps(files, ensure_ascii=False)))

    def get(self, job_id: str) -> dict[str, Any] | None:
        with self._lock:
            row = self.conn.execute("SELECT * FROM ingest_jobs WHERE id=?", (job_id,)).fetchone()
        return None if row is None else _job(row)

    def visible(self, job_id: str, owner: str | None) -> dict[str, Any]:
        """The job if `owner` submitted it into its own tenant or public (None: an admin, any job);
        another tenant's job is NotFound, exactly like a missing one, so ids do not leak. A job an
        admin key of the owner's tenant ran into a third tenant stays the admins'."""
        job = self.get(job_id)
        if job is None or (owner is not None and (job["owner"] != owner or job["tenant"] not in (owner, PUBLIC_TENANT))):
            raise NotFound(f"no ingest job {job_id!r}")
        return job

    def recent(self, owner: str | None, limit: int, offset: int = 0) -> list[dict[str, Any]]:
        where, args = ("WHERE owner=? AND tenant IN (?, ?)", [owner, owner, PUBLIC_TENANT]) if owner is not None else ("", [])
        with self._lock:
            rows = self.conn.execute(f"SELECT * FROM ingest_jobs {where} ORDER BY created_at DESC, rowid DESC "
                                     "LIMIT ? OFFSET ?", (*args, limit, offset)).fetchall()
        return [_job(r) for r in rows]

    def claim(self, job_id: str, runner: str) -> dict[str, Any] | None:
        """Mark a queued job running for this runner; None if it is not queued (another took it)."""
        with self._lock:
            cur = self.conn.execute("UPDATE ingest_jobs SET status='running', started_at=?, runner=?, "
                                    "attempts=attempts+1, error=NULL WHERE id=? AND status='queued'",
                                    (now(), runner, job_id))
        return self.get(job_id) if cur.rowcount == 1 else None

    def progress(self, job_id: str, files: list[dict[str, Any]], note: str | None = None) -> None:
        with self._lock:
            self.conn.execute("UPDATE ingest_jobs SET files=?, note=COALESCE(?, note) WHERE id=? AND status='running'",
                              (json.dumps(files, ensure_ascii=False), note, job_id))

    def finish(self, job_id: str, runner: str, status: str, files: list[dict[str, Any]], error: str | None,
               profile_updated: bool | None) -> bool:
        """Record the outcome if this runner still holds the job; False when another runner took it
        over (a runner wrongly judged dead must not overwrite the one that finished it)."""
        with self._lock:
            cur = self.conn.execute("UPDATE ingest_jobs SET status=?, files=?, error=?, profile_updated=?, finished_at=? "
                                    "WHERE id=? AND runner=? AND status='running'",
                                    (status, json.dumps(files, ensure_ascii=False), error, profile_updated, now(),
                                     job_id, runner))
            return cur.rowcount == 1

    def unfinished(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = self.conn.execute("SELECT * FROM ingest_jobs WHERE status IN ('queued', 'running') "
                                     "ORDER BY created_at, rowid").fetchall()
        return [_job(r) for r in rows]

    def requeue(self, job_id: str, runner: str | None, note: str) -> bool:
        """Put a job whose runner died back in the queue (only if that runner still holds it)."""
        with self._lock:
            cur = self.conn.execute("UPDATE ingest_jobs SET status='queued', note=?, runner=NULL "
                                    "WHERE id=? AND status='running' AND runner IS ?", (note, job_id, runner))
        return cur.rowcount == 1

    def interrupt(self, job_id: str, runner: str | None, error: str) -> bool:
        with self._lock:
            cur = self.conn.execute("UPDATE ingest_jobs SET status='interrupted', error=?, finished_at=? "
                                    "WHERE id=? AND status='running' AND runner IS ?", (error, now(), job_id, runner))
        return cur.rowcount == 1


def counts(files: list[dict[str, Any]]) -> dict[str, int]:
    seen = Counter(f["status"] for f in files)
    return {status: seen.get(status, 0) for status in COUNTED}


def _job(row: Any) -> dict[str, Any]:
    files = json.loads(row["files"])
    updated = row["profile_updated"]
    return {"job_id": row["id"], "status": row["status"], "created_at": row["created_at"],
            "started_at": row["started_at"], "finished_at": row["finished_at"], "kind": row["kind"],
            "tenant": row["tenant"], "enterprise_id": row["enterprise_id"], "files": files, "counts": counts(files),
            "error": row["error"], "note": row["note"], "attempts": row["attempts"],
            "profile_updated": None if updated is None else bool(updated),
            "owner": row["owner"], "key_id": row["key_id"], "role": row["role"], "runner": row["runner"],
            "inputs": json.loads(row["inputs"])}
