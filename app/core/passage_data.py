"""Passages as data in a prompt: each inside <passage n="N" title="…">…</passage>, its text escaped
so that it can neither close its delimiter nor open another, nor forge a chat role.

Angle brackets become ‹ › (no tag, no chat-template token such as <|im_start|> survives), other
template markers ([INST], <<SYS>>) and invisible format characters are removed, and a role
header anywhere ("system:", "助手：") is marked as quoted. Figures and links are left as
they are, so the grounding check still compares the model's answer with the text it was shown."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_TEMPLATE = re.compile(r"<\|[^|<>]{0,40}\|>|\[/?INST\]|<</?SYS>>|</?s>|<\|?(?:endoftext|im_start|im_end)\|?>", re.IGNORECASE)
_ROLE = re.compile(r"(?<![\w-])()(system|assistant|user|developer|tool|human|ai|系统|助手|用户|助理)(\s*[:：])",
                   re.IGNORECASE)
_KEEP_CONTROL = frozenset("\n\t")


def _visible(text: str) -> str:
    """Without control and format characters (zero-width, bidi overrides) other than line breaks and tabs."""
    return "".join(c for c in text if c in _KEEP_CONTROL or unicodedata.category(c) not in ("Cc", "Cf", "Cs"))


def escape_data(text: str) -> str:
    """Passage text as inert data: it cannot end or begin a delimiter or a role."""
    out = _TEMPLATE.sub(" ", _visible(text).replace("\r\n", "\n").replace("\r", "\n"))
    out = out.replace("<", "‹").replace(">", "›")
    return _ROLE.sub(r"\1\2 (quoted)\3", out)


def escape_attr(text: str) -> str:
    """A title inside a double-quoted attribute, on one line."""
    return re.sub(r"\s+", " ", escape_data(text)).replace('"', "'").strip()


def passage_block(n: int, title: str, text: str) -> str:
    return f'<passage n="{n}" title="{escape_attr(title)}">\n{escape_data(text)}\n</passage>'


def context_block(passages: Iterable[tuple[int, str, str]]) -> str:
    """(n, title, text) passages, each delimited and escaped, one after another."""
    return "\n".join(passage_block(n, title, text) for n, title, text in passages)
