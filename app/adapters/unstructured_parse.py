"""Partition office files, web pages, text and e-mail with unstructured, into our Elements."""

from __future__ import annotations

import email
import email.policy
import io
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
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


@lru_cache(maxsize=1)
def _harden_unstructured() -> None:
    """unstructured tests every element against a US "City, ST 12345" pattern whose city part
    (1-5 words of 2-16 letters, spaces optional) backtracks through every split of a long run of
    letters: 40 ms per paragraph, minutes for a hostile DOCX. An atomic group keeps the first
    split; it only misses cities with a 17+ letter word."""
    from unstructured.nlp import patterns
    from unstructured.partition import text_type

    city = r"(?:[A-Z][a-z.-]{1,15}[ ]?){1,5}"
    if city in patterns.US_CITY_STATE_ZIP_PATTERN:
        text_type.US_CITY_STATE_ZIP_RE = re.compile(patterns.US_CITY_STATE_ZIP_PATTERN.replace(city, f"(?>{city})"))
    else:  # a later unstructured changed the pattern: keep theirs, say so once
        logger.warning("unstructured's US_CITY_STATE_ZIP_PATTERN changed; its backtracking guard is not applied")


def _guard(kind: str, fn: Callable[[], list[Any]]) -> list[Any]:
    patch_unstructured()
    _harden_unstructured()
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
    text = bounded_lines(decode_text(f.data))
    if len(text) > FAST_TEXT_CHARS:
        elements = tuple(fast_text_elements(text))
        return Parsed(elements, pages=1, title=next((e.text for e in elements if e.type == "Title"), ""))
    from unstructured.partition.text import partition_text

    return _parsed(_guard("text", lambda: partition_text(text=text, languages=[""])))


# Longer lines (a whole file on one line, minified exports) are cut into pseudo-paragraphs, so no
# element is bigger than a page and every stage after parsing sees bounded pieces.
MAX_LINE_CHARS = 4_000
# unstructured runs an English POS tagger over every element (about 10k words/s on one core) to
# guess titles; over spaCy's own 1M-character limit a text file is split by its blank lines instead.
FAST_TEXT_CHARS = 1_000_000
_SENTENCE_END = re.compile(r"[。！？；]|[.!?;](?=\s)")
_SPACE = re.compile(r"\s")
_BULLET = re.compile(r"^\s*(?:[-*•·▪‣◦]|\d{1,3}[.)、])\s+")
_ENDS_LIKE_SENTENCE = re.compile(r"[.。!！?？;；:：,，、]$")


def bounded_lines(text: str, limit: int = MAX_LINE_CHARS) -> str:
    if all(len(line) <= limit for line in text.split("\n")):
        return text
    return "\n".join(piece for line in text.split("\n") for piece in _cut(line, limit))


def _cut(line: str, limit: int) -> Iterator[str]:
    """A long line in pieces of at most `limit` characters, each a paragraph of its own, cut after
    the last sentence end in the window's second half, else the last space, else at the limit."""
    while len(line) > limit:
        window = line[:limit]
        at = next((ends[-1] for p in (_SENTENCE_END, _SPACE) if (ends := [m.end() for m in p.finditer(window, limit // 2)])),
                  limit)
        yield line[:at].strip()
        yield ""
        line = line[at:].lstrip()
    yield line


def fast_text_elements(text: str) -> Iterator[Element]:
    """Paragraphs by blank lines, typed by cheap rules: a short line that does not end like a sentence is a title."""
    for block in re.split(r"\n\s*\n", text):
        if para := block.strip():
            yield Element(text=para, type=_fast_type(para))


def _fast_type(text: str) -> str:
    if _BULLET.match(text):
        return "ListItem"
    words = len(text.split())
    if len(text) <= 80 and words <= 12 and not _ENDS_LIKE_SENTENCE.search(text) and any(c.isalpha() for c in text):
        return "Title"
    return _element_type("NarrativeText", text)


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
