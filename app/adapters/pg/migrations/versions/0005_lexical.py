"""The lexical index every host shares (app/adapters/pg/lexical.py): one row per (term, tenant,
chunk) with the term's count in the chunk and the chunk's length, and per tenant the chunk count and
total length, the BM25 statistics of that tenant alone.

Triggers on `chunks` keep both in the transaction that writes or deletes the chunks (an ingest
checkpoint, a superseded document), so the writers need not know the index exists. A chunk's terms
are its stored `tokens` (the product's tokenizer, space-joined; no term holds whitespace), split as
`sparse_tokens` splits them; a chunk with none counts one placeholder term, as Bm25Partition indexes it. Only chunks of
indexed documents count, as in `sparse_keys`. Existing chunks are indexed by this revision. A term
over 256 bytes (a run of letters or digits the tokenizer keeps whole) is stored, and looked up, as
its MD5 (`lexical_term`): a key that long would not fit the index.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

EMPTY = "\u2205"  # Bm25Partition's term for a chunk without tokens

# the postings and tenant totals of the chunks in relation `{rows}` (a trigger's transition table)
ADD = f"""
WITH toks AS (
  SELECT r.rowid, d.tenant, lexical_term(t.term) AS term FROM {{rows}} r JOIN documents d ON d.id = r.doc_id AND d.status = 'indexed'
  CROSS JOIN LATERAL unnest(CASE WHEN btrim(COALESCE(r.tokens, '')) = '' THEN ARRAY['{EMPTY}']
                                 ELSE string_to_array(r.tokens, ' ') END) AS t(term)
  WHERE t.term <> ''
), lens AS (
  SELECT rowid, tenant, count(*)::integer AS dl FROM toks GROUP BY rowid, tenant
), postings AS (
  INSERT INTO chunk_terms (term, tenant, rowid, tf, dl)
  SELECT t.term, t.tenant, t.rowid, count(*), l.dl FROM toks t JOIN lens l USING (rowid, tenant)
  GROUP BY t.term, t.tenant, t.rowid, l.dl
)
INSERT INTO lexical_tenants (tenant, n_chunks, total_len)
SELECT tenant, count(*), sum(dl) FROM lens GROUP BY tenant
ON CONFLICT (tenant) DO UPDATE SET n_chunks = lexical_tenants.n_chunks + EXCLUDED.n_chunks,
                                   total_len = lexical_tenants.total_len + EXCLUDED.total_len
"""

REMOVE = """
WITH gone AS (
  DELETE FROM chunk_terms c USING removed r WHERE c.rowid = r.rowid RETURNING c.tenant, c.rowid, c.dl
), lens AS (
  SELECT tenant, rowid, min(dl) AS dl FROM gone GROUP BY tenant, rowid
), totals AS (
  SELECT tenant, count(*) AS n, sum(dl) AS len FROM lens GROUP BY tenant
)
UPDATE lexical_tenants s SET n_chunks = s.n_chunks - t.n, total_len = s.total_len - t.len
FROM totals t WHERE s.tenant = t.tenant
"""

UPGRADE = f"""
CREATE TABLE chunk_terms (
  term text NOT NULL, tenant text NOT NULL, rowid bigint NOT NULL, tf integer NOT NULL, dl integer NOT NULL,
  PRIMARY KEY (term, tenant, rowid) INCLUDE (tf, dl)
);
CREATE INDEX chunk_terms_rowid ON chunk_terms (rowid);
CREATE TABLE lexical_tenants (tenant text PRIMARY KEY, n_chunks bigint NOT NULL, total_len bigint NOT NULL);
CREATE FUNCTION lexical_term(term text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN octet_length(term) > 256 THEN 'md5:' || md5(term) ELSE term END
$$;
CREATE FUNCTION lexical_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {ADD.format(rows="added")};
  RETURN NULL;
END $$;
CREATE FUNCTION lexical_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {REMOVE};
  DELETE FROM lexical_tenants WHERE n_chunks <= 0;
  RETURN NULL;
END $$;
CREATE TRIGGER lexical_add AFTER INSERT ON chunks REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION lexical_add();
CREATE TRIGGER lexical_remove AFTER DELETE ON chunks REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION lexical_remove();
{ADD.format(rows="chunks")};
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute("DROP TRIGGER lexical_remove ON chunks; DROP TRIGGER lexical_add ON chunks; "
               "DROP FUNCTION lexical_remove(); DROP FUNCTION lexical_add(); "
               "DROP FUNCTION lexical_term(text); DROP TABLE lexical_tenants; DROP TABLE chunk_terms;")
