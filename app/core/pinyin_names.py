"""Program names typed in pinyin: an RM writing in English often spells a Chinese product's name the
way it sounds ("Gaoqidai", "Shui Yi Dai" for 高企贷, 税易贷). A run of Latin words whose letters, run
together, are exactly the toneless pinyin of a Chinese name in the catalog (a title or alias, its
bracketed notes left out) is read as that name, so the name matching that follows sees the title."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

MIN_KEY = 6     # letters: a shorter run ("dai", "xin") is too likely an ordinary word or a fragment
MAX_WORDS = 6   # syllables written apart ("zhuan jing te xin dai")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
_BRACKETS = re.compile(r"[（(][^）)]*[）)]")
_LATIN = re.compile(r"[A-Za-z]+")


def pinyin_key(text: str) -> str:
    """The toneless pinyin of a Chinese text, run together, lower case ("高企贷" → "gaoqidai")."""
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(text)).lower()


@lru_cache(maxsize=8)
def _table(names: frozenset[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in sorted(names):
        for run in _CJK_RUN.findall(_BRACKETS.sub(" ", name)):
            key = pinyin_key(run)
            if len(key) >= MIN_KEY:
                out.setdefault(key, run)
    return out


def spelled_names(question: str, names: Iterable[str]) -> str:
    """The question with each pinyin spelling of one of `names` (Chinese titles and aliases) written
    as that name; unchanged when there is none."""
    table = _table(frozenset(names))
    words = list(_LATIN.finditer(question))
    if not table or not words:
        return question
    out, last, i = [], 0, 0
    while i < len(words):
        for j in range(min(len(words), i + MAX_WORDS), i, -1):
            between = question[words[i].start():words[j - 1].end()]
            if re.fullmatch(r"[A-Za-z]+(?:[\s-][A-Za-z]+)*", between) is None:
                continue  # only words joined by spaces or hyphens are one name
            key = "".join(w.group(0) for w in words[i:j]).lower()
            if key in table:
                out += [question[last:words[i].start()], table[key]]
                last, i = words[j - 1].end(), j
                break
        else:
            i += 1
    return "".join([*out, question[last:]]) if out else question
