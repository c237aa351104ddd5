"""PDF parsing: the text layer through pypdfium2 (fast), OCR for pages without a usable one.

partition_pdf(strategy="fast") is ~60x slower than pdfium's text layer on this hardware and gives
no better text for filings, so it is opt-in (SME_PDF_STRATEGY=unstructured).
"""

from __future__ import annotations

import io
import logging
import math
import re
from typing import Any

from app.adapters.ocr import OcrPage, ocr_image
from app.adapters.parse_budget import check, needs_child
from app.core.errors import DocumentError
from app.core.types import Element, Parsed
from app.settings import Settings

logger = logging.getLogger(__name__)
MAX_RENDER_PIXELS = 25_000_000  # ~A2 at 200 dpi; 75 MB as RGB
_HEADING = re.compile(r"^(第[一二三四五六七八九十百零\d]+[章节编篇]|[一二三四五六七八九十]+、|(PART|Item|ITEM|Part)\s+[\dIVX]+[.:]?\s)")


def _open(data: bytes):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise DocumentError("PDF is password-protected; ask the owner for an unencrypted copy") from exc
        raise DocumentError(f"PDF is damaged or truncated and cannot be opened ({msg})") from exc


def _line_elements(lines: list[str], page: int) -> list[Element]:
    out = []
    for line in lines:
        line = line.strip()
        if line:
            kind = "Title" if _HEADING.match(line) and len(line) < 80 else "Text"
            out.append(Element(text=line, type=kind, page=page))
    return out


def parse_pdf(data: bytes, settings: Settings) -> Parsed:
    """Text layer of every page first (cheap), then OCR of the pages without one; limits on pages
    and OCR'd pages are checked before the work they bound, the deadline at every page."""
    if settings.pdf_strategy == "unstructured":
        return _parse_with_unstructured(data)
    pdf = _open(data)
    try:
        pages = len(pdf)
        if pages > settings.parse_max_pages:
            raise DocumentError(f"the PDF has {pages:,} pages, over the {settings.parse_max_pages:,}-page limit "
                                "(SME_PARSE_MAX_PAGES); the file was skipped", "rejected")
        texts = []
        for index in range(pages):
            check()
            texts.append(pdf[index].get_textpage().get_text_range())
        blank = [i for i, text in enumerate(texts) if len(re.sub(r"\s", "", text)) < settings.ocr_min_chars]
        _check_ocr_pages(len(blank), pages, settings)
        read: dict[int, OcrPage] = {}
        for index in blank:
            check()
            read[index] = _ocr_page(pdf[index], settings)
        title = (pdf.get_metadata_dict().get("Title") or "").strip()
    finally:
        pdf.close()
    elements: list[Element] = []
    for index, text in enumerate(texts):
        lines = list(read[index].lines) if index in read else text.splitlines()
        elements += _line_elements(lines, index + 1)
    confidences = [r.confidence for r in read.values()]
    conf = sum(confidences) / len(confidences) if confidences else None
    return Parsed(tuple(elements), pages=pages, title=title, ocr_pages=tuple(i + 1 for i in blank), ocr_confidence=conf)


def _check_ocr_pages(count: int, pages: int, settings: Settings) -> None:
    if count > settings.parse_max_ocr_pages:
        raise DocumentError(f"{count:,} of the PDF's {pages:,} pages have no text layer and would need OCR, over the "
                            f"limit of {settings.parse_max_ocr_pages:,} (SME_PARSE_MAX_OCR_PAGES); the file was skipped",
                            "rejected")
    if count:
        needs_child("OCR")  # slow, and done by a helper process: in the parse child, where it can be killed


def _ocr_page(page: Any, settings: Settings) -> OcrPage:
    """The page rendered at the OCR resolution, or lower when that would pass MAX_RENDER_PIXELS
    (a page's declared size is the file's to choose: a 200-inch page at 200 dpi is 1.6 GB)."""
    width, height = page.get_size()
    scale = settings.ocr_dpi / 72
    if width * height * scale * scale > MAX_RENDER_PIXELS:
        scale = math.sqrt(MAX_RENDER_PIXELS / max(width * height, 1.0))
    return ocr_image(page.render(scale=scale).to_pil(), settings.ocr_languages)


def _parse_with_unstructured(data: bytes) -> Parsed:
    from app.adapters.offline import patch_unstructured

    patch_unstructured()
    from unstructured.partition.pdf import partition_pdf

    from app.adapters.unstructured_parse import to_elements

    try:
        raw = partition_pdf(file=io.BytesIO(data), strategy="fast")
    except Exception as exc:  # unstructured raises many types for bad PDFs
        raise DocumentError(f"PDF could not be parsed ({type(exc).__name__}: {exc})") from exc
    elements = to_elements(raw)
    pages = max((e.page or 1 for e in elements), default=0)
    return Parsed(tuple(elements), pages=pages)
