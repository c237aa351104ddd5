"""Batch input: enterprises.jsonl records or a folder of per-enterprise folders, read into
ProfileInput (facts with provenance + the text the classifiers read).

A record is `{"id", "name"?, "text"?, "docs"?}`; `docs` lists files (relative to the JSONL file's
folder, or absolute) or `{"text": ...}` objects. A folder argument holding sub-folders is one
enterprise per sub-folder (the folder name is its id); a folder of plain files is one enterprise.
Files are parsed, cleaned and read page by page like ingestion does, without indexing them.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app.adapters.parsers import parse
from app.core.enterprise_facts import document_facts, text_facts
from app.core.errors import DocumentError, InputError
from app.core.profiler import ProfileInput
from app.core.shown_names import shown_name
from app.core.types import Fact
from app.settings import Settings
from ingest.load import discover, read_file
from ingest.prepare import page_texts

logger = logging.getLogger(__name__)


def folder_records(folder: Path) -> Iterator[dict[str, Any]]:
    subdirs = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not subdirs:
        yield {"id": folder.name, "docs": [str(p) for p in discover([folder])]}
        return
    for sub in subdirs:
        yield {"id": sub.name, "docs": [str(p) for p in discover([sub])]}


def jsonl_records(path: Path, bad: list[str]) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict) or not str(record.get("id") or "").strip():
                    raise ValueError("no 'id'")
            except (json.JSONDecodeError, ValueError) as exc:
                bad.append(f"{path.name}:{n}: {exc}")
                logger.warning("skipping %s:%d: %s", path, n, exc)
                continue
            docs = record.get("docs") or []
            if not isinstance(docs, list):
                bad.append(f"{path.name}:{n}: 'docs' must be a list")
                continue
            record["docs"] = [str(path.parent / d) if isinstance(d, str) and not Path(d).is_absolute() else d for d in docs]
            yield record


def read_input(record: dict[str, Any], settings: Settings) -> ProfileInput:
    """Facts and text of one enterprise. A file that cannot be read (corrupt, empty, no text) is
    listed in `failed_files` and the rest is profiled; with nothing readable the enterprise fails."""
    facts: list[Fact] = []
    texts: list[str] = []
    failed: list[str] = []
    if record.get("text"):
        text = str(record["text"])
        facts += text_facts(text)
        texts.append(text)
    for doc in record.get("docs") or []:
        if isinstance(doc, dict):
            facts += text_facts(str(doc.get("text") or ""), str(doc.get("source_type") or "text"))
            texts.append(str(doc.get("text") or ""))
            continue
        try:
            doc_facts, text = _read_doc(Path(doc), settings)
        except (DocumentError, OSError, ValueError) as exc:
            failed.append(f"{shown_name(Path(doc).name)}: {exc}")
            logger.warning("enterprise %s: skipping %s: %s", record.get("id"), doc, exc)
            continue
        facts += doc_facts
        texts.append(text)
    if not texts:
        raise InputError("no readable documents" + (f" ({'; '.join(failed)})" if failed else " (no 'text' and no 'docs')"))
    return ProfileInput(str(record["id"]), tuple(facts), "\n".join(texts), shown_name(str(record.get("name") or "")),
                        tuple(failed))


def _read_doc(path: Path, settings: Settings) -> tuple[list[Fact], str]:
    raw = read_file(path, settings)
    title, pages = page_texts(raw, parse, settings)
    text = "\n".join(pages[p] for p in sorted(pages))
    if not text.strip():
        raise DocumentError("no text could be read")
    doc_id = hashlib.sha256(raw.data).hexdigest()[:32]
    return document_facts(doc_id, title, raw.source, pages), text

