"""A question asking two things in two sentences ("高企认定对科技人员占比的门槛是多少？认定后企业所得税按多少税率？")
is answered part by part: the grounded answer (app/core/answer.py) ranks sentences by the share of the whole
question's concepts they hold, so one sentence rarely holds half of two questions' concepts and the answer
states one part, or none. Each asking sentence (app/core/asked_attribute.asking_clauses) is composed on the
same passages; when every part is answered, the parts' sentences are the answer, in the order asked. A part
naming nothing of its own ("Since when?") is read with the sentence before it. When a part is not found,
the whole question is composed as before: nothing is answered that the whole question would decline. One sentence
asking two things in two clauses is answered clause by clause the same way."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from app.core.answer import Answer, Passage, compose, question_concepts
from app.core.asked_attribute import asking_clauses
from app.core.glossary import Glossary
from app.core.injection import InjectionDetector


def compose_parts(question: str, passages: Sequence[Passage], tokenize: Callable[[str], list[str]],
                  glossary: Glossary | None = None, detector: InjectionDetector | None = None) -> Answer:
    whole = compose(question, passages, tokenize, glossary, detector)
    parts: list[str] = []
    for clause in asking_clauses(question, within=False):
        if parts and not question_concepts(clause, tokenize, glossary):
            parts[-1] = f"{parts[-1]} {clause}"  # "Since when?": about what the sentence before named
        else:
            parts.append(clause)
    if len(parts) < 2:  # (one sentence asking beside others that say why is the chat's to read: Chat._part_by_part)
        return whole if whole.found else _clause_by_clause(parts[0], whole, passages, tokenize, glossary, detector)
    answers = [compose(p, passages, tokenize, glossary, detector) for p in parts]
    if not all(a.found for a in answers):
        return whole
    return _joined(answers, whole.lang)


def _clause_by_clause(sentence: str, whole: Answer, passages: Sequence[Passage], tokenize: Callable[[str], list[str]],
                      glossary: Glossary | None, detector: InjectionDetector | None) -> Answer:
    """One sentence asking two things in two clauses ("Per the product sheet, what's the max loan size, and how much
    of the appraised value can we lend against?"): each asking clause composed alone, or with the clauses that ask
    nothing (what they name is the subject: "Per the product sheet"); joined when each is answered, else `whole`."""
    clauses = asking_clauses(sentence)
    if not 2 <= len(clauses) <= 3:
        return whole
    context = sentence
    for c in clauses:
        context = context.replace(c, " ")
    context = context.strip(" ,，、;；:：")
    answers = []
    for c in clauses:
        answer = compose(c, passages, tokenize, glossary, detector)
        if not answer.found and context:
            answer = compose(f"{context} {c}", passages, tokenize, glossary, detector)
        if not answer.found:
            return whole
        answers.append(answer)
    return _joined(answers, whole.lang)


def _joined(answers: Sequence[Answer], lang: str) -> Answer:
    """The parts' answers in the order asked, a sentence answering two parts said once."""
    said = list(dict.fromkeys(s.strip() for a in answers for s in _CITED.findall(a.text)))
    cited = tuple(dict.fromkeys(p for a in answers for p in a.citations if f"[{p.n}]" in "".join(said)))
    return Answer(("" if lang == "zh" else " ").join(said), cited, True, lang)


# one sentence of a grounded answer, with its citation mark ("…不低于10%[2]。", "… 50% [1].")
_CITED = re.compile(r".+?\[\d+\][。.]?", re.DOTALL)
