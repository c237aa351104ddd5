"""Ingest jobs in PostgreSQL: the SQLite JobStore's contract (app/adapters/jobs.py), shared by every
host. Each state change is one UPDATE guarded by the state it expects, as there; `claim_next` takes
the oldest queued job with SELECT ... FOR UPDATE SKIP LOCKED, so workers on any host never wait on
or take the same job. A claim records the claiming session (backend pid and start time): when the
worker's process dies its session ends, and `runner_alive` says so from any host.
"""

from __future__ import annotations

from typing import Any

from psycopg.types.json import Jsonb

from app.adapters.jobs import JobSpec, counts
from app.adapters.pg.db import Database, iso
from app.core.errors import NotFound
from app.core.types import PUBLIC_TENANT

CLAIMED = ("status='running', started_at=clock_timestamp(), runner=%(runner)s, attempts=attempts+1, error=NULL, "
           "runner_pid=pg_backend_pid(), runner_since=(SELECT backend_start FROM pg_stat_activity "
           "WHERE pid=pg_backend_pid())")
NEXT_QUEUED = ("SELECT id FROM ingest_jobs WHERE status='queued' ORDER BY created_at, seq "
               "LIMIT 1 FOR UPDATE SKIP LOCKED")


class PgJobStore:
    def __init__(self, url: str) -> None:
        self.db = Database(url)

    def close(self) -> None:
        self.db.close()

    def create(self, job_id: str, spec: JobSpec, inputs: list[dict[str, str]], files: list[dict[str, Any]]) -> None:
        self.db.run("INSERT INTO ingest_jobs (id, owner, key_id, role, tenant, kind, enterprise_id, status, inputs, "
                    "files) VALUES (%s,%s,%s,%s,%s,%s,%s,'queued',%s,%s)",
                    (job_id, spec.owner, spec.key_id, spec.role, spec.tenant, spec.kind, spec.enterprise_id,
                     Jsonb(inputs), Jsonb(files)))

    def get(self, job_id: str) -> dict[str, Any] | None:
        row = self.db.run("SELECT * FROM ingest_jobs WHERE id=%s", (job_id,)).one()
        return None if row is None else _job(row)

    def visible(self, job_id: str, owner: str | None) -> dict[str, Any]:
        """As JobStore.visible: another tenant's job is NotFound, exactly like a missing one."""
        job = self.get(job_id)
        if job is None or (owner is not None and (job["owner"] != owner or job["tenant"] not in (owner, PUBLIC_TENANT))):
            raise NotFound(f"no ingest job {job_id!r}")
        return job

    def recent(self, owner: str | None, limit: int, offset: int = 0) -> list[dict[str, Any]]:
        where, args = ("WHERE owner=%s AND tenant IN (%s, %s)", [owner, owner, PUBLIC_TENANT]) if owner is not None \
            else ("", [])
        rows = self.db.run(f"SELECT * FROM ingest_jobs {where} ORDER BY created_at DESC, seq DESC LIMIT %s OFFSET %s",
                           (*args, limit, offset)).rows
        return [_job(r) for r in rows]

    def claim(self, job_id: str, runner: str) -> dict[str, Any] | None:
        """Mark this queued job running for `runner`; None if it is not queued (another took it)."""
        row = self.db.run(f"UPDATE ingest_jobs SET {CLAIMED} WHERE id=%(id)s AND status='queued' RETURNING *",
                          {"runner": runner, "id": job_id}).one()
        return None if row is None else _job(row)

    def claim_next(self, runner: str) -> dict[str, Any] | None:
        """The oldest queued job no other worker is claiming, now running for `runner`; None: none left."""
        row = self.db.run(f"UPDATE ingest_jobs SET {CLAIMED} WHERE id=({NEXT_QUEUED}) RETURNING *",
                          {"runner": runner}).one()
        return None if row is None else _job(row)

    def runner_alive(self, job_id: str) -> bool:
        """True while the database session that claimed this job is open (on whichever host)."""
        row = self.db.run("SELECT EXISTS (SELECT 1 FROM ingest_jobs j JOIN pg_stat_activity a ON a.pid=j.runner_pid "
                          "AND a.backend_start=j.runner_since WHERE j.id=%s) AS alive", (job_id,)).one()
        return bool(row and row["alive"])

    def progress(self, job_id: str, files: list[dict[str, Any]], note: str | None = None) -> None:
        self.db.run("UPDATE ingest_jobs SET files=%s, note=COALESCE(%s, note) WHERE id=%s AND status='running'",
                    (Jsonb(files), note, job_id))

    def finish(self, job_id: str, runner: str, status: str, files: list[dict[str, Any]], error: str | None,
               profile_updated: bool | None) -> bool:
        """Record the outcome if this runner still holds the job (see JobStore.finish)."""
        return self.db.run("UPDATE ingest_jobs SET status=%s, files=%s, error=%s, profile_updated=%s, "
                           "finished_at=clock_timestamp() WHERE id=%s AND runner=%s AND status='running'",
                           (status, Jsonb(files), error, profile_updated, job_id, runner)).rowcount == 1

    def unfinished(self) -> list[dict[str, Any]]:
        rows = self.db.run("SELECT * FROM ingest_jobs WHERE status IN ('queued', 'running') "
                           "ORDER BY created_at, seq").rows
        return [_job(r) for r in rows]

    def requeue(self, job_id: str, runner: str | None, note: str) -> bool:
        """Back in the queue, only if `runner` still holds it: of several hosts recovering it, one wins."""
        return self.db.run("UPDATE ingest_jobs SET status='queued', note=%s, runner=NULL, runner_pid=NULL, "
                           "runner_since=NULL WHERE id=%s AND status='running' AND runner IS NOT DISTINCT FROM %s",
                           (note, job_id, runner)).rowcount == 1

    def interrupt(self, job_id: str, runner: str | None, error: str) -> bool:
        return self.db.run("UPDATE ingest_jobs SET status='interrupted', error=%s, finished_at=clock_timestamp() "
                           "WHERE id=%s AND status='running' AND runner IS NOT DISTINCT FROM %s",
                           (error, job_id, runner)).rowcount == 1


def _job(row: dict[str, Any]) -> dict[str, Any]:
    files = row["files"]
    return {"job_id": row["id"], "status": row["status"], "created_at": iso(row["created_at"]),
            "started_at": iso(row["started_at"]), "finished_at": iso(row["finished_at"]), "kind": row["kind"],
            "tenant": row["tenant"], "enterprise_id": row["enterprise_id"], "files": files, "counts": counts(files),
            "error": row["error"], "note": row["note"], "attempts": row["attempts"],
            "profile_updated": row["profile_updated"], "owner": row["owner"], "key_id": row["key_id"],
            "role": row["role"], "runner": row["runner"], "inputs": row["inputs"]}
