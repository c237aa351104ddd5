"""The program catalog in the metadata database: one row per program version, JSON body."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from app.adapters.sqlite_db import open_db
from app.core.errors import NotFound
from app.core.program_json import program_from_json, program_to_json
from app.core.textnorm import index_form
from app.core.types import PUBLIC_TENANT, Program

SCHEMA = """
CREATE TABLE IF NOT EXISTS programs (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, title TEXT NOT NULL, issuer TEXT, jurisdiction TEXT,
  valid_from TEXT, valid_to TEXT, superseded_by TEXT, source_doc TEXT, body TEXT NOT NULL, search TEXT,
  tenant TEXT NOT NULL DEFAULT 'public'
);
CREATE INDEX IF NOT EXISTS program_kind ON programs(kind);
CREATE INDEX IF NOT EXISTS program_doc ON programs(source_doc);
"""
_COLUMNS = ("id", "kind", "title", "issuer", "jurisdiction", "valid_from", "valid_to", "source_doc", "body", "search",
            "tenant")
INSERT = f"INSERT OR REPLACE INTO programs ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"


def program_row(p: Program) -> tuple[object, ...]:
    """The values of INSERT (superseded_by stays NULL: a new version is current)."""
    return (p.id, p.kind, p.title, p.issuer, ">".join(p.jurisdiction), p.valid_from, p.valid_to,
            str(p.source.get("doc_id") or ""), json.dumps(program_to_json(p), ensure_ascii=False),
            index_form(f"{p.title} {p.issuer} {' '.join(p.tags)} {p.text}"), p.tenant)


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create the table, or bring one from before tenants up to date: a `tenant` column, filled
    from the owner of each program's source document (catalog programs stay public)."""
    conn.executescript(SCHEMA)
    if "tenant" not in _columns(conn):
        conn.execute("BEGIN IMMEDIATE")
        try:
            if "tenant" not in _columns(conn):  # another process may have migrated meanwhile
                conn.execute(f"ALTER TABLE programs ADD COLUMN tenant TEXT NOT NULL DEFAULT '{PUBLIC_TENANT}'")
                if conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='documents'").fetchone():
                    conn.execute(_BACKFILL, (PUBLIC_TENANT,))
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    conn.execute("CREATE INDEX IF NOT EXISTS program_tenant ON programs(tenant)")


_BACKFILL = """UPDATE programs SET tenant=(SELECT d.tenant FROM documents d WHERE d.id=programs.source_doc)
WHERE source_doc IN (SELECT id FROM documents WHERE tenant<>?)"""


def _columns(conn: sqlite3.Connection) -> set[str]:
    return {str(r[1]) for r in conn.execute("PRAGMA table_info(programs)")}


def _program(row: sqlite3.Row) -> Program:
    """The column is the owner of record: bodies written before tenants do not name one."""
    return program_from_json({**json.loads(row["body"]), "tenant": row["tenant"]})


@dataclass(frozen=True)
class ProgramQuery:
    kind: str | None = None
    issuer: str | None = None
    jurisdiction: str | None = None  # any level of the path
    valid_on: date | None = None
    text: str | None = None
    include_superseded: bool = False
    tenants: Collection[str] | None = None  # owners the reader may see (retrieve.allowed_tenants); None: all
    limit: int = 100
    offset: int = 0


class ProgramStore:
    def __init__(self, path: Path) -> None:
        self.conn = open_db(path, SCHEMA)
        ensure_schema(self.conn)
        self._lock = threading.Lock()  # shared by the API's worker threads

    def upsert(self, programs: Iterable[Program]) -> int:
        """Write programs in one transaction; a program naming `supersedes` retires that version."""
        rows = list(programs)
        cur = self.conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            for p in rows:
                cur.execute(INSERT, program_row(p))
                if p.supersedes:
                    cur.execute("UPDATE programs SET superseded_by=? WHERE id=? AND tenant=?",  # never another owner's
                                (p.id, p.supersedes, p.tenant))
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        return len(rows)

    def replace_for_document(self, doc_id: str, programs: list[Program]) -> None:
        self.conn.execute("DELETE FROM programs WHERE source_doc=?", (doc_id,))
        self.upsert(programs)

    def get(self, program_id: str, tenants: Collection[str] | None = None) -> Program:
        """One program; another tenant's reads as absent, so ids of private programs do not leak."""
        with self._lock:
            row = self.conn.execute("SELECT body, tenant FROM programs WHERE id=?", (program_id,)).fetchone()
        if row is None or (tenants is not None and row["tenant"] not in tenants):
            raise NotFound(f"no program with id {program_id!r}")
        return _program(row)

    def list(self, q: ProgramQuery = ProgramQuery()) -> list[Program]:
        sql, args = "SELECT body, tenant FROM programs WHERE 1=1", list[object]()
        if not q.include_superseded:
            sql += " AND superseded_by IS NULL"
        if q.tenants is not None:
            owners = sorted(q.tenants)
            sql, args = sql + f" AND tenant IN ({','.join('?' * len(owners)) or 'NULL'})", [*args, *owners]
        if q.kind:
            sql, args = sql + " AND kind=?", [*args, q.kind]
        if q.issuer:
            sql, args = sql + " AND issuer LIKE ?", [*args, f"%{q.issuer}%"]
        if q.jurisdiction:
            sql, args = sql + " AND ('>' || jurisdiction || '>') LIKE ?", [*args, f"%>{q.jurisdiction}>%"]
        if q.valid_on:
            day = q.valid_on.isoformat()
            sql += " AND (valid_from IS NULL OR valid_from<=?) AND (valid_to IS NULL OR valid_to>=?)"
            args += [day, day]
        if q.text:
            for word in index_form(q.text).split():
                sql, args = sql + " AND search LIKE ?", [*args, f"%{word}%"]
        sql += " ORDER BY kind, id LIMIT ? OFFSET ?"
        with self._lock:
            rows = self.conn.execute(sql, [*args, q.limit, q.offset]).fetchall()
        return [_program(r) for r in rows]

    def version(self) -> str:
        """Changes whenever a program is added, replaced or retired (caches key on it)."""
        with self._lock:
            row = self.conn.execute("SELECT COUNT(*), COALESCE(MAX(rowid), 0), TOTAL(length(body)), "
                                    "COUNT(superseded_by) FROM programs").fetchone()
        return ":".join(str(int(x)) for x in row)

    def count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM programs WHERE superseded_by IS NULL").fetchone()[0])
