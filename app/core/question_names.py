"""The names a question is about: places, organisations and other proper names.

An answer must rest on evidence about the thing asked: a passage on Demo Bank's loan rate does not
answer a question about Bank of America's, however many other words they share. English names are
capitalised words after the first (acronyms included: "UK", "SBIR"); Chinese ones are the words
jieba tags as a place (ns) or an organisation (nt). A name the glossary knows (a concept with
translations, such as 深圳 / Shenzhen or HNTE) is checked through the glossary instead."""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Any

from app.core.textnorm import index_form

_CAPITALISED = re.compile(r"(?<![\w'’-])([A-Z][A-Za-z0-9&]*)")
_NAME_TAGS = frozenset({"ns", "nt"})


@lru_cache(maxsize=1)
def _posseg() -> Any:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return jieba.posseg


def question_names(question: str) -> list[str]:
    """Proper names in the question, in order, each once."""
    words = _CAPITALISED.findall(question)
    first = re.match(r"\W*([A-Za-z][\w-]*)", question)
    if first and words and words[0] == first.group(1) and not words[0].isupper():
        words = words[1:]  # the first word is capitalised as the sentence's start
    names = [w for w in words if w != "I"]
    for run in re.findall(r"[\u3400-\u9fff]+", index_form(question)):
        names += [w for w, tag in _posseg().cut(run) if tag in _NAME_TAGS and len(w) > 1]
    return list(dict.fromkeys(names))
