"""Label voting: many good neighbours beat one best neighbour; ties and priors are deterministic."""

from __future__ import annotations

import numpy as np
import pytest

from app.core.label_vote import (
    VoteConfig,
    centroid_similarity,
    label_centroids,
    label_counts,
    vote,
    vote_shares,
)

LABELS = {"p1": "NASA", "p2": "DOE", "p3": "DOE", "p4": "DOE", "p5": "NSF"}


def test_many_good_neighbours_beat_a_single_best_one() -> None:
    ranked = [("p1", 1.0), ("p2", 0.8), ("p3", 0.75), ("p4", 0.7), ("p5", 0.2)]
    result = vote(ranked, LABELS, VoteConfig(k=5, decay=0.9))
    assert [label for label, _ in result] == ["DOE", "NASA", "NSF"]
    assert result[0][1] > 0.6


def test_k_one_is_the_nearest_neighbour() -> None:
    ranked = [("p1", 1.0), ("p2", 0.8), ("p3", 0.75), ("p4", 0.7)]
    assert vote(ranked, LABELS, VoteConfig(k=1))[0][0] == "NASA"


def test_shares_follow_the_formula() -> None:
    ranked = [("p1", 1.0), ("p2", 0.5)]
    shares = vote_shares(ranked, LABELS, VoteConfig(k=2, decay=0.5))
    # NASA: 1.0 * 0.5**0 = 1.0 ; DOE: 0.5 * 0.5**1 = 0.25 ; shares sum to 1
    assert shares == pytest.approx({"NASA": 0.8, "DOE": 0.2})


def test_ties_break_by_label_name_whatever_the_input_order() -> None:
    labels = {"a": "Zeta", "b": "Alpha"}
    config = VoteConfig(k=2, decay=1.0)
    first = vote([("a", 0.5), ("b", 0.5)], labels, config)
    second = vote([("b", 0.5), ("a", 0.5)], labels, config)
    assert first == second == [("Alpha", 0.5), ("Zeta", 0.5)]


def test_prior_alpha_discounts_labels_that_own_many_programs() -> None:
    labels = {f"big{i}": "Big" for i in range(9)} | {"small": "Small"}
    ranked = [("big0", 0.9), ("small", 0.9), ("big1", 0.9)]
    config = VoteConfig(k=3, decay=1.0)
    assert vote(ranked, labels, config)[0][0] == "Big"
    # Big: 1.8 / 9 ; Small: 0.9 / 1 -> the label with fewer programs wins per program of evidence
    assert vote(ranked, labels, VoteConfig(k=3, decay=1.0, prior_alpha=1.0))[0][0] == "Small"
    assert label_counts(labels) == {"Big": 9, "Small": 1}


def test_unlabelled_programs_cast_no_vote_and_zero_scores_fall_back_to_rank() -> None:
    labels = {"p1": "", "p2": "DOE", "p3": "NSF"}
    assert vote([("p1", 1.0), ("p2", 0.0), ("p3", 0.0)], labels, VoteConfig(k=3)) == [("DOE", 1.0)]
    assert vote([], labels) == []


def test_centroid_term_can_overrule_a_thin_vote() -> None:
    vectors = np.array([[1, 0], [1, 0], [0, 1]], dtype=np.float32)
    names, centroids = label_centroids(vectors, ["A", "A", "B"])
    assert names == ["A", "B"]
    sims = centroid_similarity(np.array([0.0, 1.0], np.float32), names, centroids)
    assert sims == pytest.approx({"A": 0.0, "B": 1.0})
    ranked = [("x", 0.9), ("y", 0.8)]
    labels = {"x": "A", "y": "B"}
    assert vote(ranked, labels, VoteConfig(k=2))[0][0] == "A"
    assert vote(ranked, labels, VoteConfig(k=2, centroid_weight=0.5), centroid_sims=sims)[0][0] == "B"
