"""OCR of page images with Tesseract (Debian's tesseract-ocr), through unstructured's pytesseract."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from app.core.errors import ConfigError
from app.core.textnorm import script_counts, to_simplified


@dataclass(frozen=True)
class OcrPage:
    lines: tuple[str, ...]
    confidence: float  # mean word confidence, 0..1


def ocr_image(image: Image.Image, languages: str) -> OcrPage:
    """OCR a page. With both Chinese models loaded, tesseract often reads simplified glyphs
    through the traditional model (业 as 業). The simplified model cannot emit traditional-only
    characters, and the traditional model cannot emit simplified-only ones, so a reading holding
    both came from a simplified page and is folded back to simplified."""
    page = _ocr(image, languages)
    langs = languages.split("+")
    if "chi_sim" in langs and "chi_tra" in langs:
        simplified_only, traditional_only = script_counts("".join(page.lines))
        if simplified_only >= 2 and traditional_only >= 1:
            page = OcrPage(tuple(to_simplified(line) for line in page.lines), page.confidence)
    return page


def _ocr(image: Image.Image, languages: str) -> OcrPage:
    from unstructured_pytesseract import pytesseract as tess

    try:
        data = tess.image_to_data(image.convert("L"), lang=languages, output_type=tess.Output.DICT)
    except tess.TesseractNotFoundError as exc:
        raise ConfigError("tesseract is not installed (apt-get install tesseract-ocr)") from exc
    lines: dict[tuple[int, int, int], list[str]] = {}
    confs: list[float] = []
    for i, word in enumerate(data["text"]):
        conf = float(data["conf"][i])
        if not word.strip() or conf < 0:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        lines.setdefault(key, []).append(word)
        confs.append(conf / 100.0)
    text_lines = tuple(" ".join(words) for _, words in sorted(lines.items()))
    return OcrPage(text_lines, sum(confs) / len(confs) if confs else 0.0)
