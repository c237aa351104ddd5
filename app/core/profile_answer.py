"""Answers about the client in focus from its profile: each fact named by the question, with its
value, period and the page it was read from, cited like any passage. A fact whose sentence is an
instruction to the assistant (app/core/injection.py; a profile stored before facts were screened
may hold one) is not stated. A question naming a year gets that year's value; a field held only for
other years is declined, saying which years are held (app/core/asked_period.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from app.core.answer import Answer, Passage
from app.core.asked_period import facts_for, held_years, years_asked
from app.core.chat_route import fields_by_keywords
from app.core.fact_text import fact_text
from app.core.field_names import field_name
from app.core.injection import InjectionDetector, rule_detector
from app.core.intents import load_intents
from app.core.profile import EnterpriseProfile
from app.core.types import Fact

NOT_IN_PROFILE = {"zh": "客户档案中没有这一项信息；可以请客户补充相关材料。",
                  "en": "The client's documents do not state this; ask the client for it."}


def fields_asked(question: str) -> list[str]:
    """The fields a question names by keyword evidence alone (the router decides by meaning when
    the model reads both languages; see app/core/chat_route.py)."""
    return list(fields_by_keywords(load_intents(), question))


def answer_from_profile(question: str, profile: EnterpriseProfile, lang: str,
                        context: Callable[[Fact], tuple[str, str, int | None]],
                        fields: Sequence[str] | None = None, detector: InjectionDetector | None = None) -> Answer | None:
    """The `fields` the router chose (None: those the question names by keyword). None when there
    are none (the caller retrieves instead). `context` gives (title, the sentence around the fact's
    span, page) for a fact's citation."""
    asked = list(fields) if fields is not None else fields_asked(question)
    if not asked:
        return None
    lines: list[str] = []
    cited: list[Passage] = []
    missing: list[str] = []  # fields held for other periods than the one asked
    detector = detector or rule_detector()
    years = years_asked(question)
    for name in asked:
        fv = profile.fields.get(name)
        if fv is None:
            continue
        chosen = facts_for(fv, years)
        if not chosen:
            missing.append(_not_for_period(name, years, held_years(fv), lang))
        for fact in chosen:
            line = _line(name, fact, fv.conflict and fact is fv.chosen, lang, context, detector, cited)
            if line:
                lines.append(line)
    if not lines:
        text = "\n".join(missing) if missing else NOT_IN_PROFILE[lang]
        return Answer(text, (), False, lang)
    return Answer("\n".join(lines), tuple(cited), True, lang)


def _line(name: str, fact: Fact, conflict: bool, lang: str, context: Callable[[Fact], tuple[str, str, int | None]],
          detector: InjectionDetector, cited: list[Passage]) -> str:
    """'label: value (period) [n]', citing each fact it rests on (adds to `cited`); '' when a source
    sentence is an instruction."""
    facts = fact.inputs or (fact,)
    contexts = [context(f) for f in facts]
    if any(detector.flags(f"{f.quote}\n{text}") for f, (_, text, _) in zip(facts, contexts)):
        return ""  # an instruction planted in a document is no evidence
    marks = []
    for f, (title, text, page) in zip(facts, contexts):
        doc = f.doc_id or f"{f.source_type or f.method}"
        passage = next((c for c in cited if (c.doc_id, c.text, c.page) == (doc, text, page)), None)
        if passage is None:
            passage = Passage(len(cited) + 1, doc, title, text, page)
            cited.append(passage)
        if f"[{passage.n}]" not in marks:
            marks.append(f"[{passage.n}]")
    label = field_name(name, lang)
    note = ("（各来源不一致，已按可信度选取）" if lang == "zh" else " (sources disagree; the most trustworthy is shown)") \
        if conflict else ""
    return f"{label}：{fact_text(fact, lang)}{note}{''.join(marks)}" if lang == "zh" \
        else f"{label}: {fact_text(fact, lang)}{note} {''.join(marks)}"


def _not_for_period(name: str, years: tuple[str, ...], held: list[str], lang: str) -> str:
    label = field_name(name, lang)
    if lang == "zh":
        return f"客户档案中没有{'、'.join(y + '年度' for y in years)}的{label}（已有：{'、'.join(held)}年度）；可以请客户补充相关材料。"
    return f"The client's documents hold no {label} for {', '.join('FY' + y for y in years)} " \
           f"(held: {', '.join('FY' + y for y in held)}); ask the client for it."
