"""Prompts as versioned data: prompts/<name>.yaml with typed variables, checked when rendered.

A template names its variables and their types; rendering with a missing, extra or mistyped
variable is an error (PromptError), and Jinja's StrictUndefined catches a template that uses a
name it did not declare. Loading checks the same at start: a template may only use declared names.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2
import jinja2.meta
import yaml

from app.core.errors import ConfigError

PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"
_TYPES: dict[str, type] = {"str": str, "int": int, "float": float, "bool": bool, "list": list}
_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False)


class PromptError(ConfigError):
    code = "prompt_error"


@dataclass(frozen=True)
class Prompt:
    name: str
    version: int
    variables: dict[str, str]
    system: str
    user: str

    def render(self, **values: object) -> tuple[str, str]:
        """(system, user) messages; every declared variable must be given, with its type."""
        missing = sorted(set(self.variables) - set(values))
        extra = sorted(set(values) - set(self.variables))
        if missing or extra:
            raise PromptError(f"prompt {self.name} v{self.version}: missing {missing}, unexpected {extra}")
        for key, kind in self.variables.items():
            if not isinstance(values[key], _TYPES[kind]):
                raise PromptError(f"prompt {self.name}: {key} must be {kind}, got {type(values[key]).__name__}")
        return _ENV.from_string(self.system).render(**values).strip(), _ENV.from_string(self.user).render(**values).strip()


def parse_prompt(text: str, source: str) -> Prompt:
    raw = yaml.safe_load(text)
    if not isinstance(raw, dict) or not {"name", "version", "variables", "system", "user"} <= set(raw):
        raise PromptError(f"{source}: a prompt needs name, version, variables, system and user")
    variables = {str(k): str(v) for k, v in (raw["variables"] or {}).items()}
    bad = {k: v for k, v in variables.items() if v not in _TYPES}
    if bad:
        raise PromptError(f"{source}: unknown variable types {bad} (use {', '.join(_TYPES)})")
    for part in ("system", "user"):
        used = jinja2.meta.find_undeclared_variables(_ENV.parse(str(raw[part])))
        if used - set(variables):
            raise PromptError(f"{source}: {part} uses undeclared variables {sorted(used - set(variables))}")
    return Prompt(str(raw["name"]), int(raw["version"]), variables, str(raw["system"]), str(raw["user"]))


@lru_cache(maxsize=32)
def load_prompt(name: str, folder: Path = PROMPTS_DIR) -> Prompt:
    path = folder / f"{name}.yaml"
    if not path.exists():
        raise PromptError(f"no prompt {name!r} in {folder}")
    return parse_prompt(path.read_text(encoding="utf-8"), path.name)
