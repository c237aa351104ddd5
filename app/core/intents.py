"""The chat's intents as data (app/data/intents.yaml): per intent its route, program kind or profile
fields, bilingual exemplars the model classifies by, and keyword evidence for models that do not
read both languages. Loaded through pydantic with extra="forbid": a misspelt key or an unknown
field is a ConfigError naming the file and line.

app/data/intent_training.yaml holds further exemplars per intent (`training`) that only the classifier
fits on: the exemplars in intents.yaml also make the profile's vocabulary (asked_attribute.profile_
vocabulary), where more words would accept answers that do not hold the attribute asked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.core.errors import ConfigError
from app.core.fields import FIELDS, PROFILE_ONLY
from app.core.yaml_data import line_of, parse_yaml

INTENTS_FILE = Path(__file__).resolve().parents[1] / "data" / "intents.yaml"
TRAINING_FILE = Path(__file__).resolve().parents[1] / "data" / "intent_training.yaml"
PHRASINGS_FILE = Path(__file__).resolve().parents[1] / "data" / "profile_phrasings.yaml"
PROFILE_ONLY_FIELDS = frozenset({*PROFILE_ONLY, "investors"})  # facts no criterion tests (certificates held, identity …)
MIN_EXAMPLES = 8
Route = Literal["match", "profile", "retrieval"]
Kind = Literal["policy", "credit", "equity"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Examples(_Strict):
    en: list[str] = Field(min_length=1)
    zh: list[str] = Field(min_length=1)
    zh_hant: list[str] = Field(min_length=1)

    def all(self) -> list[str]:
        return [*self.en, *self.zh, *self.zh_hant]


class IntentIn(_Strict):
    name: str = Field(pattern=r"^[a-z_]+(?:\.[a-z_]+)?$")
    route: Route
    kind: Kind | None = None
    fields: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    examples: Examples

    @field_validator("fields")
    @classmethod
    def known_fields(cls, v: list[str]) -> list[str]:
        unknown = [f for f in v if f not in FIELDS and f not in PROFILE_ONLY_FIELDS]
        if unknown:
            raise ValueError(f"unknown profile fields {unknown}")
        return v

    @field_validator("keywords")
    @classmethod
    def compiles(cls, v: list[str]) -> list[str]:
        for pattern in v:
            _compile(pattern)
        return v

    @model_validator(mode="after")
    def consistent(self) -> IntentIn:
        if (self.route == "profile") != bool(self.fields):
            raise ValueError("a profile intent names its fields, and only a profile intent does")
        if self.kind is not None and self.route != "match":
            raise ValueError("only a match intent has a kind")
        if len(self.examples.all()) < MIN_EXAMPLES:
            raise ValueError(f"at least {MIN_EXAMPLES} examples, got {len(self.examples.all())}")
        return self


class Confidence(_Strict):
    route: float = Field(ge=0.0, le=1.0)
    kind: float = Field(ge=0.0, le=1.0)
    second_field: float = Field(ge=0.0, le=1.0)
    field: float = Field(default=0.0, ge=0.0, le=1.0)


class IntentsIn(_Strict):
    confidence: Confidence
    keyword_routes: dict[Literal["match", "profile"], list[str]]
    intents: list[IntentIn] = Field(min_length=2)

    @model_validator(mode="after")
    def unique(self) -> IntentsIn:
        names = [i.name for i in self.intents]
        if len(set(names)) != len(names):
            raise ValueError(f"duplicate intent names: {sorted({n for n in names if names.count(n) > 1})}")
        for patterns in self.keyword_routes.values():
            for p in patterns:
                _compile(p)
        return self


class TrainingIn(_Strict):
    """intent_training.yaml: intent name → extra exemplars (en, zh, zh_hant) for the classifier only."""
    training: dict[str, Examples]


class PhrasingsIn(_Strict):
    """profile_phrasings.yaml: profile intent name → more ways RMs ask for it (en, zh, zh_hant), read only
    by the attribute check's vocabulary of the fields answered."""
    phrasings: dict[str, Examples]


def _compile(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"bad regex {pattern!r}: {exc}") from exc


@dataclass(frozen=True)
class IntentSpec:
    name: str
    route: str
    kind: str | None
    fields: tuple[str, ...]
    keywords: tuple[str, ...]
    examples: tuple[str, ...]
    training: tuple[str, ...] = ()  # further exemplars the classifier fits on (never the profile vocabulary)


@dataclass(frozen=True)
class Intents:
    specs: tuple[IntentSpec, ...]
    route_confidence: float  # the least probability of the chosen route (below it: retrieval)
    kind_share: float        # the least share of the best match intent within the match route (below it: all kinds)
    second_field: float      # a second profile field group is answered at this fraction of the best one's probability
    keyword_routes: dict[str, tuple[str, ...]]
    field_share: float = 0.0  # the least share of the best profile field group within the profile route (below it:
    #                           about the client, but no field group clearly asked: retrieval, as client_other)

    def spec(self, name: str) -> IntentSpec:
        return next(s for s in self.specs if s.name == name)


def parse_training(text: str, intents: IntentsIn, source: str = "intent_training.yaml") -> dict[str, tuple[str, ...]]:
    """The training file's exemplars per intent; an intent intents.yaml lacks, or an exemplar it already
    has, is a ConfigError naming this file and line."""
    parsed = parse_yaml(text, TrainingIn, source)
    root = yaml.compose(text)
    keys = {k.value: k.start_mark.line + 1 for k, _ in _node(root, "training").value}
    names = {i.name for i in intents.intents}
    own = {t for i in intents.intents for t in i.examples.all()}
    for name, examples in parsed.training.items():
        where = f"{source}:{keys.get(name, line_of(root, ('training',)))}: training.{name}"
        if name not in names:
            raise ConfigError(f"{where}: no intent {name!r} in intents.yaml")
        copied = [t for t in examples.all() if t in own]
        if copied:
            raise ConfigError(f"{where}: exemplars already in intents.yaml: {copied}")
    return {name: tuple(examples.all()) for name, examples in parsed.training.items()}


def _node(root: yaml.Node, key: str) -> yaml.MappingNode:
    return next(v for k, v in root.value if k.value == key)


def parse_intents(text: str, source: str = "intents.yaml", training: str | None = None,
                  training_source: str = "intent_training.yaml") -> Intents:
    parsed = parse_yaml(text, IntentsIn, source)
    m = parsed.confidence
    extra = parse_training(training, parsed, training_source) if training is not None else {}
    specs = tuple(IntentSpec(i.name, i.route, i.kind, tuple(i.fields), tuple(i.keywords), tuple(i.examples.all()),
                             extra.get(i.name, ()))
                  for i in parsed.intents)
    return Intents(specs, m.route, m.kind, m.second_field, {k: tuple(v) for k, v in parsed.keyword_routes.items()},
                   m.field)


@lru_cache(maxsize=4)
def load_intents(path: Path = INTENTS_FILE, training: Path | None = TRAINING_FILE) -> Intents:
    """The intents of `path` with the classifier's further exemplars from `training` (None: none)."""
    return parse_intents(path.read_text(encoding="utf-8"), path.name,
                         training.read_text(encoding="utf-8") if training is not None else None,
                         training.name if training is not None else "intent_training.yaml")



def parse_phrasings(text: str, intents: Intents, source: str = "profile_phrasings.yaml") -> dict[str, tuple[str, ...]]:
    """The phrasings per profile intent; a name that is no profile intent is a ConfigError naming the file and line."""
    parsed = parse_yaml(text, PhrasingsIn, source)
    root = yaml.compose(text)
    keys = {k.value: k.start_mark.line + 1 for k, _ in _node(root, "phrasings").value}
    profile = {s.name for s in intents.specs if s.route == "profile"}
    for name in parsed.phrasings:
        if name not in profile:
            raise ConfigError(f"{source}:{keys.get(name, 1)}: phrasings.{name}: no profile intent {name!r} in intents.yaml")
    return {name: tuple(examples.all()) for name, examples in parsed.phrasings.items()}


@lru_cache(maxsize=4)
def load_phrasings(path: Path = PHRASINGS_FILE) -> dict[str, tuple[str, ...]]:
    return parse_phrasings(path.read_text(encoding="utf-8"), load_intents(), path.name)
