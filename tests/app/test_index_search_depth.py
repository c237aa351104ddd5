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
