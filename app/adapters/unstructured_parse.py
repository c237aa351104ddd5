"""Partition office files, web pages, text and e-mail with unstructured, into our Elements."""

from __future__ import annotations

import email
import email.policy
import io
import logging
import re
from collections.abc import Callable, Iterable
from typing import Any

from app.adapters.offline import patch_unstructured
from app.core.errors import DocumentError
from app.core.types import Element, Parsed, RawFile
from app.settings import Settings
from ingest.decode import decode_text

logger = logging.getLogger(__name__)
Parser = Callable[[RawFile, Settings], Parsed]


def table_rows(html_table: str) -> tuple[tuple[str, ...], ...]:
    import lxml.html

    tree = lxml.html.fromstring(html_table)
    rows = []
    for tr in tree.iter("tr"):
        cells = tuple(" ".join(td.text_content().split()) for td in tr if td.tag in ("td", "th"))
        if any(cells):
            rows.append(cells)
    return tuple(rows)


def to_elements(raw: Iterable[Any]) -> list[Element]:
    out: list[Element] = []
    for el in raw:
        meta = el.metadata
        html = getattr(meta, "text_as_html", None)
        rows = table_rows(html) if el.category == "Table" and html else None
        text = el.text or ""
        links = sum(len(t) for t in (getattr(meta, "link_texts", None) or []) if t)
        out.append(
            Element(
                text=text,
                type=_element_type(el.category, text),
                link_ratio=min(1.0, links / len(text)) if text else 0.0,
                page=getattr(meta, "page_number", None),
                depth=getattr(meta, "category_depth", None) or 0,
                rows=rows,
            )
        )
    return out


_CN_HEADING = re.compile(r"^(第[一二三四五六七八九十百零\d]+[章节编篇部分]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


def _element_type(category: str, text: str) -> str:
    """unstructured's title guess is built for English: a Chinese sentence is not a heading."""
    if category == "Title" and (re.search(r"[。；;！？]$", text.strip()) or len(text) > 60):
        return "NarrativeText"
    if category != "Title" and _CN_HEADING.match(text) and len(text) <= 30 and not re.search(r"[。；]", text):
        return "Title"
    return str(category)


def _guard(kind: str, fn: Callable[[], list[Any]]) -> list[Any]:
    patch_unstructured()
    try:
        return fn()
    except DocumentError:
        raise
    except Exception as exc:  # unstructured surfaces format errors as many exception types
        raise DocumentError(f"not a readable {kind} file ({type(exc).__name__}: {exc})") from exc


def _parsed(raw: list[Any], title: str = "") -> Parsed:
    elements = to_elements(raw)
    pages = max((e.page or 1 for e in elements), default=1)
    first_title = next((e.text for e in elements if e.type == "Title"), "")
    return Parsed(tuple(elements), pages=pages, title=title or first_title)


def parse_docx(f: RawFile, s: Settings) -> Parsed:
    from unstructured.partition.docx import partition_docx

    return _parsed(_guard("DOCX", lambda: partition_docx(file=io.BytesIO(f.data), languages=[""])))


def parse_pptx(f: RawFile, s: Settings) -> Parsed:
    from unstructured.partition.pptx import partition_pptx

    return _parsed(_guard("PPTX", lambda: partition_pptx(file=io.BytesIO(f.data), languages=[""])))


def parse_xlsx(f: RawFile, s: Settings) -> Parsed:
    from unstructured.partition.xlsx import partition_xlsx

    raw = _guard("spreadsheet", lambda: partition_xlsx(file=io.BytesIO(f.data), find_subtable=False, languages=[""]))
    return _parsed(raw)


def parse_csv(f: RawFile, s: Settings) -> Parsed:
    from unstructured.partition.csv import partition_csv

    text = decode_text(f.data)
    return _parsed(_guard("CSV", lambda: partition_csv(file=io.BytesIO(text.encode("utf-8")), languages=[""])))


def parse_html(f: RawFile, s: Settings) -> Parsed:
    from unstructured.partition.html import partition_html

    text = decode_text(f.data)
    return _parsed(_guard("HTML", lambda: partition_html(text=text, languages=[""])))


def parse_md(f: RawFile, s: Settings) -> Parsed:
    from unstructured.partition.md import partition_md

    text = decode_text(f.data)
    return _parsed(_guard("Markdown", lambda: partition_md(text=text, languages=[""])))


def parse_text(f: RawFile, s: Settings) -> Parsed:
    from unstructured.partition.text import partition_text

    text = decode_text(f.data)
    return _parsed(_guard("text", lambda: partition_text(text=text, languages=[""])))


def parse_eml(f: RawFile, s: Settings) -> Parsed:
    """Body through unstructured; each attachment becomes a document of its own."""
    msg = email.message_from_bytes(f.data, policy=email.policy.default)
    if not msg.keys():
        raise DocumentError("not an e-mail message (no headers)")
    body = msg.get_body(preferencelist=("plain", "html"))
    content = body.get_content() if body is not None else ""
    is_html = body is not None and body.get_content_type() == "text/html"
    signature = ""
    if not is_html:  # RFC 3676 signature block: everything after a "-- " line
        parts = re.split(r"\r?\n--[ \t]*\r?\n", content)
        if len(parts) > 1:
            content, signature = "\n-- \n".join(parts[:-1]), parts[-1]
    inner = RawFile(source=f.source, data=content.encode("utf-8"), depth=f.depth)
    parsed = parse_html(inner, s) if is_html else parse_text(inner, s)
    tail = (Element(text=signature, type="EmailSignature"),) if signature.strip() else ()
    attachments = tuple(
        RawFile(f"{f.source}!/{part.get_filename() or f'attachment-{i}'}", _payload(part), f.depth + 1)
        for i, part in enumerate(msg.iter_attachments())
    )
    header = [Element(text=f"{k}: {msg[k]}", type="EmailHeader") for k in ("From", "To", "Date") if msg[k]]
    subject = str(msg["Subject"] or "")
    return Parsed(tuple(header) + parsed.elements + tail, pages=1, title=subject, attachments=attachments)


def _payload(part: Any) -> bytes:
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


PARSERS: dict[str, Parser] = {
    "docx": parse_docx,
    "pptx": parse_pptx,
    "xlsx": parse_xlsx,
    "xls": parse_xlsx,
    "csv": parse_csv,
    "html": parse_html,
    "htm": parse_html,
    "md": parse_md,
    "markdown": parse_md,
    "txt": parse_text,
    "text": parse_text,
    "eml": parse_eml,
}
