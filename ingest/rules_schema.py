"""The file form of the cleaning rules, checked by pydantic models that forbid unknown keys.

A misspelt key (``exmaples:``) or a pattern that does not compile is an error naming the file and
line, not a silently ignored setting (the same reading as app/core/taxonomy_schema.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from app.core.errors import InputError
from app.core.taxonomy_schema import _message

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
M = TypeVar("M", bound=BaseModel)


class RuleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    re: str
    eg: list[str] = Field(min_length=1)  # lines the rule must remove, in either script
    scope: Literal["short", "any"] = "short"

    @field_validator("re")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a regular expression ({exc})") from exc
        return value


class BoilerplateSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[2]
    max_chars: int = Field(gt=0)
    rules: dict[str, list[RuleSpec]]


class SpamSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1]
    kinds: dict[str, list[str]]


def read_rules_file(path: Path, model: type[M]) -> M:
    """The validated content of a rules file; InputError naming the file (and line) if not."""
    try:
        text = path.read_text(encoding="utf-8")
        raw = yaml.load(text, Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"{path.name}: not a readable rules file ({exc})") from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise InputError(_message(path, text, exc)) from exc
