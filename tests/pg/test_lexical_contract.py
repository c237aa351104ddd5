"""The lexical index in PostgreSQL (revision 0005, PgLexicalIndex) against the per-host Bm25Index over
the same chunks: the same rowids in the same order, scores equal within float32's precision, for
tenant-scoped and admin queries, weighted and repeated tokens, unknown terms, chunks without tokens;
kept in the checkpoint's transaction (a superseded document's chunks leave it, a failed checkpoint
adds nothing); one tenant's chunks never move another's scores; chunks written before the revision
are indexed by it; the knowledge base on PostgreSQL serves it; eval/bench_lexical.py runs."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from alembic import command

from app.adapters.bm25 import Bm25Index
from app.adapters.kb import KnowledgeBase
from app.adapters.pg.documents import PgDocumentStore
from app.adapters.pg.lexical import PgLexicalIndex
from app.adapters.pg.migrate import alembic_config
from app.adapters.store import Batch
from app.core.types import Chunk, Document
from app.settings import Settings
from tests.pg.stores import Opened

Hits = list[tuple[int, float]]
VOCAB = [f"w{i}" for i in range(40)] + ["研发", "企业", "补贴", "高新", "技术", "融资", "贷款", "\u2205x"]
TENANTS = {"public": 70, "bank-a": 140, "bank-b": 25}  # chunks each: different sizes, different statistics


def _tokens(rng: random.Random) -> list[str]:
    n = rng.choice([0, 1, 3, 8, 15, 30])
    return [VOCAB[min(int(rng.expovariate(0.12)), len(VOCAB) - 1)] for _ in range(n)]  # skewed, repeats


def _batch(doc_id: str, tenant: str, first: int, token_lists: list[list[str]], supersede: str | None = None) -> Batch:
    batch = Batch()
    batch.documents.append(Document(id=doc_id, source=f"{doc_id}.txt", kind="policy", tenant=tenant,
                                    title=doc_id, ingested_at="2026-01-01T00:00:00+00:00", bytes_sha=doc_id,
                                    text_sha=doc_id, n_chunks=len(token_lists)))
    for n, toks in enumerate(token_lists):
        cid = f"{doc_id}-{n}"
        batch.chunks.append((first + n, Chunk(id=cid, doc_id=doc_id, text=" ".join(toks) or "-", position=n, page=1,
                                                 section="", element_types=(), span=(0, 1))))
        batch.tokens[cid] = toks
    batch.superseded += [supersede] if supersede else []
    return batch


def _fill(store: PgDocumentStore, seed: int, tenants: dict[str, int] = TENANTS, first: int = 1) -> int:
    """Documents of 5 chunks for each tenant, interleaved; returns the next free rowid."""
    rng = random.Random(seed)
    left = dict(tenants)
    while any(left.values()):
        for tenant in [t for t, n in left.items() if n]:
            size = min(5, left[tenant])
            store.write_batch(_batch(f"{tenant}-{first}", tenant, first, [_tokens(rng) for _ in range(size)]), {})
            first, left[tenant] = first + size, left[tenant] - size
    return first


def _bm25(store: PgDocumentStore) -> Bm25Index:
    return Bm25Index.assemble(store.sparse_keys(), store.sparse_tokens)


def _assert_same(expected: Hits, got: Hits) -> None:
    """Equal lengths and scores; rowids equal, except that chunks whose scores tie within tolerance
    may change places (float32 in bm25s, float64 here), and the tie group a top-k cuts may differ."""
    assert len(got) == len(expected), (expected, got)
    for (_, want), (_, score) in zip(expected, got):
        assert score == pytest.approx(want, rel=2e-5, abs=1e-6), (expected, got)
    start = 0
    while start < len(expected):
        end = start + 1
        while end < len(expected) and abs(expected[end][1] - expected[start][1]) <= 1e-4 * max(1.0, expected[start][1]):
            end += 1
        if end < len(expected):  # a whole tie group: the same chunks
            assert {r for r, _ in expected[start:end]} == {r for r, _ in got[start:end]}, (expected, got)
        start = end


def _queries(rng: random.Random, n: int) -> list[tuple[list[str], list[float] | None]]:
    out: list[tuple[list[str], list[float] | None]] = []
    for _ in range(n):
        toks = [rng.choice(VOCAB) for _ in range(rng.randint(1, 5))] + rng.choice([[], ["unknown"], ["w1", "w1"]])
        weights = rng.choice([None, [rng.choice([1.0, 0.5, 0.35]) for _ in toks]])
        out.append((toks, weights))
    return out


@pytest.fixture
def store(pg_url: str, opened: Opened) -> PgDocumentStore:
    return opened(PgDocumentStore(pg_url))


def test_the_same_hits_as_bm25_over_the_same_chunks(store: PgDocumentStore) -> None:
    _fill(store, seed=7)
    bm25, pg = _bm25(store), PgLexicalIndex(store.db)
    assert pg.size == bm25.size == sum(TENANTS.values())
    rng = random.Random(11)
    scopes: list[set[str] | None] = [None, {"bank-a"}, {"bank-b", "public"}, {"public"}, {"nobody"}, set()]
    compared = 0
    for toks, weights in _queries(rng, 60):
        for tenants in scopes:
            for k in (3, 10, 1000):
                expected = bm25.search(toks, k, tenants, weights)
                _assert_same(expected, pg.search(toks, k, tenants, weights))
                compared += bool(expected)
    assert compared > 500
    assert pg.search([], 10, None) == [] and pg.search(["w0"], 0, None) == []


def test_a_chunk_without_tokens_counts_in_its_tenants_statistics(store: PgDocumentStore) -> None:
    store.write_batch(_batch("d", "bank-a", 1, [["研发", "补贴"], [], ["企业"], ["研发", "研发", "企业"]]), {})
    bm25, pg = _bm25(store), PgLexicalIndex(store.db)
    for toks in (["研发"], ["企业", "补贴"], ["研发", "研发"]):
        _assert_same(bm25.search(toks, 10, {"bank-a"}), pg.search(toks, 10, {"bank-a"}))
    stats = store.db.run("SELECT n_chunks, total_len FROM lexical_tenants WHERE tenant='bank-a'").one()
    assert stats == {"n_chunks": 4, "total_len": 7}  # the empty chunk: one placeholder term, as in bm25s


def test_a_term_too_long_for_an_index_key_is_stored_and_found_by_its_hash(store: PgDocumentStore) -> None:
    rng = random.Random(1)
    long = "f" + "".join(rng.choice("0123456789abcdef") for _ in range(9000))  # too long even compressed
    store.write_batch(_batch("d", "bank-a", 1, [[long, "企业"], ["企业"], [long, long]]), {})
    bm25, pg = _bm25(store), PgLexicalIndex(store.db)
    for toks in ([long], [long, "企业"], ["企业"]):
        _assert_same(bm25.search(toks, 10, None), pg.search(toks, 10, None))
    assert [r for r, _ in pg.search([long], 10, None)] == [3, 1]


def test_another_tenants_chunks_do_not_move_scores(store: PgDocumentStore) -> None:
    nxt = _fill(store, seed=3, tenants={"bank-a": 40, "public": 20})
    pg = PgLexicalIndex(store.db)
    queries = [q for q, _ in _queries(random.Random(5), 20)]
    before = [pg.search(q, 20, {"bank-a", "public"}) for q in queries]
    _fill(store, seed=4, tenants={"bank-b": 300}, first=nxt)  # a much larger bank, the same words
    assert [pg.search(q, 20, {"bank-a", "public"}) for q in queries] == before
    assert any(before) and any(pg.search(q, 20, {"bank-b"}) for q in queries)


def test_superseded_chunks_leave_and_a_failed_checkpoint_adds_nothing(store: PgDocumentStore) -> None:
    store.write_batch(_batch("old", "bank-a", 1, [["研发", "补贴"], ["企业"]]), {})
    store.write_batch(_batch("other", "bank-a", 3, [["研发"]]), {})
    store.write_batch(_batch("new", "bank-a", 4, [["贷款", "企业"]], supersede="old"), {})
    pg = PgLexicalIndex(store.db)
    assert [r for r, _ in pg.search(["研发", "企业", "补贴"], 10, None)] == [3, 4]
    _assert_same(_bm25(store).search(["研发", "企业"], 10, None), pg.search(["研发", "企业"], 10, None))
    with pytest.raises(store.write_errors):
        store.write_batch(_batch("clash", "bank-a", 4, [["研发"], ["融资"]]), {})  # rowid 4 is taken
    assert pg.search(["融资"], 10, None) == [] and pg.size == 2
    store.write_batch(_batch("new2", "bank-a", 5, [["融资"]], supersede="new"), {})
    store.write_batch(_batch("gone", "bank-b", 6, [["融资"]]), {})
    store.write_batch(_batch("gone2", "bank-b", 7, [["w1"]], supersede="gone"), {})
    rows = store.db.run("SELECT tenant, n_chunks, total_len FROM lexical_tenants ORDER BY tenant").rows
    assert rows == [{"tenant": "bank-a", "n_chunks": 2, "total_len": 2}, {"tenant": "bank-b", "n_chunks": 1, "total_len": 1}]


def test_chunks_written_before_the_revision_are_indexed_by_it(pg_url: str, store: PgDocumentStore) -> None:
    config = alembic_config(pg_url)
    command.downgrade(config, "0004")
    _fill(store, seed=9, tenants={"bank-a": 30, "public": 12})
    store.write_batch(_batch("sup", "bank-a", 100, [["w2"]], supersede="bank-a-1"), {})
    command.upgrade(config, "head")
    bm25, pg = _bm25(store), PgLexicalIndex(store.db)
    assert pg.size == bm25.size == 38
    for toks, weights in _queries(random.Random(2), 15):
        _assert_same(bm25.search(toks, 10, {"bank-a"}, weights), pg.search(toks, 10, {"bank-a"}, weights))


def test_the_knowledge_base_on_postgresql_serves_the_shared_index(pg_url: str, tmp_path: Path) -> None:
    kb = KnowledgeBase(Settings(data_dir=tmp_path / "data", database_url=pg_url))
    try:
        assert isinstance(kb.sparse(), PgLexicalIndex)
        assert not list(kb.settings.index_dir.glob("bm25-*"))  # nothing built or cached on this host
    finally:
        kb.close()
    default = KnowledgeBase(Settings(data_dir=tmp_path / "default"))
    assert isinstance(default.sparse(), Bm25Index)


def test_the_latency_benchmark_runs_and_agrees(pg_url: str) -> None:
    from eval.bench_lexical import run

    report = run(pg_url, None, n_chunks=500, n_queries=12)
    assert report["chunks"] == 500 and report["postings"] and report["same_top10"] == f"{report['queries']}/{report['queries']}"
