"""Answers about the client in focus from its profile: each fact named by the question, with its
value, period and the page it was read from, cited like any passage. A fact whose sentence is an
instruction to the assistant (app/core/injection.py; a profile stored before facts were screened
may hold one) is not stated."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from app.core.answer import Answer, Passage
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
    detector = detector or rule_detector()
    for name in asked:
        fv = profile.fields.get(name)
        if fv is None:
            continue
        facts = fv.chosen.inputs or (fv.chosen,)
        contexts = [context(f) for f in facts]
        if any(detector.flags(f"{f.quote}\n{text}") for f, (_, text, _) in zip(facts, contexts)):
            continue  # an instruction planted in a document is no evidence
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
        conflict = ("（各来源不一致，已按可信度选取）" if lang == "zh" else " (sources disagree; the most trustworthy is shown)") \
            if fv.conflict else ""
        lines.append(f"{label}：{fact_text(fv.chosen, lang)}{conflict}{''.join(marks)}" if lang == "zh"
                     else f"{label}: {fact_text(fv.chosen, lang)}{conflict} {''.join(marks)}")
    if not lines:
        return Answer(NOT_IN_PROFILE[lang], (), False, lang)
    return Answer("\n".join(lines), tuple(cited), True, lang)
