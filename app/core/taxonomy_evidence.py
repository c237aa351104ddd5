"""Keyword evidence E(label) for the taxonomy classifier (the formula is in ``app.core.taxonomy``):
every term of the taxonomy found in a text, weighed by its specificity, where it stands and whose
name it is."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core.taxonomy_terms import TermFinder
from app.core.taxonomy_zh import Subject, business_spans, lead_end, question_spans, subject
from app.core.textnorm import index_form

if TYPE_CHECKING:
    from app.core.taxonomy import Taxonomy


@dataclass(frozen=True)
class Spans:
    """Where a text's parts stand: the lead ends at ``lead``; business descriptions; investors'
    questions."""

    lead: int
    business: list[tuple[int, int]]
    questions: list[tuple[int, int]]

    @classmethod
    def of(cls, norm: str) -> Spans:
        return cls(lead_end(norm), business_spans(norm), question_spans(norm))


def _position(start: int, spans: Spans, weights: Weights) -> float:
    """pos(o): the weight of an occurrence by where it stands (module docstring)."""
    if any(a <= start < b for a, b in spans.questions):
        return weights.question
    factor = weights.lead if start < spans.lead else 1.0
    if any(a <= start < b for a, b in spans.business):
        factor = max(factor, weights.business)
    return factor


@dataclass(frozen=True)
class Weights:
    """The factors of pos(o) and role(o) (module docstring)."""

    lead: float = 2.0
    business: float = 3.0
    subject: float = 2.0
    passing: float = 1.0
    name: float = 1.0  # g of a part of an unlisted subject's name
    question: float = 0.5  # pos(o) inside an investor's question


@dataclass(frozen=True)
class Evidence:
    """Weighted keyword evidence per label and the distinct terms behind it."""

    weight: tuple[float, ...]
    terms: tuple[tuple[str, ...], ...]


def unhyphenated(text: str) -> str:
    """A hyphen between two letters or digits read as a space ("machine-learning", "ai-powered"), so a term
    matches in either spelling; the text keeps its length (offsets stay)."""
    return _JOINING_HYPHEN.sub(" ", text)


_JOINING_HYPHEN = re.compile(r"(?<=[a-z0-9])-(?=[a-z0-9])")


def _idf(owners: int, n_groups: int) -> float:
    """spec(t): 1 when one label group owns the term, falling as more do (module docstring)."""
    return math.log1p(n_groups / owners) / math.log1p(n_groups) if n_groups > 1 else 1.0


class Vocabulary:
    """All terms of a taxonomy in one longest-match finder, with each term's per-label weight
    g(t, label) * spec(t); the labels' name parts likewise, apart."""

    def __init__(self, taxonomy: Taxonomy, weak_weight: float, company_weight: float) -> None:
        self.size = len(taxonomy.labels)
        names = set(taxonomy.names)
        groups = [label.same_as if label.same_as in names else label.name for label in taxonomy.labels]
        listed: dict[str, dict[int, float]] = {}
        owners: dict[str, set[str]] = {}
        parts: dict[str, set[int]] = {}
        part_owners: dict[str, set[str]] = {}
        self.companies = frozenset(unhyphenated(index_form(c).strip()) for label in taxonomy.labels
                                   for c in label.companies) - {""}
        for i, (label, group) in enumerate(zip(taxonomy.labels, groups)):
            for terms, g in ((label.keywords, 1.0), (label.weak_keywords, weak_weight), (label.companies, company_weight)):
                for term in terms:
                    key = unhyphenated(index_form(term).strip())
                    if key:
                        slot = listed.setdefault(key, {})
                        slot[i] = max(slot.get(i, 0.0), g)
                        owners.setdefault(key, set()).add(group)
            for part in filter(None, (unhyphenated(index_form(p).strip()) for p in label.name_parts)):
                parts.setdefault(part, set()).add(i)
                part_owners.setdefault(part, set()).add(group)
        n_groups = len(set(groups))
        self.weights = {term: {i: g * _idf(len(owners[term]), n_groups) for i, g in slot.items()}
                        for term, slot in listed.items()}
        self.part_weights = {part: {i: _idf(len(part_owners[part]), n_groups) for i in slot}
                             for part, slot in parts.items()}
        self.terms = TermFinder(self.weights)
        self.parts = TermFinder(self.part_weights)
        self.boilerplate = re.compile("|".join(f"(?:{p})" for p in taxonomy.boilerplate)) if taxonomy.boilerplate else None

    def evidence(self, text: str, weights: Weights) -> Evidence:
        raw = index_form(text)
        spans = Spans.of(raw)
        # blank, keeping offsets, so the lead stays where it was
        masked = self.boilerplate.sub(lambda m: " " * len(m.group()), raw) if self.boilerplate is not None else raw
        # terms are found with "machine-learning" read as "machine learning"; the subject keeps its hyphens,
        # which stock codes carry ("长城汽车(02333-HK)")
        found = self.terms.find(unhyphenated(masked))
        about = subject(raw, masked, found, spans.lead, self.companies)
        weight = [0.0] * self.size
        terms: list[list[str]] = [[] for _ in range(self.size)]
        for start, term, table, factor in self._occurrences(found, about, spans, weights):
            for i, w in table[term].items():
                weight[i] += w * factor
                if term not in terms[i]:
                    terms[i].append(term)
        return Evidence(tuple(weight), tuple(tuple(t) for t in terms))

    def _occurrences(self, found: list[tuple[int, str]], about: Subject, spans: Spans, weights: Weights
                     ) -> Iterator[tuple[int, str, dict[str, dict[int, float]], float]]:
        """(where, term, its weight table, pos * role) for every term found, then for the parts
        of an unlisted subject's name."""
        for start, term in found:
            yield start, term, self.weights, _position(start, spans, weights) * self._role(term, about.name, weights)
        if about.name and not about.listed and self.parts:
            factor = weights.name * (_position(about.start, spans, weights) if about.start >= 0 else 1.0)
            for start, part in self.parts.find(about.name):
                yield about.start + start, part, self.part_weights, factor

    def subject(self, norm: str, found: list[tuple[int, str]], lead: int) -> str:
        """The name of the company the text is about (``app.core.taxonomy_zh.subject``); "" when
        there is none."""
        masked = self.boilerplate.sub(lambda m: " " * len(m.group()), norm) if self.boilerplate is not None else norm
        return subject(norm, masked, found, lead, self.companies).name

    def _role(self, term: str, subject: str, weights: Weights) -> float:
        if not subject or term not in self.companies:
            return 1.0
        return weights.subject if term == subject else weights.passing
