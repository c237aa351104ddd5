"""Documents, chunks, page texts, dedup signatures and bands, the index pointer (kb_meta) and the
program catalog: what one ingest checkpoint commits together. Columns as in SQLite (app/adapters/
store.py, programs.py), so a row reads the same from either.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE documents (
  id text PRIMARY KEY, source text NOT NULL, kind text NOT NULL, tenant text NOT NULL,
  enterprise_id text, title text, lang text, pages integer, quality double precision, quality_reasons text,
  flagged integer DEFAULT 0, status text NOT NULL, reason text, ingested_at text, supersedes text,
  superseded_by text, duplicate_of text, bytes_sha text, text_sha text, removed text, n_chunks integer,
  issuer text, jurisdiction text, valid_from text, valid_to text, meta text
);
CREATE INDEX doc_bytes ON documents (tenant, bytes_sha);
CREATE INDEX doc_text ON documents (tenant, text_sha);
CREATE INDEX doc_source ON documents (tenant, source);
CREATE INDEX doc_status ON documents (status, tenant);
CREATE TABLE chunks (
  rowid bigint PRIMARY KEY, id text UNIQUE NOT NULL, doc_id text NOT NULL, position integer,
  text text NOT NULL, embed_text text, page integer, section text, element_types text,
  span_start integer, span_end integer, tokens text, dense integer DEFAULT 1, injection text
);
CREATE INDEX chunk_doc ON chunks (doc_id);
CREATE TABLE pages (doc_id text, page integer, text text, PRIMARY KEY (doc_id, page));
CREATE TABLE signatures (doc_id text PRIMARY KEY, tenant text, sig bytea);
CREATE TABLE bands (tenant text, key bigint, doc_id text);
CREATE INDEX band_key ON bands (tenant, key);
CREATE INDEX band_doc ON bands (doc_id);
CREATE TABLE kb_meta (key text PRIMARY KEY, value text);
CREATE TABLE IF NOT EXISTS programs (
  id text PRIMARY KEY, kind text NOT NULL, title text NOT NULL, issuer text, jurisdiction text,
  valid_from text, valid_to text, superseded_by text, source_doc text, body text NOT NULL, search text,
  tenant text NOT NULL DEFAULT 'public'
);
CREATE INDEX IF NOT EXISTS program_kind ON programs (kind);
CREATE INDEX IF NOT EXISTS program_doc ON programs (source_doc);
CREATE INDEX IF NOT EXISTS program_tenant ON programs (tenant);
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute("DROP TABLE programs; DROP TABLE kb_meta; DROP TABLE bands; DROP TABLE signatures; "
               "DROP TABLE pages; DROP TABLE chunks; DROP TABLE documents;")
