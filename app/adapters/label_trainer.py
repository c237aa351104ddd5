"""Fits a taxonomy's learned label model with scikit-learn (see app.core.taxonomy_model).

Multinomial logistic regression on the embedder's normalised query vectors, classes weighted by
their inverse frequency (``class_weight="balanced"``) so that a label with few examples is not
drowned. The regularisation C is chosen from a small grid by stratified cross-validation on the
training examples themselves; the cross-validated accuracy is reported with the model.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from app.core.ports import Embedder
from app.core.taxonomy import Taxonomy, label_groups, load_taxonomy
from app.core.taxonomy_model import TRAIN_CHARS, LabelModel, read_labelled, save_label_model, weights_of

logger = logging.getLogger(__name__)
C_GRID = (1.0, 4.0, 16.0, 64.0, 256.0)


def _fit(x: np.ndarray, y: np.ndarray, c: float) -> LogisticRegression:
    return LogisticRegression(C=c, class_weight="balanced", max_iter=3000).fit(x, y)


def _cv_accuracy(x: np.ndarray, y: np.ndarray, c: float) -> float | None:
    folds = min(5, min(Counter(y.tolist()).values()))
    if folds < 2:
        return None
    cv = StratifiedKFold(folds, shuffle=True, random_state=0)
    predicted = cross_val_predict(LogisticRegression(C=c, class_weight="balanced", max_iter=3000), x, y, cv=cv)
    return float((predicted == y).mean())


def _coefficients(clf: LogisticRegression) -> tuple[np.ndarray, np.ndarray]:
    coef, intercept = np.asarray(clf.coef_, dtype=np.float64), np.asarray(clf.intercept_, dtype=np.float64)
    if coef.shape[0] == 1:  # two classes: one logit for the second; softmax([0, z]) = sigmoid(z)
        coef, intercept = np.vstack([np.zeros_like(coef), coef]), np.concatenate([[0.0], intercept])
    return coef, intercept


def fit_label_model(taxonomy: Taxonomy, texts: list[str], labels: list[str], embedder: Embedder) -> LabelModel:
    groups = label_groups(taxonomy)
    y = np.array([groups.get(label, label) for label in labels])
    x = np.asarray(embedder.embed_query([t[:TRAIN_CHARS] for t in texts]), dtype=np.float64)
    scores = {c: _cv_accuracy(x, y, c) for c in C_GRID}
    best = max(C_GRID, key=lambda c: (scores[c] or 0.0, -c))
    clf = _fit(x, y, best)
    coef, intercept = _coefficients(clf)
    stats: dict[str, Any] = {
        "trained": date.today().isoformat(), "examples": len(texts), "C": best,
        "cv_accuracy": None if scores[best] is None else round(scores[best] or 0.0, 4),
        "cv_accuracy_by_C": {str(c): None if s is None else round(s, 4) for c, s in scores.items()},
        "train_accuracy": round(float((clf.predict(x) == y).mean()), 4),
        "per_label": dict(sorted(Counter(y.tolist()).items())),
    }
    return LabelModel(tuple(str(c) for c in clf.classes_), coef, intercept, embedder.model_id, stats,
                      weights_of(embedder))


def train_label_model(taxonomy_path: Path, labelled: Path, embedder: Embedder) -> dict[str, Any]:
    """Fit on LABELLED.jsonl and write the model beside the taxonomy; the statistics written."""
    taxonomy = load_taxonomy(taxonomy_path)
    items = read_labelled(labelled, taxonomy.names)
    model = fit_label_model(taxonomy, [i.text for i in items], [i.label for i in items], embedder)
    arrays, meta = save_label_model(model, taxonomy_path)
    logger.info("label model for %s: %s", taxonomy_path.name, model.stats)
    return {"taxonomy": str(taxonomy_path), "model": str(arrays), "meta": str(meta), "model_id": model.model_id,
            "labels": len(model.labels), **model.stats}
