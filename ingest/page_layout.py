"""Junk found by where it stands and how it looks, not by its words alone.

A page has a body (from its first to its last paragraph-like element) with a head and a tail around
it. In the head and tail, runs of short lines are menus and share bars, and a line whose words the
body never uses is off-topic; inside the body only link-heavy runs of short lines go, never a line
for being off-topic alone. A "recommended" heading takes the headlines under it along, as a block.
Elements the page extractor left out (type Boilerplate) go, unless they read as a body paragraph.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from app.core.textnorm import index_form
from app.core.types import Element

BOILERPLATE = "Boilerplate"  # app/adapters/web_page.py marks what trafilatura left out
_SENTENCE_END = re.compile(r"[。！？!?.;；]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SALUTATION = re.compile(r"[,，:：]$|(您好|你好|大家好|各位好|^(dear|hi|hello)\b.*)[!！]$", re.IGNORECASE)
_LINK_BAR = re.compile(r"\s[|｜·•]\s|[>»›]")  # "Privacy | Terms", "首页 > 新闻"
_STOP = frozenset(["the", "and", "for", "with", "from", "that", "this", "are", "was", "were", "has", "have", "had", "will", "its", "our", "your", "you", "not", "but", "all", "any", "can", "more", "new", "one", "out", "who", "how", "why", "what", "when", "which", "their", "they", "them", "his", "her", "she", "into", "than", "then", "also", "over", "about", "after", "before", "per", "inc", "ltd"])
SHORT = 24  # characters: a menu item, a share button, a widget label
RUN = 3  # short lines in a row that make a menu


def vocabulary(text: str) -> set[str]:
    """Latin words (no stop words, no bare numbers) and CJK character pairs, in the index form."""
    norm = index_form(text)
    words = {w for w in re.findall(r"[a-z][a-z0-9]{2,}", norm) if w not in _STOP}
    han = re.findall(r"[\u4e00-\u9fff]", norm)
    words.update(a + b for a, b in itertools.pairwise(han))
    return words


def body_like(el: Element) -> bool:
    """A paragraph: a sentence of some length (a dozen ideographs, or forty Latin characters)."""
    text = el.text
    if el.type in ("Title", BOILERPLATE):
        return False
    long_enough = len(_CJK.findall(text)) >= 12 or len(text) >= 40
    return len(text) >= 80 or (long_enough and bool(_SENTENCE_END.search(text)))


def _short(el: Element) -> bool:
    return len(el.text) <= SHORT and not _SENTENCE_END.search(el.text[-1:]) and el.type != "Table"


def related(text: str, body: set[str]) -> float:
    own = vocabulary(text)
    return sum(1 for w in own if w in body) / len(own) if own else 1.0


def layout_reasons(elements: Sequence[Element], rule_reasons: dict[int, str], paged: bool = False) -> dict[int, str]:
    """Reasons for elements the rules kept (indices not in rule_reasons), judged by position and shape.
    `paged`: a document of several pages (a PDF, a deck), whose head and tail are a cover and an
    appendix, not a page's debris: no off-topic test there (running headers have their own rule)."""
    live = [i for i in range(len(elements)) if i not in rule_reasons]
    anchors = [i for i in live if body_like(elements[i])]
    out: dict[int, str] = {}
    if not anchors:
        return {i: "not_main_content" for i in live if elements[i].type == BOILERPLATE}
    first, last = anchors[0], anchors[-1]
    body: set[str] = set()
    for i in anchors:
        body |= vocabulary(elements[i].text)
    for i in live:
        el = elements[i]
        if el.type == BOILERPLATE and not (first < i < last and body_like(el) and related(el.text, body) >= 0.5):
            out[i] = "not_main_content"
    out.update(_widget_blocks(elements, rule_reasons, out))
    out.update(_menu_runs(elements, [i for i in live if i not in out], first, last, body))
    if paged:
        return out
    han_body = _han(" ".join(elements[i].text for i in anchors))
    for i in live:  # the labelled values kept ("社保参保人数 88人") speak for the body too
        if i not in out and _short(elements[i]) and _states_a_figure(elements[i]):
            body |= vocabulary(elements[i].text)
    frame = _frame(elements, rule_reasons, first, last)
    for i in live:
        el = elements[i]
        # words cannot relate a line to a body in the other script (a Chinese summary under an English text)
        if i not in out and i not in frame and (i < first or i > last) and _han(el.text) == han_body \
                and _off_topic(el, body):
            out[i] = "off_topic"
    return out


def _frame(elements: Sequence[Element], rule_reasons: dict[int, str], first: int, last: int) -> set[int]:
    """The line right before the body (a headline or section heading, with at most a byline between)
    and the line right after it (a notice's issuing office, a closing line): the article's frame,
    whose words the body need not repeat. Debris stands further out, or reads as a link bar."""
    out: set[int] = set()
    for start, step in ((first - 1, -1), (last + 1, 1)):
        i = start
        while 0 <= i < len(elements) and rule_reasons.get(i) == "byline":
            i += step
        if 0 <= i < len(elements) and i not in rule_reasons and elements[i].link_ratio < 0.5 \
                and not _LINK_BAR.search(elements[i].text):
            out.add(i)
    return out


def _han(text: str) -> bool:
    letters = sum(1 for ch in text if ch.isalpha())
    return bool(letters) and len(_CJK.findall(text)) / letters > 0.3


def _off_topic(el: Element, body: set[str]) -> bool:
    """Unrelated words; a line that states a figure or a date ("Founded in March 2019") is a fact, not debris."""
    if el.type == "Table" or re.search(r"\d", el.text) or (len(el.text) <= 20 and _SALUTATION.search(el.text)):
        return False  # "陈经理您好：", "赵经理，您好！", "Hi Sarah," open a letter
    return related(el.text, body) < 0.25


def _states_a_figure(el: Element) -> bool:
    """A labelled value ("社保参保人数 88人", "Founded 2019"): words and a figure, no link. A menu
    item carries no figure; a pager's bare numbers carry no words."""
    return el.link_ratio < 0.5 and bool(re.search(r"\d", el.text)) and len(re.findall(r"[^\W\d_]", el.text)) >= 2


def _widget_blocks(elements: Sequence[Element], rule_reasons: dict[int, str], decided: dict[int, str]) -> dict[int, str]:
    """The headlines under a "recommended" heading, up to the next paragraph-like element; the
    name, title and numbers under a letter's closing ("Best regards,", "顺颂商祺")."""
    out: dict[int, str] = {}
    for i, reason in sorted(rule_reasons.items()):
        if reason not in ("recommended", "mail_signature"):
            continue
        for j in range(i + 1, len(elements)):
            if j in rule_reasons or j in decided:
                continue
            if body_like(elements[j]) and (reason == "mail_signature" or len(elements[j].text) >= 40):
                break
            if reason == "mail_signature" and len(elements[j].text) > 60:
                break
            out[j] = reason
    return out


def _menu_runs(elements: Sequence[Element], live: list[int], first: int, last: int, body: set[str]) -> dict[int, str]:
    """Runs of short lines: in the head or tail any such run, in the body only link-heavy ones; the
    article's own title (a short line the body's words explain) is never part of a run."""
    out: dict[int, str] = {}
    run: list[int] = []
    for i in [*live, -1]:
        el = elements[i] if i >= 0 else None
        if el is not None and _short(el) and not (len(el.text) >= 6 and related(el.text, body) >= 0.5) \
                and not _states_a_figure(el):
            run.append(i)
            continue
        if len(run) >= RUN:
            outside = all(j < first or j > last for j in run)
            links = sum(elements[j].link_ratio for j in run) / len(run)
            if outside or links >= 0.5:
                out.update((j, "navigation") for j in run)
        run = []
    return out
