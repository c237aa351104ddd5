"""Enterprise profiles over the knowledge base: built from an enterprise's ingested documents
(plus any text a caller adds), stored per tenant, read back only by that tenant (or an admin)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.adapters.profiles import ProfileStore
from app.adapters.vector_cache import VectorCache, cache_name
from app.core.enterprise_facts import descriptive_text, document_facts, source_type, text_facts
from app.core.errors import Forbidden, InputError, NotFound
from app.core.profile_json import profile_row
from app.core.profiler import INDUSTRY_DEFAULT, TECH_DOMAINS, ProfileInput, Profiler
from app.core.taxonomy import TaxonomyClassifier, load_taxonomy
from app.core.types import Fact, Principal
from app.wiring import Deps


@dataclass
class Enterprises:
    deps: Deps
    _profiler: Profiler | None = field(default=None, repr=False)

    @property
    def store(self) -> ProfileStore:
        return self.deps.profiles

    def profiler(self) -> Profiler:
        if self._profiler is None:
            embedder = self.deps.memo_embedder  # industry, tech domains and the matcher read the same texts
            cache = VectorCache(self.deps.settings.cache_path / cache_name("taxonomy_vectors", embedder.model_id))

            def label_vectors(texts: list[str]) -> np.ndarray:  # encoded once per model, read at each start
                return cache.vectors(texts, self.deps.embedder.embed_query)

            industry = TaxonomyClassifier(load_taxonomy(INDUSTRY_DEFAULT), embedder, label_vectors=label_vectors)
            tech = (TaxonomyClassifier(load_taxonomy(TECH_DOMAINS), embedder, label_vectors=label_vectors)
                    if TECH_DOMAINS.exists() else None)
            self._profiler = Profiler(industry, tech)
        return self._profiler

    def warm_up(self) -> None:
        """The classifiers' label vectors, computed before traffic rather than by the first request."""
        profiler = self.profiler()
        for classifier in (profiler.industry, profiler.tech_domains):
            if classifier is not None:
                classifier.warm_up()

    def refresh(self, tenant: str, enterprise_id: str, name: str = "", text: str = "") -> dict[str, Any]:
        """Re-profile an enterprise from all its indexed documents (and `text`), store and return it."""
        facts: list[Fact] = []
        texts: list[tuple[str, str]] = []  # (source type, text)
        for doc_id, title, source, pages in self.deps.kb.store.enterprise_pages(tenant, enterprise_id):
            facts += document_facts(doc_id, title, source, pages, self.deps.injection)
            body = "\n".join(pages[p] for p in sorted(pages))
            texts.append((source_type(title, source, body), body))
        if text:
            facts += text_facts(text, detector=self.deps.injection)
            texts.append(("text", text))
        if not texts:
            raise NotFound(f"enterprise {enterprise_id!r} has no documents and no text was given")
        old = self.store.get(tenant, enterprise_id) or {}
        row = self._row(ProfileInput(enterprise_id, tuple(facts), descriptive_text(texts), name or str(old.get("name") or "")))
        self.store.save(tenant, row)
        return row

    def from_text(self, text: str, name: str = "", enterprise_id: str = "") -> dict[str, Any]:
        """A profile of free text alone, not stored."""
        if not text.strip():
            raise InputError("give 'text', files, or an 'enterprise_id' with ingested documents")
        return self._row(ProfileInput(enterprise_id or "adhoc", tuple(text_facts(text, detector=self.deps.injection)), text, name))

    def get(self, principal: Principal, enterprise_id: str, tenant: str | None = None) -> dict[str, Any]:
        if tenant and tenant != principal.tenant and not principal.is_admin:
            raise Forbidden("only admins may read another tenant's enterprises")
        row = self.store.get(tenant or principal.tenant, enterprise_id)
        if row is None:
            raise NotFound(f"no profile for enterprise {enterprise_id!r}")
        return row

    def _row(self, item: ProfileInput) -> dict[str, Any]:
        return profile_row(self.profiler().profile(item))

