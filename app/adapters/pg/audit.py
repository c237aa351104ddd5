"""Audit records in PostgreSQL: the same record as the JSON-lines AuditLog (app/api/audit.py), one
row per request, from every host into one table an auditor can query by time, tenant or key.

The middleware writes from the event loop, so `write` only queues the record; a writer thread
inserts what has queued, in one round trip per batch. A full queue makes `write` wait (records are
never dropped for speed); `flush` waits until every record queued so far is written (at exit too:
only a killed process loses the few milliseconds of records still queued)."""

from __future__ import annotations

import atexit
import json
import logging
import queue
import threading
from datetime import UTC, datetime
from typing import Any

import psycopg

from app.adapters.pg.db import Database

logger = logging.getLogger(__name__)
QUEUE_MAX = 10_000
BATCH_MAX = 500
INSERT = "INSERT INTO audit_records (key_id, tenant, route, status, record) VALUES (%s,%s,%s,%s,%s)"


def _json(record: dict[str, Any]) -> str:
    """jsonb takes neither lone surrogates (hostile JSON) nor NUL characters: replaced, as the file log does."""
    text = json.dumps(record, ensure_ascii=False).encode("utf-8", "replace").decode("utf-8")
    return text.replace("\\u0000", "\\ufffd")


def _row(record: dict[str, Any]) -> tuple[Any, ...]:
    status = record.get("status")
    return (record.get("key_id"), record.get("tenant"), record.get("route"),
            status if isinstance(status, int) else None, _json(record))


class PgAuditLog:
    def __init__(self, url: str) -> None:
        self.db = Database(url)
        self._queue: queue.Queue[tuple[Any, ...]] = queue.Queue(QUEUE_MAX)
        self._writer = threading.Thread(target=self._write_queued, name="audit-writer", daemon=True)
        self._writer.start()
        atexit.register(self.flush)  # a graceful shutdown writes what is queued

    def write(self, record: dict[str, Any]) -> None:
        self._queue.put(_row({"ts": datetime.now(UTC).isoformat(timespec="milliseconds"), **record}))

    def flush(self) -> None:
        self._queue.join()

    def close(self) -> None:
        self.flush()
        self.db.close()

    def _write_queued(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < BATCH_MAX and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            try:
                with self.db.transaction() as conn, conn.cursor() as cur:
                    cur.executemany(INSERT.encode(), batch)
            except psycopg.Error as exc:  # an unreachable database must not fail the requests it records
                logger.error("could not write %d audit record(s) (%s)", len(batch), exc)
            finally:
                for _ in batch:
                    self._queue.task_done()

    def records(self, tenant: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
        """The newest records first (a tenant's only, when given), once those queued are written."""
        self.flush()
        where, args = ("WHERE tenant=%s", [tenant]) if tenant is not None else ("", [])
        rows = self.db.run(f"SELECT record FROM audit_records {where} ORDER BY id DESC LIMIT %s", (*args, limit)).rows
        return [r["record"] for r in rows]
