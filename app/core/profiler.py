"""One enterprise's profile from its facts and texts: rule facts, then the model labels.

The industry (one label of a taxonomy, with runners-up) and the tech domains (any number of
labels) are facts too, with method `model`; they are classified in batches because embedding is
the expensive step. The name comes from the caller, else from the first company name the
documents state.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from app.core.label_names import label_text
from app.core.profile import EnterpriseProfile, build_profile
from app.core.taxonomy import TAXONOMY_DIR, TaxonomyClassifier
from app.core.types import Fact

INDUSTRY_DEFAULT = TAXONOMY_DIR / "startup_industry.yaml"
TECH_DOMAINS = TAXONOMY_DIR / "tech_domains.yaml"
CLASSIFY_CHARS = 4000  # the classifier reads the opening of the documents (the model window is shorter still)


@dataclass(frozen=True)
class ProfileInput:
    enterprise_id: str
    facts: tuple[Fact, ...]
    text: str  # what the classifiers read: the texts of the enterprise's documents, joined
    name: str = ""
    failed_files: tuple[str, ...] = ()  # "file: reason" for each document that could not be read


@dataclass
class Profiler:
    industry: TaxonomyClassifier | None = None
    tech_domains: TaxonomyClassifier | None = None
    today: date | None = None

    def profile(self, item: ProfileInput) -> EnterpriseProfile:
        return self.profile_many([item])[0]

    def profile_many(self, items: Sequence[ProfileInput]) -> list[EnterpriseProfile]:
        texts = [i.text[:CLASSIFY_CHARS] for i in items]
        labels: list[list[Fact]] = [[] for _ in items]
        if self.industry is not None and items:
            field = self.industry.taxonomy.field
            for facts, c in zip(labels, self.industry.classify(texts)):
                facts.append(Fact(field=field, value=c.label, confidence=c.confidence, method="model",
                                  quote=f"{field}: {_both_names(c.label)}", alternatives=c.runners_up, source_type="model"))
        if self.tech_domains is not None and items:
            # the sentence stating what the firm does, read alone too: its documents' opening may be a table of projects
            statements = ["\n".join(str(f.value) for f in i.facts if f.field == "business") for i in items]
            for facts, tags in zip(labels, self.tech_domains.tag(texts, statements=statements)):
                facts.extend(Fact(field="tech_domains", value=label, confidence=conf, method="model",
                                  quote=f"tech domain: {_both_names(label)}", source_type="model") for label, conf in tags)
        return [self._build(item, extra) for item, extra in zip(items, labels)]

    def _build(self, item: ProfileInput, labels: list[Fact]) -> EnterpriseProfile:
        profile = build_profile(item.enterprise_id, [*item.facts, *labels], today=self.today)
        name = item.name or str(profile.value("company_name") or "")
        return EnterpriseProfile(profile.enterprise_id, name, profile.fields)


def _both_names(label: str) -> str:
    """A label with its Chinese name beside it ("Semiconductors (半导体)"), so the cited reading says what either answer says."""
    chinese = label_text(label, "zh")
    return label if chinese == label else f"{label} ({chinese})"
