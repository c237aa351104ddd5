"""A learned label model that sits beside a taxonomy file and is loaded with it.

``sme taxonomy train TAXONOMY LABELLED.jsonl`` fits a multinomial logistic regression on the
embedding model's normalised query vectors of labelled texts (the label_trainer adapter) and
writes it beside the taxonomy: ``<stem>.labels.npz`` (coefficients and intercepts, plain arrays)
and ``<stem>.labels.json`` (labels, the embedding model's id, training statistics). Nothing is
pickled. Probabilities are ``softmax(x @ coef.T + intercept)``, computed here with numpy only.

Labels that are one category under two names (``same_as``, e.g. 基础化工 for 化工) are trained as
one class, the root name; each name of the group gets the group's probability.

A model is only valid for the embedding model that made its training vectors: the classifier
uses it when ``model_id`` equals the embedder's, or when both come from the same weights run at
another arithmetic (``weights_id``: multilingual-e5-small's float32 and int8 graphs, whose vectors
agree to a cosine of 0.998), and ignores it with a warning otherwise.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError

from app.core.errors import InputError

logger = logging.getLogger(__name__)
TRAIN_CHARS = 2000  # the classifier reads this much of a text; training sees the same


@dataclass(frozen=True)
class LabelModel:
    labels: tuple[str, ...]
    coef: np.ndarray = field(repr=False)  # (labels, dim)
    intercept: np.ndarray = field(repr=False)  # (labels,)
    model_id: str
    stats: dict[str, Any] = field(default_factory=dict, compare=False)
    weights_id: str = ""  # the weights behind model_id, whatever runs them; "" = model_id

    def fits(self, embedder: Any) -> bool:
        """Whether this model's training vectors came from `embedder`'s model (see the module docstring)."""
        return self.model_id == embedder.model_id or (self.weights_id or self.model_id) == weights_of(embedder)

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """(texts, self.labels) class probabilities."""
        logits = np.asarray(vectors, dtype=np.float64) @ self.coef.T + self.intercept
        logits -= logits.max(1, keepdims=True)
        out = np.exp(logits)
        return out / out.sum(1, keepdims=True)

    def columns(self, names: Sequence[str], groups: dict[str, str]) -> np.ndarray:
        """For each taxonomy label, the index of its class (its group's root), -1 if untrained."""
        index = {name: i for i, name in enumerate(self.labels)}
        return np.array([index.get(groups.get(n, n), index.get(n, -1)) for n in names], dtype=np.int64)


def weights_of(embedder: Any) -> str:
    """The weights an embedder runs (its `weights_id`; its model id when it has no other arithmetic)."""
    return str(getattr(embedder, "weights_id", "") or embedder.model_id)


def with_base_rates(probs: np.ndarray, rates: Sequence[float | None], power: float) -> np.ndarray:
    """Probabilities of a model fitted on balanced classes, leaned towards the population's base
    rates: ``p(label) * rate(label) ** power``, renormalised per row (Bayes' rule with the prior
    taken to ``power``; 1 would be the full prior, 0 none). A label without a rate gets the mean
    of the given ones; with no rates, or power 0, the probabilities are returned unchanged."""
    given = [r for r in rates if r is not None and r > 0]
    if not given or not power or not len(probs):
        return probs
    mean = sum(given) / len(given)
    factor = np.array([r if r is not None and r > 0 else mean for r in rates], dtype=np.float64) ** power
    out = probs * factor[None, :]
    return out / np.maximum(out.sum(1, keepdims=True), 1e-12)


def model_paths(taxonomy_path: Path) -> tuple[Path, Path]:
    stem = taxonomy_path.with_suffix("").name
    return (taxonomy_path.with_name(f"{stem}.labels.npz"), taxonomy_path.with_name(f"{stem}.labels.json"))


def save_label_model(model: LabelModel, taxonomy_path: Path) -> tuple[Path, Path]:
    arrays, meta = model_paths(taxonomy_path)
    with arrays.open("wb") as fh:  # np.savez on a path would append .npz to a name it did not expect
        np.savez_compressed(fh, coef=model.coef.astype(np.float32), intercept=model.intercept.astype(np.float32))
    ids = {"model_id": model.model_id} | ({"weights_id": model.weights_id} if model.weights_id else {})
    meta.write_text(json.dumps({"labels": list(model.labels), **ids, **model.stats},
                               ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return arrays, meta


def load_label_model(taxonomy_path: Path) -> LabelModel | None:
    """The model beside this taxonomy file, or None when there is none (or it is unreadable)."""
    arrays, meta = model_paths(taxonomy_path)
    if not (arrays.exists() and meta.exists()):
        return None
    try:
        info = json.loads(meta.read_text(encoding="utf-8"))
        with np.load(arrays, allow_pickle=False) as data:
            coef, intercept = data["coef"].astype(np.float64), data["intercept"].astype(np.float64)
        labels = tuple(str(x) for x in info.pop("labels"))
        model_id = str(info.pop("model_id"))
        weights_id = str(info.pop("weights_id", ""))
    except (OSError, ValueError, KeyError, json.JSONDecodeError) as exc:
        logger.warning("label model beside %s is unreadable, ignored: %s", taxonomy_path.name, exc)
        return None
    if coef.shape[0] != len(labels) or intercept.shape != (len(labels),):
        logger.warning("label model beside %s has %d labels but %s coefficients, ignored",
                       taxonomy_path.name, len(labels), coef.shape)
        return None
    return LabelModel(labels, coef, intercept, model_id, info, weights_id)


class LabelledText(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str
    label: str


def read_labelled(path: Path, known: Sequence[str]) -> list[LabelledText]:
    """LABELLED.jsonl: one {"text", "label"} per line; a bad line or an unknown label is an error
    naming the file and the line (training data is configuration: nothing is skipped silently)."""
    out = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path.name}: not readable ({exc})") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = LabelledText.model_validate_json(line)
        except ValidationError as exc:
            raise InputError(f"{path.name}:{number}: {exc.errors()[0]['msg']} "
                             f"({'.'.join(map(str, exc.errors()[0]['loc']))})") from exc
        if item.label not in known:
            raise InputError(f"{path.name}:{number}: label {item.label!r} is not in the taxonomy")
        out.append(item)
    if len({i.label for i in out}) < 2:
        raise InputError(f"{path.name}: training needs texts of at least two labels")
    return out
