"""The jurisdiction hierarchy (country > province > city > district) from app/data/regions.yaml.

A program available in a jurisdiction is available to every firm located under it: a Nanshan
firm can use Nanshan, Shenzhen, Guangdong and national programs, never Shanghai's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from app.core.textnorm import index_form

REGIONS_FILE = Path(__file__).resolve().parents[1] / "data" / "regions.yaml"
Path_ = tuple[str, ...]


@dataclass(frozen=True)
class Regions:
    paths: dict[str, Path_]  # index-form name or alias -> full path
    english: dict[str, str]  # official name -> its first English alias (China, Guangdong, Shenzhen …)
    chinese: dict[str, str] = field(default_factory=dict)  # an English official name -> its first Chinese alias (美国, 欧盟)

    def path_of(self, text: str) -> Path_:
        """The most specific known region named in the text ('深圳市南山区科技园' → 中国>广东省>深圳市>南山区)."""
        norm = index_form(text).strip()
        if norm in self.paths:
            return self.paths[norm]
        best: Path_ = ()
        for name, path in self.paths.items():
            if len(path) > len(best) and _mentions(norm, name):
                best = path
        return best

    def covers(self, program: Path_, firm: Path_) -> bool:
        """A program in `program` is open to a firm in `firm` (empty program path: anywhere)."""
        return not program or firm[: len(program)] == program


def _mentions(text: str, name: str) -> bool:
    if name.isascii():  # a whole word: a match is a substring too, so the cheap test goes first
        return len(name) > 2 and name in text and _word(name).search(text) is not None
    return len(name) >= 2 and name in text


@lru_cache(maxsize=4096)
def _word(name: str) -> re.Pattern[str]:
    """An ASCII name as a whole word, compiled once: path_of tries every ASCII alias of the tree, more
    patterns than re's own cache keeps beside the rest of an ingest's, so re recompiled them each time."""
    return re.compile(rf"(?<![a-z]){re.escape(name)}(?![a-z])")


def _walk(node: dict[str, Any], prefix: Path_, out: dict[str, Path_], english: dict[str, str],
          chinese: dict[str, str]) -> None:
    for name, body in node.items():
        path = (*prefix, name)
        body = body or {}
        for alias in [name, *body.get("aliases", [])]:
            out.setdefault(index_form(str(alias)), path)
        first = next((str(a) for a in body.get("aliases", []) if str(a).isascii()), None)
        if first and not str(name).isascii():  # an English official name ("Texas") is kept, not its code (TX)
            english.setdefault(str(name), first)
        zh = next((str(a) for a in body.get("aliases", []) if re.search(r"[\u4e00-\u9fff]", str(a))), None)
        if zh and str(name).isascii():
            chinese.setdefault(str(name), zh)
        _walk(body.get("children") or {}, path, out, english, chinese)


def region_text(value: object, lang: str) -> str:
    """A profile's region path as words: '中国 > 广东省 > 深圳市 > 南山区'; in English each node's first English
    alias with the official names after it, as registration papers write them: 'China > Guangdong >
    Shenzhen > Nanshan (中国>广东省>深圳市>南山区)'; in Chinese a node named in English by its first Chinese
    alias ('美国 > Texas > Austin', '欧盟'). A node without an alias keeps its official name."""
    parts = as_path(value)
    official = " > ".join(parts)
    if lang == "zh":  # a place named in English in the tree reads by its Chinese alias where it has one (美国, 欧盟)
        return " > ".join(load_regions().chinese.get(p, p) for p in parts)
    names = load_regions().english
    english = " > ".join(names.get(p, p) for p in parts)
    return english if english == official else f"{english} ({'>'.join(parts)})"


@lru_cache(maxsize=65536)
def region_path(text: str) -> Path_:
    """load_regions().path_of, memoised: matching asks for the same few names thousands of times."""
    return load_regions().path_of(text)


def as_path(value: object) -> Path_:
    """A region as a profile holds it ('中国>广东省>深圳市') or as a person writes it ('深圳市南山区',
    'Nanshan, Shenzhen') → the tree's path; a name the tree does not know stays as it is."""
    text = str(value or "").strip()
    if not text:
        return ()
    if ">" in text:
        parts = tuple(p.strip() for p in text.split(">") if p.strip())
        return region_path(parts[-1]) or parts if parts else ()
    return region_path(text) or (text,)


@lru_cache(maxsize=2)
def load_regions(path: Path = REGIONS_FILE) -> Regions:
    out: dict[str, Path_] = {}
    english: dict[str, str] = {}
    chinese: dict[str, str] = {}
    _walk(yaml.safe_load(path.read_text(encoding="utf-8")), (), out, english, chinese)
    return Regions(out, english, chinese)
