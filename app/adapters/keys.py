"""API key records in a JSON file (hashes only), written atomically with owner-only permissions."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, replace
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from app.core.auth import KeyRecord, authenticate, new_key
from app.core.errors import NotFound
from app.core.types import Principal


class KeyStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._cache: tuple[float, dict[str, KeyRecord]] | None = None

    def records(self) -> dict[str, KeyRecord]:
        if not self.path.exists():
            return {}
        mtime = self.path.stat().st_mtime
        if self._cache is None or self._cache[0] != mtime:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            self._cache = (mtime, {r["id"]: KeyRecord(**r) for r in raw["keys"]})
        return self._cache[1]

    def _write(self, records: dict[str, KeyRecord]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"keys": [asdict(r) for r in records.values()]}, fh, indent=1)
        os.replace(tmp, self.path)
        self._cache = None

    def create(self, tenant: str, role: str) -> tuple[str, KeyRecord]:
        key, record = new_key(tenant, role, datetime.now(UTC).isoformat(timespec="seconds"))
        self._write({**self.records(), record.id: record})
        return key, record

    def revoke(self, key_id: str) -> KeyRecord:
        records = dict(self.records())
        if key_id not in records:
            raise NotFound(f"no API key with id {key_id}")
        records[key_id] = replace(records[key_id], revoked=True)
        self._write(records)
        return records[key_id]

    def authenticate(self, key: str) -> Principal:
        return _cached_auth(self, key, self.path.stat().st_mtime if self.path.exists() else 0.0)


@lru_cache(maxsize=1024)
def _cached_auth(store: KeyStore, key: str, mtime: float) -> Principal:
    """PBKDF2 is slow on purpose; cache per key file version so revocation still takes effect."""
    return authenticate(key, store.records())
