"""Classify a text into a taxonomy from what ships with it: label descriptions, examples, keywords.

Single-label classification (``TaxonomyClassifier.classify``)::

    score(label) = semantic * (w_s * P(label) + w_l * L(label))
                 + k * log(1 + E(label))
                 + prior(label) + era(label) + m * marker(label)

    P(label) = a * max sim(text, description and examples) + (1 - a) * sim(text, their mean, the prototype)

``L(label)`` is the probability a learned label model gives the label (app.core.taxonomy_model:
a logistic regression over the embedding model's vectors, fitted by ``sme taxonomy train`` on
labelled texts and stored beside the taxonomy file; 0 when there is none, or when it was trained
with another embedding model). When the taxonomy is restricted to some of its labels, ``L`` is
renormalised over them. The model is fitted on balanced classes; where the taxonomy gives labels
a ``base_rate`` (their share of the firms it is used on, e.g. B2B about half of a startup
directory) and ``weights.base_rate_power`` a, ``L`` is leaned to them as ``L * base_rate ** a``,
renormalised (a = 1 would be Bayes' rule with the full prior). With the file's ``weights.sentences``
s, the model reads a text twice: whole, and sentence by sentence (its first ten sentences of 16
characters or more, each embedded alone); ``L`` is ``(1 - s) * L(whole) + s * mean L(sentence)``. Read
whole, a text is one vector in which whatever fills the model's window (founders' careers, a table of
projects) outweighs the one sentence saying what the firm sells; read by sentence, that sentence
counts as much as any other. ``w_s`` (``semantic_weight``) and
``w_l`` (``learned_weight``) come from the taxonomy file's ``weights`` where it has them, else the defaults; both were fitted
on the tuning halves of the dev sets only (md5 of the id, even last hex digit; eval/profile.py),
with e5 vectors, whose cosine similarities are compressed (unrelated ~0.72, related 0.8+): the
prototype term mostly breaks ties, the learned term carries the meaning.

``semantic`` is 0 for Chinese texts unless the embedding model reads Chinese (an English-only
model reads Chinese as noise, so Chinese texts are then judged on keyword evidence alone).

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
  to the end of the clause or to where it turns to the customers (为…提供, 应用于, 下游); the
  larger of the two where both hold), ``question_weight`` inside an investor's question in a Q&A
  digest (有投资者问…？ — the topic the investor raises, not what the company does), else 1.
- ``role(o)`` weighs company names by whom the text is about: the subject
  (``app.core.taxonomy_zh.subject``: the listed company with a stock code, the company answering
  investors, the one a notice opens with, else the first named in the lead, else the one named
  most often). ``role = subject_weight`` for the subject's name, ``passing_weight`` for the other
  companies when there is a subject, 1 for every other term.
- A subject that is not in the lists still has a name, and Chinese company names carry their
  trade (某某药业, 某某置业, 某某合金): the ``name_parts`` of a label found in it count as one more
  occurrence each, with g = ``name_weight`` and the position weight of where the name stands.
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

import logging
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from app.core.company_directory import directory_path, read_directory
from app.core.errors import InputError
from app.core.evidence_filter import EVIDENCE_FILTERS
from app.core.ports import Embedder
from app.core.sentences import sentences
from app.core.taxonomy_evidence import Evidence, Vocabulary, Weights
from app.core.taxonomy_model import LabelModel, load_label_model, with_base_rates
from app.core.taxonomy_schema import TAXONOMY_DIR, LabelSpec, read_taxonomy_file
from app.core.taxonomy_zh import lead_end
from app.core.textnorm import cjk_ratio

logger = logging.getLogger(__name__)
# fitted on the tuning halves of cn-sector and yc-industry together (for taxonomies without weights of their own)
SEMANTIC_WEIGHT, LEARNED_WEIGHT = 1.0, 0.5
SENTENCES_READ = 10  # a text's first sentences the learned model also reads one by one
SENTENCE_MIN_CHARS = 16  # shorter pieces (a heading, "All from your iPhone.") are not read alone
SENTENCE_CHARS = 500


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
    name_parts: tuple[str, ...] = ()  # words that, inside a company's name, say it is of this label (药业, 银行)
    base_rate: float | None = None  # its share of the firms the taxonomy is used on (leans the learned model)


@dataclass(frozen=True)
class Taxonomy:
    field: str
    labels: tuple[Label, ...]
    boilerplate: tuple[str, ...] = ()  # regular expressions (on index-form text) blanked before matching
    source: str = ""  # the file it was read from (a learned label model may sit beside it)
    semantic_weight: float | None = None  # fitted for this taxonomy (its file's weights), else the classifier's
    learned_weight: float | None = None
    evidence_filters: tuple[str, ...] = ()  # names in app.core.evidence_filter.EVIDENCE_FILTERS
    base_rate_power: float = 0.0  # 0: the learned model's probabilities as fitted (balanced classes)
    sentence_share: float = 0.0  # 0: the learned model reads each text whole only

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


def _label(name: str, spec: LabelSpec) -> Label:
    return Label(name=name, description=spec.description, examples=tuple(spec.examples), keywords=tuple(spec.keywords),
                 prior=spec.prior, weak_keywords=tuple(spec.weak_keywords), companies=tuple(spec.companies),
                 same_as=spec.same_as, era=spec.era, markers=_patterns(f"label {name!r}: marker", spec.markers),
                 name_parts=tuple(spec.name_parts), base_rate=spec.base_rate)


def _patterns(what: str, patterns: list[str]) -> tuple[str, ...]:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise InputError(f"{what} {pattern!r} is not a regular expression ({exc})") from exc
    return tuple(patterns)


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
                            companies=tuple(dict.fromkeys(label.companies + other.companies)),
                            name_parts=tuple(dict.fromkeys(label.name_parts + other.name_parts)))
        out.append(label)
    return tuple(out)


def _with_directory(labels: tuple[Label, ...], directory: dict[str, list[str]]) -> tuple[Label, ...]:
    """The labels with the directory's companies after their own (app.core.company_directory); a name
    the taxonomy itself lists keeps the taxonomy's labels only."""
    own = {c for label in labels for c in label.companies}
    return tuple(replace(label, companies=label.companies + tuple(
        dict.fromkeys(c for c in directory.get(label.name, ()) if c not in own))) for label in labels)


def load_taxonomy(path: Path) -> Taxonomy:
    """Our YAML (labels as a mapping, optional boilerplate) or the SPEC JSON form (labels list,
    optional descriptions); see app.core.taxonomy_schema. A learned label model beside the file
    (``<stem>.labels.npz``) is found through ``source``; a company directory beside it
    (``<stem>.companies.tsv``, app.core.company_directory) adds its companies to their labels."""
    spec = read_taxonomy_file(path)
    parsed = tuple(_label(name, body) for name, body in spec.labels.items())
    if len(parsed) < 2:
        raise InputError(f"{path.name}: a taxonomy needs at least two labels")
    if directory_path(path).is_file():
        parsed = _with_directory(parsed, read_directory(directory_path(path), [label.name for label in parsed]))
    boilerplate = _patterns(f"{path.name}: boilerplate pattern", spec.boilerplate)
    weights = spec.weights
    unknown = [name for name in spec.evidence_filters if name not in EVIDENCE_FILTERS]
    if unknown:
        raise InputError(f"{path.name}: evidence_filters: no filter {', '.join(map(repr, unknown))} "
                         f"(have {', '.join(EVIDENCE_FILTERS)})")
    return Taxonomy(field=spec.field, labels=_inherit(parsed), boilerplate=boilerplate, source=str(path),
                    semantic_weight=weights.semantic if weights else None,
                    learned_weight=weights.learned if weights else None,
                    base_rate_power=(weights.base_rate_power or 0.0) if weights else 0.0,
                    sentence_share=(weights.sentences or 0.0) if weights else 0.0,
                    evidence_filters=tuple(spec.evidence_filters))


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


def taxonomy_path(name: str) -> Path:
    """A taxonomy file given as a path or as the stem of a shipped one (e.g. "tech_domains")."""
    for path in (Path(name), TAXONOMY_DIR / f"{name}.yaml"):
        if path.is_file():
            return path
    raise InputError(f"no taxonomy file {name!r} (a path, or one of {', '.join(shipped_taxonomies())})")


def shipped_taxonomy_for(names: list[str]) -> Taxonomy | None:
    """A shipped taxonomy covering these labels, restricted to them (a dataset's bare label list →
    our descriptions and keywords). The first such file in name order wins."""
    for taxonomy in shipped_taxonomies().values():
        if set(names) <= set(taxonomy.names):
            return taxonomy.restricted(names)
    return None


def _lead_end(norm: str) -> int:
    return lead_end(norm)


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
    subject_weight: float = 2.0
    passing_weight: float = 1.0  # 1: no discount (a discount hurt on news labelled by a named broker or investor)
    name_weight: float = 2.0
    question_weight: float = 0.5
    era_penalty: float = 0.01
    marker_weight: float = 0.3
    multilingual: bool = False  # set when the embedding model reads Chinese
    semantic_weight: float | None = None  # None: the taxonomy's own weight, else SEMANTIC_WEIGHT
    learned_weight: float | None = None  # None: the taxonomy's own weight, else LEARNED_WEIGHT
    # the label texts' vectors (a cache read at start); None: the embedder's embed_query
    label_vectors: Callable[[list[str]], np.ndarray] | None = field(default=None, repr=False)
    _parts: list[np.ndarray] = field(default_factory=list, repr=False)
    _vocabulary: Vocabulary | None = field(default=None, repr=False)
    _learned: tuple[LabelModel, np.ndarray] | None = field(default=None, repr=False)
    _learned_checked: bool = field(default=False, repr=False)

    def warm_up(self) -> None:
        if not self._parts:
            # built aside and assigned whole: API threads may warm the same classifier at once
            embed = self.label_vectors or self.embedder.embed_query
            self._parts = [np.asarray(embed([t for t in (label.description or label.name, *label.examples) if t]))
                           for label in self.taxonomy.labels]
        if self._vocabulary is None:
            self._vocabulary = Vocabulary(self.taxonomy, self.weak_weight, self.company_weight)
        if not self._learned_checked:
            self._learned = self._label_model()
            self._learned_checked = True

    def _label_model(self) -> tuple[LabelModel, np.ndarray] | None:
        """The learned model beside the taxonomy file, with each label's class column."""
        model = load_label_model(Path(self.taxonomy.source)) if self.taxonomy.source else None
        if model is None:
            return None
        if not model.fits(self.embedder):
            logger.warning("label model beside %s was trained with %s, not %s: ignored (retrain with sme taxonomy train)",
                           Path(self.taxonomy.source).name, model.model_id, self.embedder.model_id)
            return None
        return model, model.columns(self.taxonomy.names, label_groups(self.taxonomy))

    def evidence(self, texts: list[str]) -> list[Evidence]:
        """Keyword evidence per text (see the module docstring)."""
        self.warm_up()
        assert self._vocabulary is not None
        weights = Weights(self.lead_weight, self.business_weight, self.subject_weight, self.passing_weight,
                          self.name_weight, self.question_weight)
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

    def _semantic(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(text x label prototype similarity, text x label learned probability (0 without a
        model), 1 where the model reads the text else 0)."""
        self.warm_up()
        vectors = np.asarray(self.embedder.embed_query([t[:2000] for t in texts]))
        # an English-only model reads Chinese as noise: then Chinese texts are judged on keywords
        reads_chinese = self.multilingual or self.embedder.multilingual
        semantic = np.array([0.0 if cjk_ratio(t) > 0.5 and not reads_chinese else 1.0 for t in texts])
        columns = []
        for parts in self._parts:
            proto = parts.mean(0)
            proto = proto / (np.linalg.norm(proto) or 1.0)
            best = (vectors @ parts.T).max(1)
            columns.append(self.max_weight * best + (1 - self.max_weight) * vectors @ proto)
        similarity = np.stack(columns, 1) if columns else np.zeros((len(texts), 0))
        return similarity, self._learned_probabilities(vectors, texts), semantic

    def _learned_probabilities(self, vectors: np.ndarray, texts: Sequence[str] = ()) -> np.ndarray:
        out = np.zeros((len(vectors), len(self.taxonomy.labels)))
        if self._learned is not None and len(vectors):
            model, cols = self._learned
            probs = self._read_by_sentence(model, model.probabilities(vectors), texts)
            known = cols >= 0
            # a taxonomy restricted to some labels: the model's mass over those classes only
            mass = probs[:, np.unique(cols[known])].sum(1, keepdims=True)
            out[:, known] = probs[:, cols[known]] / np.maximum(mass, 1e-12)
            out = with_base_rates(out, [label.base_rate for label in self.taxonomy.labels],
                                  self.taxonomy.base_rate_power)
        return out

    def _read_by_sentence(self, model: LabelModel, whole: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        """The model's probabilities for texts read whole, mixed with its mean reading of each text's
        first sentences embedded one by one (the taxonomy's ``sentences`` share; see the module docstring)."""
        share = self.taxonomy.sentence_share
        if share <= 0:
            return whole
        parts = [[s[:SENTENCE_CHARS] for s in sentences(t, SENTENCE_MIN_CHARS)[:SENTENCES_READ]] for t in texts]
        flat = [s for p in parts for s in p]
        if not flat:
            return whole
        read = model.probabilities(np.asarray(self.embedder.embed_query(flat)))
        out = whole.copy()
        at = 0
        for i, p in enumerate(parts):
            if p:
                out[i] = (1 - share) * whole[i] + share * read[at : at + len(p)].mean(0)
                at += len(p)
        return out

    def _filtered(self, texts: list[str]) -> list[str]:
        """The texts without what the taxonomy's evidence filters take out (e.g. a startup's own
        financing: the bank it writes to is no evidence of its industry)."""
        for name in self.taxonomy.evidence_filters:
            texts = [EVIDENCE_FILTERS[name](t) for t in texts]
        return texts

    def scores(self, texts: list[str]) -> np.ndarray:
        texts = self._filtered(texts)
        similarity, learned, semantic = self._semantic(texts)
        keywords = np.log1p(np.array([e.weight for e in self.evidence(texts)]))
        priors = np.array([label.prior for label in self.taxonomy.labels]) + self._era_priors()
        meaning = self._weight("semantic") * similarity + self._weight("learned") * learned
        return (semantic[:, None] * meaning + self.keyword_weight * keywords + priors[None, :]
                + self.marker_weight * self._markers(texts))

    def _weight(self, kind: str) -> float:
        """The classifier's own weight if given, else the taxonomy's, else the default."""
        for value in (getattr(self, f"{kind}_weight"), getattr(self.taxonomy, f"{kind}_weight")):
            if value is not None:
                return float(value)
        return SEMANTIC_WEIGHT if kind == "semantic" else LEARNED_WEIGHT

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
            probability: float = 0.5, corroborate: float = 0.2,
            statements: Sequence[str] | None = None) -> list[list[tuple[str, float]]]:
        """Every label with enough evidence, best first (possibly none) — for multi-label fields
        such as tech domains.

        A label is kept when the keyword confidence ``1 - exp(-E / 2)`` reaches ``threshold`` with at
        least ``min_hits`` distinct terms of it, or with fewer when the model's probability of the label
        reaches ``corroborate`` (one strong term the model does not dismiss: "公司专注于机器视觉芯片与边缘AI
        模组" is a chip firm), or when the model reads the text and
        the label's probability by meaning reaches ``probability``: the learned model's when there
        is one, else the softmax of the prototype similarities at ``temperature`` (a model's raw
        cosine levels differ, e5's are compressed near 0.8, so no absolute similarity is used).
        0.5: in a probe over the 13 tech domains, texts of no tech domain (a bakery, a law firm, a
        hot-pot chain) stayed below 0.4, a robotics firm got 0.83 and an LLM-agent firm 0.61.
        ``corroborate`` 0.2 was chosen on the tuning half of eval/data/tech_domains_probe.jsonl
        (`python -m eval.tech_domains_probe`): micro F1 0.739 without it, 0.772 / 0.798 / 0.802 / 0.804 at
        0.3 / 0.2 / 0.15 / 0.1, precision 0.878 → 0.872 at 0.2 and falling below it; held-out F1 0.688 → 0.757.
        The confidence reported is the larger of the two.

        ``statements``: per text, the sentence stating what the firm does ("" where none was found; the profile's
        `business` fact). The model reads the opening of a firm's documents, where a table of projects or figures
        can crowd out the one sentence that says what it makes; its probability of a label is then the larger of
        its readings of the opening and of that sentence alone (the evidence of terms is the whole text's)."""
        texts = self._filtered(texts)
        sims, learned, semantic = self._semantic(texts)
        if self._learned is None:
            learned = np.exp((sims - sims.max(1, keepdims=True)) / self.temperature)
            learned /= learned.sum(1, keepdims=True)
        given = list(statements or ())
        stated = [i for i, s in enumerate(given) if s.strip()]
        if stated and self._learned is not None:
            _, alone, _ = self._semantic([given[i] for i in stated])
            learned = learned.copy()
            learned[stated] = np.maximum(learned[stated], alone)
        out = []
        for evidence, row, reads in zip(self.evidence(texts), learned, semantic):
            tags = []
            for i, label in enumerate(self.taxonomy.labels):
                keyword_conf = 1.0 - math.exp(-evidence.weight[i] / 2.0)
                semantic_conf = float(row[i]) if reads else 0.0
                by_keywords = keyword_conf >= threshold and (len(evidence.terms[i]) >= min_hits
                                                             or semantic_conf >= corroborate)
                if by_keywords or semantic_conf >= probability:
                    tags.append((label.name, round(max(keyword_conf if by_keywords else 0.0, semantic_conf), 3)))
            out.append(sorted(tags, key=lambda t: -t[1]))
        return out


def label_groups(taxonomy: Taxonomy) -> dict[str, str]:
    """Label name → the name of its category (``same_as`` another label, else itself)."""
    return {label.name: label.same_as or label.name for label in taxonomy.labels}
