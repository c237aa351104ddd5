"""Enterprise profiles in the metadata database, one row per (tenant, enterprise), JSON body.

Keyed by tenant first: a profile is only ever read with the tenant of the principal asking, so
one tenant's enterprise id never resolves to another tenant's profile.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.adapters.sqlite_db import open_db

SCHEMA = """
CREATE TABLE IF NOT EXISTS profiles (
  tenant TEXT NOT NULL, enterprise_id TEXT NOT NULL, name TEXT, body TEXT NOT NULL, updated_at TEXT,
  PRIMARY KEY (tenant, enterprise_id)
);
"""


class ProfileStore:
    def __init__(self, path: Path) -> None:
        self.conn = open_db(path, SCHEMA)
        self._lock = threading.Lock()

    def save(self, tenant: str, body: dict[str, Any]) -> None:
        with self._lock:
            self.conn.execute("INSERT OR REPLACE INTO profiles VALUES (?,?,?,?,?)",
                              (tenant, body["enterprise_id"], body.get("name", ""), json.dumps(body, ensure_ascii=False),
                               datetime.now(UTC).isoformat(timespec="seconds")))

    def get(self, tenant: str, enterprise_id: str) -> dict[str, Any] | None:
        with self._lock:
            row = self.conn.execute("SELECT body, updated_at FROM profiles WHERE tenant=? AND enterprise_id=?",
                                    (tenant, enterprise_id)).fetchone()
        if row is None:
            return None
        return {**json.loads(row[0]), "updated_at": row[1]}

    def list(self, tenant: str, limit: int = 100) -> list[tuple[str, str]]:
        with self._lock:
            rows = self.conn.execute("SELECT enterprise_id, name FROM profiles WHERE tenant=? ORDER BY enterprise_id LIMIT ?",
                                     (tenant, limit)).fetchall()
        return [(r[0], r[1] or "") for r in rows]
