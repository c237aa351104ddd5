"""Clauses and the negation that governs a phrase in them, for Chinese and English statements.

"近三年无诉讼、行政处罚及重大安全事故" negates all three; "无逾期记录，2023年曾被处以罚款" negates
only the first clause (a Chinese comma ends a negation's scope; an English comma does not, since
English lists use it: "no litigation, arbitration or penalties"). A label followed by a nil answer
("诉讼情况：无", "Litigation: none") is negated too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# 无 but not 无锡 (a city), 无人机 (drones), 无线 (wireless) …; 未 but not 未来 (future) or 未决 (pending)
_NEG_ZH = (r"(?:无(?![锡人线形纸菌源缝感需限])|無(?![錫人線形])|没有|沒有|未(?![来來决決知经經了结結])|不存在|不涉及|并无|均无|"
           r"从未|從未|尚无|亦无|也无|非(?=首贷))")
_NEG_EN = r"\b(?:no|not|never|without|none|nor|free of|neither)\b"
_NIL = re.compile(r"^[^:：|\n]{0,8}[:：|]\s*(?:(?:无|無|否|没有)(?![\u4e00-\u9fff](?![\u4e00-\u9fff]{0,6}[:：]))|(?:none|nil|no|n/a)\b)",
                  re.IGNORECASE)  # "诉讼：无", "Litigation: none"; also run together: "诉讼情况：无行政处罚：无"
# "因未按期申报被处以罚款": the 未 is the cause; the penalty happened
_CAUSE = re.compile(r"被|遭|导致|導致|致使|而被")
_BUT = re.compile(r"\b(?:but|however|except|although|other than)\b|但|但是|除", re.IGNORECASE)


def clauses(text: str) -> Iterator[tuple[int, str]]:
    """(offset, clause) pairs: a Chinese sentence ends its clauses at commas too, an English one not."""
    for offset, sentence in sentences(text):
        if not re.search(r"[\u4e00-\u9fff]", sentence):
            yield offset, sentence
            continue
        for m in re.finditer(r"(?:[^，,]|,(?=\d{3}))+", sentence):  # "1,000 万元" is one number
            if m.group(0).strip():
                yield offset + m.start(), m.group(0)


def negated(clause: str, start: int, end: int) -> bool:
    """Whether the phrase clause[start:end] is stated as absent."""
    before = clause[:start]
    last_but = max((m.end() for m in _BUT.finditer(before)), default=0)
    before = before[last_but:]
    zh = list(re.finditer(_NEG_ZH, before[-30:]))
    if zh and not _CAUSE.search(before[-30:][zh[-1].end() + 1 :]) and not before[-30:][: zh[-1].start()].endswith("因"):
        return True
    if re.search(_NEG_EN, before[-70:], re.IGNORECASE):
        return True
    return bool(_NIL.match(clause[end:]))


def sentences(text: str) -> Iterator[tuple[int, str]]:
    """(offset, sentence): Chinese and English sentence ends and line breaks."""
    for m in re.finditer(r"(?:[^。；;！!？?\n.]|\.(?=\d)|\b(?:Co|Ltd|Inc|No|St|U\.S)\.)+[。；;！!？?.]?", text):
        if m.group(0).strip():
            yield m.start(), m.group(0)
