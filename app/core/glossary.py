"""Query expansion across languages and abbreviations, from the versioned glossary data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from app.core.textnorm import index_form

GLOSSARY_FILE = Path(__file__).resolve().parents[1] / "data" / "glossary.yaml"


@dataclass(frozen=True)
class Glossary:
    entries: tuple[tuple[str, ...], ...]

    def expansions(self, query: str) -> list[str]:
        """Terms of every concept the query names, minus those it already contains."""
        norm = index_form(query)
        found: list[str] = []
        for entry in self.entries:
            if any(contains(norm, index_form(term)) for term in entry):
                found.extend(t for t in entry if not contains(norm, index_form(t)) and t not in found)
        return found


def contains(norm_query: str, norm_term: str) -> bool:
    if norm_term.isascii():
        return _word(norm_term).search(norm_query) is not None
    return norm_term in norm_query


@lru_cache(maxsize=8192)
def _word(norm_term: str) -> re.Pattern[str]:
    """The term as a whole word, compiled once (not escaped, formatted and looked up on every call)."""
    return re.compile(rf"(?<![a-z0-9]){re.escape(norm_term)}(?![a-z0-9])")


@lru_cache(maxsize=4)
def load_glossary(path: Path = GLOSSARY_FILE) -> Glossary:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Glossary(tuple(tuple(str(t) for t in entry) for entry in raw["entries"]))
