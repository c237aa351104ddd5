"""Comparisons the clause grammar has no subject words for, read by what their subject phrase means.

A clause compares an amount ("不低于5000万元", "at least $5 million") or a count of people ("不少于50人")
with a subject the rules may not name ("企业销售规模", "the firm's annual income"). Such a comparison,
when no rule has claimed its number, is kept if its subject phrase, embedded, is nearest to the
description of a field of its family (app/data/criteria_subjects.yaml) by a margin over every other
class of that family, the classes of quantities outside the vocabulary (registered capital, tax paid,
loan size) included, so that those yield nothing. Without an embedder nothing is read.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from app.core.criteria_money_en import amount_en
from app.core.criteria_numeric import (
    CMP_EN,
    CMP_ZH,
    CURRENCY,
    CURRENCY_WORD,
    LINK_ZH,
    MARK_ZH,
    MONEY_UNIT_EN,
    MONEY_UNIT_ZH,
    Found,
    currency_zh,
    op_en,
    op_zh,
)
from app.core.numbers import NUM, money, parse_number
from app.core.ports import Embedder, Vectors
from app.core.yaml_data import parse_yaml

SUBJECTS_FILE = Path(__file__).resolve().parents[1] / "data" / "criteria_subjects.yaml"
Family = Literal["money", "people"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SubjectClass(_Strict):
    name: str
    field: str | None
    family: Family
    descriptions: list[str] = Field(min_length=1)


class SubjectsSpec(_Strict):
    margin: float = Field(ge=0, lt=1)
    classes: list[SubjectClass] = Field(min_length=2)


@lru_cache(maxsize=1)
def load_subjects(path: Path = SUBJECTS_FILE) -> SubjectsSpec:
    return parse_yaml(path.read_text(encoding="utf-8"), SubjectsSpec, str(path))


@dataclass(frozen=True)
class Candidate:
    phrase: str
    family: Family
    op: str
    value: float
    unit: str
    value_text: str
    start: int
    number_at: int


# the holder and the period say nothing of what is measured ("申请企业上一年度…", "The company's …")
_HOLDER_ZH = re.compile(r"^(?:申请|申報|申报|申請)?(?:企业|企業|单位|單位|公司|人)?(?:的)?(?:上一?年度|上年末|年末|近[一二三两\d]年|当年|年度)?(?:的)?")
_HOLDER_EN = re.compile(r"^(?:the\s+)?(?:(?:company|firm|business|applicant|borrower)(?:'s|’s)\s+|its\s+|their\s+)?",
                        re.IGNORECASE)
_ZH = re.compile(
    rf"(?P<subject>[^，。；,;：:、\d（）()“”]{{2,20}}?)\s*{LINK_ZH}(?P<cmp>{CMP_ZH})?\s*{CURRENCY_WORD}\s*(?P<num>{NUM})\s*"
    rf"(?P<unit>{MONEY_UNIT_ZH}|人|名)(?P<inc>{MARK_ZH})?(?P<tail>(?:以上|以下|及以上|及以下|以内){MARK_ZH}?)?")
_EN = re.compile(
    rf"\b(?P<subject>(?:[A-Za-z&'’-]+\s+){{1,5}}?)(?:(?:must|should|shall|will|is|are|be|of|have|has)\s+)*"
    rf"(?P<cmp>{CMP_EN})\s+(?P<cur>{CURRENCY})\s*(?P<num>{NUM})\s*(?P<unit>{MONEY_UNIT_EN})?", re.IGNORECASE)
# what every match of _ZH (of _EN) holds, its own groups num and unit (cur and num) in the same order: a
# clause without it holds no comparison of that language. Testing for these short patterns is far
# cheaper than running the long ones, whose lazy subject is retried at every character of a clause
_ZH_AMOUNT = re.compile(rf"(?:{NUM})\s*(?:{MONEY_UNIT_ZH}|人|名)")
_EN_AMOUNT = re.compile(rf"(?:{CURRENCY})\s*(?:{NUM})", re.IGNORECASE)


@lru_cache(maxsize=4096)
def candidates(c: str) -> tuple[Candidate, ...]:
    """Every typed comparison of the clause with the words before it, the holder and period cut.
    Remembered per clause: SubjectReader reads each clause twice (prime, then read)."""
    return tuple(_candidates(c))


def _candidates(c: str) -> Iterator[Candidate]:
    zh = _ZH.finditer(c) if _ZH_AMOUNT.search(c) else ()  # no amount, no comparison (see _ZH_AMOUNT)
    for m in zh:
        if not (m.group("cmp") or m.group("tail")):
            continue
        unit, num = m.group("unit"), m.group("num")
        phrase = _HOLDER_ZH.sub("", m.group("subject").strip())
        op = op_zh(m.group("cmp"), (m.group("inc") or "") + (m.group("tail") or ""))
        if unit in ("人", "名"):
            yield Candidate(phrase, "people", op, parse_number(num), "persons", num + unit, m.start(), m.start("num"))
        else:
            yield Candidate(phrase, "money", op, money(num, unit), currency_zh(m.group(0)), num + unit, m.start(),
                            m.start("num"))
    en = _EN.finditer(c) if _EN_AMOUNT.search(c) else ()
    for m in en:
        value, currency, text = amount_en(m.group("cur"), m.group("num"), m.group("unit"))
        phrase = _HOLDER_EN.sub("", m.group("subject").strip())
        yield Candidate(phrase, "money", op_en(m.group("cmp")), value, currency, text, m.start(), m.start("num"))


def _claimed(c: str, found: Sequence[Found]) -> set[int]:
    """Positions of the numbers the rules have read."""
    spans: set[int] = set()
    for f in found:
        at = c.find(f.value_text) if f.value_text else -1
        while at >= 0:
            spans.update(range(at, at + len(f.value_text)))
            at = c.find(f.value_text, at + 1)
    return spans


class SubjectReader:
    def __init__(self, embedder: Embedder | None = None, spec: SubjectsSpec | None = None,
                 vectors: Callable[[list[str]], Vectors] | None = None) -> None:
        self.spec = spec or load_subjects()
        usable = embedder is not None and embedder.multilingual
        self._vectors = vectors or (embedder.embed_query if usable and embedder is not None else None)
        self._classes: Vectors | None = None
        self._owner: list[int] = []
        self._memo: dict[tuple[str, str], str | None] = {}
        self._lock = threading.Lock()

    @property
    def active(self) -> bool:
        return self._vectors is not None

    def warm_up(self) -> None:
        with self._lock:
            if self._classes is not None or self._vectors is None:
                return
            texts = [(i, d) for i, k in enumerate(self.spec.classes) for d in k.descriptions]
            self._owner = [i for i, _ in texts]
            self._classes = _unit(self._vectors([d for _, d in texts]))

    def prime(self, clauses: Sequence[str]) -> None:
        """Read the subjects of many clauses' comparisons in one pass (one model call, not one a clause)."""
        if self._vectors is not None:
            self.fields([(k.phrase, k.family) for c in clauses for k in candidates(c) if len(k.phrase) >= 2])

    def read(self, c: str, found: Sequence[Found]) -> list[Found]:
        """Fields for the clause's comparisons no rule has read."""
        if self._vectors is None:
            return []
        claimed = _claimed(c, found)
        open_ = [k for k in candidates(c) if k.number_at not in claimed and len(k.phrase) >= 2]
        fields = self.fields([(k.phrase, k.family) for k in open_])
        return [Found(field, k.op, k.value, k.unit, k.value_text, k.start)
                for k, field in zip(open_, fields) if field]

    def fields(self, phrases: Sequence[tuple[str, str]]) -> list[str | None]:
        fresh = list(dict.fromkeys(p for p in phrases if p not in self._memo))
        if fresh:
            self.warm_up()
            assert self._classes is not None and self._vectors is not None
            scores = _unit(self._vectors([p for p, _ in fresh])) @ self._classes.T
            self._memo = {**self._memo, **{p: self._pick(row, p[1]) for p, row in zip(fresh, scores)}}
        return [self._memo[p] for p in phrases]

    def _pick(self, row: np.ndarray, family: str) -> str | None:
        best: dict[int, float] = {}
        for owner, score in zip(self._owner, row):
            if self.spec.classes[owner].family == family:
                best[owner] = max(best.get(owner, -1.0), float(score))
        ranked = sorted(best.items(), key=lambda kv: -kv[1])
        if len(ranked) < 2 or ranked[0][1] - ranked[1][1] < self.spec.margin:
            return None
        return self.spec.classes[ranked[0][0]].field


def _unit(v: Vectors) -> np.ndarray:
    a = np.asarray(v, dtype=np.float32)
    return a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)
