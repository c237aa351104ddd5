"""The conversation history a model is sent: user and assistant turns only (a client cannot send a
system message), newest first, within a token budget; the oldest turns are dropped first."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

ROLES = frozenset({"user", "assistant"})
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def approx_tokens(text: str) -> int:
    """About how many tokens a model's tokenizer makes of the text: a CJK character is about one,
    other text about four characters each (an overestimate is the safe side of a budget)."""
    cjk = len(_CJK.findall(text))
    rest = len(re.sub(r"\s+", " ", _CJK.sub("", text)).strip())
    return cjk + math.ceil(rest / 4)


def turns_of(messages: Sequence[Mapping[str, object]]) -> list[tuple[str, str]]:
    """(role, text) of the user and assistant messages, empty ones and other roles left out."""
    out = []
    for m in messages:
        role, text = str(m.get("role", "")), str(m.get("content", "") or "").strip()
        if role in ROLES and text:
            out.append((role, text))
    return out


def within_budget(turns: Sequence[tuple[str, str]], budget: int) -> list[tuple[str, str]]:
    """The newest turns whose tokens sum to at most `budget`, in their order; the history starts with
    a user turn (an answer without its question is dropped too)."""
    kept: list[tuple[str, str]] = []
    used = 0
    for role, text in reversed(turns):
        used += approx_tokens(text)
        if used > budget:
            break
        kept.append((role, text))
    kept.reverse()
    while kept and kept[0][0] != "user":
        kept.pop(0)
    return kept
