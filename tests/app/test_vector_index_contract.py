"""One contract, two vector indexes: FAISS (the embedded default) and Milvus Lite (issue 20).

The same tests run against both: nearest ids in order with their scores, tenant (and, for Milvus,
kind) filtering inside the index with -1 padding, removal, and size."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from app.adapters.faiss_index import FaissIndex

DIM = 16
OWNERS = {i: ("bank-a" if i % 3 else "bank-b", "policy" if i % 2 else "general") for i in range(1, 61)}


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


VECTORS = unit(np.random.default_rng(3).standard_normal((60, DIM)))


def tenant_ids(tenant: str) -> np.ndarray:
    return np.array(sorted(i for i, (t, _) in OWNERS.items() if t == tenant), dtype=np.int64)


def owners(ids: Sequence[int]) -> list[tuple[str, str]]:
    return [OWNERS[int(i)] for i in ids]


def faiss_index(_: Path) -> Any:
    index = FaissIndex.create(DIM, "flat")
    index.scope_by(tenant_ids)
    return index


def milvus_index(tmp: Path) -> Any:
    vector_milvus = pytest.importorskip("app.adapters.vector_milvus", reason="pip install -r requirements/milvus.txt")
    return vector_milvus.MilvusIndex.open(str(tmp / "milvus.db"), DIM, owners=owners)


@pytest.fixture(params=[faiss_index, milvus_index], ids=["faiss", "milvus"])
def index(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    built = request.param(tmp_path)
    built.add(list(OWNERS), VECTORS)
    yield built
    if hasattr(built, "close"):
        built.close()


def test_nearest_first_with_inner_product_scores(index: Any) -> None:
    scores, ids = index.search(VECTORS[[4, 9]], 3)
    assert ids[:, 0].tolist() == [5, 10]  # each vector finds itself (ids start at 1)
    assert scores[:, 0] == pytest.approx([1.0, 1.0], abs=1e-4)
    expected = np.argsort(-(VECTORS @ VECTORS[4]))[:3] + 1
    assert ids[0].tolist() == expected.tolist()
    assert list(scores[0]) == sorted(scores[0], reverse=True)


def test_tenant_filter_returns_only_its_ids_padded(index: Any) -> None:
    small = tenant_ids("bank-b")  # 20 ids
    _, ids = index.search(VECTORS[[0]], 30, tenants={"bank-b"})
    found = ids[0][ids[0] >= 0]
    assert sorted(found.tolist()) == small.tolist()
    assert ids[0][len(small):].tolist() == [-1] * 10
    _, best = index.search(VECTORS[[1]], 1, tenants={"bank-b"})  # id 2 is bank-a's: not returned
    assert best[0, 0] in small


def test_no_tenant_sees_nothing(index: Any) -> None:
    _, ids = index.search(VECTORS[[0]], 5, tenants={"nobody"})
    assert ids.tolist() == [[-1] * 5]


def test_removed_ids_are_not_found(index: Any) -> None:
    index.remove([5, 6])
    _, ids = index.search(VECTORS[[4]], 5)
    assert 5 not in ids[0] and 6 not in ids[0]
    assert index.size == 58


def test_kind_filter_inside_milvus(tmp_path: Path) -> None:
    index = milvus_index(tmp_path)
    index.add(list(OWNERS), VECTORS)
    _, ids = index.search(VECTORS[[0]], 60, tenants={"bank-a"}, kinds={"policy"})
    found = ids[0][ids[0] >= 0].tolist()
    assert sorted(found) == sorted(i for i, o in OWNERS.items() if o == ("bank-a", "policy"))
    index.close()
