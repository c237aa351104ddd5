"""Label voting: which label (funding agency, issuer, sector) do the best-fitting programs point to?

One nearest program is a noisy witness; many good neighbours sharing a label are strong evidence.
Given programs ranked by relevance s_1 >= s_2 >= ... (scores in 0..1) and their labels:

    vote(L)  = sum over i <= k with label(p_i) = L of  max(s_i, 0) ** power * decay ** (i - 1)
    share(L) = vote(L) / n_L ** prior_alpha, normalised so the shares sum to 1

n_L is the number of catalog programs with label L. With prior_alpha = 0 a label that owns many
programs wins by sheer numbers; prior_alpha = 1 counts the average evidence per program of the
label; values between damp the catalog's imbalance without ignoring it.

Optionally a centroid term: c(L) is the cosine between the query vector and the mean vector of
label L's programs, rescaled over the labels to 0..1 (best label 1, worst 0), and

    score(L) = (1 - centroid_weight) * share(L) + centroid_weight * c_rescaled(L)

Ties break by label name, so the order never depends on dict or hash order. Programs without a
label cast no vote.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class VoteConfig:
    k: int = 20
    decay: float = 0.9
    power: float = 1.0
    prior_alpha: float = 0.0
    centroid_weight: float = 0.0


def label_counts(labels: Mapping[str, str]) -> dict[str, int]:
    return dict(Counter(label for label in labels.values() if label))


def vote_shares(ranked: Sequence[tuple[str, float]], labels: Mapping[str, str], config: VoteConfig,
                counts: Mapping[str, int] | None = None) -> dict[str, float]:
    """share(L) from the module docstring; the shares sum to 1 (empty when no ranked program has a label)."""
    votes: dict[str, float] = {}
    for rank, (program_id, score) in enumerate(ranked[: config.k]):
        label = labels.get(program_id)
        if label:
            votes[label] = votes.get(label, 0.0) + max(score, 0.0) ** config.power * config.decay ** rank
    if config.prior_alpha and counts:
        votes = {lab: v / max(counts.get(lab, 1), 1) ** config.prior_alpha for lab, v in votes.items()}
    total = sum(votes.values())
    if total <= 0:
        # all scores zero: fall back to rank order alone rather than to nothing
        first = next((labels[p] for p, _ in ranked[: config.k] if labels.get(p)), None)
        return {first: 1.0} if first else {}
    return {lab: v / total for lab, v in votes.items()}


def rescale_labels(sims: Mapping[str, float]) -> dict[str, float]:
    if not sims:
        return {}
    lo, hi = min(sims.values()), max(sims.values())
    return {lab: (s - lo) / (hi - lo) if hi > lo else 1.0 for lab, s in sims.items()}


def vote(ranked: Sequence[tuple[str, float]], labels: Mapping[str, str], config: VoteConfig | None = None,
         counts: Mapping[str, int] | None = None,
         centroid_sims: Mapping[str, float] | None = None) -> list[tuple[str, float]]:
    """Labels with their aggregated evidence, best first (ties by label name)."""
    config = config or VoteConfig()
    if counts is None and config.prior_alpha:
        counts = label_counts(labels)
    shares = vote_shares(ranked, labels, config, counts)
    if config.centroid_weight and centroid_sims:
        cent = rescale_labels(centroid_sims)
        w = config.centroid_weight
        scores = {lab: (1 - w) * shares.get(lab, 0.0) + w * cent.get(lab, 0.0) for lab in set(shares) | set(cent)}
    else:
        scores = shares
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def label_centroids(vectors: npt.NDArray[np.float32], program_labels: Sequence[str | None]
                    ) -> tuple[list[str], npt.NDArray[np.float32]]:
    """(labels, L2-normalised mean vector per label) from program vectors in catalog order."""
    names = sorted({lab for lab in program_labels if lab})
    out = np.zeros((len(names), vectors.shape[1]), dtype=np.float32)
    for row, name in enumerate(names):
        members = [i for i, lab in enumerate(program_labels) if lab == name]
        out[row] = vectors[members].mean(axis=0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return names, (out / np.maximum(norms, 1e-9)).astype(np.float32)


def centroid_similarity(query: npt.NDArray[np.float32], names: Iterable[str],
                        centroids: npt.NDArray[np.float32]) -> dict[str, float]:
    return {name: float(s) for name, s in zip(names, centroids @ query)}
