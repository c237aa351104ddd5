"""Program catalogs as a bank maintains them (YAML, JSON or CSV), validated whole or not at all.

Every problem names the file, the line and what is wrong; one bad entry rejects the file, so a
catalog is never half-loaded. Criteria may be written out, or extracted from the program text.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from app.core.criteria import extract
from app.core.errors import InputError
from app.core.fields import FIELDS, allowed_units, unit_fits
from app.core.types import Criterion, Program


class CriterionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    field: str
    op: Literal[">=", "<=", ">", "<", "==", "in", "not_in", "contains", "exists", "any_of"]
    value: float | str | list[str] | None = None
    unit: str = ""
    hard: bool = True
    source_text: str = ""
    window_years: float | None = None
    when: list[CriterionIn] = Field(default_factory=list)
    options: list[CriterionIn] = Field(default_factory=list)

    @model_validator(mode="after")
    def check(self) -> CriterionIn:
        if self.field not in FIELDS:
            raise ValueError(f"unknown field {self.field!r}")
        if not unit_fits(self.field, self.unit):
            raise ValueError(f"unit {self.unit!r} does not fit field {self.field!r} (allowed: {allowed_units(self.field)})")
        if self.op in (">=", "<=", ">", "<") and not isinstance(self.value, (int, float)):
            raise ValueError(f"op {self.op} needs a number, got {self.value!r}")
        if self.op == "any_of" and not self.options:
            raise ValueError("op any_of needs options")
        return self

    def to_domain(self) -> Criterion:
        value = tuple(self.value) if isinstance(self.value, list) else self.value
        return Criterion(field=self.field, op=self.op, value=value, unit=self.unit, hard=self.hard,
                         source_text=self.source_text, window_years=self.window_years, extractor="catalog",
                         when=tuple(w.to_domain() for w in self.when), options=tuple(o.to_domain() for o in self.options))


class ProgramIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(..., pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{1,100}$")
    kind: Literal["policy", "credit", "equity"]
    title: str = Field(..., min_length=2)
    issuer: str = ""
    jurisdiction: list[str] = Field(default_factory=list)
    valid_from: date | None = None
    valid_to: date | None = None
    benefits: dict[str, Any] = Field(default_factory=dict)
    criteria: list[CriterionIn] | None = None
    tags: list[str] = Field(default_factory=list)
    text: str = ""
    supersedes: str | None = None
    label: str | None = None
    aliases: list[str] = Field(default_factory=list, description="other names: the title in the other language, "
                               "short names; a question may name the program by any of them")

    @field_validator("jurisdiction", mode="before")
    @classmethod
    def split_path(cls, v: Any) -> Any:
        return [p.strip() for p in v.split(">")] if isinstance(v, str) else v

    @model_validator(mode="after")
    def check(self) -> ProgramIn:
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            raise ValueError(f"valid_from {self.valid_from} is after valid_to {self.valid_to}")
        _check_ranges(self.criteria or [])
        if self.criteria is None and not self.text:
            raise ValueError("a program needs criteria or a text to extract them from")
        return self


def _check_ranges(criteria: list[CriterionIn]) -> None:
    lows = {c.field: c.value for c in criteria if c.op in (">=", ">") and not c.when}
    for c in criteria:
        low = lows.get(c.field)
        numeric = isinstance(low, (int, float)) and isinstance(c.value, (int, float))
        if c.op in ("<=", "<") and not c.when and numeric and low > c.value:  # type: ignore[operator]
            raise ValueError(f"range on {c.field}: min {low:g} > max {c.value:g}")


def _to_program(p: ProgramIn, source: dict[str, object]) -> Program:
    criteria = tuple(c.to_domain() for c in p.criteria) if p.criteria is not None else tuple(extract(p.text))
    if p.criteria is not None:
        where = f"{source['file']}:{source['line']}"
        criteria = tuple(replace(c, source_text=c.source_text or where) for c in criteria)
    return Program(id=p.id, kind=p.kind, title=p.title, issuer=p.issuer, jurisdiction=tuple(p.jurisdiction),
                   valid_from=p.valid_from.isoformat() if p.valid_from else None,
                   valid_to=p.valid_to.isoformat() if p.valid_to else None, benefits=p.benefits, criteria=criteria,
                   tags=tuple(p.tags), text=p.text, source=source, supersedes=p.supersedes, label=p.label,
                   aliases=tuple(a.strip() for a in p.aliases if a.strip()))


def _yaml_items(text: str, name: str) -> list[tuple[int, Any, Any]]:
    """(line, data, node) per program; JSON goes through the YAML parser to keep line numbers."""
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        raise InputError(f"{name}:{line}: malformed catalog: {getattr(exc, 'problem', exc)}") from exc
    if isinstance(data, dict) and "programs" in data:
        data = data["programs"]
        root = next(v for k, v in root.value if k.value == "programs")
    if not isinstance(data, list):
        raise InputError(f"{name}:1: a catalog is a list of programs (or {{programs: [...]}})")
    return [(node.start_mark.line + 1, item, node) for item, node in zip(data, root.value)]


def _line_of(node: Any, loc: tuple[Any, ...], default: int) -> int:
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
        if node is None:
            return default
    return int(node.start_mark.line) + 1 if node is not None else default


def _csv_items(text: str) -> list[tuple[int, Any, Any]]:
    rows = list(csv.DictReader(io.StringIO(text)))
    out = []
    for i, row in enumerate(rows):
        item: dict[str, Any] = {k: v for k, v in row.items() if v not in (None, "")}
        for key in ("tags",):
            if key in item:
                item[key] = [t.strip() for t in item[key].split("|")]
        if "benefits" in item:
            item["benefits"] = json.loads(item["benefits"])
        out.append((i + 2, item, None))
    return out


def load_catalog(path: Path) -> list[Program]:
    text = path.read_text(encoding="utf-8-sig")
    items = _csv_items(text) if path.suffix.lower() == ".csv" else _yaml_items(text, path.name)
    programs, problems, seen = [], [], set()
    for line, item, node in items:
        try:
            parsed = ProgramIn.model_validate(item)
        except ValidationError as exc:
            for err in exc.errors():
                where = _line_of(node, err["loc"], line) if node is not None else line
                field = ".".join(str(p) for p in err["loc"])
                problems.append(f"{path.name}:{where}: {field + ': ' if field else ''}{err['msg']}")
            continue
        if parsed.id in seen:
            problems.append(f"{path.name}:{line}: duplicate program id {parsed.id!r}")
        seen.add(parsed.id)
        programs.append(_to_program(parsed, {"file": path.name, "line": line}))
    if problems:
        raise InputError("; ".join(problems))
    return programs


