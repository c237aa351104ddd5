"""Programs extracted from an ingested policy document: one per article that states conditions
(laws and regulations), or one for the whole document (notices, product sheets, guides).

Nothing is invented: an article without a checkable condition yields no program, and each
criterion keeps its clause; the program keeps the document id and the character span it covers.
"""

from __future__ import annotations

import re
from dataclasses import replace

from app.core.criteria import extract
from app.core.criteria_subjects import SubjectReader
from app.core.injection import InjectionDetector, rule_detector
from app.core.jurisdiction import load_regions
from app.core.types import Criterion, Program

_ARTICLE = re.compile(r"(?m)^\s*(第[一二三四五六七八九十百零〇\d]+条)")
_DATE_IN_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_EFFECTIVE = re.compile(r"自(\d{4})年(\d{1,2})月(\d{1,2})日起(?:施行|实施|执行)")
_LOCAL = ("本市", "本省", "本区", "本區", "本县")


def document_scope(title: str, source: str, text: str) -> tuple[tuple[str, ...], str | None]:
    """(jurisdiction path, valid-from date) of a policy document, for search filters."""
    return _jurisdiction(title, text), _valid_from(source, text)


def _jurisdiction(title: str, text: str) -> tuple[str, ...]:
    regions = load_regions()
    path = regions.path_of(title) or regions.path_of(text[:300])
    return path or ("中国",) if re.search(r"[\u4e00-\u9fff]", title + text[:200]) else path


def _valid_from(source: str, text: str) -> str | None:
    m = _DATE_IN_NAME.search(source.rsplit("/", 1)[-1]) or _EFFECTIVE.search(text)
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else None


def _localise(c: Criterion, place: tuple[str, ...]) -> Criterion:
    """'在本市注册' means the issuing jurisdiction; value_text keeps the clause's own words."""
    if c.field == "region" and isinstance(c.value, tuple) and len(place) >= 2:
        return replace(c, value=tuple(place[-1] if v in _LOCAL else v for v in c.value))
    return c


def _units(text: str) -> list[tuple[str, int, int]]:
    """(label, start, end): the articles of a law, or the whole text."""
    marks = list(_ARTICLE.finditer(text))
    if len(marks) < 3:
        return [("", 0, len(text))]
    ends = [m.start() for m in marks[1:]] + [len(text)]
    return [(m.group(1), m.start(), end) for m, end in zip(marks, ends)]


def programs_from_document(doc_id: str, title: str, source: str, text: str, kind: str = "policy",
                           injection: InjectionDetector | None = None,
                           subjects: SubjectReader | None = None) -> list[Program]:
    """`injection` flags the sentences that are instructions, never criteria (default: cues alone);
    `subjects` reads the comparisons whose subject no rule names, by meaning (none without it)."""
    place = _jurisdiction(title, text)
    valid_from = _valid_from(source, text)
    flags = (injection or rule_detector()).flags(text)
    out = []
    for label, start, end in _units(text):
        local = [replace(f, start=f.start - start, end=f.end - start) for f in flags if f.start < end and start < f.end]
        criteria = tuple(_localise(c, place) for c in extract(text[start:end], local, subjects))
        if not criteria:
            continue
        out.append(Program(
            id=f"doc-{doc_id[:16]}" + (f"-{label}" if label else ""),
            kind=kind if kind in ("policy", "credit", "equity") else "policy",
            title=f"{title} {label}".strip(),
            jurisdiction=place,
            valid_from=valid_from,
            criteria=criteria,
            text=text[start:end].strip()[:4000],
            source={"doc_id": doc_id, "span": [start, end], "file": source},
        ))
    return out
