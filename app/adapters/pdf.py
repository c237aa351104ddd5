"""PDF parsing: the text layer through pypdfium2 (fast), OCR for pages without a usable one.

partition_pdf(strategy="fast") is ~60x slower than pdfium's text layer on this hardware and gives
no better text for filings, so it is opt-in (SME_PDF_STRATEGY=unstructured).
"""

from __future__ import annotations

import io
import logging
import re

from app.adapters.ocr import ocr_image
from app.core.errors import DocumentError
from app.core.types import Element, Parsed
from app.settings import Settings

logger = logging.getLogger(__name__)
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
    if settings.pdf_strategy == "unstructured":
        return _parse_with_unstructured(data)
    pdf = _open(data)
    elements: list[Element] = []
    ocr_pages: list[int] = []
    confidences: list[float] = []
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            text = page.get_textpage().get_text_range()
            if len(re.sub(r"\s", "", text)) >= settings.ocr_min_chars:
                elements += _line_elements(text.splitlines(), index + 1)
                continue
            image = page.render(scale=settings.ocr_dpi / 72).to_pil()
            result = ocr_image(image, settings.ocr_languages)
            ocr_pages.append(index + 1)
            confidences.append(result.confidence)
            elements += _line_elements(list(result.lines), index + 1)
        title = (pdf.get_metadata_dict().get("Title") or "").strip()
        pages = len(pdf)
    finally:
        pdf.close()
    conf = sum(confidences) / len(confidences) if confidences else None
    return Parsed(tuple(elements), pages=pages, title=title, ocr_pages=tuple(ocr_pages), ocr_confidence=conf)


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
