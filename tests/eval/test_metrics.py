"""Metric functions against values computed by hand."""

from __future__ import annotations

import math

import pytest

from eval.metrics import accuracy, dedupe, macro_f1, mrr_at, ndcg_at, ranking_report, recall_at


def test_recall_at_k() -> None:
    assert recall_at(["a", "b", "c"], {"b", "z"}, 1) == 0.0
    assert recall_at(["a", "b", "c"], {"b", "z"}, 2) == 0.5
    assert recall_at([], {"a"}, 5) == 0.0


def test_mrr_at_k() -> None:
    assert mrr_at(["x", "y", "a"], {"a"}, 10) == pytest.approx(1 / 3)
    assert mrr_at(["x", "y", "a"], {"a"}, 2) == 0.0


def test_ndcg_at_k() -> None:
    # relevant at rank 2 only: DCG = 1/log2(3); IDCG = 1/log2(2) = 1
    assert ndcg_at(["x", "a"], {"a": 1.0}, 10) == pytest.approx(1 / math.log2(3))
    # two relevant, found at ranks 1 and 3: (1 + 1/2) / (1 + 1/log2(3))
    assert ndcg_at(["a", "x", "b"], {"a": 1.0, "b": 1.0}, 10) == pytest.approx(1.5 / (1 + 1 / math.log2(3)))


def test_ranking_report_averages_over_judged_queries() -> None:
    runs = {"q1": ["a", "b"], "q2": ["c", "d"], "q3": ["e"]}
    qrels = {"q1": {"b": 1.0}, "q2": {"c": 1.0}, "q3": {}}
    report = ranking_report(runs, qrels)
    assert report["recall@1"] == 0.5 and report["recall@5"] == 1.0
    assert report["mrr@10"] == 0.75


def test_dedupe_keeps_first_order() -> None:
    assert dedupe(["a", "b", "a", "c", "b"]) == ["a", "b", "c"]


def test_accuracy_and_macro_f1() -> None:
    gold = ["x", "x", "y", "z"]
    pred = ["x", "y", "y", "y"]
    assert accuracy(gold, pred) == 0.5
    # x: p=1 r=.5 f=2/3; y: p=1/3 r=1 f=.5; z: 0 -> mean = (2/3 + 1/2 + 0) / 3
    assert macro_f1(gold, pred) == pytest.approx((2 / 3 + 0.5) / 3)
