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
# a period's code is no name: H1, Q4, FY2023, 2023H1, CY22, 1H22, 4Q23, a year-end (YE2023, FYE23)
_PERIOD_CODE = re.compile(r"(?:\d{2,4})?(?:H[12]|Q[1-4]|FY\d{0,4}|CY\d{0,4}|F?YE\d{0,4})(?:\d{2,4})?|[12]H\d{2,4}|[1-4]Q\d{2,4}")
# months and weekdays are capitalised, not names ("as of 31 Dec 2023")
_CALENDAR = frozenset("""
jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july august september october
november december mon tue tues wed thu thur thurs fri sat sun monday tuesday wednesday thursday friday saturday sunday
""".split())  # noqa: SIM905
# common nouns jieba tags as places: the kind of place asked about ("它在哪个城市"), not a name
_PLACE_NOUNS = frozenset("城市 省份 地区 国家 区域 地方 当地 本地 本市 本省 全国 境内 境外 海外 国内 国外 外地 各地 城区 市区 县城".split())  # noqa: SIM905


# what precedes a sentence's first word: nothing, or a sentence's end (and quotes or brackets)
_SENTENCE_START = re.compile(r"(?:^|[.!?。！？:：]\s+)[\W_]*$")
# the abbreviations of a chat message, written in capitals: no names
_CHAT_WORDS = frozenset("ok okay fyi asap btw pls plz thx tbh imo afaik fwiw eod eow tia nb ps aka hi".split())  # noqa: SIM905
# languages, capitalised in English: the language of an answer or a text asked for ("as printed, in Chinese"), no party
_LANGUAGES = frozenset("english chinese mandarin cantonese".split())  # noqa: SIM905
# a person's role, written in capitals ("before I meet their CFO", "the RM"): whose words, not a party the passages are about
_ROLES = frozenset("ceo cfo cto coo cio cso cmo vp svp evp gm md rm pm hr".split())  # noqa: SIM905


@lru_cache(maxsize=1)
def _posseg() -> Any:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return jieba.posseg


def question_names(question: str) -> list[str]:
    """Proper names in the question, in order, each once."""
    # a word capitalised as its sentence's start ("Thanks! What is its revenue?") is no name, unless it is
    # capitalised throughout (an acronym: "SBIR"); nor is a chat abbreviation ("OK, and how many…", "FYI")
    words = [m.group(1) for m in _CAPITALISED.finditer(question)
             if m.group(1).isupper() or not _SENTENCE_START.search(question[:m.start()])]
    names = [w for w in words if w != "I" and not _PERIOD_CODE.fullmatch(w) and w.lower() not in _CALENDAR
             and w.lower() not in _CHAT_WORDS and w.lower() not in _LANGUAGES and w.lower() not in _ROLES]
    for run in re.findall(r"[\u3400-\u9fff]+", index_form(question)):
        names += [w for w, tag in _posseg().cut(run) if tag in _NAME_TAGS and len(w) > 1 and w not in _PLACE_NOUNS]
    return list(dict.fromkeys(names))
