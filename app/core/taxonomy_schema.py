"""The file form of a taxonomy, checked by pydantic models that forbid unknown keys.

Two forms are read: ours (YAML, ``labels`` a mapping of name → label body or plain description,
optional ``boilerplate``) and the SPEC JSON form (``labels`` a list of names, optional
``descriptions``). A misspelt key (``keyword:`` for ``keywords:``) is an error that names the file
and the line of the key, not a silently ignored setting: the line comes from the YAML node marks
(JSON is read by the same composer when an error needs a line).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.core.errors import InputError

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
TAXONOMY_DIR = Path(__file__).resolve().parents[1] / "data" / "taxonomies"  # the shipped taxonomies


class LabelSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)

    description: str = ""
    examples: list[str] = []
    keywords: list[str] = []
    prior: float = 0.0
    weak_keywords: list[str] = []
    companies: list[str] = []
    same_as: str = ""
    era: str = ""
    markers: list[str] = []
    name_parts: list[str] = []
    base_rate: float | None = None  # the label's share of the firms the taxonomy is used on (0..1)
    zh: str = ""  # the label's name in a Chinese answer (an English label's), app/core/label_names.py


class Weights(BaseModel):
    """How much meaning counts for this taxonomy (see app.core.taxonomy), fitted on a dev set's
    tuning half; the classifier's defaults where absent."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    semantic: float | None = None
    learned: float | None = None
    base_rate_power: float | None = None  # how far the learned model's probabilities lean to the base rates
    sentences: float | None = Field(default=None, ge=0.0, le=1.0)  # the learned model's share read sentence by sentence


def _normalised(raw: dict[str, Any]) -> dict[str, Any]:
    """Both forms as one: a list of names becomes a mapping, a plain description a body. Keys and
    nesting are kept, so a validation error's location still points into the file."""
    labels = raw.get("labels")
    descriptions = raw.get("descriptions") or {}
    if isinstance(labels, list):
        desc = descriptions if isinstance(descriptions, dict) else {}
        labels = {str(n): {"description": str(desc.get(n, "") or "")} for n in labels}
    elif isinstance(labels, dict):
        labels = {str(n): b if isinstance(b, dict) else {"description": str(b or "")} for n, b in labels.items()}
    return {**raw, "labels": labels}


def _line(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """1-based line of the key (or item) that ``loc`` names inside a composed YAML document."""
    line = None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if str(k.value) == str(part)), None)
            if pair is None:
                return line
            line, node = pair[0].start_mark.line + 1, pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _composed(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return None


def _message(path: Path, text: str, exc: ValidationError) -> str:
    node = _composed(text)
    problems = []
    for error in exc.errors()[:5]:
        loc = tuple(error["loc"])
        line = _line(node, loc)
        where = f"{path.name}:{line}" if line else path.name
        what = "unknown key" if error["type"] == "extra_forbidden" else error["msg"]
        problems.append(f"{where}: {'.'.join(map(str, loc))}: {what}")
    return "; ".join(problems)


def read_taxonomy_file(path: Path) -> TaxonomySpec:
    """The validated content of a taxonomy file; InputError naming the file (and line) if not."""
    try:
        text = path.read_text(encoding="utf-8")
        raw = json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=_Loader)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"{path.name}: not a readable taxonomy ({exc})") from exc
    if not isinstance(raw, dict) or "labels" not in raw:
        raise InputError(f"{path.name}: a taxonomy needs 'field' and 'labels'")
    try:
        return TaxonomySpec.model_validate(_normalised(raw))
    except ValidationError as exc:
        raise InputError(_message(path, text, exc)) from exc


class TaxonomySpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)

    field: str = "industry"
    labels: dict[str, LabelSpec]
    descriptions: dict[str, str] = {}
    boilerplate: list[str] = []
    weights: Weights | None = None
    # named filters (app.core.evidence_filter) that take non-evidence out of a text before it is read
    evidence_filters: list[str] = []
