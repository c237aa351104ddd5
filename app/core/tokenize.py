"""Sparse-retrieval tokens: jieba words for Chinese, stemmed lower-case words for English.

Both indexing and querying go through index_form first, so traditional and simplified Chinese,
full-width and half-width, upper and lower case all meet.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from app.core.textnorm import index_form

_RUNS = re.compile(r"[\u3400-\u9fff]+|[a-z][a-z0-9'\-]*[a-z0-9]|[a-z]|\d+(?:[.,]\d+)*%?")
_EN_STOP = frozenset(
    ["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is", "it", "its", "of", "on", "or", "that", "the", "this", "to", "was", "were", "will", "with", "what", "which", "who", "how", "when", "where", "does", "did", "do", "than", "then", "there", "their", "they", "we", "our", "you", "your"]
)
_ZH_STOP = frozenset(["的", "了", "和", "与", "及", "或", "等", "是", "在", "对", "由", "为", "其", "之", "以", "于", "并", "且", "而", "中", "上", "下", "个", "有", "被", "将", "把", "也", "都"])


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


STOPWORDS = _EN_STOP | _ZH_STOP


def word_frequencies() -> dict[str, int]:
    """jieba's dictionary counts of Chinese words (how common a word is)."""
    freq: dict[str, int] = _jieba().dt.FREQ
    return freq


def cjk_words(run: str) -> list[str]:
    return [w for w in _jieba().cut_for_search(run) if w not in _ZH_STOP]


def tokens(text: str) -> list[str]:
    out: list[str] = []
    stem = _stemmer().stemWord
    for run in _RUNS.findall(index_form(text)):
        if "\u3400" <= run[0] <= "\u9fff":
            out.extend(cjk_words(run))
        elif run not in _EN_STOP:
            out.append(stem(run) if run[0].isalpha() else run.replace(",", ""))
    return out
