"""Enterprise profiles in PostgreSQL: ProfileStore's contract (one row per tenant and enterprise,
the JSON body), readable from every host. Keyed by tenant first, as there."""

from __future__ import annotations

from typing import Any

from psycopg.types.json import Jsonb

from app.adapters.pg.db import Database, iso
from app.adapters.profiles import ProfileStore


class PgProfileStore(ProfileStore):
    def __init__(self, url: str) -> None:  # no SQLite connection: every call below reads the database
        self.db = Database(url)

    def close(self) -> None:
        self.db.close()

    def save(self, tenant: str, body: dict[str, Any]) -> None:
        self.db.run("INSERT INTO profiles (tenant, enterprise_id, name, body, updated_at) "
                    "VALUES (%s,%s,%s,%s,date_trunc('second', clock_timestamp())) ON CONFLICT (tenant, enterprise_id) "
                    "DO UPDATE SET name=EXCLUDED.name, body=EXCLUDED.body, updated_at=EXCLUDED.updated_at",
                    (tenant, body["enterprise_id"], body.get("name", ""), Jsonb(body)))

    def get(self, tenant: str, enterprise_id: str) -> dict[str, Any] | None:
        row = self.db.run("SELECT body, updated_at FROM profiles WHERE tenant=%s AND enterprise_id=%s",
                          (tenant, enterprise_id)).one()
        return None if row is None else {**row["body"], "updated_at": iso(row["updated_at"], "seconds")}

    def list(self, tenant: str, limit: int = 100) -> list[tuple[str, str]]:
        rows = self.db.run("SELECT enterprise_id, name FROM profiles WHERE tenant=%s ORDER BY enterprise_id LIMIT %s",
                           (tenant, limit)).rows
        return [(r["enterprise_id"], r["name"] or "") for r in rows]
