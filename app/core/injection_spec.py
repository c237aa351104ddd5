"""The injection detector's data (app/data/injection.yaml): structural cues, the gate that decides
which sentences the model reads, labelled exemplars and the model's threshold. Loaded through
pydantic with extra="forbid"; every pattern must compile."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.core.yaml_data import parse_yaml

INJECTION_FILE = Path(__file__).resolve().parents[1] / "data" / "injection.yaml"
FLAGS = re.IGNORECASE | re.MULTILINE


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _compiles(patterns: list[str]) -> list[str]:
    for p in patterns:
        try:
            re.compile(p, FLAGS)
        except re.error as exc:
            raise ValueError(f"pattern {p!r} does not compile: {exc}") from exc
    return patterns


class CuesIn(_Strict):
    override: list[str] = Field(min_length=1)
    role: list[str] = Field(min_length=1)
    address: list[str] = Field(min_length=1)
    link: list[str] = Field(min_length=1)

    _check = field_validator("override", "role", "address", "link")(_compiles)


class Bilingual(_Strict):
    en: list[str] = Field(min_length=4)
    zh: list[str] = Field(min_length=4)


class ExamplesIn(_Strict):
    injection: Bilingual
    benign: Bilingual


class InjectionIn(_Strict):
    threshold: float = Field(gt=0, lt=1)
    cues: CuesIn
    gate: list[str] = Field(min_length=1)
    examples: ExamplesIn

    _check = field_validator("gate")(_compiles)


@dataclass(frozen=True)
class InjectionSpec:
    threshold: float
    cues: tuple[tuple[str, re.Pattern[str]], ...]  # (kind, pattern)
    gate: tuple[re.Pattern[str], ...]
    injection: tuple[str, ...]
    benign: tuple[str, ...]


def parse_injection(text: str, source: str = "injection.yaml") -> InjectionSpec:
    raw = parse_yaml(text, InjectionIn, source)
    cues = tuple((kind, re.compile(p, FLAGS)) for kind in ("override", "role", "address", "link")
                 for p in getattr(raw.cues, kind))
    ex = raw.examples
    return InjectionSpec(raw.threshold, cues, tuple(re.compile(p, FLAGS) for p in raw.gate),
                         (*ex.injection.en, *ex.injection.zh), (*ex.benign.en, *ex.benign.zh))


@lru_cache(maxsize=4)
def load_injection(path: Path = INJECTION_FILE) -> InjectionSpec:
    return parse_injection(path.read_text(encoding="utf-8"), path.name)
