"""Quality stage: a 0..1 score per document with the reasons that lowered it."""

from __future__ import annotations

import unicodedata

from app.core.types import Quality

_OK_CATEGORIES = ("L", "N", "P", "Z", "S")


def garbage_ratio(text: str) -> float:
    """Share of characters that no reader wants: controls, replacement marks, private use."""
    if not text:
        return 1.0
    bad = sum(
        1
        for ch in text
        if ch == "\ufffd" or (unicodedata.category(ch)[0] not in _OK_CATEGORIES and ch not in "\n\t")
    )
    return bad / len(text)


def assess(text: str, lang: str, ocr_confidence: float | None, threshold: float) -> Quality:
    score = 1.0
    reasons: list[str] = []
    garbage = garbage_ratio(text)
    if garbage > 0.01:
        score *= max(0.0, 1 - 5 * garbage)
        reasons.append(f"garbage characters {garbage:.1%}")
    if ocr_confidence is not None:
        reasons.append(f"OCR confidence {ocr_confidence:.2f}")
        score *= min(1.0, 0.3 + ocr_confidence)
    if lang == "und":
        score *= 0.7
        reasons.append("language not recognised")
    length = len(text.strip())
    if length < 200:
        score *= 0.5 + length / 400
        reasons.append(f"short text ({length} characters)")
    score = round(max(0.0, min(1.0, score)), 3)
    return Quality(score=score, reasons=tuple(reasons) or ("ok",), flagged=score < threshold)
