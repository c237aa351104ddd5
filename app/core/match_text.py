"""Words for a match, built from its verdicts alone (no model): the explanation and the questions.

A Chinese program is explained in Chinese, any other in English. The explanation states the
status, then each hard criterion with its verdict, the program's clause and the firm's evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import yaml

from app.core.eligibility import Verdict
from app.core.field_names import field_name
from app.core.textnorm import cjk_ratio
from app.core.types import Program
from app.core.verdict_text import verdict_text

QUESTIONS_FILE = Path(__file__).resolve().parents[1] / "data" / "questions.yaml"
_STATUS = {"zh": {"eligible": "符合条件", "likely": "可能符合", "unknown": "待核实", "ineligible": "不符合"},
           "en": {"eligible": "Eligible", "likely": "Likely eligible", "unknown": "Not enough information",
                  "ineligible": "Not eligible"}}
_MARK = {"met": "✓", "unmet": "✗", "unknown": "?", "not_applicable": "–"}


def language(p: Program) -> str:
    return _language(f"{p.title} {p.text[:200]}")


@lru_cache(maxsize=65536)
def _language(head: str) -> str:
    return "zh" if cjk_ratio(head) > 0.3 else "en"


@lru_cache(maxsize=1)
def _questions() -> dict[str, dict[str, str]]:
    return yaml.safe_load(QUESTIONS_FILE.read_text(encoding="utf-8"))


def question(field: str, value: object, lang: str) -> str:
    table = _questions()
    shown = value if not isinstance(value, (tuple, list)) else "、".join(map(str, value)) if lang == "zh" else ", ".join(map(str, value))
    entry = table.get(field) or table["_default"]
    if shown in (None, "") and f"{lang}_any" in entry:  # a criterion naming no value ("any of these"): ask which
        return entry[f"{lang}_any"]
    return entry[lang].format(value=shown, field=field)


def questions_for(p: Program, verdicts: Sequence[Verdict]) -> list[str]:
    lang = language(p)
    out: list[str] = []
    for v in verdicts:
        if v.verdict != "unknown" or not v.criterion.hard:
            continue
        tier = v.why is not None and v.why.key == "tier.unknown"
        fields = [w.field for w in v.criterion.when] if tier else [v.criterion.field]
        if v.criterion.op == "any_of":
            fields = [o.field for o in v.criterion.options][:1] or fields
        for f in fields:
            q = question(f, v.criterion.value, lang)
            if q not in out:
                out.append(q)
    return out


def explain(p: Program, status: str, verdicts: Sequence[Verdict], relevance: float) -> str:
    lang = language(p)
    hard = [v for v in verdicts if v.criterion.hard and v.verdict != "not_applicable"]
    counts = {k: sum(v.verdict == k for v in hard) for k in ("met", "unmet", "unknown")}
    if lang == "zh":
        head = (f"{_STATUS['zh'][status]}：{len(hard)}项硬性条件中满足{counts['met']}项、不满足{counts['unmet']}项、"
                f"待确认{counts['unknown']}项；相关度{relevance:.2f}。")
    else:
        head = (f"{_STATUS['en'][status]}: of {len(hard)} hard criteria, {counts['met']} met, {counts['unmet']} unmet, "
                f"{counts['unknown']} unknown; relevance {relevance:.2f}.")
    order = {"unmet": 0, "unknown": 1, "met": 2}
    lines = [_line(v, lang) for v in sorted(hard, key=lambda v: order.get(v.verdict, 3))]
    return "\n".join([head, *lines])


def unquoted_name(v: Verdict, lang: str) -> str:
    """The name of a criterion that quotes no clause of the program (the catalog's area)."""
    return _UNQUOTED["zh" if lang == "zh" else "en"].get(v.criterion.field) or field_name(v.criterion.field, lang)


# a criterion with no clause of its own, named in the answer
_UNQUOTED = {"zh": {"region": "适用地区"}, "en": {"region": "program area"}}


def _line(v: Verdict, lang: str) -> str:
    clause = v.criterion.source_text.strip() or unquoted_name(v, lang)
    clause = clause if len(clause) <= 120 else clause[:117] + "…"
    evidence = verdict_text(v, lang)
    if v.fact is not None and v.fact.quote and v.fact.method != "derived":
        evidence += f" — «{v.fact.quote[:80]}»"
    return f"{_MARK[v.verdict]} {clause} → {evidence}"
