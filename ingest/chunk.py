"""Chunk stage: structure-aware chunks that fit the embedding window.

Headings give each chunk its section path; a chunk never crosses a page or a section; tables
travel in row groups with their header; sentences (Chinese or English) are never cut unless one
alone exceeds the window.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from app.core.types import Chunk, Element
from ingest.dedupe import sha
from ingest.table_header import header_above

TokenCounter = Callable[[str], int]
_SENTENCE = re.compile(r".+?(?:[。！？!?；;]+[”’」』)]*|\.(?=\s)|\n|$)", re.DOTALL)
_TITLE_TYPES = {"Title"}


@dataclass(frozen=True)
class Unit:
    page: int
    start: int  # span in the page text
    end: int
    kind: str
    alone: bool = False  # a table row group: its own chunk
    prefix: str = ""  # the table header, repeated before a later row group


@dataclass(frozen=True)
class Chunked:
    chunks: tuple[Chunk, ...]
    page_texts: dict[int, str]


def layout_pages(elements: Sequence[Element]) -> tuple[dict[int, str], list[tuple[int, int, int]]]:
    """Page texts (elements joined by newlines) and each element's (page, start, end)."""
    pages: dict[int, list[str]] = {}
    spans = []
    for el in elements:
        page = el.page or 1
        parts = pages.setdefault(page, [])
        start = sum(len(p) + 1 for p in parts)
        text = render(el)
        parts.append(text)
        spans.append((page, start, start + len(text)))
    return {p: "\n".join(parts) for p, parts in pages.items()}, spans


def render(el: Element) -> str:
    if el.rows:
        return "\n".join(" | ".join(row) for row in el.rows)
    return el.text


def sentence_spans(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _SENTENCE.finditer(text):
        s, e = m.span()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _table_units(el: Element, page: int, start: int, text: str, count: TokenCounter, budget: int) -> list[Unit]:
    """Rows grouped to fit; the header row is repeated at the top of every group."""
    lines = text.split("\n")
    header_tokens = count(lines[0])
    units: list[Unit] = []
    offset = start + len(lines[0]) + 1
    group_start, used = offset, header_tokens
    first = True
    for line in lines[1:]:
        cost = count(line)
        if used + cost > budget and offset > group_start:
            units.append(_rows(page, start if first else group_start, offset - 1, "" if first else lines[0]))
            first, group_start, used = False, offset, header_tokens
        used += cost
        offset += len(line) + 1
    units.append(_rows(page, start if first else group_start, offset - 1, "" if first else lines[0]))
    return units


def _rows(page: int, start: int, end: int, header: str) -> Unit:
    return Unit(page, start, end, "Table", alone=True, prefix=f"{header}\n" if header else "")


def _text_units(el: Element, page: int, start: int, text: str, count: TokenCounter, budget: int) -> list[Unit]:
    if count(text) <= budget:
        return [Unit(page, start, start + len(text), el.type)]
    units = []
    for s, e in sentence_spans(text):
        units += _split_long(page, start + s, text[s:e], el.type, count, budget)
    return units


def _split_long(page: int, start: int, text: str, kind: str, count: TokenCounter, budget: int) -> list[Unit]:
    """A sentence over the window is cut into near-equal windows, at spaces where there are any."""
    total = count(text)
    if total <= budget:
        return [Unit(page, start, start + len(text), kind)]
    cap = -(-total // -(-total // budget))  # ceil(total / number of windows needed)
    units = []
    pos = 0
    while pos < len(text):
        end = _longest_fit(text, pos, count, cap)
        space = text.rfind(" ", pos, end)
        if end < len(text) and not text[end].isspace() and space > pos:
            end = space + 1
        units.append(Unit(page, start + pos, start + end, kind))
        pos = end
    return units


def _longest_fit(text: str, pos: int, count: TokenCounter, cap: int) -> int:
    lo, hi = pos + 1, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if count(text[pos:mid]) <= cap:
            lo = mid
        else:
            hi = mid - 1
    return lo


def chunk_document(
    doc_id: str, title: str, elements: Sequence[Element], count: TokenCounter, budget: int
) -> Chunked:
    page_texts, spans = layout_pages(elements)
    groups: list[tuple[str, list[Unit]]] = []
    section: list[str] = []
    for el, (page, start, end) in zip(elements, spans):
        text = page_texts[page][start:end]
        if el.type in _TITLE_TYPES and len(text) < 200:
            section = section[: max(el.depth, 0)] + [text.replace("\n", " ")]
            # a heading directly under another heading: carry the earlier one into this section
            carried = groups.pop()[1] if groups and all(u.kind == "Title" for u in groups[-1][1]) else []
            groups.append((" > ".join(section), carried + [Unit(page, start, end, "Title")]))
            continue
        if not groups:
            groups.append(("", []))
        make = _table_units if el.rows else _text_units
        groups[-1][1].extend(make(el, page, start, text, count, budget))
    chunks: list[Chunk] = []
    for path, units in groups:
        for packed in _pack(units, count, page_texts, budget):
            chunks.append(_make_chunk(doc_id, title, path, _with_header(packed, page_texts), page_texts, len(chunks)))
    return Chunked(tuple(chunks), page_texts)


def _with_header(units: list[Unit], pages: dict[int, str]) -> list[Unit]:
    """Statement rows cut below their header get the period and units lines in front (table_header.py)."""
    first = units[0]
    if first.prefix:
        return units
    page = pages[first.page]
    header = header_above(page, first.start, page[first.start : units[-1].end])
    return [replace(first, prefix=header + "\n"), *units[1:]] if header else units


def _pack(units: list[Unit], count: TokenCounter, pages: dict[int, str], budget: int) -> list[list[Unit]]:
    out: list[list[Unit]] = []
    current: list[Unit] = []
    used = 0
    for unit in units:
        cost = count(pages[unit.page][unit.start : unit.end])
        breaks = current and (
            unit.alone or current[-1].alone or unit.page != current[-1].page or used + cost > budget
        )
        if breaks:
            out.append(current)
            current, used = [], 0
        current.append(unit)
        used += cost
    if current:
        out.append(current)
    return out


def _make_chunk(doc_id: str, title: str, section: str, units: list[Unit], pages: dict[int, str], pos: int) -> Chunk:
    page = units[0].page
    start, end = units[0].start, units[-1].end
    text = units[0].prefix + pages[page][start:end]
    heading = " > ".join(x for x in (title, section) if x)
    if "Table" in {u.kind for u in units}:
        flat = text.replace("\n", " ; ")
    else:  # a line break inside Chinese text is layout, not a word boundary
        flat = re.sub(r"(?<=[\u4e00-\u9fff])\n(?=[\u4e00-\u9fff])", "", text).replace("\n", " ")
    return Chunk(
        id=sha(f"{doc_id}\0{pos}\0{text}")[:32],
        doc_id=doc_id,
        text=text,
        position=pos,
        page=page,
        section=section,
        element_types=tuple(sorted({u.kind for u in units})),
        span=(start, end),
        embed_text=f"{heading}\n{flat}" if heading else flat,
    )
