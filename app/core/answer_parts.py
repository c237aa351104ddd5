"""A question asking two things in two sentences ("高企认定对科技人员占比的门槛是多少？认定后企业所得税按多少税率？")
is answered part by part: the grounded answer (app/core/answer.py) ranks sentences by the share of the whole
question's concepts they hold, so one sentence rarely holds half of two questions' concepts and the answer
states one part, or none. Each asking sentence (app/core/asked_attribute.asking_clauses) is composed on the
same passages; when every part is answered, the parts' sentences are the answer, in the order asked. A part
naming nothing of its own ("Since when?") is read with the sentence before it. When a part is not found,
the whole question is composed as before: nothing is answered that the whole question would decline. A sentence
said beside the one that asks ("For SBIR, is there any rule about who has to own the company? client has some
foreign founders") is context: when the whole question is not answered, the asking sentence alone is composed."""

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
    if len(parts) < 2:
        if whole.found or parts == [question]:
            return whole
        # one sentence asks; the others say something beside it ("…? client has some foreign founders"): what
        # they name is context, not what a sentence of the answer must state
        alone = compose(parts[0], passages, tokenize, glossary, detector)
        return alone if alone.found else whole
    answers = [compose(p, passages, tokenize, glossary, detector) for p in parts]
    if not all(a.found for a in answers):
        return whole
    # a sentence answering two parts is said once
    said = list(dict.fromkeys(s.strip() for a in answers for s in _CITED.findall(a.text)))
    cited = tuple(dict.fromkeys(p for a in answers for p in a.citations if f"[{p.n}]" in "".join(said)))
    return Answer(("" if whole.lang == "zh" else " ").join(said), cited, True, whole.lang)


# one sentence of a grounded answer, with its citation mark ("…不低于10%[2]。", "… 50% [1].")
_CITED = re.compile(r".+?\[\d+\][。.]?", re.DOTALL)
