"""Numbered parts of a program or a process a text names ("SBIR Phase II", "stage 2", "第二阶段", "二期"): a
question about one part is not answered by another part's passage or program ("the award ceiling for SBIR
Phase II" is not Phase I's)."""

from __future__ import annotations

import re

from app.core.textnorm import index_form

# a numbered part of a program or a process: "Phase II", "stage 2", "tier three", "第二阶段", "二期"
_PART_EN = re.compile(r"\b(phase|stage|tier|tranche|level)\s+(iv|v|i{1,3}|[1-9]|one|two|three|four|five)\b", re.IGNORECASE)
_PART_ZH = re.compile(r"第([一二三四五1-5])(阶段|期|批)|([一二三四五])期")
_PART_NUMBER = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                "一": 1, "二": 2, "三": 3, "四": 4, "五": 5}


def numbered_parts(text: str) -> set[tuple[str, int]]:
    """The numbered parts a text names, as (kind, number): "SBIR Phase II" → {("phase", 2)}, "第二阶段" → {("phase", 2)}."""
    norm = index_form(text)
    out = {(m.group(1).lower(), _PART_NUMBER.get(m.group(2).lower()) or int(m.group(2))) for m in _PART_EN.finditer(norm)}
    for m in _PART_ZH.finditer(norm):
        digit = m.group(1) or m.group(3)
        kind = "batch" if m.group(2) == "批" else "phase"  # 第二阶段, 二期: a phase, as in "Phase II"
        out.add((kind, _PART_NUMBER.get(digit) or int(digit)))
    return out


def parts_conflict(asked: set[tuple[str, int]], named: set[tuple[str, int]]) -> bool:
    """Whether a text naming the parts `named` names another part of a kind asked than the one asked."""
    kinds = {k for k, _ in named}
    return any(kind in kinds and (kind, n) not in named for kind, n in asked)
