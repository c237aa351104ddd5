"""The BM25 index keeps a partition per tenant: a search over the partitions a principal may see
scores exactly as an index of those chunks alone would, whatever other tenants hold; a rebuild
reuses the partitions whose chunks did not change; the old single-model folder is rebuilt."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from app.adapters.bm25 import MANIFEST, Bm25Index
from app.adapters.kb import KnowledgeBase
from app.settings import Settings

PUBLIC = [(1, "innovation voucher for small firms"), (2, "export credit insurance subsidy")]
BANK_B = [(3, "quillmoor textiles revolving credit line"), (4, "harrowgate ceramics working capital loan")]
BANK_A = [(5, "quillmoor textiles watch list quillmoor"), (6, "quillmoor credit line declined"),
          (7, "working capital loan pipeline quillmoor")]


def _index(*groups: tuple[str, list[tuple[int, str]]]) -> Bm25Index:
    rows = sorted((rid, text.split(), tenant) for tenant, chunks in groups for rid, text in chunks)
    return Bm25Index.build([r for r, _, _ in rows], [t for _, t, _ in rows], [t for _, _, t in rows])


QUERY = ["quillmoor", "textiles", "credit", "line", "loan"]



def test_a_search_within_some_chunks_scores_them_as_the_whole_partition_does() -> None:
    """A routed search keeps its documents' chunks: the same hits, scores and order as searching
    every chunk and filtering, never a chunk outside them or another tenant's."""
    index = _index(("public", PUBLIC), ("bank-b", BANK_B), ("bank-a", BANK_A))
    weights = [1.0, 1.0, 0.3, 0.3, 0.3]
    for scope, within, k in (({"public", "bank-a"}, {2, 6, 7, 4}, 10), ({"public", "bank-a"}, {5, 6, 7}, 2),
                             (None, {1, 3, 6}, 10), ({"bank-b"}, {5, 6}, 10)):
        full = index.search(QUERY, index.size, scope, weights)
        expected = [(r, sc) for r, sc in full if r in within][:k]
        assert index.search_within(QUERY, k, scope, weights, within) == expected
    assert index.search_within(QUERY, 10, {"bank-b"}, None, {5, 6}) == []  # bank-a's chunks: not in scope

def test_a_tenants_search_does_not_depend_on_other_tenants() -> None:
    alone = _index(("public", PUBLIC), ("bank-b", BANK_B))
    crowded = _index(("public", PUBLIC), ("bank-b", BANK_B), ("bank-a", BANK_A))
    scope = {"public", "bank-b"}
    expected = alone.search(QUERY, 10, scope)
    assert [r for r, _ in expected] == [3, 2, 4]  # each partition by its own statistics
    assert crowded.search(QUERY, 10, scope) == expected  # same rowids, same scores, same order
    assert crowded.search(QUERY, 10, scope, [1.0, 1.0, 0.3, 0.3, 0.3]) == alone.search(QUERY, 10, scope, [1.0, 1.0, 0.3, 0.3, 0.3])
    assert {r for r, _ in crowded.search(QUERY, 10, {"public", "bank-a"})} == {2, 5, 6, 7}


def test_admins_search_every_partition_merged_by_score() -> None:
    index = _index(("public", PUBLIC), ("bank-b", BANK_B), ("bank-a", BANK_A))
    every = index.search(QUERY, 10, None)
    assert {r for r, _ in every} == {2, 3, 4, 5, 6, 7}
    assert [s for _, s in every] == sorted((s for _, s in every), reverse=True)
    assert index.search(QUERY, 2, None) == every[:2]
    assert index.search(["unknownword"], 10, None) == [] and index.search(QUERY, 10, {"bank-z"}) == []


def test_partitions_save_and_load_without_pickle(tmp_path: Path) -> None:
    index = _index(("public", PUBLIC), ("bank-b", BANK_B), ("bank-a", BANK_A))
    index.save(tmp_path / "bm25")
    manifest = json.loads((tmp_path / "bm25" / MANIFEST).read_text())
    assert [(p["tenant"], p["size"]) for p in manifest["partitions"]] == [("bank-a", 3), ("bank-b", 2), ("public", 2)]
    assert not list((tmp_path / "bm25").rglob("*.pkl")) and not list((tmp_path / "bm25").rglob("*.pickle"))
    loaded = Bm25Index.load(tmp_path / "bm25")
    assert loaded.size == 7
    for scope in ({"public", "bank-b"}, None):
        assert loaded.search(QUERY, 10, scope) == index.search(QUERY, 10, scope)


def test_a_rebuild_reuses_the_partitions_of_untouched_tenants() -> None:
    seed = _index(("public", PUBLIC), ("bank-b", BANK_B), ("bank-a", BANK_A[:1]))
    keys = sorted((rid, text, tenant) for tenant, chunks in (("public", PUBLIC), ("bank-b", BANK_B), ("bank-a", BANK_A))
                  for rid, text in chunks)
    asked: list[set[str]] = []

    def tokens(tenants: set[str]) -> list[tuple[int, list[str]]]:
        asked.append(set(tenants))
        return [(rid, text.split()) for rid, text, t in keys if t in tenants]

    rebuilt = Bm25Index.assemble([(r, " ".join(text.split()), t) for r, text, t in keys], tokens, seed)
    assert asked == [{"bank-a"}]  # only bank-a's chunks changed: only they are read and indexed again
    assert rebuilt.partitions["bank-b"] is seed.partitions["bank-b"]
    assert rebuilt.partitions["public"] is seed.partitions["public"]
    assert rebuilt.search(QUERY, 10, None) == _index(("public", PUBLIC), ("bank-b", BANK_B), ("bank-a", BANK_A)).search(QUERY, 10, None)


def test_an_old_single_model_folder_is_rebuilt_as_partitions(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", embedder="hashing")
    kb = KnowledgeBase(settings)
    old = settings.index_dir / "bm25-000000"
    old.mkdir(parents=True)
    np.save(old / "rowids.npy", np.zeros(0, np.int64))  # the files version 1 wrote, no manifest
    np.save(old / "tenants.npy", np.zeros(0, np.int32))
    (old / "tenant_names.json").write_text("[]")
    assert kb.sparse().size == 0
    assert Bm25Index.saved(old) and not (old / "tenants.npy").exists()


@pytest.mark.parametrize("fmt", [1, 3])
def test_a_manifest_of_another_format_is_refused(tmp_path: Path, fmt: int) -> None:
    (tmp_path / MANIFEST).write_text(json.dumps({"format": fmt, "partitions": []}))
    with pytest.raises(ValueError, match="BM25 format"):
        Bm25Index.load(tmp_path)
