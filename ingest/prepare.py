"""Per-file work that needs no shared state: parse → clean → assess → sign → chunk.

Runs in worker threads while the main thread embeds and writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from app.core.textnorm import detect_lang
from app.core.tokenize import tokens as sparse_tokens
from app.core.types import Chunk, Parsed, Quality, RawFile
from app.settings import Settings
from ingest.chunk import chunk_document, layout_pages
from ingest.clean import clean
from ingest.dedupe import content_key, signature
from ingest.doc_meta import document_meta
from ingest.quality import assess

Parse = Callable[[RawFile, Settings], Parsed]


@dataclass(frozen=True)
class Prepared:
    raw: RawFile
    doc_id: str
    title: str
    text: str
    text_sha: str
    lang: str
    pages: int
    quality: Quality
    removed: dict[str, int]
    signature: np.ndarray
    chunks: tuple[Chunk, ...]
    page_texts: dict[int, str]
    tokens: int
    sparse: dict[str, list[str]]  # chunk id -> BM25 tokens
    attachments: tuple[RawFile, ...]
    notes: tuple[str, ...] = ()  # what the parser left out (limits reached), for the report and the document
    meta: dict[str, str] = field(default_factory=dict)  # a web page's date, author, site, url


def _title(parsed: Parsed, raw: RawFile) -> str:
    name = raw.source.rsplit("/", 1)[-1]
    return (parsed.title or name)[:300]


def prepare(raw: RawFile, doc_id: str, parse: Parse, settings: Settings, count: Callable[[str], int]) -> Prepared:
    parsed = parse(raw, settings)
    cleaned = clean(parsed.elements, pages=parsed.pages)
    removed = {**cleaned.removed, **{f"repaired_{k}": v for k, v in cleaned.repaired.items()}}
    text = "\n".join(el.text for el in cleaned.elements)
    lang = detect_lang(text)
    title = _title(parsed, raw)
    chunked = chunk_document(doc_id, title, cleaned.elements, count, settings.chunk_tokens)
    tokens = sum(min(count(c.embed_text) + 2, settings.embed_max_tokens) for c in chunked.chunks)
    return Prepared(
        raw=raw,
        doc_id=doc_id,
        title=title,
        text=text,
        text_sha=content_key(text),
        lang=lang,
        pages=parsed.pages,
        quality=assess(text, lang, parsed.ocr_confidence, settings.quality_threshold),
        removed=removed,
        signature=signature(text),
        chunks=chunked.chunks,
        page_texts=chunked.page_texts,
        tokens=tokens,
        sparse={c.id: sparse_tokens(c.embed_text) for c in chunked.chunks},
        # what the document says of itself on its cover (entity, type, period), then a web page's own metadata
        meta={**document_meta(title, chunked.page_texts), **{k: v[:300] for k, v in parsed.meta if k != "title" and v}},
        attachments=parsed.attachments,
        notes=parsed.notes,
    )


def page_texts(raw: RawFile, parse: Parse, settings: Settings) -> tuple[str, dict[int, str]]:
    """Title and cleaned page texts, without chunking or embedding: what profiling reads.
    Cleaned as a paged document whatever its length: the off-topic test is for a web page's debris,
    and in a one-page letter it dropped the shortest facts ("本公司纳税信用等级为A级。")."""
    parsed = parse(raw, settings)
    cleaned = clean(parsed.elements, pages=max(parsed.pages, 2))
    return _title(parsed, raw), layout_pages(cleaned.elements)[0]
