"""Program names typed in pinyin: an RM writing in English often spells a Chinese product's name the
way it sounds ("Gaoqidai", "Shui Yi Dai" for 高企贷, 税易贷). A run of Latin words whose letters, run
together, are exactly the toneless pinyin of a Chinese name in the catalog (a title or alias, its
bracketed notes left out) is read as that name, so the name matching that follows sees the title."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from app.core.textnorm import to_simplified

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


# a name heard, not typed: at most this share of its characters written as another that sounds the same
_SLIPS_PER_CHAR = 4  # one character in four (at least one): 专经特新贷 for 专精特新贷, 证书编好 for 证书编号
MIN_HEARD = 3        # characters: two-character words sound alike too often (营收 / 应收)


@lru_cache(maxsize=4096)
def _readings(char: str) -> frozenset[str]:
    """Every toneless reading of one character (行: xing, hang, heng)."""
    from pypinyin import Style, pinyin

    return frozenset(pinyin(char, style=Style.NORMAL, heteronym=True)[0])


@lru_cache(maxsize=8)
def _heard_table(names: frozenset[str]) -> dict[tuple[int, int, str], list[str]]:
    """The names' runs of Chinese characters (in simplified script) by (length, position, character) for the first two
    positions: a run heard differs from its name in at most one character of the first two."""
    runs = {to_simplified(run) for name in names for run in _CJK_RUN.findall(_BRACKETS.sub(" ", name))
            if len(run) >= MIN_HEARD}
    out: dict[tuple[int, int, str], list[str]] = {}
    for run in sorted(runs, key=lambda r: (-len(r), r)):
        for k in (0, 1):
            out.setdefault((len(run), k, run[k]), []).append(run)
    return out


def _inside_words(text: str) -> set[int]:
    """The offsets that fall inside a word of `text` as jieba segments it (not at a word's edge)."""
    from app.core.tokenize import _jieba

    out: set[int] = set()
    for _, start, end in _jieba().tokenize(text):
        out.update(range(start + 1, end))
    return out


def heard_names(question: str, names: Iterable[str]) -> str:
    """The question with each run of Chinese characters that sounds like one of `names` (catalog titles, aliases, the
    glossary's terms) but is written otherwise, as a voice recogniser writes a word it heard ("专经特新贷" for 专精特新贷,
    "证书编好" for 证书编号), written as that name: the same length, every character sharing a reading with the name's,
    at most one in four written differently (read in simplified script: a name in traditional characters is that name).
    Runs that are a name as written, runs whose edge cuts a word as written ("税负超过" is no "不超过" misheard), and names
    shorter than three characters are left as they are; unchanged when none is heard."""
    table = _heard_table(frozenset(names))
    if not table or not _CJK_RUN.search(question):
        return question
    lengths = sorted({length for length, _, _ in table}, reverse=True)
    simple = to_simplified(question)
    if len(simple) != len(question):
        return question
    inside = _inside_words(simple)
    chars = list(question)
    locked = [False] * len(chars)
    known = {run for runs in table.values() for run in runs}
    for run in sorted(known, key=len, reverse=True):  # a name written as it is stays as it is
        for m in re.finditer(re.escape(run), simple):
            locked[m.start():m.end()] = [True] * len(run)
    for length in lengths:
        allowed = max(1, length // _SLIPS_PER_CHAR)
        for i in range(len(chars) - length + 1):
            window = simple[i:i + length]
            if any(locked[i:i + length]) or not all("\u4e00" <= c <= "\u9fff" for c in window) \
                    or i in inside or i + length in inside:
                continue  # (a window cutting a word as written is no name misheard: "税负超过" is not "税不超过")
            candidates = dict.fromkeys([*table.get((length, 0, window[0]), []), *table.get((length, 1, window[1]), [])])
            for run in candidates:
                differ = [k for k in range(length) if window[k] != run[k]]
                if 0 < len(differ) <= allowed and all(_readings(window[k]) & _readings(run[k]) for k in differ):
                    chars[i:i + length] = list(run)
                    locked[i:i + length] = [True] * length
                    break
    return "".join(chars)
