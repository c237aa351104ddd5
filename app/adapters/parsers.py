"""One registry from file extension to parser; a file's magic bytes must agree with its name."""

from __future__ import annotations

import io

from app.adapters.ocr import ocr_image
from app.adapters.pdf import parse_pdf
from app.adapters.unstructured_parse import PARSERS, Parser
from app.core.errors import DocumentError
from app.core.types import Element, Parsed, RawFile
from app.settings import Settings

_ZIP_BASED = {"docx", "pptx", "xlsx"}


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
    "pdf": _pdf,
    **{ext: parse_image for ext in ("png", "jpg", "jpeg", "tif", "tiff", "bmp")},
}


def supported(ext: str) -> bool:
    return ext in REGISTRY or ext == "zip"


def parse(f: RawFile, settings: Settings) -> Parsed:
    ext = f.extension
    parser = REGISTRY.get(ext)
    if parser is None:
        raise DocumentError(f"unsupported file type '.{ext}'" if ext else "file has no extension", "rejected")
    if ext in _ZIP_BASED and not f.data.startswith(b"PK"):
        raise DocumentError(f"not a valid .{ext} file (it is not an Office Open XML container)")
    if ext == "pdf" and b"%PDF" not in f.data[:1024]:
        raise DocumentError("not a PDF file (no %PDF header)")
    return parser(f, settings)
