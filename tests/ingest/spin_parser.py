"""A parser stuck in CPU-bound code on files named 'hostile…'; it runs in the parse child process,
so it lives in a module with no imports beyond what the child has already loaded."""

from __future__ import annotations

import os
from pathlib import Path

from app.adapters.parsers import parse_in_process
from app.core.types import Element, Parsed, RawFile
from app.settings import Settings


def spin_on_hostile(raw: RawFile, settings: Settings) -> Parsed:
    path = Path(raw.source)
    if path.name.startswith("hostile"):
        if path.parent.is_absolute() and path.parent.is_dir():  # lets a test check that the child was killed
            (path.parent / f"child-{os.getpid()}.pid").write_text(str(os.getpid()))
        while True:
            pass
    return parse_in_process(raw, settings)


def serving_pid(raw: RawFile, settings: Settings) -> Parsed:
    """Which process parsed: the pid of the child, as the only element."""
    return Parsed((Element(text=str(os.getpid()), type="Text"),), pages=1)
