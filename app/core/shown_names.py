"""Names as people read them (enterprise names, file names): without control characters or bidi
controls. A NUL cuts a name short in C-based tools, an escape sequence repaints a terminal, and a
right-to-left override (U+202E) before `txt.exe` shows `invoice…exe.txt`; none belongs in a name."""

from __future__ import annotations

import unicodedata

_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_INVISIBLE = frozenset("\ufeff")  # a byte-order mark inside a name


def shown_name(text: str) -> str:
    """`text` without C0/C1 control characters, bidi controls or BOMs; line breaks and tabs become spaces."""
    out = []
    for ch in text:
        if ch in "\t\n\r\v\f":
            out.append(" ")
        elif ch not in _BIDI_CONTROLS and ch not in _INVISIBLE and unicodedata.category(ch) != "Cc":
            out.append(ch)
    return "".join(out).strip()
