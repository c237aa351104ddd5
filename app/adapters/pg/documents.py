"""Documents and chunks in PostgreSQL: the SQLite Store's contract (app/adapters/store.py), readable
from every host. One ingest checkpoint (documents, chunks, pages, signatures, programs and the
index pointer) is one transaction, as there. Rows are dicts read by column name.

Chunk rowids are the vector ids, handed out by the writer as max + 1: `exclusive()` holds an
advisory lock, so one writer at a time across every host hands them out."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
import psycopg

from app.adapters.pg.db import Database
from app.adapters.pg.programs import UPSERT as PROGRAM_UPSERT
from app.adapters.programs import program_row
from app.adapters.store import DOC_COLUMNS, Batch, chunk_values, doc_values
from app.core.errors import WriterBusy

WRITER_LOCK = 0x534D455F4B42  # "SME_KB": the advisory lock of the knowledge base's one writer


def _upsert(table: str, columns: Sequence[str], key: str, reset: Sequence[str] = ()) -> str:
    """INSERT OR REPLACE: every column from the new row (`reset` ones back to NULL)."""
    sets = [f"{c}=EXCLUDED.{c}" for c in columns if c not in key.split(",")] + [f"{c}=NULL" for c in reset]
    return (f"INSERT INTO {table} ({','.join(columns)}) VALUES ({','.join(['%s'] * len(columns))}) "
            f"ON CONFLICT ({key}) DO UPDATE SET {', '.join(sets)}")


DOC_UPSERT = _upsert("documents", DOC_COLUMNS, "id", reset=("superseded_by",))
CHUNK_INSERT = ("INSERT INTO chunks (rowid,id,doc_id,position,text,embed_text,page,section,element_types,span_start,"
                "span_end,injection,tokens,dense) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)")
PAGE_UPSERT = _upsert("pages", ("doc_id", "page", "text"), "doc_id,page")
SIGNATURE_UPSERT = _upsert("signatures", ("doc_id", "tenant", "sig"), "doc_id")
META_UPSERT = _upsert("kb_meta", ("key", "value"), "key")
_LIVE = "c.doc_id=d.id AND d.status='indexed'"


class PgDocumentStore:
    write_errors: tuple[type[Exception], ...] = (psycopg.Error,)

    def __init__(self, url: str) -> None:
        self.db = Database(url)
        self._writing = False  # inside exclusive(): each checkpoint checks the lock is still this session's

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return self.db.run(sql, params).rows

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        row = self.db.run("SELECT pg_try_advisory_lock(%s) AS got", (WRITER_LOCK,)).one()
        if not (row and row["got"]):
            raise WriterBusy("another ingest is writing to this knowledge base; try again when it is done")
        self._writing = True
        try:
            yield
        finally:
            self._writing = False
            self.db.run("SELECT pg_advisory_unlock(%s)", (WRITER_LOCK,))

    # -- reads -------------------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        row = self.db.run("SELECT value FROM kb_meta WHERE key=%s", (key,)).one()
        return None if row is None else str(row["value"])

    def doc_by(self, tenant: str, column: str, value: str, enterprise_id: str | None = None) -> dict[str, Any] | None:
        assert column in ("bytes_sha", "text_sha", "source")
        return self.db.run(
            f"SELECT * FROM documents WHERE tenant=%s AND COALESCE(enterprise_id, '')=%s AND {column}=%s "
            "AND status IN ('indexed','duplicate') ORDER BY ingested_at LIMIT 1", (tenant, enterprise_id or "", value),
        ).one()

    def document(self, doc_id: str) -> dict[str, Any] | None:
        return self.db.run("SELECT * FROM documents WHERE id=%s", (doc_id,)).one()

    def documents(self, status: str | None = None) -> list[dict[str, Any]]:
        if status:
            return self._rows("SELECT * FROM documents WHERE status=%s ORDER BY ingested_at, id", (status,))
        return self._rows("SELECT * FROM documents ORDER BY ingested_at, id")

    def document_names(self) -> list[tuple[str, str, str, str]]:
        rows = self._rows("SELECT id, title, source, tenant FROM documents WHERE status='indexed' ORDER BY id")
        return [(r["id"], r["title"] or "", r["source"], r["tenant"]) for r in rows]

    def document_metas(self) -> list[tuple[str, str, str]]:
        rows = self._rows("SELECT id, tenant, meta FROM documents WHERE status='indexed' AND meta IS NOT NULL ORDER BY id")
        return [(str(r["id"]), str(r["tenant"]), str(r["meta"])) for r in rows]

    def near_candidates(self, tenant: str, keys: Sequence[int],
                        enterprise_id: str | None = None) -> list[tuple[str, np.ndarray]]:
        rows = self._rows(
            "SELECT DISTINCT s.doc_id, s.sig FROM bands b JOIN signatures s ON s.doc_id=b.doc_id "
            "JOIN documents d ON d.id=b.doc_id WHERE b.tenant=%s AND b.key = ANY(%s::bigint[]) "
            "AND d.status='indexed' AND COALESCE(d.enterprise_id, '')=%s",
            (tenant, [int(k) for k in keys], enterprise_id or ""))
        return [(str(r["doc_id"]), np.frombuffer(bytes(r["sig"]), dtype=np.uint64)) for r in rows]

    def chunk_rowids(self, doc_id: str) -> list[int]:
        return [int(r["rowid"]) for r in self._rows("SELECT rowid FROM chunks WHERE doc_id=%s ORDER BY rowid", (doc_id,))]

    def chunk_texts(self, doc_id: str) -> list[tuple[int, str]]:
        rows = self._rows("SELECT rowid, text FROM chunks WHERE doc_id=%s AND COALESCE(dense, 1) != 0 ORDER BY rowid",
                          (doc_id,))
        return [(int(r["rowid"]), str(r["text"] or "")) for r in rows]

    def chunk_owners(self, rowids: Sequence[int]) -> list[tuple[str, str]]:
        rows = self._rows("SELECT c.rowid, d.tenant, d.kind FROM chunks c JOIN documents d ON d.id=c.doc_id "
                          "WHERE c.rowid = ANY(%s::bigint[])", ([int(r) for r in rowids],)) if rowids else []
        found = {int(r["rowid"]): (str(r["tenant"]), str(r["kind"])) for r in rows}
        return [found.get(int(r), ("", "")) for r in rowids]

    def tenant_rowids(self, tenant: str) -> np.ndarray:
        rows = self._rows(f"SELECT c.rowid FROM chunks c, documents d WHERE {_LIVE} AND d.tenant=%s "
                          "AND COALESCE(c.dense, 1) != 0", (tenant,))
        return np.fromiter((int(r["rowid"]) for r in rows), dtype=np.int64, count=len(rows))

    def chunk_injection(self, chunk_ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
        if not chunk_ids:
            return {}
        rows = self._rows("SELECT id, injection FROM chunks WHERE id = ANY(%s) AND injection IS NOT NULL",
                          (list(chunk_ids),))
        return {str(r["id"]): tuple(json.loads(r["injection"])) for r in rows if r["injection"] not in ("", "[]")}

    def max_chunk_rowid(self) -> int:
        row = self.db.run("SELECT COALESCE(MAX(rowid), 0) AS top FROM chunks").one()
        return int(row["top"]) if row else 0

    def hits(self, rowids: Sequence[int]) -> dict[int, dict[str, Any]]:
        if not rowids:
            return {}
        rows = self._rows(
            "SELECT c.rowid AS rid, c.*, d.title, d.kind, d.tenant, d.source, d.enterprise_id, d.lang, "
            "d.issuer, d.jurisdiction, d.valid_from, d.valid_to, d.meta AS doc_meta "
            f"FROM chunks c, documents d WHERE {_LIVE} AND c.rowid = ANY(%s::bigint[])", ([int(r) for r in rowids],))
        return {int(r["rid"]): r for r in rows}

    def all_chunks(self) -> Iterable[dict[str, Any]]:
        return self._rows(f"SELECT c.rowid AS rid, c.embed_text FROM chunks c, documents d WHERE {_LIVE} "
                          "AND COALESCE(c.dense, 1) != 0 ORDER BY c.rowid")

    def sparse_keys(self) -> list[tuple[int, str, str]]:
        rows = self._rows(f"SELECT c.rowid, c.id, d.tenant FROM chunks c, documents d WHERE {_LIVE} ORDER BY c.rowid")
        return [(int(r["rowid"]), str(r["id"]), str(r["tenant"])) for r in rows]

    def sparse_tokens(self, tenants: set[str]) -> Iterable[tuple[int, list[str]]]:
        rows = self._rows(f"SELECT c.rowid, c.tokens FROM chunks c, documents d WHERE {_LIVE} AND d.tenant = ANY(%s) "
                          "ORDER BY c.rowid", (sorted(tenants),))
        return [(int(r["rowid"]), (r["tokens"] or "").split()) for r in rows]

    def page_text(self, doc_id: str, page: int) -> str | None:
        row = self.db.run("SELECT text FROM pages WHERE doc_id=%s AND page=%s", (doc_id, page)).one()
        return None if row is None else str(row["text"])

    def enterprise_pages(self, tenant: str, enterprise_id: str) -> list[tuple[str, str, str, dict[int, str]]]:
        docs = self._rows("SELECT id, title, source FROM documents WHERE tenant=%s AND enterprise_id=%s "
                          "AND kind='enterprise' AND status='indexed' ORDER BY ingested_at, id", (tenant, enterprise_id))
        out = []
        for d in docs:
            pages = self._rows("SELECT page, text FROM pages WHERE doc_id=%s ORDER BY page", (d["id"],))
            out.append((str(d["id"]), str(d["title"] or ""), str(d["source"]), {int(p["page"]): str(p["text"]) for p in pages}))
        return out

    # -- writes (one transaction per batch) ----------------------------------------------------
    def write_batch(self, batch: Batch, meta: dict[str, str]) -> None:
        with self.db.transaction() as conn, conn.cursor() as cur:
            if self._writing:
                _still_locked(cur)
            for doc_id in batch.superseded:
                cur.execute("DELETE FROM programs WHERE source_doc=%s", (doc_id,))
                cur.execute("UPDATE documents SET status='superseded' WHERE id=%s", (doc_id,))
                cur.execute("DELETE FROM chunks WHERE doc_id=%s", (doc_id,))
                cur.execute("DELETE FROM bands WHERE doc_id=%s", (doc_id,))
            _many(cur, DOC_UPSERT, [doc_values(d) for d in batch.documents])
            _many(cur, CHUNK_INSERT, [(*chunk_values(rid, c), " ".join(batch.tokens.get(c.id, [])),
                                       int(c.id not in batch.sparse_only)) for rid, c in batch.chunks])
            _many(cur, PAGE_UPSERT, batch.pages)
            _many(cur, SIGNATURE_UPSERT, [(doc_id, tenant, sig.tobytes()) for doc_id, tenant, sig, _ in batch.signatures])
            _many(cur, "INSERT INTO bands (tenant, key, doc_id) VALUES (%s,%s,%s)",
                  [(tenant, k, doc_id) for doc_id, tenant, _, keys in batch.signatures for k in keys])
            _many(cur, PROGRAM_UPSERT, [program_row(p) for p in batch.programs])
            _many(cur, META_UPSERT, list(meta.items()))


def _still_locked(cur: psycopg.Cursor[Any]) -> None:
    """A session that dropped (and was reopened) lost the lock: another writer may hold it and hand
    out the same rowids, so this run's checkpoint must not commit."""
    cur.execute("SELECT 1 FROM pg_locks WHERE locktype='advisory' AND pid=pg_backend_pid() AND granted "
                "AND objsubid=1 AND ((classid::bigint << 32) | objid::bigint) = %s", (WRITER_LOCK,))
    if cur.fetchone() is None:
        raise WriterLost("the database session holding the writer lock ended during this ingest; "
                         "run it again (committed checkpoints are kept)")


class WriterLost(psycopg.OperationalError):
    """Raised inside the checkpoint's transaction, so it rolls back like any failed write."""


def _many(cur: psycopg.Cursor[Any], sql: str, rows: Sequence[Sequence[Any]]) -> None:
    if rows:
        cur.executemany(sql.encode(), rows)
