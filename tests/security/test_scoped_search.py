"""Dense search filters inside the index: a tenant's search asks FAISS for its own and public
chunks only (an ID selector, or an exact scan of its scope on an approximate index), so a big
tenant neither leaks into nor slows down a small one's search."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import faiss
import numpy as np
import pytest

from app.adapters.embedder import HashingEmbedder
from app.adapters.faiss_index import FaissIndex
from app.adapters.kb import KnowledgeBase
from app.core.types import PUBLIC_TENANT
from app.settings import Settings
from ingest.pipeline import Ingestor, Target

VISIBLE_TO_B = {"bank-b", PUBLIC_TENANT}


class SpyIndex:
    """The FAISS index, recording the search parameters each call passes."""

    def __init__(self, index: faiss.Index) -> None:
        self._index = index
        self.params: list[Any] = []

    def search(self, query: np.ndarray, k: int, params: Any = None) -> Any:
        self.params.append(params)
        return self._index.search(query, k, params=params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._index, name)


def _brute_force(index: FaissIndex, ids: list[int], query: np.ndarray, k: int) -> list[int]:
    stored = index.vectors(ids)
    scores = {rid: float(vec @ query[0]) for rid, vec in stored.items()}
    return sorted(scores, key=lambda rid: (-scores[rid], rid))[:k]


@pytest.fixture
def kb(tmp_path: Path) -> KnowledgeBase:
    settings = Settings(data_dir=tmp_path / "data", embedder="hashing", checkpoint_docs=500)
    embedder = HashingEmbedder()
    words = ["revenue", "patent", "subsidy", "loan", "export", "hiring", "factory", "software"]
    for tenant, docs in (("bank-a", 120), ("bank-b", 3), (PUBLIC_TENANT, 4)):
        folder = tmp_path / tenant
        folder.mkdir()
        for n in range(docs):
            text = f"{tenant} memo {n}: the firm reports {words[n % 8]} and {words[(n * 3) % 8]} in {2000 + n}."
            (folder / f"memo-{n}.txt").write_text(text)
        Ingestor(settings, KnowledgeBase(settings), embedder).run([folder], Target(tenant=tenant))
    return KnowledgeBase(settings)


def test_a_tenants_dense_search_asks_faiss_with_a_selector_and_equals_brute_force_over_its_scope(
        kb: KnowledgeBase) -> None:
    index = kb.index()
    assert index is not None
    spy = SpyIndex(index._index)
    index._index = spy  # type: ignore[assignment]
    query = HashingEmbedder().embed_query(["revenue and patent in 2001"])
    visible = [int(i) for t in VISIBLE_TO_B for i in kb.store.tenant_rowids(t)]
    ids = index.search(query, 10, tenants=VISIBLE_TO_B)[1]
    found = [int(i) for i in ids[0] if i >= 0]
    assert len(visible) == 7 and len(found) == 7  # padded with -1 beyond B's and public's 7 chunks
    assert set(found) == set(visible)
    assert found == _brute_force(index, visible, query, 10)
    assert list(ids[0][7:]) == [-1, -1, -1]
    selector = spy.params[-1].sel  # FAISS skips every id this selector does not hold
    every_id = faiss.vector_to_array(spy.id_map)
    assert {int(i) for i in every_id if selector.is_member(int(i))} == set(visible)
    everyone = index.search(query, 10)[1][0]  # no tenants: an admin's search, unfiltered as before
    assert spy.params[-1] is None and len(set(everyone) - set(visible)) > 0


def test_the_scope_follows_the_index_after_an_ingest(kb: KnowledgeBase, tmp_path: Path) -> None:
    index = kb.index()
    assert index is not None
    query = HashingEmbedder().embed_query(["factory loan"])
    before = {int(i) for i in index.search(query, 20, tenants={"bank-b"})[1][0] if i >= 0}
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "new.txt").write_text("bank-b memo: a factory loan for the new export line.")
    Ingestor(kb.settings, kb, HashingEmbedder()).run([folder], Target(tenant="bank-b"))
    after = {int(i) for i in index.search(query, 20, tenants={"bank-b"})[1][0] if i >= 0}
    assert len(before) == 3 and len(after) == 4 and before < after


@pytest.mark.parametrize("kind", ["flat", "hnsw", "ivf"])
def test_every_index_kind_returns_exactly_the_scopes_nearest(kind: str) -> None:
    rng = np.random.default_rng(7)
    vectors = rng.standard_normal((2000, 16)).astype(np.float32)
    faiss.normalize_L2(vectors)
    owner = {rid: ("big" if rid % 50 else "small") for rid in range(1000, 3000)}
    index = FaissIndex.create(16, kind, nlist=8)
    index.add(list(owner), vectors)
    index.scope_by(lambda t: np.array([r for r, o in owner.items() if o == t], dtype=np.int64))
    query = vectors[:3] + 0.1
    scores, ids = index.search(query, 12, tenants={"small"})
    small = np.array([r for r, o in owner.items() if o == "small"])
    exact = (query @ vectors[small - 1000].T).argsort(axis=1)[:, ::-1][:, :12]
    assert ids.tolist() == small[exact].tolist()
    assert np.allclose(scores, np.take_along_axis(query @ vectors[small - 1000].T, exact, axis=1), atol=1e-5)
    assert (index.search(query, 5, tenants={"nobody"})[1] == -1).all()
