"""Classification by labelled exemplars under the embedding model: a softmax regression fitted on
the exemplar vectors (numpy, deterministic: zero start, full-batch steps; well under a second for a
few hundred exemplars). Its output is a probability per class, not a raw cosine (E5-style models
compress cosines: unrelated texts still score ~0.72). Shared by the chat's intent router and the
prompt-injection detector."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

TEMPERATURE = 0.1  # cosine logits are compressed: a sharp softmax (chosen on the intents' tuning half)
L2 = 1e-3
STEPS = 300


class ExemplarModel:
    """Class probabilities for vectors, learnt from exemplar vectors and their class numbers."""

    def __init__(self, weights: npt.NDArray[np.float64]) -> None:
        self.weights = weights

    @classmethod
    def fit(cls, vectors: npt.ArrayLike, owner: npt.ArrayLike, classes: int) -> ExemplarModel:
        x = np.asarray(vectors, dtype=np.float64)
        return cls(fit_softmax(x, np.asarray(owner, dtype=np.int_), classes))

    def probabilities(self, queries: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """One row per query, one column per class; rows sum to 1."""
        return softmax(np.asarray(queries, dtype=np.float64) @ self.weights)


def softmax(logits: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    z = logits / TEMPERATURE
    z = np.exp(z - z.max(axis=1, keepdims=True))
    return np.asarray(z / z.sum(axis=1, keepdims=True))


def fit_softmax(x: npt.NDArray[np.float64], y: npt.NDArray[np.int_], classes: int) -> npt.NDArray[np.float64]:
    """Multinomial logistic regression by full-batch gradient descent (step 1.0, L2)."""
    weights = np.zeros((x.shape[1], classes))
    target = np.eye(classes)[y]
    for _ in range(STEPS):
        grad = x.T @ (softmax(x @ weights) - target) / len(x) / TEMPERATURE + L2 * weights
        weights -= grad
    return weights
