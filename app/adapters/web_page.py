"""Web pages: the main content by trafilatura (jusText as fallback), page metadata, and the rest
of the page kept as `Boilerplate` elements so the cleaning stage can count and explain them.

Also reads text files that are pages in disguise: saved HTML with a .txt name goes through the same
extractor; a scraped page saved as plain text (one item per line) is split per line, because
unstructured joins single-newline lines into one paragraph and menus would ride with the article.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from app.adapters.page_meta import page_meta
from app.adapters.unstructured_parse import bounded_lines, parse_html, parse_text
from app.core.types import Element, Parsed, RawFile
from app.settings import Settings
from ingest.decode import decode_text

logger = logging.getLogger(__name__)
BOILERPLATE = "Boilerplate"  # an element the extractor judged not to be main content
_TAGS = re.compile(r"<(p|div|span|a|li|ul|td|tr|br|h[1-6]|html|body|script|style|table|meta|img)\b[^<>]{0,400}>", re.IGNORECASE)
_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dd", "dt", "blockquote", "pre",
           "div", "section", "article", "header", "footer", "nav", "aside", "form", "button", "label",
           "option", "figcaption", "caption")
_SKIP = {"script", "style", "noscript", "template", "head", "title", "meta", "link", "svg", "iframe"}
_XML_TYPES = {"head": "Title", "p": "NarrativeText", "item": "ListItem", "quote": "NarrativeText",
              "code": "NarrativeText"}
_SENTENCE_END = re.compile(r"[。！？!?.;；:：]$")
_TAG_TYPES = {**{f"h{n}": "Title" for n in range(1, 7)}, "li": "ListItem", "dt": "ListItem", "dd": "ListItem"}


def looks_like_html(text: str) -> bool:
    """Markup rather than text with an odd angle bracket: several real tags in the first 20 kB."""
    return len(_TAGS.findall(text[:20_000])) >= 5


def parse_web(f: RawFile, s: Settings) -> Parsed:
    return extract_page(decode_text(f.data)) or parse_html(f, s)


def parse_page_text(f: RawFile, s: Settings) -> Parsed:
    """A .txt file: saved HTML → the extractor; a line-per-item scraped page → one element per line;
    hard-wrapped prose → the ordinary text parser, which joins wrapped lines."""
    text = decode_text(f.data)
    if looks_like_html(text) and (page := extract_page(text)) is not None:
        return page
    lines = [ln.strip() for ln in bounded_lines(text.replace("\r\n", "\n")).split("\n")]
    if _hard_wrapped([ln for ln in lines if ln]):
        return parse_text(f, s)
    elements = tuple(Element(text=ln, type=_line_type(ln)) for ln in lines if ln)
    title = next((e.text for e in elements if e.type == "Title" and len(e.text) >= 6), "")
    return Parsed(elements, pages=1, title=title)


def _hard_wrapped(lines: list[str]) -> bool:
    """Prose wrapped at a fixed width: most long lines end near the same column without a sentence end."""
    long = [ln for ln in lines if len(ln) >= 40]
    if len(long) < 4 or len(long) < len(lines) * 0.4:
        return False
    width = sorted(len(ln) for ln in long)[int(len(long) * 0.9)]
    near = [ln for ln in long if len(ln) >= width * 0.8 and not _SENTENCE_END.search(ln)]
    return len(near) >= len(long) * 0.5


def _line_type(line: str) -> str:
    if re.match(r"^\s*(?:[-*•·▪‣◦]|\d{1,3}[.)、])\s+", line):
        return "ListItem"
    short = len(line) <= 60 and not _SENTENCE_END.search(line)
    return "Title" if short and not re.search(r"[，,。]", line) else "NarrativeText"


def extract_page(html: str) -> Parsed | None:
    """Main content as elements (plus the rest as Boilerplate), title and metadata; None when
    neither extractor finds content (a fragment, a bare table): the caller partitions it whole."""
    import lxml.html

    try:
        # (bytes, as a declared encoding in a str is refused; the text is already decoded, so the parser is told it is
        # UTF-8: a page that declares no charset would otherwise be read as Latin-1, every Chinese character mojibake)
        tree = lxml.html.fromstring(html.encode("utf-8", "replace"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (ValueError, lxml.etree.ParserError) as exc:
        logger.info("page is not parseable HTML (%s)", exc)
        return None
    blocks = list(page_blocks(tree))
    meta = page_meta(tree)
    main = _trafilatura(tree)
    if main and _merged(main, blocks):
        # its baseline joins the page into one paragraph (short CJK paragraphs fall under its length
        # thresholds): its text still says what is content, the page's blocks say where lines end
        elements = _split(main, blocks)
    else:
        elements = _interleave(main or _justext(html), blocks)
    if not any(e.type != BOILERPLATE for e in elements):
        return None
    title = meta.get("title", "")
    elements = tuple(Element(e.text, "Title") if e.type == BOILERPLATE and _key(e.text) == _key(title) else e
                     for e in elements)  # the extractor moves the headline to metadata
    return Parsed(elements, title=title, meta=tuple(meta.items()))


def _merged(main: list[Element], blocks: list[Block]) -> bool:
    keys = [_key(b.text) for b in blocks if len(_key(b.text)) >= 2]
    return any(sum(1 for k in keys if k in _key(e.text)) >= 3 for e in main)


def _split(main: list[Element], blocks: list[Block]) -> tuple[Element, ...]:
    """The page's blocks, each main content when the extractor's merged text holds it."""
    kept = "\n".join(_key(e.text) for e in main)
    return tuple(Element(b.text, _TAG_TYPES.get(b.tag, "NarrativeText"), link_ratio=b.link_ratio)
                 if _key(b.text) in kept else Element(b.text, BOILERPLATE, link_ratio=b.link_ratio)
                 for b in blocks if _key(b.text))


@dataclass(frozen=True)
class Block:
    text: str
    link_ratio: float  # share of the text inside links
    tag: str


def page_blocks(tree: Any) -> Iterator[Block]:
    """Every visible text block of a page in order, with its share of link text. A container's
    child blocks come as their own; the container gives only its loose text (a notice's sentence
    beside its button). One walk with an explicit stack: hostile nesting cannot exhaust recursion."""
    stack: list[tuple[Any, bool]] = [(tree, False)]
    while stack:
        el, in_link = stack.pop()
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag or tag in _SKIP:
            continue
        in_link = in_link or tag == "a"
        if tag in _BLOCKS:
            parts: list[str] = [el.text or ""]
            links: list[str] = []
            _loose_text(el, parts, links)
            if text := " ".join(" ".join(parts).split()):
                linked = len(text) if in_link else sum(len(t.strip()) for t in links)
                yield Block(text, min(1.0, linked / len(text)), tag)
        stack.extend((child, in_link) for child in reversed(el))


def _loose_text(node: Any, parts: list[str], links: list[str]) -> None:
    """The text under `node` outside any nested block, in order; link texts also into `links`."""
    for child in node:
        if isinstance(child.tag, str) and child.tag not in _BLOCKS and child.tag not in _SKIP:
            inner: list[str] = [child.text or ""]
            _loose_text(child, inner, links)
            if child.tag == "a":
                links.append("".join(inner))
            parts.extend(inner)
        parts.append(child.tail or "")


def _trafilatura(tree: Any) -> list[Element]:
    import trafilatura

    try:  # the extractor prunes the tree it is given: blocks and metadata are read before
        doc = trafilatura.bare_extraction(tree, include_comments=False, include_tables=True,
                                          favor_recall=True, with_metadata=False, fast=True)
    except Exception as exc:  # noqa: BLE001 - the extractor raises many kinds on hostile markup; fall back
        logger.info("trafilatura failed (%s: %s)", type(exc).__name__, exc)
        return []
    body = getattr(doc, "body", None) if doc is not None else None
    return list(_xml_elements(body)) if body is not None else []


def _xml_elements(body: Any) -> Iterator[Element]:
    for node in body:
        if node.tag == "table":
            rows = tuple(tuple(" ".join(c.text_content().split()) if hasattr(c, "text_content") else
                               " ".join("".join(c.itertext()).split()) for c in row) for row in node.iter("row"))
            rows = tuple(r for r in rows if any(r))
            if rows:
                yield Element(" | ".join(" | ".join(r) for r in rows), "Table", rows=rows)
        elif node.tag == "list":
            for item in node.iter("item"):
                if text := " ".join("".join(item.itertext()).split()):
                    yield Element(text, "ListItem")
        elif text := " ".join("".join(node.itertext()).split()):
            yield Element(text, _XML_TYPES.get(node.tag, "NarrativeText"))


def _justext(html: str) -> list[Element]:
    import justext

    try:
        paragraphs = justext.justext(html.encode("utf-8", "replace"), frozenset(), encoding="utf-8")
    except Exception as exc:  # noqa: BLE001 - a fallback must not fail the file
        logger.info("jusText failed (%s: %s)", type(exc).__name__, exc)
        return []
    return [Element(p.text, "Title" if p.is_heading else "NarrativeText") for p in paragraphs if not p.is_boilerplate]


def _interleave(main: list[Element], blocks: list[Block]) -> tuple[Element, ...]:
    """Main-content elements in order, with each page block the extractor left out placed where it
    stood on the page as a Boilerplate element (a block inside a kept paragraph is not left out)."""
    kept = "\n".join(_key(e.text) for e in main)
    out: list[Element] = []
    queue = list(main)
    for block in blocks:
        key = _key(block.text)
        if key and key in kept:
            at = next((i for i, e in enumerate(queue) if key in _key(e.text) or _key(e.text) in key), -1)
            out.extend(queue[: at + 1])
            del queue[: at + 1]
        elif key:
            out.append(Element(block.text, BOILERPLATE, link_ratio=block.link_ratio))
    return (*out, *queue)


def _key(text: str) -> str:
    return "".join(text.split())
