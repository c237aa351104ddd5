"""Chat conversations, messages and feedback in PostgreSQL: ConversationStore's contract, so a
conversation started through one host goes on through another. Always keyed by tenant, as there."""

from __future__ import annotations

import uuid
from typing import Any

from psycopg.types.json import Jsonb

from app.adapters.conversations import ConversationStore
from app.adapters.pg.db import Database, iso
from app.core.errors import NotFound

NOW = "clock_timestamp()"


class PgConversationStore(ConversationStore):
    def __init__(self, url: str) -> None:  # no SQLite connection: every call below reads the database
        self.db = Database(url)

    def close(self) -> None:
        self.db.close()

    def _owner(self, conversation_id: str) -> dict[str, Any] | None:
        return self.db.run("SELECT tenant, enterprise_id FROM conversations WHERE id=%s", (conversation_id,)).one()

    def open(self, tenant: str, conversation_id: str | None, enterprise_id: str | None, title: str) -> str:
        """An existing conversation of this tenant, or a new one; another tenant's id is NotFound."""
        if conversation_id:
            row = self._owner(conversation_id)
            if row is None or row["tenant"] != tenant:
                raise NotFound(f"no conversation {conversation_id!r}")
            return conversation_id
        cid = uuid.uuid4().hex
        self.db.run(f"INSERT INTO conversations VALUES (%s,%s,%s,%s,{NOW},{NOW})", (cid, tenant, enterprise_id, title[:120]))
        return cid

    def add(self, conversation_id: str, role: str, content: str, citations: list[dict[str, Any]] | None = None,
            route: str = "", backend: str = "") -> str:
        mid = uuid.uuid4().hex
        with self.db.transaction() as conn:
            conn.execute(f"INSERT INTO messages (id, conversation_id, role, content, citations, route, backend, "
                         f"created_at) VALUES (%s,%s,%s,%s,%s,%s,%s,{NOW})".encode(),
                         (mid, conversation_id, role, content, Jsonb(citations or []), route, backend))
            conn.execute(f"UPDATE conversations SET updated_at={NOW} WHERE id=%s".encode(), (conversation_id,))
        return mid

    def history(self, tenant: str, conversation_id: str) -> list[dict[str, Any]]:
        owner = self._owner(conversation_id)
        if owner is None or owner["tenant"] != tenant:
            raise NotFound(f"no conversation {conversation_id!r}")
        rows = self.db.run("SELECT * FROM messages WHERE conversation_id=%s ORDER BY created_at, seq",
                           (conversation_id,)).rows
        return [{"message_id": r["id"], "role": r["role"], "content": r["content"], "citations": r["citations"],
                 "route": r["route"], "backend": r["backend"], "created_at": iso(r["created_at"])} for r in rows]

    def enterprise_of(self, tenant: str, conversation_id: str) -> str | None:
        row = self._owner(conversation_id)
        return None if row is None or row["tenant"] != tenant else row["enterprise_id"]

    def recent(self, tenant: str, limit: int = 50) -> list[dict[str, Any]]:
        rows = self.db.run("SELECT * FROM conversations WHERE tenant=%s ORDER BY updated_at DESC LIMIT %s",
                           (tenant, limit)).rows
        return [{"conversation_id": r["id"], "title": r["title"], "enterprise_id": r["enterprise_id"],
                 "updated_at": iso(r["updated_at"])} for r in rows]

    def feedback(self, tenant: str, message_id: str, rating: str, comment: str) -> None:
        row = self.db.run("SELECT c.tenant FROM messages m JOIN conversations c ON c.id=m.conversation_id "
                          "WHERE m.id=%s AND m.role='assistant'", (message_id,)).one()
        if row is None or row["tenant"] != tenant:
            raise NotFound(f"no answer {message_id!r}")
        self.db.run(f"INSERT INTO feedback VALUES (%s,%s,%s,%s,{NOW})", (message_id, tenant, rating, comment[:2000]))

    def feedback_rows(self, tenant: str) -> list[dict[str, Any]]:
        rows = self.db.run("SELECT * FROM feedback WHERE tenant=%s ORDER BY created_at", (tenant,)).rows
        return [{**r, "created_at": iso(r["created_at"])} for r in rows]
