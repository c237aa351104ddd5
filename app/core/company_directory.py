"""A taxonomy's company directory: listed companies and the labels they are classed under.

A taxonomy's hand-written ``companies`` name a few dozen well-known firms per label; news names any of
thousands. A directory beside the taxonomy file (``<stem>.companies.tsv``; the Shenwan one is built from
Shenwan's public classification list by ``eval/build_shenwan_directory.py``, and a bank can put its own in
its place) adds every listed company to the labels it is classed under, as company evidence like the
hand-written ones (app.core.taxonomy_evidence).

File form: ``#`` comment lines, then one row per company, tab-separated: ``code``, ``name`` (the short
name news uses, e.g. 中文传媒), ``labels`` (comma-separated; a company classed under a sector in both
editions of a taxonomy is listed under both names). A label the taxonomy lacks is an error naming the file
and line.

Read as given, a short name can be an everyday word or a place: 老百姓 (a pharmacy chain) is "ordinary
people", 太平洋 the Pacific, 农产品 "farm produce". A name that jieba's dictionary holds as a common word, a
place, a person or an idiom (any tag but organisation, other proper noun or abbreviation) is therefore not
read as the company: a word of the language is no evidence of which firm a text is about. The taxonomy's own
hand-written companies take precedence over the directory and keep their labels. Names are also read
without the STAR Market's "-U"/"-W" marks and a share class letter ("万科A" → 万科), as news writes them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from app.core.errors import InputError

# jieba's part-of-speech tags of proper names that are names of organisations or products, not words
_NAME_TAGS = frozenset({"nt", "nz", "j", "nrt"})
_MARKS = re.compile(r"-(?:U|W|UW|WD|D)$")
_SHARE_CLASS = re.compile(r"(?<=[\u4e00-\u9fff]{2})[AB]$")


def directory_path(taxonomy_file: Path) -> Path:
    return taxonomy_file.with_name(f"{taxonomy_file.stem}.companies.tsv")


@lru_cache(maxsize=1)
def _dictionary_words() -> frozenset[str]:
    """The words jieba's dictionary holds with a tag other than an organisation's or product's name."""
    import jieba

    words = set()
    with jieba.dt.get_dict_file() as handle:
        for raw in handle:
            parts = raw.decode("utf-8").split()
            if len(parts) == 3 and parts[2] not in _NAME_TAGS:
                words.add(parts[0])
    return frozenset(words)


def name_forms(name: str) -> list[str]:
    """The forms news writes a listed company's short name in: as listed, without the STAR Market's
    marks ("-U"), without a share class letter ("万科A")."""
    forms = [name]
    for pattern in (_MARKS, _SHARE_CLASS):
        bare = pattern.sub("", forms[-1])
        if bare != forms[-1]:
            forms.append(bare)
    return forms


def read_directory(path: Path, labels: list[str]) -> dict[str, list[str]]:
    """label → the directory's company names under it (in file order, everyday words left out)."""
    known = set(labels)
    words = _dictionary_words()
    out: dict[str, list[str]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 3 or not cells[1].strip() or not cells[2].strip():
            raise InputError(f"{path.name}, line {number}: expected code, name and labels separated by tabs")
        names = [label.strip() for label in cells[2].split(",") if label.strip()]
        unknown = [label for label in names if label not in known]
        if unknown:
            raise InputError(f"{path.name}, line {number}: no label {', '.join(map(repr, unknown))} in the taxonomy")
        forms = [f for f in name_forms("".join(cells[1].split())) if len(f) >= 2 and f not in words]
        for label in names:
            out.setdefault(label, []).extend(forms)
    return out
