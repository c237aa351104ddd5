"""What a clause does with the conditions its rules found: read back as written, or excluded.

Rules run on the simplified form of a clause (app/core/textnorm.to_simplified keeps its length for
the characters policies use), so a traditional-script clause is read by the same grammar; a value's
words are then taken from the clause as written, so grounding and place names stay the author's.

A clause can state who is *excluded* ("营业收入超过10亿元的企业不在支持范围内", "applicants with
annual sales above S$100 million are not eligible"): its comparisons then describe the firms left
out, and the criterion an eligible firm meets is the complement (> ↔ <=, >= ↔ <). Excluded
alternatives ("more than 250 staff or turnover above €50 million are excluded") are complements that
all hold: not (A or B) is (not A) and (not B). "Eligible except those with more than 250 employees"
names the firms left out after the word.
"""

from __future__ import annotations

import re
from dataclasses import replace

from app.core.criteria_numeric import Found

_EXCLUDES = re.compile(
    r"(?:的|之|者)(?:企业|企業|单位|單位|申请人|申請人|公司|项目|項目)?[，,]?\s*(?:均|一律)?(?:不予|不得|不能|不可|不在|不属于|不屬於|不纳入|不納入|不列入|不予以)"
    r"(?:提出)?(?:本次|本批|本项|本項|本计划|本計畫|本办法|本辦法|本政策|本专项|本專項)?"  # "不纳入本次支持范围", "不得提出申请"
    r"(?:支持|受理|申请|申請|申报|申報|补助|補助|资助|資助|奖励|獎勵|扶持|认定|認定|考虑|考慮|推荐|推薦|"
    r"(?:支持|扶持|补助|資助|资助)?范围|範圍)|"
    r"\b(?:(?:are|is)\s+(?:not\s+|in)|(?:will|shall|would)\s+not\s+be\s+)"
    r"(?:eligible|considered|funded|supported|accepted)\b|"
    r"\b(?:are|is|(?:shall|will|would|must)\s+be)\s+excluded\b|\b(?:cannot|may\s+not|must\s+not)\s+apply\b|"
    r"\b(?:do|does|will|shall|would)\s+not\s+qualify\b|\bcannot\s+qualify\b",
    re.IGNORECASE,
)
# "eligible except those with more than 250 employees": the firms left out are named after the word
_EXCEPT = re.compile(r"\b(?:except|other\s+than|excluding)\s+(?:for\s+)?(?:those|(?:companies|firms|businesses|enterprises|"
                     r"applicants|organi[sz]ations|SMEs|entities)\s+(?:that|which|with|whose|having))\b", re.IGNORECASE)
COMPLEMENT = {">": "<=", ">=": "<", "<": ">=", "<=": ">"}


def as_written(f: Found, simple: str, clause: str) -> Found:
    """`f` found in `simple` (the clause's simplified form), with its words as `clause` writes them."""
    at = simple.find(f.value_text, f.start)
    at = simple.find(f.value_text) if at < 0 else at
    if at < 0 or not f.value_text:
        return f
    words = clause[at : at + len(f.value_text)]
    value = f.value
    if isinstance(value, tuple):  # each listed value as written ("臺北市或新北市")
        value = tuple(words[k : k + len(v)] if (k := f.value_text.find(v)) >= 0 else v for v in value)
    return replace(f, value_text=words, value=value)


# "有下列情形之一的，不予支持：…", "The following are not eligible: …": the firms left out are listed after the colon
_LISTED_AFTER = re.compile(r"(?:下列|以下|如下)情形之一\s*(?:的|者)?\s*(?:企业|企業|单位|單位)?\s*$|"
                           r"\bthe\s+following\s*$", re.IGNORECASE)
_LISTED_EN = re.compile(r"\bthe\s+following\s+(?:are|is)\s+(?:not\s+eligible|ineligible|excluded)\s*:", re.IGNORECASE)


# "（从业人员超过500人的企业除外）", "…年营业收入超过4亿元的企业除外": the firms named before 除外 are left out
_EXCEPTED_ZH = re.compile(r"[（(](?P<x>[^（）()]{2,40}?)(?:的)?(?:企业|企業|单位|單位|公司)?除外[）)]|"
                          r"(?:的|之|者)(?:企业|企業|单位|單位|公司)?除外")


def left_out(clause: str) -> tuple[int, int] | None:
    """The span of a clause that names the firms left out, if it names any."""
    if m := _LISTED_EN.search(clause):
        return m.end(), len(clause)
    if m := _EXCEPTED_ZH.search(clause):
        return m.span("x") if m.group("x") else (0, m.start())
    if m := _EXCLUDES.search(clause):
        if _LISTED_AFTER.search(clause[: m.start() + 1].rstrip("的之者")) and (colon := re.search(r"[：:]", clause[m.end():])):
            return m.end() + colon.end(), len(clause)
        return 0, m.start()
    if m := _EXCEPT.search(clause):
        return m.end(), len(clause)
    return None


def is_exclusion(clause: str) -> bool:
    return left_out(clause) is not None


def excluded(clause: str, found: list[Found]) -> list[Found]:
    """Comparisons of a clause that states who is left out, turned into what an eligible firm meets."""
    span = left_out(clause)
    if span is None:
        return found
    low, high = span
    return [_complement(f) if low <= f.start < high else f for f in found]


_GRADES = ("A", "B", "M", "C", "D")


def _complement(f: Found) -> Found:
    """What an eligible firm meets where `f` names the firms left out: the other side of a bound, the other
    tax grades ("C级、D级的企业不得申报" is A, B or M)."""
    if f.op in COMPLEMENT:
        return replace(f, op=COMPLEMENT[f.op])
    if f.field == "tax_rating" and isinstance(f.value, tuple):
        return replace(f, value=tuple(g for g in _GRADES if g not in f.value))
    return f
