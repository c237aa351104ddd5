"""The program catalog in PostgreSQL: ProgramStore's contract (one row per program version, the
JSON body, retirement by `supersedes`, tenant-scoped reads), readable from every host.

The table has the SQLite columns (revision 0003, created with the documents: an ingest checkpoint
writes a policy document's programs in its own transaction, app/adapters/pg/documents.py); revision
0004 adds `changed`, renumbered by a trigger on every insert and update, so `version()` sees any
writer's change, the checkpoint's included, and the matcher rebuilds its catalog on every host.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from typing import Any

from app.adapters.pg.db import Connection, Database
from app.adapters.programs import ProgramQuery, ProgramStore, program_row
from app.core.errors import NotFound
from app.core.program_json import program_from_json
from app.core.textnorm import index_form
from app.core.types import Program

_COLUMNS = ("id", "kind", "title", "issuer", "jurisdiction", "valid_from", "valid_to", "source_doc", "body", "search",
            "tenant")
# INSERT OR REPLACE as SQLite does it: every column anew, a replaced version current again.
UPSERT = (f"INSERT INTO programs ({', '.join(_COLUMNS)}) VALUES ({', '.join(['%s'] * len(_COLUMNS))}) "
          f"ON CONFLICT (id) DO UPDATE SET {', '.join(f'{c}=EXCLUDED.{c}' for c in _COLUMNS[1:])}, superseded_by=NULL")
RETIRE = "UPDATE programs SET superseded_by=%s WHERE id=%s AND tenant=%s"  # never another owner's
# SQLite's LIKE ignores ASCII case and has no escape character; ORDER BY compares bytes.
_EVERY = ProgramQuery()
_LIKE, _ORDER = "ILIKE %s ESCAPE ''", 'ORDER BY kind COLLATE "C", id COLLATE "C"'


def write_programs(conn: Connection, programs: Iterable[Program]) -> int:
    """Upsert in the caller's transaction; a program naming `supersedes` retires that version."""
    rows = list(programs)
    with conn.cursor() as cur:
        for p in rows:
            cur.execute(UPSERT, program_row(p))
            if p.supersedes:
                cur.execute(RETIRE, (p.id, p.supersedes, p.tenant))
    return len(rows)


def delete_for_document(conn: Connection, doc_id: str) -> None:
    conn.execute("DELETE FROM programs WHERE source_doc=%s", (doc_id,))


def _program(row: dict[str, Any]) -> Program:
    return program_from_json({**json.loads(row["body"]), "tenant": row["tenant"]})


def _where(q: ProgramQuery) -> tuple[str, list[object]]:
    sql, args = "WHERE TRUE", list[object]()
    if not q.include_superseded:
        sql += " AND superseded_by IS NULL"
    if q.tenants is not None:
        sql, args = sql + " AND tenant = ANY(%s)", [*args, sorted(q.tenants)]
    if q.kind:
        sql, args = sql + " AND kind=%s", [*args, q.kind]
    if q.issuer:
        sql, args = sql + f" AND issuer {_LIKE}", [*args, f"%{q.issuer}%"]
    if q.jurisdiction:
        sql, args = sql + f" AND ('>' || jurisdiction || '>') {_LIKE}", [*args, f"%>{q.jurisdiction}>%"]
    if q.valid_on:
        day = q.valid_on.isoformat()
        sql += " AND (valid_from IS NULL OR valid_from<=%s) AND (valid_to IS NULL OR valid_to>=%s)"
        args += [day, day]
    for word in index_form(q.text or "").split():
        sql, args = sql + f" AND search {_LIKE}", [*args, f"%{word}%"]
    return sql, args


class PgProgramStore(ProgramStore):
    def __init__(self, url: str) -> None:  # no SQLite connection: every call below reads the database
        self.db = Database(url)

    def close(self) -> None:
        self.db.close()

    def upsert(self, programs: Iterable[Program]) -> int:
        """Write programs in one transaction; a program naming `supersedes` retires that version."""
        with self.db.transaction() as conn:
            return write_programs(conn, programs)

    def replace_for_document(self, doc_id: str, programs: list[Program]) -> None:
        with self.db.transaction() as conn:
            delete_for_document(conn, doc_id)
            write_programs(conn, programs)

    def get(self, program_id: str, tenants: Collection[str] | None = None) -> Program:
        """One program; another tenant's reads as absent, so ids of private programs do not leak."""
        row = self.db.run("SELECT body, tenant FROM programs WHERE id=%s", (program_id,)).one()
        if row is None or (tenants is not None and row["tenant"] not in tenants):
            raise NotFound(f"no program with id {program_id!r}")
        return _program(row)

    def list(self, q: ProgramQuery = _EVERY) -> list[Program]:
        where, args = _where(q)
        rows = self.db.run(f"SELECT body, tenant FROM programs {where} {_ORDER} LIMIT %s OFFSET %s",
                           [*args, q.limit, q.offset]).rows
        return [_program(r) for r in rows]

    def version(self) -> str:
        """Changes whenever a program is added, replaced, retired or deleted, by any host (caches key on it)."""
        row = self.db.run("SELECT COUNT(*) AS n, COALESCE(SUM(changed), 0) AS s, COUNT(superseded_by) AS r "
                          "FROM programs").one()
        assert row is not None
        return f"{row['n']}:{row['s']}:{row['r']}"

    def count(self) -> int:
        row = self.db.run("SELECT COUNT(*) AS n FROM programs WHERE superseded_by IS NULL").one()
        return int(row["n"]) if row else 0
