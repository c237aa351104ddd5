"""Find a taxonomy's terms in a text: thousands of company names, keywords and jargon at once.

At each position the longest term that matches there wins, then the search goes on after it (so
锂电池 is one term, not also 电池; 中信证券 one name, not also 证券). ASCII terms match whole words
only (``ai`` not inside ``said``); others anywhere. The terms sit in a prefix tree, so a search costs
about the length of the text, whatever the number of terms.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")  # texts are in index form (lower case)
_END = ""  # the key marking that a term ends at this node (no character is empty)


class TermFinder:
    def __init__(self, terms: Iterable[str]) -> None:
        self._root: dict[str, Any] = {}
        for term in terms:
            node = self._root
            for char in term:
                node = node.setdefault(char, {})
            node[_END] = True

    def __bool__(self) -> bool:
        return bool(self._root)

    def find(self, text: str) -> list[tuple[int, str]]:
        """(start, term) for every term found, left to right, not overlapping."""
        out: list[tuple[int, str]] = []
        start, size = 0, len(text)
        while start < size:
            end = self._longest(text, start)
            if end:
                out.append((start, text[start:end]))
                start = end
            else:
                start += 1
        return out

    def _longest(self, text: str, start: int) -> int:
        """Where the longest acceptable term starting at ``start`` ends; 0 when there is none."""
        node = self._root.get(text[start])
        ends = []
        stop = start + 1
        while node is not None:
            if _END in node:
                ends.append(stop)
            if stop == len(text):
                break
            node = node.get(text[stop])
            stop += 1
        for end in reversed(ends):
            if self._whole(text, start, end):
                return end
        return 0

    @staticmethod
    def _whole(text: str, start: int, end: int) -> bool:
        if not text[start:end].isascii():
            return True
        return (start == 0 or text[start - 1] not in _WORD) and (end == len(text) or text[end] not in _WORD)
