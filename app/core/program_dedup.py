"""One program, however many sources describe it: a catalog entry and the policy document it
summarises (or two documents of the same program) become one program citing every source.

Two programs are the same when they have the same owner, kind and area (the jurisdiction tree's
path) and their titles name the same thing once the words that name the *document* are set
aside ('高新技术企业认定' ≈ '高新技术企业认定条件（摘要）'). Titles that merely contain one another
('高新技术企业认定' in '南山区高新技术企业认定奖励') must also test mostly the same fields.
The catalog entry wins (it carries the issuer, benefits and dates an editor wrote); the document's
criteria stand in when the entry states none; `source.sources` lists every source.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from app.core.jurisdiction import region_path
from app.core.textnorm import index_form
from app.core.types import Program

_BRACKETS = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")
_DOCUMENT_WORDS = re.compile(
    r"(?:管理办法|实施细则|申报指南|申报通知|条件|摘要|办法|细则|指南|通知|要点|说明|政策解读|"
    r"\b(?:eligibility|overview|summary|notice|guide(?:lines)?|fact ?sheet|product sheet|programs?)\b)", re.IGNORECASE)
_PUNCT = re.compile(r"[\s:：,，.。;；、\-–—_/\"“”'‘’《》<>]+")
CONTAINED_SHARE = 0.6  # the shorter title is at least this share of the longer
FIELD_OVERLAP = 0.5  # Jaccard of the criteria's fields when one title only contains the other


def title_key(title: str) -> str:
    """'高新技术企业认定条件（摘要）' → '高新技术企业认定'; 'SBIR: eligibility overview' → 'sbir'."""
    text = _BRACKETS.sub(" ", index_form(title))
    return _PUNCT.sub("", _DOCUMENT_WORDS.sub(" ", text))


def _area(p: Program) -> tuple[str, ...]:
    return (region_path(p.jurisdiction[-1]) or p.jurisdiction) if p.jurisdiction else ()


def _fields(p: Program) -> set[str]:
    return {c.field for c in p.criteria}


def same_program(a: Program, b: Program) -> bool:
    return (a.tenant, a.kind, _area(a)) == (b.tenant, b.kind, _area(b)) and _same_title(a, b, title_key(a.title), title_key(b.title))


def _same_title(a: Program, b: Program, ka: str, kb: str) -> bool:
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    short, long_ = sorted((ka, kb), key=len)
    if len(short) < 4 or short not in long_ or len(short) < CONTAINED_SHARE * len(long_):
        return False
    fa, fb = _fields(a), _fields(b)
    return bool(fa and fb) and len(fa & fb) / len(fa | fb) >= FIELD_OVERLAP


def _from_document(p: Program) -> bool:
    return p.id.startswith("doc-")


def _cited(p: Program) -> dict[str, object]:
    own = {k: v for k, v in p.source.items() if k != "sources"}
    return {"program_id": p.id, "from": "document" if _from_document(p) else "catalog", **own}


def merge(group: Sequence[Program]) -> Program:
    """The group as one program: the catalog entry (else the first id) with every source cited."""
    ordered = sorted(group, key=lambda p: (_from_document(p), p.id))
    head = ordered[0]
    criteria = head.criteria or next((p.criteria for p in ordered if p.criteria), ())
    sources: list[object] = []
    for p in ordered:
        earlier = p.source.get("sources")
        sources += earlier if isinstance(earlier, list) else [_cited(p)]
    return replace(head, criteria=criteria, source={**head.source, "sources": sources})


def dedupe(programs: Sequence[Program]) -> list[Program]:
    """Programs with duplicates merged, in the order of each group's first member. Only programs
    read from documents are compared (with everything of their owner, kind and area): a catalog
    is curated, and comparing all pairs of a large one would cost more than matching it."""
    docs = [p for p in programs if _from_document(p)]
    if not docs:
        return list(programs)
    keys = {p.id: title_key(p.title) for p in programs}
    buckets: dict[tuple[str, str, tuple[str, ...]], list[Program]] = {}
    for p in sorted(programs, key=lambda p: (_from_document(p), p.id)):  # catalog entries are joined first
        buckets.setdefault((p.tenant, p.kind, _area(p)), []).append(p)
    root: dict[str, str] = {}
    for d in docs:
        if d.id in root:
            continue
        for q in buckets[(d.tenant, d.kind, _area(d))]:
            if _find(root, q.id) != d.id and _same_title(d, q, keys[d.id], keys[q.id]):
                root[d.id] = q.id
                break
    groups: dict[str, list[Program]] = {}
    for p in programs:
        groups.setdefault(_find(root, p.id), []).append(p)
    return [g[0] if len(g) == 1 else merge(g) for g in groups.values()]


def _find(root: dict[str, str], pid: str) -> str:
    seen = {pid}
    while pid in root and root[pid] not in seen:
        pid = root[pid]
        seen.add(pid)
    return pid
