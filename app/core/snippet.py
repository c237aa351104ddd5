"""Snippets: a window of a chunk around the query's terms, the matched terms marked with **."""

from __future__ import annotations

import re
from functools import lru_cache

from app.core.textnorm import index_form

_TERM = re.compile(r"[a-z0-9][a-z0-9&'\-]*[a-z0-9]|[\u4e00-\u9fff]{2,}")


def query_terms(query: str, extra: list[str] | None = None) -> list[str]:
    """Terms to mark, in index form, longest first; CJK runs are also split into jieba words."""
    from app.core.tokenize import STOPWORDS, cjk_words

    terms: set[str] = set()
    for source in [query, *(extra or [])]:
        for t in _TERM.findall(index_form(source)):
            if t in STOPWORDS or len(t) < 2:
                continue
            terms.add(t)
            if "\u4e00" <= t[0] <= "\u9fff":
                terms.update(w for w in cjk_words(t) if len(w) >= 2)
    return sorted(terms, key=len, reverse=True)


def _spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Matches in the original text, found through its index form (same length, char for char)."""
    norm = _chunk_form(text)
    if len(norm) != len(text):
        norm = text.lower()
    taken = [False] * len(text)
    spans = []
    for term in terms:
        pattern = re.escape(term) if not term.isascii() else rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])"
        for m in re.finditer(pattern, norm):
            if not any(taken[m.start() : m.end()]):
                spans.append(m.span())
                taken[m.start() : m.end()] = [True] * (m.end() - m.start())
    return sorted(spans)


@lru_cache(maxsize=2048)
def _chunk_form(text: str) -> str:
    """A chunk's index form, remembered: the same chunks are shown question after question, and
    folding a chunk (NFKC, traditional to simplified) costs more than finding the terms in it."""
    return index_form(text)


def snippet(text: str, terms: list[str], width: int = 240) -> str:
    spans = _spans(text, terms)
    start = max(0, spans[0][0] - width // 4) if spans else 0
    end = min(len(text), start + width)
    out, pos = [], start
    for s, e in spans:
        if s < start or e > end:
            continue
        out += [text[pos:s], "**", text[s:e], "**"]
        pos = e
    out.append(text[pos:end])
    return ("…" if start else "") + "".join(out).replace("\n", " ") + ("…" if end < len(text) else "")
