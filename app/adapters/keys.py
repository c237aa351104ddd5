"""API key records in a JSON file (hashes only), written atomically with owner-only permissions."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections import OrderedDict
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path

from app.core.auth import KeyRecord, authenticate, new_key
from app.core.errors import NotFound
from app.core.types import Principal

VERIFIED_MAX = 1024
Version = tuple[int, int, int]  # (inode, mtime in ns, size) of the key file; (0, 0, 0) when absent


class KeyStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._cache: tuple[Version, dict[str, KeyRecord]] | None = None
        self._verified: OrderedDict[tuple[str, Version], Principal] = OrderedDict()
        self._lock = threading.Lock()

    def version(self) -> Version:
        """Changes with every write, even two in one timestamp tick: each write is a new file (new inode)."""
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return (0, 0, 0)
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def records(self) -> dict[str, KeyRecord]:
        version = self.version()
        if version == (0, 0, 0):
            return {}
        if self._cache is None or self._cache[0] != version:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            self._cache = (version, {r["id"]: KeyRecord(**r) for r in raw["keys"]})
        return self._cache[1]

    def _write(self, records: dict[str, KeyRecord]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(f".tmp-{os.getpid()}-{threading.get_ident()}")  # writers never share one
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

    def verified(self, key: str) -> Principal | None:
        """The principal of a key already verified at this key file version (no hashing), else None."""
        token = (hashlib.sha256(key.encode()).hexdigest(), self.version())
        with self._lock:
            return self._verified.get(token)

    def authenticate(self, key: str) -> Principal:
        """A valid key is hashed once per key file version: PBKDF2 is slow on purpose, and every
        request carries the key. Any write (a revocation from the CLI too) changes the version, so a
        revoked key is refused from the next request on. Failures are never cached; the cache holds
        SHA-256 digests, not keys."""
        token = (hashlib.sha256(key.encode()).hexdigest(), self.version())
        with self._lock:
            principal = self._verified.get(token)
        if principal is None:
            principal = authenticate(key, self.records())
            with self._lock:
                self._verified[token] = principal
                if len(self._verified) > VERIFIED_MAX:
                    self._verified.popitem(last=False)
        return principal
