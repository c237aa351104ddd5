"""Matching over the catalog: the programs and a relevance index per scope of visible tenants,
built once per catalog version; program vectors cached on disk by content hash, so only new or changed programs are
ever embedded; the firm's profile and text from an enterprise id, a profile or free text."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from app.adapters.program_index import IndexWeights, ProgramIndex, embed_long
from app.adapters.programs import ProgramQuery
from app.adapters.vector_cache import VectorCache, cache_name
from app.core.errors import InputError, LlmError
from app.core.match import LabelModel, Matcher, MatchResult
from app.core.match_input import normalise_overrides, normalise_profile
from app.core.match_text import language
from app.core.profile import EnterpriseProfile
from app.core.profile_json import profile_from_json
from app.core.program_dedup import dedupe
from app.core.prompts import load_prompt
from app.core.retrieve import allowed_tenants
from app.core.taxonomy import TaxonomyClassifier, shipped_taxonomy_for
from app.core.types import PUBLIC_TENANT, Principal, Program
from app.enterprises import Enterprises
from app.wiring import Deps, dense_weight_cjk

logger = logging.getLogger(__name__)
TEXT_CHARS = 6000  # the firm's text the relevance index reads
CACHED_SCOPES = 16  # relevance indexes kept per catalog version (one per set of tenants with programs of their own)


def program_text(p: Program) -> str:
    return "\n".join(x for x in (p.title, p.issuer, " ".join(p.tags), p.text) if x)


def vector_cache_name(model_id: str) -> str:
    """One cache file per embedding model: vectors of two models never mix."""
    return cache_name("program_vectors", model_id)


@dataclass(frozen=True)
class Scope:
    """The catalog as one set of tenants sees it. The relevance index (BM25 statistics, the
    rescaling floor and best) and the label model are built from these programs only, so another
    tenant's private program moves no score and no rank."""

    programs: list[Program]
    index: ProgramIndex
    label_model: LabelModel | None


@dataclass(frozen=True)
class Catalog:
    """One version of the whole catalog: the programs and their vectors, shared by every tenant,
    and a relevance index per scope of visible tenants, built on first use."""

    version: str
    programs: list[Program]
    vectors: np.ndarray  # one row per program
    build_scope: Callable[[list[Program], np.ndarray], Scope] = field(repr=False)
    _scopes: dict[frozenset[str], Scope] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def scope(self, principal: Principal | None) -> Scope:
        """The programs this principal may see by the retriever's rule (public and its own tenant;
        admins all; None: public only), with their own index. Scopes holding the same programs
        share one (a bank without programs of its own sees the public scope)."""
        allowed = allowed_tenants(principal) if principal is not None else {PUBLIC_TENANT}
        rows = [i for i, p in enumerate(self.programs) if allowed is None or p.tenant in allowed]
        key = frozenset(self.programs[i].tenant for i in rows) | {PUBLIC_TENANT}
        with self._lock:
            scope = self._scopes.pop(key, None) or self.build_scope([self.programs[i] for i in rows], self.vectors[rows])
            self._scopes[key] = scope  # most recently used last
            if len(self._scopes) > CACHED_SCOPES:
                del self._scopes[next(iter(self._scopes))]
            return scope


@dataclass
class Matching:
    deps: Deps
    enterprises: Enterprises
    _built: Catalog | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def catalog(self) -> Catalog:
        """The current catalog, its public scope built (the one most callers see)."""
        version = self.deps.programs.version()
        with self._lock:
            if self._built is None or self._built.version != version:
                programs = dedupe(self.deps.programs.list(ProgramQuery(limit=1_000_000)))  # one program, all its sources
                weights = self._weights()
                texts = [program_text(p) for p in programs]
                cache = VectorCache(self.deps.settings.cache_path / vector_cache_name(self.deps.embedder.model_id))
                vectors = cache.vectors(texts, lambda ts: embed_long(ts, self.deps.embedder, weights))
                self._built = Catalog(version, programs, vectors, self._scope_builder(weights))
                self._built.scope(None)
            return self._built

    def _weights(self) -> IndexWeights:
        return IndexWeights(dense_cjk=dense_weight_cjk(self.deps.settings, self.deps.embedder, IndexWeights.dense))

    def _scope_builder(self, weights: IndexWeights) -> Callable[[list[Program], np.ndarray], Scope]:
        label_models: dict[tuple[str, ...], LabelModel | None] = {}  # per catalog version, by visible labels

        def build(programs: list[Program], vectors: np.ndarray) -> Scope:
            # queries through the memo: a short firm text is the window the profiler's classifiers embedded
            index = ProgramIndex.build([(p.id, program_text(p)) for p in programs], self.deps.memo_embedder,
                                       weights=weights, vectors=vectors if programs else None)
            labels = tuple(sorted({p.label for p in programs if p.label}))
            if labels not in label_models:
                label_models[labels] = self._label_model(list(labels))
            return Scope(programs, index, label_models[labels])

        return build

    def _label_model(self, labels: list[str]) -> LabelModel | None:
        """A classifier of the firm's text over the catalog's labels, when a shipped taxonomy
        describes them (e.g. the US SBIR agencies); None otherwise."""
        taxonomy = shipped_taxonomy_for(labels) if len(labels) >= 2 else None
        if taxonomy is None:
            return None
        classifier = TaxonomyClassifier(taxonomy, self.deps.memo_embedder)  # the profiler read the text already
        classifier.warm_up()  # label vectors now, with the catalog, not in the first request

        def probabilities(text: str) -> dict[str, float]:
            row = classifier.scores([text])[0]
            p = np.exp((row - row.max()) / classifier.temperature)
            return dict(zip(taxonomy.names, (p / p.sum()).tolist()))

        return probabilities

    def matcher(self, today: date | None = None, principal: Principal | None = None) -> Matcher:
        """A matcher over the programs `principal` may see (None: the public ones), ranked by an
        index of those programs alone."""
        s = self.catalog().scope(principal)
        return Matcher(s.programs, lambda text: s.index.query(text).top(s.index.size), today or date.today(),
                       label_model=s.label_model)

    def firm(self, principal: Principal, enterprise_id: str | None = None, profile: dict[str, Any] | None = None,
             text: str | None = None) -> tuple[EnterpriseProfile, str]:
        """The profile and the text to match, from exactly one of the three inputs."""
        given = [x for x in (enterprise_id, profile, text) if x]
        if len(given) != 1:
            raise InputError("give exactly one of 'enterprise_id', 'profile' or 'text'")
        if enterprise_id:
            row = self.enterprises.get(principal, enterprise_id)
            pages = self.deps.kb.store.enterprise_pages(principal.tenant, enterprise_id)
            body = "\n".join(t for _, _, _, ps in pages for _, t in sorted(ps.items()))
            return profile_from_json(row), body[:TEXT_CHARS] or _describe(row)
        if profile is not None:
            return profile_from_json(profile), str(profile.get("text") or "") or _describe(profile)
        assert text is not None
        row = self.enterprises.from_text(text)
        return profile_from_json(row), text[:TEXT_CHARS]

    def summaries(self, result: MatchResult, limit: int = 5) -> dict[str, dict[str, str]]:
        """With an LLM configured: a fluent summary of each of the first matches, written from the
        verdicts only (prompts/match_summary.yaml). The verdicts stay the source of truth; when the
        endpoint fails, the grounded status line stands in and the error is said."""
        chat = self.deps.chat
        if chat is None:
            return {}
        prompt = load_prompt("match_summary")
        out: dict[str, dict[str, str]] = {}
        failure = ""
        for m in result.matches[:limit]:
            lines = m.explanation.splitlines()
            if not failure:
                system, user = prompt.render(program=f"{m.program.title} ({m.program.issuer})".strip(), status=m.status,
                                             verdicts="\n".join(lines[1:]), questions="\n".join(m.questions),
                                             language=language(m.program))
                try:
                    out[m.program.id] = {"text": chat.complete(system, user).strip(), "source": chat.name}
                    continue
                except LlmError as exc:
                    failure = str(exc)  # one failure is enough: the rest fall back without waiting again
                    logger.warning("match summary falls back to grounded: %s", failure)
            out[m.program.id] = {"text": lines[0] if lines else m.status, "source": "grounded", "error": failure}
        return out

    def match(self, principal: Principal, *, enterprise_id: str | None = None, profile: dict[str, Any] | None = None,
              text: str | None = None, kinds: list[str] | None = None, k: int = 10,
              overrides: dict[str, Any] | None = None, today: date | None = None) -> MatchResult:
        firm, body = self.firm(principal, enterprise_id, profile, text)
        day = today or date.today()
        if profile is not None:  # written by the caller: read each value by its field's kind (422 if unreadable)
            firm = normalise_profile(firm, day)
        wanted = normalise_overrides(overrides, day) if overrides else None
        return self.matcher(today, principal).match(firm, body, kinds, k, wanted)


def _describe(row: dict[str, Any]) -> str:
    """A text for relevance when only a profile is given: its name, labels and quoted evidence."""
    fields = row.get("fields") or {}
    parts = [str(row.get("name") or "")]
    for name in ("industry", "tech_domains"):
        value = (fields.get(name) or {}).get("value") if isinstance(fields.get(name), dict) else fields.get(name)
        if value:
            parts.append(" ".join(map(str, value)) if isinstance(value, list) else str(value))
    parts += [str(f.get("quote") or "") for f in fields.values() if isinstance(f, dict)]
    return " ".join(p for p in parts if p)



