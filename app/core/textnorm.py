"""Text normalisation shared by indexing and querying.

Stored text keeps what the author wrote; only the *index form* folds traditional Chinese to
simplified, full-width to half-width and case, so that either script finds the other.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_FULLWIDTH_ASCII = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH_ASCII[0x3000] = 0x20
# keep CJK punctuation as written; fold only full-width letters, digits and space
_WIDTH_TABLE = {cp: v for cp, v in _FULLWIDTH_ASCII.items() if chr(v).isalnum() or v == 0x20}
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff\uff0c\u3002]) (?=[\u3400-\u9fff\uff0c\u3002])")


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # light C extension; imported lazily to keep module import cheap

    return opencc.OpenCC("t2s")


def half_width(text: str) -> str:
    """Full-width letters, digits and ideographic space to ASCII; CJK punctuation untouched."""
    return text.translate(_WIDTH_TABLE)


def tidy_whitespace(text: str) -> str:
    text = _SPACES.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CJK_GAP.sub("", text)  # PDF text layers often put spaces between ideographs
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def script_counts(text: str) -> tuple[int, int]:
    """(characters only simplified Chinese uses, characters only traditional Chinese uses)."""
    han = "".join(_CJK.findall(text))
    if not han:
        return 0, 0
    as_simplified, as_traditional = _t2s().convert(han), _s2t().convert(han)
    traditional_only = sum(1 for a, b in zip(han, as_simplified) if a != b)
    simplified_only = sum(1 for a, b in zip(han, as_traditional) if a != b)
    return simplified_only, traditional_only


def to_simplified(text: str) -> str:
    return str(_t2s().convert(text)) if _CJK.search(text) else text


def to_traditional(text: str) -> str:
    return str(_s2t().convert(text)) if _CJK.search(text) else text


def written_traditional(text: str) -> bool:
    """Whether a (short) Chinese text is written in traditional characters: more characters only
    traditional Chinese uses than ones only simplified Chinese uses."""
    simplified_only, traditional_only = script_counts(text)
    return traditional_only > simplified_only


def index_form(text: str) -> str:
    """The form used for sparse matching and dedup: NFKC, simplified Chinese, lower case."""
    if len(text) <= _MEMO_CHARS:
        return _short_index_form(text)
    return _index_form(text)


# Glossary terms, titles and sentences are folded again on every question: a short text's form is
# remembered (a pure function of the text); a document's text is folded once and not kept.
_MEMO_CHARS = 256


@lru_cache(maxsize=32768)
def _short_index_form(text: str) -> str:
    return _index_form(text)


def _index_form(text: str) -> str:
    return to_simplified(unicodedata.normalize("NFKC", text)).lower()


def cjk_ratio(text: str) -> float:
    letters = sum(map(str.isalpha, text))
    return len(_CJK.findall(text)) / letters if letters else 0.0


def detect_lang(text: str) -> str:
    """zh-Hans, zh-Hant, en, mixed or und: enough for filters and quality, not a full detector."""
    sample = text[:20000]
    letters = sum(1 for ch in sample if ch.isalpha())
    if letters < 20:
        return "und"
    cjk = len(_CJK.findall(sample))
    latin = sum(1 for ch in sample if ch.isascii() and ch.isalpha())
    if cjk / letters >= 0.3:
        if latin / letters >= 0.4:
            return "mixed"
        han = "".join(_CJK.findall(sample))
        changed = sum(1 for a, b in zip(han, to_simplified(han)) if a != b)
        return "zh-Hant" if changed / max(len(han), 1) > 0.05 else "zh-Hans"
    return "en" if latin / letters >= 0.6 else "und"
