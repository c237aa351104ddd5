"""Sentences of a passage with their character spans: the unit that is quoted, flagged or checked.

A sentence ends at 。！？, at . ! ? followed by white space, or at a line break; a clause list joined
by ；/; stays one sentence (an instruction and its payload often share one). A full stop closing a dotted
abbreviation ("U.S.", "e.g.", "i.e.") or a title or "No." / "vs." ends none, nor does one before a lower-case word
("Northwind Robotics Inc. was founded in 2020"): "a U.S. research institution" is one sentence's words."""

from __future__ import annotations

import re

SENTENCE_END = re.compile(r"(?<=[。！？])|(?<=[.!?])(?<!\.[A-Za-z]\.)(?<!\b[MD]r\.)(?<!\bMrs\.)(?<!\bMs\.)(?<!\bNo\.)(?<!\bvs\.)\s+(?![\sa-z])|\n+")
_TRIM = " \t-*#|>"
MIN_CHARS = 6


def sentence_spans(text: str, min_chars: int = MIN_CHARS) -> list[tuple[int, int, str]]:
    """(start, end, sentence) for each sentence of at least `min_chars`, trimmed of list marks."""
    out: list[tuple[int, int, str]] = []
    pos = 0
    for m in [*SENTENCE_END.finditer(text), None]:
        end = len(text) if m is None else m.start()
        piece = text[pos:end]
        core = piece.strip(_TRIM)
        if len(core) >= min_chars:
            start = pos + piece.index(core)
            out.append((start, start + len(core), core))
        if m is not None:
            pos = max(m.end(), end)
    return out


def sentences(text: str, min_chars: int = MIN_CHARS) -> list[str]:
    return [s for _, _, s in sentence_spans(text, min_chars)]
