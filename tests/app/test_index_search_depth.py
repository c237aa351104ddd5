"""An approximate index searches as deep as the settings say, on a fresh build and after a reload
(FAISS's defaults, efSearch 16 and nprobe 1, lose most of the recall: docs/benchmarks/index_scale.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import faiss
import numpy as np
import pytest

from app.adapters.embedder import HashingEmbedder
from app.adapters.faiss_index import FaissIndex
from app.adapters.kb import KnowledgeBase
from app.settings import Settings
from ingest.pipeline import Ingestor, Target


def _inner(index: FaissIndex) -> Any:
    return faiss.downcast_index(index._index.index)  # type: ignore[attr-defined]


def test_hnsw_and_ivf_take_the_depth_given() -> None:
    hnsw = FaissIndex.create(16, "hnsw").search_depth(200, 7)
    ivf = FaissIndex.create(16, "ivf", nlist=8).search_depth(200, 7)
    assert _inner(hnsw).hnsw.efSearch == 200
    assert _inner(ivf).nprobe == 7
    assert _inner(FaissIndex.create(16, "ivf", nlist=4).search_depth(200, 7)).nprobe == 4  # no more than its lists


@pytest.mark.parametrize("kind", ["hnsw", "ivf"])
def test_the_knowledge_base_applies_the_settings_on_build_and_on_reload(kind: str, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", embedder="hashing", index_type=kind, ivf_nlist=2,
                        hnsw_ef_search=77, ivf_nprobe=2)
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(90):  # enough to train a 2-list IVF (39 per list)
        (docs / f"d{i}.txt").write_text(f"Filing {i} of firm{i} about topic{i % 7} and year{2000 + i}.", encoding="utf-8")
    embedder = HashingEmbedder()
    Ingestor(settings, KnowledgeBase(settings), embedder).run([docs], Target())
    index = KnowledgeBase(settings).index()  # a reload from disk, as a server start does
    assert index is not None and index.size > 0
    inner = _inner(index)
    if kind == "hnsw":
        assert inner.hnsw.efSearch == 77
    else:
        assert inner.nprobe == 2
    _, ids = index.search(np.asarray(embedder.embed_query(["topic1 year2001"])), 3)
    assert (ids[0] >= 0).all()


class _Recording:
    """The FAISS index, recording how many OpenMP threads each search could use."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.threads = inner, []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def search(self, q: Any, k: int) -> Any:
        self.threads.append(faiss.omp_get_max_threads())
        return self.inner.search(q, k)


def test_a_questions_search_runs_on_one_thread_and_a_batch_on_all() -> None:
    """A question's scan is short: a team of threads only waits at its barrier on busy cores.
    The caller's setting is left as it was; a batch of queries keeps every thread."""
    index = FaissIndex.create(16, "flat")
    vectors = np.random.default_rng(0).standard_normal((50, 16)).astype(np.float32)
    index.add(list(range(50)), vectors)
    recording = _Recording(index._index)
    index._index = recording
    saved = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(3)
    try:
        _, ids = index.search(vectors[:1], 5)
        assert ids[0][0] == 0  # the nearest to itself: the search still searches
        index.search(vectors[:20], 5)
        assert recording.threads == [1, 3]
        assert faiss.omp_get_max_threads() == 3
    finally:
        faiss.omp_set_num_threads(saved)


def test_a_flat_index_gives_back_the_vectors_it_holds_after_adds_and_removes() -> None:
    rng = np.random.default_rng(1)
    index = FaissIndex.create(16, "flat")
    first = rng.standard_normal((30, 16)).astype(np.float32)
    index.add(list(range(100, 130)), first)
    got = index.vectors([129, 100, 7, 115])  # 7: not in the index
    assert sorted(got) == [100, 115, 129]
    assert np.array_equal(got[115], first[15]) and np.array_equal(got[129], first[29])
    more = rng.standard_normal((5, 16)).astype(np.float32)
    index.add([3, 1, 2, 200, 50], more)  # ids out of order, rows after the first ones
    index.remove([100, 101, 102])  # a flat index shifts its rows on removal
    got = index.vectors([100, 103, 200, 1, 50])
    assert sorted(got) == [1, 50, 103, 200]
    assert np.array_equal(got[103], first[3]) and np.array_equal(got[200], more[3]) and np.array_equal(got[1], more[1])
    assert index.vectors([]) == {} and FaissIndex.create(16, "flat").vectors([1]) == {}
