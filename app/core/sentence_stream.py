"""A model's streamed tokens cut into whole sentences, so each can be checked before it is sent.

A sentence ends at 。！？ (and their full-width kin), at . ! ? followed by white space, or at a line
break; the citation marks that follow it ("… 3.45%. [1]") belong to it. A sentence is released
only when the next one has begun (or the stream ended), since marks may still follow its end."""

from __future__ import annotations

import re

_END = re.compile(r"[。！？]+[”’」』）)]*|[.!?]+[\"')\]]*(?=\s)|\n")
_MARKS = re.compile(r"(?:[ \t]*\[\d+\])*")
_OPEN_MARK = re.compile(r"\s*\[\d*$")


class SentenceBuffer:
    def __init__(self) -> None:
        self._text = ""

    def feed(self, piece: str) -> list[str]:
        """The sentences this piece completes (text that may still grow stays buffered)."""
        self._text += piece
        out: list[str] = []
        while (cut := self._cut()) is not None:
            out.append(self._text[:cut])
            self._text = self._text[cut:]
        return out

    def flush(self) -> list[str]:
        """What is left when the stream ends, as its last sentence."""
        rest, self._text = self._text, ""
        return [rest] if rest.strip() else []

    def _cut(self) -> int | None:
        end = _END.search(self._text)
        if end is None:
            return None
        cut = _MARKS.match(self._text, end.end())
        stop = cut.end() if cut else end.end()
        after = self._text[stop:]
        if not after.strip() or _OPEN_MARK.fullmatch(after):
            return None  # a mark may still follow
        return stop
