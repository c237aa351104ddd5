"""API key records in PostgreSQL (hashes only), shared by every host. The verified-key cache of
KeyStore is kept: its version here is the newest change number, so a key created or revoked through
any host (or `sme keys` on any machine) changes it, and every host refuses a revoked key from its
next request on, at the cost of one indexed query per request."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from app.adapters.keys import KeyStore, Version
from app.adapters.pg.db import Database
from app.core.auth import KeyRecord, new_key
from app.core.errors import NotFound

FIELDS = "id, tenant, role, salt, digest, created_at, revoked"


class PgKeyStore(KeyStore):
    def __init__(self, url: str) -> None:
        super().__init__(Path("postgresql"))  # no file: version() and records() read the database
        self.db = Database(url)
        self._records: tuple[Version, dict[str, KeyRecord]] | None = None

    def close(self) -> None:
        self.db.close()

    def version(self) -> Version:
        row = self.db.run("SELECT count(*) AS n, COALESCE(max(changed), 0) AS changed FROM api_keys").one()
        return (1, int(row["changed"]), int(row["n"])) if row and row["n"] else (0, 0, 0)

    def records(self) -> dict[str, KeyRecord]:
        version = self.version()
        if self._records is None or self._records[0] != version:
            rows = self.db.run(f"SELECT {FIELDS} FROM api_keys ORDER BY created_at, id").rows
            self._records = (version, {r["id"]: KeyRecord(**r) for r in rows})
        return self._records[1]

    def create(self, tenant: str, role: str) -> tuple[str, KeyRecord]:
        key, r = new_key(tenant, role, datetime.now(UTC).isoformat(timespec="seconds"))
        self.db.run(f"INSERT INTO api_keys ({FIELDS}) VALUES (%s,%s,%s,%s,%s,%s,%s)",
                    (r.id, r.tenant, r.role, r.salt, r.digest, r.created_at, r.revoked))
        return key, r

    def revoke(self, key_id: str) -> KeyRecord:
        row = self.db.run(f"UPDATE api_keys SET revoked=true, changed=nextval('api_key_changes') WHERE id=%s "
                          f"RETURNING {FIELDS}", (key_id,)).one()
        if row is None:
            raise NotFound(f"no API key with id {key_id}")
        return KeyRecord(**row)
