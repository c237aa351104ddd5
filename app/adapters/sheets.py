"""Spreadsheets within limits: a big sheet is summarised (its header row and the first rows, up to
SME_PARSE_MAX_ROWS_PER_SHEET, within SME_PARSE_MAX_CELLS per file), never read whole.

unstructured reads a workbook through pandas, all of it, into one HTML table per sheet: a 200k-row
XLSX took 4 GB and its 200k rows went on to be chunked and embedded. The rows are counted first,
by streaming the sheet parts (a `<row>` tag at a time, no cell parsed); a file within the limits
parses as before, a bigger one is read row by row with openpyxl's streaming reader, which stops at
the cap. The chunker then groups the kept rows under a repeated header, as for any table.
"""

from __future__ import annotations

import csv
import io
import re
import threading
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from app.adapters.parse_budget import check
from app.adapters.unstructured_parse import parse_csv as parse_csv_whole
from app.adapters.unstructured_parse import parse_xlsx as parse_xlsx_whole
from app.core.errors import DocumentError
from app.core.types import Element, Parsed, RawFile
from app.settings import Settings
from ingest.decode import decode_text

MAX_COLUMNS = 256  # columns read per row; a sheet wider than this is a data dump, not a document
_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_BLOCK = 1 << 20
CHECK_EVERY = 256  # rows between deadline checks
_LOAD_LOCK = threading.Lock()


@dataclass(frozen=True)
class Size:
    rows: int
    cells: int


def xlsx_sizes(data: bytes) -> dict[str, Size]:
    """Rows and cells of each sheet part, counted on the compressed stream as it inflates."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return {info.filename: _count(zf, info) for info in zf.infolist()
                    if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")}
    except (zipfile.BadZipFile, ValueError) as exc:
        raise DocumentError(f"not a valid .xlsx file ({exc})") from exc


def _count(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Size:
    rows = cells = 0
    tail = b""
    with zf.open(info) as part:
        while block := part.read(_BLOCK):
            check()
            text = tail + block
            cut = max(0, len(text) - 16)  # a tag split across blocks is counted in the next round
            rows += len(_ROW.findall(text, 0, cut))
            cells += len(_CELL.findall(text, 0, cut))
            tail = text[cut:]
    return Size(rows + len(_ROW.findall(tail)), cells + len(_CELL.findall(tail)))


def within(sizes: Iterable[Size], settings: Settings) -> bool:
    sizes = list(sizes)
    return (all(s.rows <= settings.parse_max_rows_per_sheet + 1 for s in sizes)
            and sum(s.cells for s in sizes) <= settings.parse_max_cells)


def parse_xlsx(f: RawFile, s: Settings) -> Parsed:
    sizes = xlsx_sizes(f.data)
    if within(sizes.values(), s):
        return parse_xlsx_whole(f, s)
    return summarise_xlsx(f, s, sizes)


def parse_csv(f: RawFile, s: Settings) -> Parsed:
    lines = f.data.count(b"\n") + 1
    if within([Size(lines, lines + f.data.count(b","))], s):
        return parse_csv_whole(f, s)
    rows = csv.reader(io.StringIO(decode_text(f.data)))
    table, note = _capped("the file", rows, lines, s, s.parse_max_cells)
    return Parsed((table,) if table else (), pages=1, notes=(note,) if note else ())


def _open_streaming(data: bytes) -> Any:
    """openpyxl's streaming reader without its size probe, which reads a whole sheet looking for
    a <dimension> tag that writers often put after the rows (6 s for 50k rows), for a declared size
    this module does not trust anyway. The probe is switched off around the load only."""
    import openpyxl
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    with _LOAD_LOCK:
        probe = ReadOnlyWorksheet._get_size
        ReadOnlyWorksheet._get_size = lambda self: None
        try:
            return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl surfaces a bad workbook as many exception types
            raise DocumentError(f"not a readable spreadsheet file ({type(exc).__name__}: {exc})") from exc
        finally:
            ReadOnlyWorksheet._get_size = probe


def summarise_xlsx(f: RawFile, s: Settings, sizes: dict[str, Size]) -> Parsed:
    book = _open_streaming(f.data)
    elements: list[Element] = []
    notes: list[str] = []
    cells_left = s.parse_max_cells
    try:
        for page, sheet in enumerate(book.worksheets, 1):
            sheet.reset_dimensions()  # a declared size is not trusted: rows are read until the cap
            declared = sizes.get(str(getattr(sheet, "_worksheet_path", "")).lstrip("/"), Size(0, 0)).rows
            rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
            table, note = _capped(f"sheet '{sheet.title}'", rows, declared, s, cells_left, page)
            if table is not None:
                elements.append(table)
                cells_left -= sum(len(r) for r in table.rows or ())
            notes += [note] if note else []
    finally:
        book.close()
    return Parsed(tuple(elements), pages=max(1, len(elements)), notes=tuple(notes))


def _capped(name: str, rows: Iterator[Iterable[Any]], total: int, s: Settings, cells_left: int,
            page: int | None = None) -> tuple[Element | None, str]:
    """The header row and data rows up to the caps, as one table; a note when rows were left out."""
    kept: list[tuple[str, ...]] = []
    cap = s.parse_max_rows_per_sheet + 1  # the header row and the data rows
    stopped_by = ""
    for n, values in enumerate(rows):
        if n % CHECK_EVERY == 0:
            check()
        cells = _trimmed(tuple(_cell(v) for v in values))
        if not cells:
            continue
        if len(kept) >= cap or len(cells) > cells_left:
            stopped_by = (f"SME_PARSE_MAX_ROWS_PER_SHEET={s.parse_max_rows_per_sheet:,}" if len(kept) >= cap
                          else f"SME_PARSE_MAX_CELLS={s.parse_max_cells:,}")
            break
        kept.append(cells)
        cells_left -= len(cells)
    if not kept:
        return None, ""
    table = Element(text=" ".join(c for row in kept for c in row if c), type="Table", page=page, rows=tuple(kept))
    if not stopped_by:
        return table, ""
    of = f"of about {max(total - 1, len(kept)):,} " if total else ""
    return table, (f"{name}: summarised, the header row and the first {len(kept) - 1:,} data rows {of}kept "
                   f"({stopped_by}); the rest was not indexed")


def _trimmed(cells: tuple[str, ...]) -> tuple[str, ...]:
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())
