"""ProgramIndex with the hashing embedder: English and Chinese ranking, subset scores, fusion."""

from __future__ import annotations

import numpy as np
import pytest

from app.adapters.embedder import HashingEmbedder
from app.adapters.program_index import IndexWeights, ProgramIndex, embed_long, rescale, split_windows

CATALOG = [
    ("solar", "Solar energy grant. Support for photovoltaic panel manufacturing and solar cell efficiency research."),
    ("biotech", "Biomedical research loan. Credit for drug discovery, clinical trials and vaccine development."),
    ("ai", "Artificial intelligence fund. Equity investment in machine learning and computer vision startups."),
    ("zh-chip", "集成电路产业扶持资金：支持芯片设计、晶圆制造和封装测试企业研发投入。"),
    ("zh-agri", "农业科技贷款：面向种子育种、智慧农业和农产品加工的中小企业。"),
]


@pytest.fixture
def index() -> ProgramIndex:
    return ProgramIndex.build(CATALOG, HashingEmbedder())


def test_english_query_ranks_the_relevant_program_first(index: ProgramIndex) -> None:
    hits = index.search("We develop machine learning models for computer vision inspection", k=3)
    assert hits[0][0] == "ai"
    assert hits[0][1] > 0.9 and hits[0][1] > hits[1][1]
    assert all(0.0 <= s <= 1.0 for _, s in hits)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)


def test_chinese_query_ranks_the_relevant_program_first_and_skips_dense(index: ProgramIndex) -> None:
    scores = index.query("我们是一家芯片设计企业，主营集成电路研发")
    assert scores.top(1)[0][0] == "zh-chip"
    assert not scores.dense.any()  # dense_cjk defaults to 0: the English model embeds Chinese as noise


def test_subset_scores_match_the_full_ranking_and_skip_unknown_ids(index: ProgramIndex) -> None:
    query = "clinical trials for a new vaccine"
    full = dict(index.search(query, k=index.size))
    subset = index.score_ids(query, ["solar", "biotech", "missing"])
    assert set(subset) == {"solar", "biotech"}
    assert subset["biotech"] == pytest.approx(full["biotech"]) == pytest.approx(1.0)
    assert subset["solar"] < subset["biotech"]


def test_ties_rank_in_catalog_order() -> None:
    index = ProgramIndex.build([("b", "same words"), ("a", "same words")], HashingEmbedder())
    assert [p for p, _ in index.search("same words", k=2)] == ["b", "a"]


def test_weights_select_a_ranker() -> None:
    embedder = HashingEmbedder()
    items = [("x", "alpha beta"), ("y", "gamma delta")]
    sparse_only = ProgramIndex.build(items, embedder, weights=IndexWeights(dense=0.0))
    scores = sparse_only.query("alpha")
    assert not scores.dense.any()
    assert scores.top(2) == [("x", 1.0), ("y", 0.0)]


def test_query_without_known_words_scores_zero(index: ProgramIndex) -> None:
    scores = index.query("qqqq", np.zeros(HashingEmbedder().dim, np.float32))
    assert not scores.fused.any()


def test_duplicate_ids_are_rejected() -> None:
    with pytest.raises(ValueError, match="unique"):
        ProgramIndex.build([("a", "x"), ("a", "y")], HashingEmbedder())


def test_long_text_is_split_into_windows_and_averaged() -> None:
    count = lambda s: len(s.split())
    text = "One two three. Four five six. Seven eight nine."
    assert split_windows(text, count, 6, 8) == ["One two three. Four five six.", "Seven eight nine."]
    assert split_windows(text, count, 6, 1) == ["One two three. Four five six."]
    assert split_windows("short", count, 6, 8) == ["short"]
    embedder = HashingEmbedder()
    vector = embed_long([text], embedder, IndexWeights(window_tokens=3))[0]
    assert np.linalg.norm(vector) == pytest.approx(1.0)


def test_rescale_uses_the_depth_th_score_as_floor() -> None:
    values = np.array([4.0, 3.0, 2.0, 1.0], np.float32)
    scaled = rescale(values, 3)
    assert scaled is not None and scaled.tolist() == pytest.approx([1.0, 0.5, 0.0, 0.0])
    assert rescale(np.ones(3, np.float32), 2) is None
