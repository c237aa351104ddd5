"""Injection stage: each chunk's sentences that address the assistant instead of informing the
reader (app/core/injection.py), kept in the chunk's metadata. Flagged chunks stay searchable as
data; the answer paths never quote those sentences, extract facts or criteria from them, or show
them to an LLM. The model reads only the gated sentences of a document, in one batch."""

from __future__ import annotations

from dataclasses import replace

from app.core.injection import InjectionDetector
from ingest.prepare import Prepared


def flag_chunks(prep: Prepared, detector: InjectionDetector) -> tuple[Prepared, int]:
    """The document with its chunks' flagged sentences filled in, and how many chunks have one."""
    found = detector.flags_many([c.text for c in prep.chunks])
    chunks = tuple(replace(c, injection=tuple(f.sentence for f in flags)) if flags else c for c, flags in zip(prep.chunks, found))
    return replace(prep, chunks=chunks), sum(1 for flags in found if flags)
