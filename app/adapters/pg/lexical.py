"""BM25 in PostgreSQL, over the postings revision 0005 keeps beside the chunks: one index every host
reads, always at the committed state, with nothing to build or cache per host.

Scores are Bm25Index's (bm25s, method "lucene", k1=1.2, b=0.75): per term
idf = ln(1 + (N - df + 0.5) / (df + 0.5)) times tf / (tf + k1 * (1 - b + b * dl / avgdl)), where N,
df and avgdl are those of the chunk's own tenant only (tenant neutrality: one bank's volume never
moves another's scores). A query token counts once per occurrence, scaled by its weight; ties go to
the lower rowid. Only the postings of the query's terms are read, from the primary key's index
(twice: document frequencies first, then the scores). Each chunk's terms are summed in term order,
so equal chunks score exactly equal whatever plan the server picks.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.adapters.pg.db import Database
from app.adapters.pg.documents import PgDocumentStore

K1, B = 1.2, 0.75

SEARCH = """
WITH q AS (
  SELECT lexical_term(u.term) AS term, sum(u.w) AS w
  FROM unnest(%(terms)s::text[], %(weights)s::float8[]) AS u(term, w) GROUP BY 1
), f AS MATERIALIZED (  -- per term and tenant: weight x idf, and the tenant's 1 / avgdl
  SELECT c.term, c.tenant, q.w * ln(1 + (s.n_chunks - count(*) + 0.5) / (count(*) + 0.5)) AS wi,
         s.n_chunks::float8 / s.total_len AS inv_avgdl
  FROM chunk_terms c JOIN q USING (term) JOIN lexical_tenants s USING (tenant)
  WHERE %(every)s OR c.tenant = ANY(%(tenants)s::text[])
  GROUP BY c.term, c.tenant, q.w, s.n_chunks, s.total_len
), parts AS (  -- sorted once, then summed in that order (an ordered aggregate sorts each chunk apart)
  SELECT c.rowid, f.wi * c.tf / (c.tf + %(k1)s * (1 - %(b)s + %(b)s * c.dl * f.inv_avgdl)) AS part
  FROM f JOIN chunk_terms c ON c.term = f.term AND c.tenant = f.tenant ORDER BY c.rowid, c.term
), scored AS (
  SELECT rowid, sum(part) AS score FROM parts GROUP BY rowid
)
SELECT rowid, score FROM scored WHERE score > 0 ORDER BY score DESC, rowid LIMIT %(k)s
"""


class PgLexicalIndex:
    def __init__(self, db: Database) -> None:
        self.db = db  # the document store's: its calls are serialised on one connection

    @property
    def size(self) -> int:
        row = self.db.run("SELECT COALESCE(sum(n_chunks), 0) AS n FROM lexical_tenants").one()
        return int(row["n"]) if row else 0

    def search(self, query_tokens: list[str], k: int, tenants: set[str] | None,
               weights: Sequence[float] | None = None) -> list[tuple[int, float]]:
        """Top-k (rowid, score) over the chunks of `tenants` (None: all), as Bm25Index.search."""
        if not query_tokens or k <= 0 or (tenants is not None and not tenants):
            return []
        pairs = list(zip(query_tokens, weights or [1.0] * len(query_tokens)))
        params = {"terms": [t for t, _ in pairs], "weights": [float(w) for _, w in pairs],
                  "every": tenants is None, "tenants": sorted(tenants or ()), "k1": K1, "b": B, "k": k}
        rows = self.db.run(SEARCH, params).rows
        return [(int(r["rowid"]), float(r["score"])) for r in rows]


def shared_index(store: object) -> PgLexicalIndex:
    """The lexical index beside a PostgreSQL document store, on its connection."""
    if not isinstance(store, PgDocumentStore):
        raise TypeError(f"the lexical index in PostgreSQL needs the PostgreSQL document store, not {type(store).__name__}")
    return PgLexicalIndex(store.db)
