"""Data files that steer behaviour, read through a pydantic model: a malformed file, a misspelt
key or a bad value is a ConfigError naming the file and line."""

from __future__ import annotations

from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from app.core.errors import ConfigError

M = TypeVar("M", bound=BaseModel)


def parse_yaml(text: str, model: type[M], source: str) -> M:
    try:
        root = yaml.compose(text)
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(f"{source}:{mark.line + 1 if mark else 0}: malformed YAML: {exc}") from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = [f"{source}:{line_of(root, e['loc'])}: {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        raise ConfigError("\n".join(problems)) from exc


def line_of(node: Any, loc: tuple[Any, ...]) -> int:
    """The 1-based line of the deepest YAML node on the error's path (a missing key: its parent)."""
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            node_next = next((v for k, v in node.value if k.value == key), None)
            if node_next is None:
                node_next = next((k for k, _ in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node_next = node.value[key]
        else:
            node_next = None
        if node_next is None:
            break
        node = node_next
    return int(node.start_mark.line) + 1 if node is not None else 0
