"""SQLite metadata database: documents, chunks, page texts, dedup signatures, index pointer."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from app.adapters.private_files import private_db
from app.adapters.programs import INSERT as PROGRAM_INSERT
from app.adapters.programs import ensure_schema as ensure_program_schema
from app.adapters.programs import program_row
from app.core.types import Chunk, Document, Program, Quality

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
  id TEXT PRIMARY KEY, source TEXT NOT NULL, kind TEXT NOT NULL, tenant TEXT NOT NULL,
  enterprise_id TEXT, title TEXT, lang TEXT, pages INTEGER, quality REAL, quality_reasons TEXT,
  flagged INTEGER DEFAULT 0, status TEXT NOT NULL, reason TEXT, ingested_at TEXT, supersedes TEXT,
  superseded_by TEXT, duplicate_of TEXT, bytes_sha TEXT, text_sha TEXT, removed TEXT, n_chunks INTEGER,
  issuer TEXT, jurisdiction TEXT, valid_from TEXT, valid_to TEXT, meta TEXT
);
CREATE INDEX IF NOT EXISTS doc_bytes ON documents(tenant, bytes_sha);
CREATE INDEX IF NOT EXISTS doc_text ON documents(tenant, text_sha);
CREATE INDEX IF NOT EXISTS doc_source ON documents(tenant, source);
CREATE TABLE IF NOT EXISTS chunks (
  rowid INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, doc_id TEXT NOT NULL, position INTEGER,
  text TEXT NOT NULL, embed_text TEXT, page INTEGER, section TEXT, element_types TEXT,
  span_start INTEGER, span_end INTEGER, tokens TEXT, dense INTEGER DEFAULT 1, injection TEXT
);
CREATE INDEX IF NOT EXISTS chunk_doc ON chunks(doc_id);
CREATE TABLE IF NOT EXISTS pages (doc_id TEXT, page INTEGER, text TEXT, PRIMARY KEY (doc_id, page));
CREATE TABLE IF NOT EXISTS signatures (doc_id TEXT PRIMARY KEY, tenant TEXT, sig BLOB);
CREATE TABLE IF NOT EXISTS bands (tenant TEXT, key INTEGER, doc_id TEXT);
CREATE INDEX IF NOT EXISTS band_key ON bands(tenant, key);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""

DOC_COLUMNS = ["id", "source", "kind", "tenant", "enterprise_id", "title", "lang", "pages", "quality", "quality_reasons", "flagged", "status", "reason", "ingested_at", "supersedes", "duplicate_of", "bytes_sha", "text_sha", "removed", "n_chunks", "issuer", "jurisdiction", "valid_from", "valid_to", "meta"]


class Store:
    write_errors: tuple[type[Exception], ...] = (sqlite3.Error,)

    def __init__(self, path: Path) -> None:
        private_db(path)
        self.conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.executescript(SCHEMA)
        ensure_program_schema(self.conn)
        columns = {r[1] for r in self.conn.execute("PRAGMA table_info(chunks)")}
        if "dense" not in columns:  # a database from before chunks could go without a vector
            self.conn.execute("ALTER TABLE chunks ADD COLUMN dense INTEGER DEFAULT 1")
        if "injection" not in columns:  # a database from before ingest flagged injected sentences
            self.conn.execute("ALTER TABLE chunks ADD COLUMN injection TEXT")
        if "meta" not in {r[1] for r in self.conn.execute("PRAGMA table_info(documents)")}:
            self.conn.execute("ALTER TABLE documents ADD COLUMN meta TEXT")  # from before page metadata was kept
        self._lock = threading.Lock()  # one connection, shared by the API's worker threads

    def _read(self, sql: str, args: Sequence[object] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self.conn.execute(sql, tuple(args)).fetchall()

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Nothing more to hold: one host's file lock (KnowledgeBase.writer_lock) covers its SQLite file."""
        yield

    # -- reads -------------------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        rows = self._read("SELECT value FROM meta WHERE key=?", (key,))
        return str(rows[0][0]) if rows else None

    def doc_by(self, tenant: str, column: str, value: str, enterprise_id: str | None = None) -> sqlite3.Row | None:
        """The first live document with this value in the same scope: a tenant's shared documents, or
        one enterprise's (the same file filed under two clients is two clients' document)."""
        assert column in ("bytes_sha", "text_sha", "source")
        return self.conn.execute(
            f"SELECT * FROM documents WHERE tenant=? AND COALESCE(enterprise_id, '')=? AND {column}=? "
            "AND status IN ('indexed','duplicate') ORDER BY ingested_at LIMIT 1",
            (tenant, enterprise_id or "", value),
        ).fetchone()

    def document(self, doc_id: str) -> sqlite3.Row | None:
        return self.conn.execute("SELECT * FROM documents WHERE id=?", (doc_id,)).fetchone()

    def near_candidates(self, tenant: str, keys: Sequence[int], enterprise_id: str | None = None) -> list[tuple[str, np.ndarray]]:
        marks = ",".join("?" * len(keys))
        rows = self.conn.execute(
            f"SELECT DISTINCT s.doc_id, s.sig FROM bands b JOIN signatures s ON s.doc_id=b.doc_id "
            f"JOIN documents d ON d.id=b.doc_id "
            f"WHERE b.tenant=? AND b.key IN ({marks}) AND d.status='indexed' AND COALESCE(d.enterprise_id, '')=?",
            (tenant, *keys, enterprise_id or ""),
        ).fetchall()
        return [(r[0], np.frombuffer(r[1], dtype=np.uint64)) for r in rows]

    def chunk_rowids(self, doc_id: str) -> list[int]:
        return [r[0] for r in self.conn.execute("SELECT rowid FROM chunks WHERE doc_id=?", (doc_id,))]

    def chunk_texts(self, doc_id: str) -> list[tuple[int, str]]:
        """(rowid, text) of a document's chunks that have a vector."""
        rows = self.conn.execute("SELECT rowid, text FROM chunks WHERE doc_id=? AND COALESCE(dense, 1) != 0", (doc_id,))
        return [(int(r[0]), str(r[1] or "")) for r in rows]

    def chunk_owners(self, rowids: Sequence[int]) -> list[tuple[str, str]]:
        """(tenant, kind) of each chunk, in the order asked; ('', '') for a rowid not stored."""
        marks = ",".join("?" * len(rowids))
        rows = self._read(f"SELECT c.rowid, d.tenant, d.kind FROM chunks c JOIN documents d ON d.id=c.doc_id "
                          f"WHERE c.rowid IN ({marks})", [int(r) for r in rowids]) if rowids else []
        found = {int(r[0]): (str(r[1]), str(r[2])) for r in rows}
        return [found.get(int(r), ("", "")) for r in rowids]

    def tenant_rowids(self, tenant: str) -> np.ndarray:
        """Rowids of a tenant's live chunks that have a vector: what its dense search may return."""
        rows = self._read("SELECT c.rowid FROM chunks c JOIN documents d ON d.id=c.doc_id WHERE d.tenant=? "
                          "AND d.status='indexed' AND COALESCE(c.dense, 1) != 0", (tenant,))
        return np.fromiter((int(r[0]) for r in rows), dtype=np.int64, count=len(rows))

    def chunk_injection(self, chunk_ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """The sentences ingest flagged as instructions, per chunk id (chunks without any left out)."""
        if not chunk_ids:
            return {}
        marks = ",".join("?" * len(chunk_ids))
        rows = self._read(f"SELECT id, injection FROM chunks WHERE id IN ({marks}) AND injection IS NOT NULL", list(chunk_ids))
        return {str(r[0]): tuple(json.loads(r[1])) for r in rows if r[1] and r[1] != "[]"}

    def max_chunk_rowid(self) -> int:
        return int(self.conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM chunks").fetchone()[0])

    def hits(self, rowids: Sequence[int]) -> dict[int, sqlite3.Row]:
        if not rowids:
            return {}
        marks = ",".join("?" * len(rowids))
        rows = self._read(
            "SELECT c.rowid AS rid, c.*, d.title, d.kind, d.tenant, d.source, d.enterprise_id, d.lang, "
            "d.issuer, d.jurisdiction, d.valid_from, d.valid_to, d.meta AS doc_meta "
            f"FROM chunks c JOIN documents d ON d.id=c.doc_id WHERE c.rowid IN ({marks}) AND d.status='indexed'",
            [int(r) for r in rowids],
        )
        return {int(r["rid"]): r for r in rows}

    def all_chunks(self) -> Iterable[sqlite3.Row]:
        return self.conn.execute(
            "SELECT c.rowid AS rid, c.embed_text FROM chunks c JOIN documents d ON d.id=c.doc_id "
            "WHERE d.status='indexed' AND COALESCE(c.dense, 1) != 0 ORDER BY c.rowid"
        )

    def sparse_keys(self) -> list[tuple[int, str, str]]:
        """(rowid, chunk id, tenant) of every indexed chunk: what each tenant's BM25 partition holds."""
        rows = self._read("SELECT c.rowid, c.id, d.tenant FROM chunks c JOIN documents d ON d.id=c.doc_id "
                          "WHERE d.status='indexed' ORDER BY c.rowid")
        return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]

    def sparse_tokens(self, tenants: set[str]) -> Iterable[tuple[int, list[str]]]:
        """(rowid, tokens) of the indexed chunks of these tenants, in rowid order."""
        marks = ",".join("?" * len(tenants))
        rows = self._read("SELECT c.rowid, c.tokens FROM chunks c JOIN documents d ON d.id=c.doc_id "
                          f"WHERE d.status='indexed' AND d.tenant IN ({marks}) ORDER BY c.rowid", sorted(tenants))
        return [(int(r[0]), (r[1] or "").split()) for r in rows]

    def document_names(self) -> list[tuple[str, str, str, str]]:
        """(doc id, title, source, tenant) of every indexed document."""
        rows = self.conn.execute("SELECT id, title, source, tenant FROM documents WHERE status='indexed'")
        return [(r[0], r[1] or "", r[2], r[3]) for r in rows]

    def document_metas(self) -> list[tuple[str, str, str]]:
        """(doc id, tenant, meta JSON) of every indexed document that has metadata."""
        rows = self._read("SELECT id, tenant, meta FROM documents WHERE status='indexed' AND meta IS NOT NULL")
        return [(str(r[0]), str(r[1]), str(r[2])) for r in rows]

    def documents(self, status: str | None = None) -> list[sqlite3.Row]:
        if status:
            return self.conn.execute("SELECT * FROM documents WHERE status=? ORDER BY ingested_at", (status,)).fetchall()
        return self.conn.execute("SELECT * FROM documents ORDER BY ingested_at").fetchall()

    def page_text(self, doc_id: str, page: int) -> str | None:
        rows = self._read("SELECT text FROM pages WHERE doc_id=? AND page=?", (doc_id, page))
        return str(rows[0][0]) if rows else None

    def enterprise_pages(self, tenant: str, enterprise_id: str) -> list[tuple[str, str, str, dict[int, str]]]:
        """(doc id, title, source, page texts) of an enterprise's indexed documents, oldest first."""
        docs = self._read("SELECT id, title, source FROM documents WHERE tenant=? AND enterprise_id=? AND kind='enterprise' "
                          "AND status='indexed' ORDER BY ingested_at, id", (tenant, enterprise_id))
        out = []
        for d in docs:
            pages = self._read("SELECT page, text FROM pages WHERE doc_id=? ORDER BY page", (d["id"],))
            out.append((str(d["id"]), str(d["title"] or ""), str(d["source"]), {int(p[0]): str(p[1]) for p in pages}))
        return out

    # -- writes (one transaction per batch) ----------------------------------------------------
    def write_batch(self, batch: Batch, meta: dict[str, str]) -> None:
        cur = self.conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            for doc_id in batch.superseded:
                cur.execute("DELETE FROM programs WHERE source_doc=?", (doc_id,))
                cur.execute("UPDATE documents SET status='superseded' WHERE id=?", (doc_id,))
                cur.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,))
                cur.execute("DELETE FROM bands WHERE doc_id=?", (doc_id,))
            for doc in batch.documents:
                cur.execute(
                    f"INSERT OR REPLACE INTO documents ({','.join(DOC_COLUMNS)}) VALUES ({','.join('?' * len(DOC_COLUMNS))})",
                    doc_values(doc),
                )
            cur.executemany(
                "INSERT INTO chunks (rowid,id,doc_id,position,text,embed_text,page,section,element_types,span_start,"
                "span_end,injection,tokens,dense) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(*chunk_values(rid, c), " ".join(batch.tokens.get(c.id, [])), int(c.id not in batch.sparse_only))
                 for rid, c in batch.chunks],
            )
            cur.executemany("INSERT OR REPLACE INTO pages VALUES (?,?,?)", batch.pages)
            for doc_id, tenant, sig, keys in batch.signatures:
                cur.execute("INSERT OR REPLACE INTO signatures VALUES (?,?,?)", (doc_id, tenant, sig.tobytes()))
                cur.executemany("INSERT INTO bands VALUES (?,?,?)", [(tenant, k, doc_id) for k in keys])
            cur.executemany(PROGRAM_INSERT, [program_row(p) for p in batch.programs])
            cur.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)", list(meta.items()))
            cur.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:  # SQLite has already rolled back after some errors (SQLITE_FULL)
                cur.execute("ROLLBACK")
            raise


class Batch:
    """Everything one checkpoint writes, committed together with the new index pointer."""

    def __init__(self) -> None:
        self.documents: list[Document] = []
        self.chunks: list[tuple[int, Chunk]] = []
        self.pages: list[tuple[str, int, str]] = []
        self.signatures: list[tuple[str, str, np.ndarray, list[int]]] = []
        self.superseded: list[str] = []
        self.tokens: dict[str, list[str]] = {}  # chunk id -> sparse tokens
        self.sparse_only: set[str] = set()  # chunk ids with no vector (no words): found by BM25 alone
        self.programs: list[Program] = []  # extracted from policy documents in this batch

    def __len__(self) -> int:
        return len(self.documents)


def doc_values(doc: Document) -> tuple[Any, ...]:
    q = doc.quality or Quality(1.0, (), False)
    data = asdict(doc)
    data.update(quality=q.score, quality_reasons=json.dumps(list(q.reasons), ensure_ascii=False),
                flagged=int(q.flagged), removed=json.dumps(doc.removed),
                meta=json.dumps(doc.meta, ensure_ascii=False) if doc.meta else None)
    return tuple(data[c] for c in DOC_COLUMNS)


def chunk_values(rid: int, c: Chunk) -> tuple[Any, ...]:
    return (rid, c.id, c.doc_id, c.position, c.text, c.embed_text, c.page, c.section,
            ",".join(c.element_types), c.span[0], c.span[1], json.dumps(list(c.injection), ensure_ascii=False))
