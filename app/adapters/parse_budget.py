"""The budget of one parse, whatever the file's size: a cooperative deadline and content limits.

A parser in this process cannot be killed, so its loops (PDF pages, spreadsheet rows) ask
`check()` and stop once the file's time is spent; a parser in the child process is also killed
from outside (`parse_sandbox`). Content over a limit is cut where cutting keeps what matters (the
first characters of a text) and said in the document's notes, which reach the ingest report and
the document's metadata; content that cannot be cut usefully (a PDF of blank pages to OCR) fails
the file before the work starts. Every message names the setting that stopped it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace

from app.core.errors import DocumentError
from app.core.types import Element, Parsed

# (monotonic deadline, budget in seconds); a context variable, so each parse thread has its own
_DEADLINE: ContextVar[tuple[float, float] | None] = ContextVar("parse_deadline", default=None)
_DEFER: ContextVar[bool] = ContextVar("parse_defer", default=False)


class NeedsChild(Exception):
    """A parse in this process reached work that may run long (OCR): parse the file in the child."""


@contextmanager
def deferring() -> Iterator[None]:
    """Parses in this block hand slow work to the child process (`needs_child` raises)."""
    token = _DEFER.set(True)
    try:
        yield
    finally:
        _DEFER.reset(token)


def needs_child(work: str) -> None:
    if _DEFER.get():
        raise NeedsChild(work)


def over_time(seconds: float) -> DocumentError:
    return DocumentError(f"parsing took longer than the {seconds:g} s budget (SME_PARSE_TIMEOUT_S); "
                         "the file was skipped")


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Parses in this block must finish within `seconds` (0: no limit)."""
    token = _DEADLINE.set((time.monotonic() + seconds, seconds) if seconds > 0 else None)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def check() -> None:
    """Raise if the current parse is past its deadline; cheap enough to call per page or row."""
    current = _DEADLINE.get()
    if current is not None and time.monotonic() > current[0]:
        raise over_time(current[1])


def cap_text(parsed: Parsed, max_chars: int) -> Parsed:
    """Elements up to `max_chars` characters of text in all; the rest dropped and noted."""
    total = sum(len(e.text) for e in parsed.elements)
    if total <= max_chars:
        return parsed
    kept: list[Element] = []
    used = 0
    for element in parsed.elements:
        if used + len(element.text) > max_chars:
            break
        kept.append(element)
        used += len(element.text)
    note = (f"text cut at {used:,} of {total:,} characters (SME_PARSE_MAX_CHARS={max_chars:,}); "
            "the rest was not indexed")
    return replace(parsed, elements=tuple(kept), notes=(*parsed.notes, note))
