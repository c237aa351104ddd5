"""China's 18-character unified social credit code (统一社会信用代码, GB 32100-2015) with its check digit."""

from __future__ import annotations

import re

_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CANDIDATE = re.compile(r"(?<![0-9A-Z])([0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10})(?![0-9A-Z])")


def check_char(first17: str) -> str:
    total = sum(_CHARS.index(ch) * w for ch, w in zip(first17, _WEIGHTS))
    return _CHARS[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    code = code.strip().upper()
    if len(code) != 18 or any(ch not in _CHARS for ch in code):
        return False
    return check_char(code[:17]) == code[17]


def find_codes(text: str) -> list[tuple[str, int, bool]]:
    """(code, offset, valid) for every 18-character candidate in the text."""
    return [(m.group(1), m.start(1), is_valid(m.group(1))) for m in CANDIDATE.finditer(text.upper())]
