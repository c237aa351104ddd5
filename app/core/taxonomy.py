"""Classify a text into a taxonomy from what ships with it: label descriptions, examples, keywords.

Single-label classification (``TaxonomyClassifier.classify``)::

    score(label) = semantic * [a * max sim(text, description and examples)
                               + (1 - a) * sim(text, their mean, the label prototype)]
                 + k * log(1 + E(label))
                 + prior(label) + era(label)

``semantic`` is 0 for Chinese texts unless the embedding model reads Chinese (the bundled English
model reads Chinese as noise, so Chinese texts are judged on keyword evidence alone).

Keyword evidence ``E(label)`` sums over the term occurrences found in the text::

    E(label) = sum over occurrences o of term t:  g(t, label) * spec(t) * pos(o)

- Terms are a label's ``keywords`` (g = 1), ``weak_keywords`` (g = ``weak_weight``: words that are
  on topic but also common elsewhere, e.g. 证券 or 保险 in any stock news) and ``companies``
  (g = ``company_weight``: names of well-known companies of the sector, a very specific signal).
- Matching is greedy longest-match over the whole vocabulary of the taxonomy, so 锂电池 is one
  occurrence of 锂电池 and not also of 电池 or 锂, and 中信证券 is the company, not 证券.
- ``spec(t) = log(1 + G / df(t)) / log(1 + G)`` is an IDF over the taxonomy's own term lists:
  G label groups, df(t) of them list t (1 when one group owns the term, falling towards
  log(2)/log(1+G) when all do). Labels that are the same sector under another name (``same_as``,
  e.g. 基础化工 for 化工) form one group, so they do not dilute each other.
- ``pos(o) = lead_weight`` for occurrences in the lead (the first sentence, where news names its
  subject), else 1.
- Before matching, spans that match the taxonomy's ``boilerplate`` patterns are blanked: market
  and trading boilerplate present in every stock news item (brokerage branches in block-trade
  notices, 融资融券 figures, 机构专用, a broker quoted as the source ...) so that it does not pull
  texts towards the financial sectors.

``era``: a taxonomy that carries two editions (Shenwan 2014 and 2021) marks edition-only labels
with ``era``. When a label list mixes editions (e.g. both 化工 and 基础化工), labels of the
edition with fewer edition-only labels in the list get ``-era_penalty``: the list tells which
edition the data was labelled with, and the penalty only breaks ties between synonyms.

Confidence is a softmax of the scores; the runners-up come with theirs.

Multi-label tagging (``TaxonomyClassifier.tag``) returns every label with enough evidence: at
least ``min_hits`` distinct terms and keyword confidence ``1 - exp(-E / 2)`` of at least
``threshold``, or (for texts the model reads) a prototype similarity of at least ``similarity``.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from app.core.errors import InputError
from app.core.ports import Embedder
from app.core.textnorm import cjk_ratio, index_form

TAXONOMY_DIR = Path(__file__).resolve().parents[1] / "data" / "taxonomies"

_LEAD_END = re.compile(r"[。！？!?\n]")
_LEAD_MAX = 160  # characters: a first "sentence" longer than this is not a headline


@dataclass(frozen=True)
class Label:
    name: str
    description: str = ""
    examples: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    prior: float = 0.0
    weak_keywords: tuple[str, ...] = ()
    companies: tuple[str, ...] = ()
    same_as: str = ""  # another label of this taxonomy that is the same category under another name
    era: str = ""  # the edition this name belongs to only (e.g. "2014", "2021"); empty: all editions


@dataclass(frozen=True)
class Taxonomy:
    field: str
    labels: tuple[Label, ...]
    boilerplate: tuple[str, ...] = ()  # regular expressions (on index-form text) blanked before matching

    @property
    def names(self) -> list[str]:
        return [label.name for label in self.labels]

    def restricted(self, names: list[str]) -> Taxonomy:
        """The same taxonomy with only these labels, in this order."""
        by_name = {label.name: label for label in self.labels}
        return replace(self, labels=tuple(by_name[n] for n in names))


@dataclass(frozen=True)
class Classification:
    label: str
    confidence: float
    runners_up: tuple[tuple[str, float], ...] = ()


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in (value or ()))


def _label(name: str, body: Any) -> Label:
    body = body if isinstance(body, dict) else {"description": str(body or "")}
    return Label(name=name, description=str(body.get("description", "")),
                 examples=_strings(body.get("examples")), keywords=_strings(body.get("keywords")),
                 prior=float(body.get("prior", 0.0)), weak_keywords=_strings(body.get("weak_keywords")),
                 companies=_strings(body.get("companies")), same_as=str(body.get("same_as", "") or ""),
                 era=str(body.get("era", "") or ""))


def _inherit(labels: tuple[Label, ...]) -> tuple[Label, ...]:
    """A label ``same_as`` another gets that one's terms too (its own come first)."""
    by_name = {label.name: label for label in labels}
    out = []
    for label in labels:
        other = by_name.get(label.same_as)
        if other is not None and other is not label:
            label = replace(label,
                            keywords=tuple(dict.fromkeys(label.keywords + other.keywords)),
                            weak_keywords=tuple(dict.fromkeys(label.weak_keywords + other.weak_keywords)),
                            companies=tuple(dict.fromkeys(label.companies + other.companies)))
        out.append(label)
    return tuple(out)


def load_taxonomy(path: Path) -> Taxonomy:
    """Our YAML (labels as a mapping, optional boilerplate) or the SPEC JSON form (labels list,
    optional descriptions)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8")) if path.suffix == ".json" else yaml.safe_load(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"{path.name}: not a readable taxonomy ({exc})") from exc
    if not isinstance(raw, dict) or "labels" not in raw:
        raise InputError(f"{path.name}: a taxonomy needs 'field' and 'labels'")
    labels = raw["labels"]
    descriptions = raw.get("descriptions") or {}
    if isinstance(labels, dict):
        parsed = tuple(_label(str(n), b) for n, b in labels.items())
    else:
        parsed = tuple(_label(str(n), descriptions.get(n, "")) for n in labels)
    if len(parsed) < 2:
        raise InputError(f"{path.name}: a taxonomy needs at least two labels")
    boilerplate = _strings(raw.get("boilerplate"))
    for pattern in boilerplate:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise InputError(f"{path.name}: boilerplate pattern {pattern!r} is not a regular expression ({exc})") from exc
    return Taxonomy(field=str(raw.get("field", "industry")), labels=_inherit(parsed), boilerplate=boilerplate)


def shipped_taxonomies() -> dict[str, Taxonomy]:
    """Every taxonomy shipped in app/data/taxonomies, by file stem."""
    return {path.stem: load_taxonomy(path) for path in sorted(TAXONOMY_DIR.glob("*.yaml"))}


def shipped_taxonomy(name: str) -> Taxonomy:
    """One shipped taxonomy by file stem (e.g. "tech_domains") or by its field."""
    shipped = shipped_taxonomies()
    if name in shipped:
        return shipped[name]
    for taxonomy in shipped.values():
        if taxonomy.field == name:
            return taxonomy
    raise InputError(f"no shipped taxonomy {name!r} (have {', '.join(shipped)})")


def shipped_taxonomy_for(names: list[str]) -> Taxonomy | None:
    """A shipped taxonomy covering these labels, restricted to them (a dataset's bare label list →
    our descriptions and keywords). The first such file in name order wins."""
    for taxonomy in shipped_taxonomies().values():
        if set(names) <= set(taxonomy.names):
            return taxonomy.restricted(names)
    return None


def _term_pattern(term: str) -> str:
    """ASCII terms match whole words only; Chinese terms anywhere."""
    if term.isascii():
        return rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])"
    return re.escape(term)


def _lead_end(norm: str) -> int:
    match = _LEAD_END.search(norm, 0, _LEAD_MAX)
    return match.start() if match else min(len(norm), _LEAD_MAX)


@dataclass(frozen=True)
class Evidence:
    """Weighted keyword evidence per label and the distinct terms behind it."""

    weight: tuple[float, ...]
    terms: tuple[tuple[str, ...], ...]


class _Vocabulary:
    """All terms of a taxonomy compiled into one longest-first alternation, with each term's
    per-label weight g(t, label) * spec(t)."""

    def __init__(self, taxonomy: Taxonomy, weak_weight: float, company_weight: float) -> None:
        self.size = len(taxonomy.labels)
        names = set(taxonomy.names)
        groups = [label.same_as if label.same_as in names else label.name for label in taxonomy.labels]
        listed: dict[str, dict[int, float]] = {}
        owners: dict[str, set[str]] = {}
        for i, (label, group) in enumerate(zip(taxonomy.labels, groups)):
            for terms, g in ((label.keywords, 1.0), (label.weak_keywords, weak_weight), (label.companies, company_weight)):
                for term in terms:
                    key = index_form(term).strip()
                    if key:
                        slot = listed.setdefault(key, {})
                        slot[i] = max(slot.get(i, 0.0), g)
                        owners.setdefault(key, set()).add(group)
        n_groups = len(set(groups))
        self.weights: dict[str, dict[int, float]] = {}
        for term, slot in listed.items():
            spec = math.log1p(n_groups / len(owners[term])) / math.log1p(n_groups) if n_groups > 1 else 1.0
            self.weights[term] = {i: g * spec for i, g in slot.items()}
        ordered = sorted(self.weights, key=lambda t: (-len(t), t))
        self.pattern = re.compile("|".join(_term_pattern(t) for t in ordered)) if ordered else None
        self.boilerplate = re.compile("|".join(f"(?:{p})" for p in taxonomy.boilerplate)) if taxonomy.boilerplate else None

    def evidence(self, text: str, lead_weight: float) -> Evidence:
        norm = index_form(text)
        lead = _lead_end(norm)
        if self.boilerplate is not None:  # blank, keeping offsets, so the lead stays where it was
            norm = self.boilerplate.sub(lambda m: " " * len(m.group()), norm)
        weight = [0.0] * self.size
        terms: list[list[str]] = [[] for _ in range(self.size)]
        if self.pattern is not None:
            for match in self.pattern.finditer(norm):
                term = match.group()
                position = lead_weight if match.start() < lead else 1.0
                for i, w in self.weights[term].items():
                    weight[i] += w * position
                    if term not in terms[i]:
                        terms[i].append(term)
        return Evidence(tuple(weight), tuple(tuple(t) for t in terms))


@dataclass
class TaxonomyClassifier:
    taxonomy: Taxonomy
    embedder: Embedder
    max_weight: float = 0.3
    keyword_weight: float = 0.08
    temperature: float = 0.05
    weak_weight: float = 0.25
    company_weight: float = 3.0
    lead_weight: float = 2.0
    era_penalty: float = 0.01
    multilingual: bool = False  # set when the embedding model reads Chinese
    _parts: list[np.ndarray] = field(default_factory=list, repr=False)
    _vocabulary: _Vocabulary | None = field(default=None, repr=False)

    def warm_up(self) -> None:
        if not self._parts:
            for label in self.taxonomy.labels:
                texts = [t for t in (label.description or label.name, *label.examples) if t]
                self._parts.append(np.asarray(self.embedder.embed(texts)))
        if self._vocabulary is None:
            self._vocabulary = _Vocabulary(self.taxonomy, self.weak_weight, self.company_weight)

    def evidence(self, texts: list[str]) -> list[Evidence]:
        """Keyword evidence per text (see the module docstring)."""
        self.warm_up()
        assert self._vocabulary is not None
        return [self._vocabulary.evidence(t, self.lead_weight) for t in texts]

    def _era_priors(self) -> np.ndarray:
        eras = Counter(label.era for label in self.taxonomy.labels if label.era)
        out = np.zeros(len(self.taxonomy.labels))
        if len(eras) > 1:
            top = max(eras.values())
            for i, label in enumerate(self.taxonomy.labels):
                if label.era and eras[label.era] < top:
                    out[i] = -self.era_penalty
        return out

    def _similarities(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(text x label similarity, 1 where the model reads the text else 0)."""
        self.warm_up()
        vectors = np.asarray(self.embedder.embed([t[:2000] for t in texts]))
        # the bundled English model reads Chinese as noise: Chinese texts are judged on keywords
        semantic = np.array([0.0 if cjk_ratio(t) > 0.5 and not self.multilingual else 1.0 for t in texts])
        columns = []
        for parts in self._parts:
            proto = parts.mean(0)
            proto = proto / (np.linalg.norm(proto) or 1.0)
            best = (vectors @ parts.T).max(1)
            columns.append(self.max_weight * best + (1 - self.max_weight) * vectors @ proto)
        return np.stack(columns, 1), semantic

    def scores(self, texts: list[str]) -> np.ndarray:
        similarity, semantic = self._similarities(texts)
        keywords = np.log1p(np.array([e.weight for e in self.evidence(texts)]))
        priors = np.array([label.prior for label in self.taxonomy.labels]) + self._era_priors()
        return semantic[:, None] * similarity + self.keyword_weight * keywords + priors[None, :]

    def classify(self, texts: list[str], runners_up: int = 2) -> list[Classification]:
        out = []
        for row in self.scores(texts):
            probs = np.exp((row - row.max()) / self.temperature)
            probs /= probs.sum()
            order = np.argsort(-probs, kind="stable")
            names = self.taxonomy.names
            out.append(Classification(names[order[0]], round(float(probs[order[0]]), 3),
                                      tuple((names[i], round(float(probs[i]), 3)) for i in order[1 : 1 + runners_up])))
        return out

    def tag(self, texts: list[str], min_hits: int = 2, threshold: float = 0.5,
            similarity: float = 0.6) -> list[list[tuple[str, float]]]:
        """Every label with enough evidence, best first (possibly none) — for multi-label fields
        such as tech domains.

        A label is kept when at least ``min_hits`` distinct terms of it occur and the keyword
        confidence ``1 - exp(-E / 2)`` reaches ``threshold``, or when the model reads the text and
        its similarity to the label reaches ``similarity``. The confidence reported is the larger
        of the two."""
        sims, semantic = self._similarities(texts)
        out = []
        for evidence, row, reads in zip(self.evidence(texts), sims, semantic):
            tags = []
            for i, label in enumerate(self.taxonomy.labels):
                keyword_conf = 1.0 - math.exp(-evidence.weight[i] / 2.0)
                by_keywords = len(evidence.terms[i]) >= min_hits and keyword_conf >= threshold
                semantic_conf = float(row[i]) if reads else 0.0
                if by_keywords or semantic_conf >= similarity:
                    tags.append((label.name, round(max(keyword_conf if by_keywords else 0.0, semantic_conf), 3)))
            out.append(sorted(tags, key=lambda t: -t[1]))
        return out
