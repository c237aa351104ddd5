"""Classify a text into a taxonomy from what ships with it: label descriptions, examples, keywords.

score(label) = a * max similarity to the label's description and examples
             + (1 - a) * similarity to their mean (the label prototype)
             + k * log(1 + keyword hits) + prior
Confidence is a softmax of the scores; the runners-up come with theirs.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from app.core.errors import InputError
from app.core.ports import Embedder
from app.core.textnorm import cjk_ratio, index_form

TAXONOMY_DIR = Path(__file__).resolve().parents[1] / "data" / "taxonomies"


@dataclass(frozen=True)
class Label:
    name: str
    description: str = ""
    examples: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    prior: float = 0.0


@dataclass(frozen=True)
class Taxonomy:
    field: str
    labels: tuple[Label, ...]

    @property
    def names(self) -> list[str]:
        return [label.name for label in self.labels]


@dataclass(frozen=True)
class Classification:
    label: str
    confidence: float
    runners_up: tuple[tuple[str, float], ...] = ()


def _label(name: str, body: Any) -> Label:
    body = body if isinstance(body, dict) else {"description": str(body or "")}
    return Label(name=name, description=str(body.get("description", "")),
                 examples=tuple(map(str, body.get("examples", ()))), keywords=tuple(map(str, body.get("keywords", ()))),
                 prior=float(body.get("prior", 0.0)))


def load_taxonomy(path: Path) -> Taxonomy:
    """Our YAML (labels as a mapping) or the SPEC JSON form (labels list, optional descriptions)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8")) if path.suffix == ".json" else yaml.safe_load(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"{path.name}: not a readable taxonomy ({exc})") from exc
    if not isinstance(raw, dict) or "labels" not in raw:
        raise InputError(f"{path.name}: a taxonomy needs 'field' and 'labels'")
    labels = raw["labels"]
    descriptions = raw.get("descriptions") or {}
    if isinstance(labels, dict):
        parsed = tuple(_label(n, b) for n, b in labels.items())
    else:
        parsed = tuple(_label(str(n), descriptions.get(n, "")) for n in labels)
    if len(parsed) < 2:
        raise InputError(f"{path.name}: a taxonomy needs at least two labels")
    return Taxonomy(field=str(raw.get("field", "industry")), labels=parsed)


def shipped_taxonomy_for(names: list[str]) -> Taxonomy | None:
    """A shipped taxonomy covering these labels, restricted to them (a dataset's bare label list →
    our descriptions and keywords)."""
    for path in sorted(TAXONOMY_DIR.glob("*.yaml")):
        taxonomy = load_taxonomy(path)
        if set(names) <= set(taxonomy.names):
            by_name = {label.name: label for label in taxonomy.labels}
            return Taxonomy(taxonomy.field, tuple(by_name[n] for n in names))
    return None


def _keyword_hits(norm: str, terms: tuple[str, ...]) -> int:
    """Occurrences of the label's keywords in index-form text (a sector named five times outweighs
    one passing mention)."""
    hits = 0
    for term in terms:
        if term.isascii():
            hits += len(re.findall(rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])", norm))
        else:
            hits += norm.count(term)
    return hits


@dataclass
class TaxonomyClassifier:
    taxonomy: Taxonomy
    embedder: Embedder
    max_weight: float = 0.3
    keyword_weight: float = 0.08
    temperature: float = 0.05
    multilingual: bool = False  # set when the embedding model reads Chinese
    _parts: list[np.ndarray] = field(default_factory=list, repr=False)

    def warm_up(self) -> None:
        if not self._parts:
            for label in self.taxonomy.labels:
                texts = [t for t in (label.description or label.name, *label.examples) if t]
                self._parts.append(np.asarray(self.embedder.embed(texts)))

    def scores(self, texts: list[str]) -> np.ndarray:
        self.warm_up()
        vectors = np.asarray(self.embedder.embed([t[:2000] for t in texts]))
        # the bundled English model reads Chinese as noise: Chinese texts are judged on keywords
        norms = [index_form(t) for t in texts]
        semantic = np.array([0.0 if cjk_ratio(t) > 0.5 and not self.multilingual else 1.0 for t in texts])
        columns = []
        for label, parts in zip(self.taxonomy.labels, self._parts):
            proto = parts.mean(0)
            proto = proto / (np.linalg.norm(proto) or 1.0)
            best = (vectors @ parts.T).max(1)
            terms = tuple(index_form(k) for k in label.keywords)
            keywords = np.array([math.log1p(_keyword_hits(n, terms)) for n in norms])
            similarity = self.max_weight * best + (1 - self.max_weight) * vectors @ proto
            columns.append(semantic * similarity + self.keyword_weight * keywords + label.prior)
        return np.stack(columns, 1)

    def classify(self, texts: list[str], runners_up: int = 2) -> list[Classification]:
        out = []
        for row in self.scores(texts):
            probs = np.exp((row - row.max()) / self.temperature)
            probs /= probs.sum()
            order = np.argsort(-probs)
            names = self.taxonomy.names
            out.append(Classification(names[order[0]], round(float(probs[order[0]]), 3),
                                      tuple((names[i], round(float(probs[i]), 3)) for i in order[1 : 1 + runners_up])))
        return out
