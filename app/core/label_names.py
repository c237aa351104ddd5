"""A taxonomy label as a Chinese answer names it: "Industrials" → 工业与硬科技, "IoT and Communications" → 物联网与通信.

The names are the `zh` of each label in the shipped taxonomies (app/data/taxonomies); a label without one, a
label already in Chinese and a program's own tag no taxonomy names ("SaaS") are shown as written.
"""

from __future__ import annotations

from functools import lru_cache

from app.core.taxonomy_schema import TAXONOMY_DIR, read_taxonomy_file

LABEL_FIELDS = frozenset({"industry", "tech_domains"})  # the profile fields whose values are taxonomy labels


@lru_cache(maxsize=1)
def _chinese_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for path in sorted(TAXONOMY_DIR.glob("*.yaml")):
        for name, spec in read_taxonomy_file(path).labels.items():
            if spec.zh:
                names.setdefault(name.casefold(), spec.zh)
    return names


def label_text(label: object, lang: str) -> str:
    """A label in the answer's language (Chinese names for zh; English labels stay as they are for en)."""
    text = str(label)
    return _chinese_names().get(text.casefold(), text) if lang == "zh" else text
