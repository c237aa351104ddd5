"""Audit records in PostgreSQL: the same record as the JSON-lines AuditLog (app/api/audit.py), one
row per request, from every host into one table an auditor can query by time, tenant or key."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

import psycopg

from app.adapters.pg.db import Database

logger = logging.getLogger(__name__)


def _json(record: dict[str, Any]) -> str:
    """jsonb takes neither lone surrogates (hostile JSON) nor NUL characters: replaced, as the file log does."""
    text = json.dumps(record, ensure_ascii=False).encode("utf-8", "replace").decode("utf-8")
    return text.replace("\\u0000", "\\ufffd")


class PgAuditLog:
    def __init__(self, url: str) -> None:
        self.db = Database(url)

    def close(self) -> None:
        self.db.close()

    def write(self, record: dict[str, Any]) -> None:
        full = {"ts": datetime.now(UTC).isoformat(timespec="milliseconds"), **record}
        status = full.get("status")
        try:
            self.db.run("INSERT INTO audit_records (key_id, tenant, route, status, record) VALUES (%s,%s,%s,%s,%s)",
                        (full.get("key_id"), full.get("tenant"), full.get("route"),
                         status if isinstance(status, int) else None, _json(full)))
        except psycopg.Error as exc:  # an unreachable database must not fail the request it records
            logger.error("could not write the audit record (%s)", exc)

    def records(self, tenant: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
        """The newest records first (a tenant's only, when given)."""
        where, args = ("WHERE tenant=%s", [tenant]) if tenant is not None else ("", [])
        rows = self.db.run(f"SELECT record FROM audit_records {where} ORDER BY id DESC LIMIT %s", (*args, limit)).rows
        return [r["record"] for r in rows]
