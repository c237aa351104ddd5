"""One registry from file extension to parser; a file's magic bytes must agree with its name.

Every parse has a time budget (SME_PARSE_TIMEOUT_S) and content limits (`parse_budget`, `sheets`,
the PDF parser's page limits). Big files (office files by their uncompressed size), images and
any file that turns out to need OCR are parsed in a child process killed at its time or memory
budget (`parse_sandbox`); small ones in this process, where the cost of a round trip to the child
would dominate (~14 ms), stopping at their deadline at the next page or row.
"""

from __future__ import annotations

import io
import zipfile

from app.adapters import sheets
from app.adapters.ocr import ocr_image
from app.adapters.parse_budget import NeedsChild, cap_text, check, deadline, deferring
from app.adapters.parse_sandbox import isolated_parse
from app.adapters.pdf import parse_pdf
from app.adapters.unstructured_parse import PARSERS, Parser
from app.adapters.web_page import parse_page_text, parse_web
from app.core.errors import DocumentError
from app.core.types import Element, Parsed, RawFile
from app.settings import Settings

_ZIP_BASED = {"docx", "pptx", "xlsx"}
_IMAGES = ("png", "jpg", "jpeg", "tif", "tiff", "bmp")
_SLOW = {*_IMAGES, "xls"}  # OCR'd, or read whole by pandas: always in the child
MB = 1024 * 1024


def parse_image(f: RawFile, s: Settings) -> Parsed:
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(f.data))
        image.load()
    except (UnidentifiedImageError, OSError) as exc:
        raise DocumentError(f"not a readable image ({exc})") from exc
    result = ocr_image(image, s.ocr_languages)
    elements = tuple(Element(text=line, type="Text", page=1) for line in result.lines)
    return Parsed(elements, pages=1, ocr_pages=(1,), ocr_confidence=result.confidence)


def _pdf(f: RawFile, s: Settings) -> Parsed:
    return parse_pdf(f.data, s)


REGISTRY: dict[str, Parser] = {
    **PARSERS,
    **{ext: parse_web for ext in ("html", "htm")},  # main content first (trafilatura), the rest marked
    **{ext: parse_page_text for ext in ("txt", "text")},  # saved pages and line-per-item scrapes
    "xlsx": sheets.parse_xlsx,
    "csv": sheets.parse_csv,
    "pdf": _pdf,
    **{ext: parse_image for ext in _IMAGES},
}


def supported(ext: str) -> bool:
    return ext in REGISTRY or ext == "zip"


def parse(f: RawFile, settings: Settings) -> Parsed:
    _parser_for(f)
    size = _expanded_size(f, settings)
    if settings.parse_timeout_s <= 0:
        return parse_in_process(f, settings)
    if size >= settings.parse_isolate_mb * MB or f.extension in _SLOW:
        return isolated_parse(parse_in_process, f, settings)
    try:
        with deferring():
            return parse_in_process(f, settings)
    except NeedsChild:
        return isolated_parse(parse_in_process, f, settings)


def parse_in_process(f: RawFile, settings: Settings) -> Parsed:
    """The parser for `f` within the file's deadline, its text within SME_PARSE_MAX_CHARS."""
    with deadline(settings.parse_timeout_s):
        parsed = _parser_for(f)(f, settings)
        check()  # a library call that cannot stop midway (unstructured) is judged when it returns
    return cap_text(parsed, settings.parse_max_chars)


def _parser_for(f: RawFile) -> Parser:
    ext = f.extension
    parser = REGISTRY.get(ext)
    if parser is None:
        raise DocumentError(f"unsupported file type '.{ext}'" if ext else "file has no extension", "rejected")
    if ext in _ZIP_BASED and not f.data.startswith(b"PK"):
        raise DocumentError(f"not a valid .{ext} file (it is not an Office Open XML container)")
    if ext == "pdf" and b"%PDF" not in f.data[:1024]:
        raise DocumentError("not a PDF file (no %PDF header)")
    return parser


def _expanded_size(f: RawFile, settings: Settings) -> int:
    """Bytes the parser will read: an office file's parts uncompressed, bounded like a ZIP archive."""
    if f.extension not in _ZIP_BASED:
        return len(f.data)
    try:
        total = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(f.data)).infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise DocumentError(f"not a valid .{f.extension} file ({exc})") from exc
    if total > settings.zip_max_total_mb * MB:
        raise DocumentError(f"the .{f.extension} file expands to {total / MB:.0f} MB, over the "
                            f"{settings.zip_max_total_mb:g} MB limit (possible decompression bomb)", "rejected")
    return total
