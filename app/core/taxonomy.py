"""Classify a text into a taxonomy from what ships with it: label descriptions, examples, keywords.

Single-label classification (``TaxonomyClassifier.classify``)::

    score(label) = semantic * [a * max sim(text, description and examples)
                               + (1 - a) * sim(text, their mean, the label prototype)]
                 + k * log(1 + E(label))
                 + prior(label) + era(label) + m * marker(label)

``semantic`` is 0 for Chinese texts unless the embedding model reads Chinese (the bundled English
model reads Chinese as noise, so Chinese texts are judged on keyword evidence alone).

Keyword evidence ``E(label)`` sums over the term occurrences found in the text::

    E(label) = sum over occurrences o of term t:  g(t, label) * spec(t) * pos(o) * role(o)

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
  subject), ``business_weight`` inside a business description (主营业务为…, 主要从事…, 是一家…企业,
  to the end of the clause; the larger of the two where both hold), else 1.
- ``role(o)`` weighs company names by whom the text is about. The subject is the first listed
  company followed by a stock code ((600519), (000001.sz)); else the first company named in the lead
  (a company that is not in the lists, recognised by its suffix 股份/集团/控股/科技/实业 or its stock
  code, makes every listed one a passing mention); else the listed company named most often (at
  least twice). ``role = subject_weight`` for the subject's name, ``passing_weight`` for the other
  companies when there is a subject, 1 for every other term.
- Before matching, spans that match the taxonomy's ``boilerplate`` patterns are blanked: market
  and trading boilerplate present in every stock news item (brokerage branches in block-trade
  notices, 融资融券 figures, 机构专用, a broker quoted as the source ...) so that it does not pull
  texts towards the financial sectors.

``era``: a taxonomy that carries two editions (Shenwan 2014 and 2021) marks edition-only labels
with ``era``. When a label list mixes editions (e.g. both 化工 and 基础化工), labels of the
edition with fewer edition-only labels in the list get ``-era_penalty``: the list tells which
edition the data was labelled with, and the penalty only breaks ties between synonyms.

``marker(label)`` is 1 when the text matches one of the label's ``markers`` (regexes for a form of
text that identifies the label, such as an agency's required abstract headings), else 0.

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
# a company named as such: a short name with a company suffix or followed by its stock code
_NAMED = re.compile(r"[\u4e00-\u9fff]{2,4}(?:股份|集团|控股|科技|实业)|[\u4e00-\u9fff]{2,6}(?=\s?\(\s?\d{4,6})")
_STOCK_CODE = re.compile(r"\s?\(\s?\d{4,6}(?:\.?-?(?:sh|sz|bj|hk))?\s?\)")  # (600519) (000001.sz) (02333-hk)
# a business description: what follows these cues, up to the end of the clause
_BUSINESS = re.compile(
    r"(?:主营业务|主要业务|主营产品|主要产品|主导产品|核心产品|主要从事|专业从事|专注于|致力于|主营)"
    r"(?:为|是|包括|涵盖|有|:|：)?[^。；;！？!?\n]{1,80}"
    r"|是(?:一家|国内|全球|中国|我国|国际)[^。；;！？!?\n]{0,60}?(?:企业|公司|厂商|供应商|制造商|生产商|服务商|运营商|龙头|之一)")


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
    markers: tuple[str, ...] = ()  # regexes for phrases that identify the label by the text's form


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
                 era=str(body.get("era", "") or ""), markers=_markers(name, body.get("markers")))


def _markers(name: str, value: Any) -> tuple[str, ...]:
    out = _strings(value)
    for pattern in out:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise InputError(f"label {name!r}: marker {pattern!r} is not a regular expression ({exc})") from exc
    return out


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


def _business_spans(norm: str) -> list[tuple[int, int]]:
    """Where the text says what a company does (主营业务为…, 主要从事…, 是一家…企业), to the end of
    the clause."""
    return [m.span() for m in _BUSINESS.finditer(norm)]


def _position(start: int, lead: int, business: list[tuple[int, int]], weights: Weights) -> float:
    """pos(o): the weight of an occurrence by where it stands (module docstring)."""
    factor = weights.lead if start < lead else 1.0
    if any(a <= start < b for a, b in business):
        factor = max(factor, weights.business)
    return factor


@dataclass(frozen=True)
class Weights:
    """The factors of pos(o) and role(o) (module docstring)."""

    lead: float = 2.0
    business: float = 3.0
    subject: float = 1.25
    passing: float = 1.0


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
        self.companies = {index_form(c).strip() for label in taxonomy.labels for c in label.companies} - {""}
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

    def evidence(self, text: str, weights: Weights) -> Evidence:
        norm = index_form(text)
        lead = _lead_end(norm)
        business = _business_spans(norm)
        if self.boilerplate is not None:  # blank, keeping offsets, so the lead stays where it was
            norm = self.boilerplate.sub(lambda m: " " * len(m.group()), norm)
        found = [(m.start(), m.group()) for m in self.pattern.finditer(norm)] if self.pattern is not None else []
        subject = self.subject(norm, found, lead)
        weight = [0.0] * self.size
        terms: list[list[str]] = [[] for _ in range(self.size)]
        for start, term in found:
            factor = _position(start, lead, business, weights) * self._role(term, subject, weights)
            for i, w in self.weights[term].items():
                weight[i] += w * factor
                if term not in terms[i]:
                    terms[i].append(term)
        return Evidence(tuple(weight), tuple(tuple(t) for t in terms))

    def subject(self, norm: str, found: list[tuple[int, str]], lead: int) -> str:
        """The company the text is about (see the module docstring); "" when there is none."""
        companies = [(start, term) for start, term in found if term in self.companies]
        coded = [term for start, term in companies if _STOCK_CODE.match(norm, start + len(term))]
        if coded:
            return coded[0]
        in_lead = [(start, term) for start, term in companies if start < lead]
        named = _NAMED.search(norm, 0, lead)
        if named and (not in_lead or named.end() <= in_lead[0][0]):
            return named.group()  # a company not in the lists: every listed one is named in passing
        if in_lead:
            return in_lead[0][1]
        counts = Counter(term for _, term in companies)
        ranked = sorted(counts, key=lambda t: -counts[t])  # stable: the first named wins a tie
        return ranked[0] if ranked and counts[ranked[0]] >= 2 else ""

    def _role(self, term: str, subject: str, weights: Weights) -> float:
        if not subject or term not in self.companies:
            return 1.0
        return weights.subject if term == subject else weights.passing


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
    business_weight: float = 3.0
    subject_weight: float = 1.25
    passing_weight: float = 1.0  # 1: no discount (a discount hurt on news labelled by a named broker or investor)
    era_penalty: float = 0.01
    marker_weight: float = 0.3
    multilingual: bool = False  # set when the embedding model reads Chinese
    _parts: list[np.ndarray] = field(default_factory=list, repr=False)
    _vocabulary: _Vocabulary | None = field(default=None, repr=False)

    def warm_up(self) -> None:
        if not self._parts:
            # built aside and assigned whole: API threads may warm the same classifier at once
            self._parts = [np.asarray(self.embedder.embed([t for t in (label.description or label.name, *label.examples) if t]))
                           for label in self.taxonomy.labels]
        if self._vocabulary is None:
            self._vocabulary = _Vocabulary(self.taxonomy, self.weak_weight, self.company_weight)

    def evidence(self, texts: list[str]) -> list[Evidence]:
        """Keyword evidence per text (see the module docstring)."""
        self.warm_up()
        assert self._vocabulary is not None
        weights = Weights(self.lead_weight, self.business_weight, self.subject_weight, self.passing_weight)
        return [self._vocabulary.evidence(t, weights) for t in texts]

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
        return (semantic[:, None] * similarity + self.keyword_weight * keywords + priors[None, :]
                + self.marker_weight * self._markers(texts))

    def _markers(self, texts: list[str]) -> np.ndarray:
        """1 where a text carries one of the label's markers (a form no other label's texts use,
        e.g. NSF's "broader impact" section), else 0."""
        compiled = [re.compile("|".join(f"(?:{m})" for m in label.markers), re.IGNORECASE) if label.markers else None
                    for label in self.taxonomy.labels]
        return np.array([[1.0 if c is not None and c.search(t) else 0.0 for c in compiled] for t in texts]).reshape(
            len(texts), len(compiled))

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
