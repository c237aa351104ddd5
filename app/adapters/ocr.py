"""OCR of page images with Tesseract (Debian's tesseract-ocr), through unstructured's pytesseract."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from app.core.errors import ConfigError


@dataclass(frozen=True)
class OcrPage:
    lines: tuple[str, ...]
    confidence: float  # mean word confidence, 0..1


def ocr_image(image: Image.Image, languages: str) -> OcrPage:
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
