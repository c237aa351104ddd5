"""`sme ingest --explain`: what cleaning removes from each file and why, without indexing anything."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from app.adapters.parsers import parse
from app.core.errors import DocumentError
from app.core.types import RawFile
from app.settings import Settings
from ingest.clean import clean
from ingest.load import discover, read_file


def explain(raw: RawFile, settings: Settings) -> list[str]:
    """Lines for one file: its metadata, each removed element with its reason, and the counts."""
    try:
        parsed = parse(raw, settings)
    except DocumentError as exc:
        return [f"{raw.source}: {exc.status}: {exc}"]
    cleaned = clean(parsed.elements, pages=parsed.pages)
    out = [f"{raw.source}: kept {len(cleaned.elements)} elements, removed {len(cleaned.dropped)}"]
    out += [f"  meta {k}: {v}" for k, v in parsed.meta]
    out += [f"  - [{reason}] {' '.join(text.split())[:160]}" for reason, text in cleaned.dropped]
    counts = Counter(reason for reason, _ in cleaned.dropped)
    out.append("  removed by reason: " + (", ".join(f"{r} {n}" for r, n in counts.most_common()) or "none"))
    return out


def explain_paths(paths: list[Path], settings: Settings) -> list[str]:
    lines: list[str] = []
    for path in discover(paths):
        try:
            lines += explain(read_file(path, settings), settings)
        except DocumentError as exc:
            lines.append(f"{path}: {exc.status}: {exc}")
    return lines
