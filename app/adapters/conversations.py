"""Chat conversations, messages and feedback in the metadata database, always keyed by tenant."""

from __future__ import annotations

import json
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.adapters.sqlite_db import open_db
from app.core.errors import NotFound

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
  id TEXT PRIMARY KEY, tenant TEXT NOT NULL, enterprise_id TEXT, title TEXT, created_at TEXT, updated_at TEXT
);
CREATE INDEX IF NOT EXISTS conv_tenant ON conversations(tenant, updated_at);
CREATE TABLE IF NOT EXISTS messages (
  id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, role TEXT NOT NULL, content TEXT NOT NULL,
  citations TEXT, route TEXT, backend TEXT, created_at TEXT
);
CREATE INDEX IF NOT EXISTS msg_conv ON messages(conversation_id, created_at);
CREATE TABLE IF NOT EXISTS feedback (
  message_id TEXT NOT NULL, tenant TEXT NOT NULL, rating TEXT NOT NULL, comment TEXT, created_at TEXT
);
"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class ConversationStore:
    def __init__(self, path: Path) -> None:
        self.conn = open_db(path, SCHEMA)
        self._lock = threading.Lock()

    def open(self, tenant: str, conversation_id: str | None, enterprise_id: str | None, title: str) -> str:
        """An existing conversation of this tenant, or a new one; another tenant's id is NotFound."""
        with self._lock:
            if conversation_id:
                row = self.conn.execute("SELECT tenant FROM conversations WHERE id=?", (conversation_id,)).fetchone()
                if row is None or row["tenant"] != tenant:
                    raise NotFound(f"no conversation {conversation_id!r}")
                return conversation_id
            cid = uuid.uuid4().hex
            self.conn.execute("INSERT INTO conversations VALUES (?,?,?,?,?,?)",
                              (cid, tenant, enterprise_id, title[:120], _now(), _now()))
            return cid

    def add(self, conversation_id: str, role: str, content: str, citations: list[dict[str, Any]] | None = None,
            route: str = "", backend: str = "") -> str:
        mid = uuid.uuid4().hex
        with self._lock:
            self.conn.execute("INSERT INTO messages VALUES (?,?,?,?,?,?,?,?)",
                              (mid, conversation_id, role, content, json.dumps(citations or [], ensure_ascii=False),
                               route, backend, _now()))
            self.conn.execute("UPDATE conversations SET updated_at=? WHERE id=?", (_now(), conversation_id))
        return mid

    def history(self, tenant: str, conversation_id: str) -> list[dict[str, Any]]:
        with self._lock:
            owner = self.conn.execute("SELECT tenant FROM conversations WHERE id=?", (conversation_id,)).fetchone()
            if owner is None or owner["tenant"] != tenant:
                raise NotFound(f"no conversation {conversation_id!r}")
            rows = self.conn.execute("SELECT * FROM messages WHERE conversation_id=? ORDER BY created_at, rowid",
                                     (conversation_id,)).fetchall()
        return [{"message_id": r["id"], "role": r["role"], "content": r["content"], "citations": json.loads(r["citations"]),
                 "route": r["route"], "backend": r["backend"], "created_at": r["created_at"]} for r in rows]

    def enterprise_of(self, tenant: str, conversation_id: str) -> str | None:
        """The enterprise a conversation of this tenant is about (None: none, or not this tenant's)."""
        with self._lock:
            row = self.conn.execute("SELECT tenant, enterprise_id FROM conversations WHERE id=?", (conversation_id,)).fetchone()
        return None if row is None or row["tenant"] != tenant else row["enterprise_id"]

    def recent(self, tenant: str, limit: int = 50) -> list[dict[str, Any]]:
        with self._lock:
            rows = self.conn.execute("SELECT * FROM conversations WHERE tenant=? ORDER BY updated_at DESC LIMIT ?",
                                     (tenant, limit)).fetchall()
        return [{"conversation_id": r["id"], "title": r["title"], "enterprise_id": r["enterprise_id"],
                 "updated_at": r["updated_at"]} for r in rows]

    def feedback(self, tenant: str, message_id: str, rating: str, comment: str) -> None:
        with self._lock:
            row = self.conn.execute("SELECT c.tenant FROM messages m JOIN conversations c ON c.id=m.conversation_id "
                                    "WHERE m.id=? AND m.role='assistant'", (message_id,)).fetchone()
            if row is None or row["tenant"] != tenant:
                raise NotFound(f"no answer {message_id!r}")
            self.conn.execute("INSERT INTO feedback VALUES (?,?,?,?,?)", (message_id, tenant, rating, comment[:2000], _now()))

    def feedback_rows(self, tenant: str) -> list[dict[str, Any]]:
        with self._lock:
            rows = self.conn.execute("SELECT * FROM feedback WHERE tenant=? ORDER BY created_at", (tenant,)).fetchall()
        return [dict(r) for r in rows]
