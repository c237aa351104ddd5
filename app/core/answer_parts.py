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

from app.core.answer import (
    Answer,
    Meaning,
    Passage,
    compose,
    concept_credit,
    content_terms,
    joined,
    question_concepts,
)
from app.core.asked_attribute import asking_clauses
from app.core.glossary import Glossary
from app.core.injection import InjectionDetector
from app.core.textnorm import index_form


def compose_parts(question: str, passages: Sequence[Passage], tokenize: Callable[[str], list[str]],
                  glossary: Glossary | None = None, detector: InjectionDetector | None = None,
                  meaning: Meaning | None = None, subject_given: bool = False) -> Answer:
    """`subject_given`: the passages are the thing asked about (a program's card, asked of in a follow-up), as
    `compose` reads it; then only the sentences asking are answered one by one ("该产品对纳税信用等级有何要求？单户最高
    可贷多少？"), not a list or the clauses of one sentence."""
    whole = compose(question, passages, tokenize, glossary, detector, subject_given=subject_given, meaning=meaning)
    parts: list[str] = []
    for clause in asking_clauses(question, within=False):
        if parts and not question_concepts(clause, tokenize, glossary):
            parts[-1] = f"{parts[-1]} {clause}"  # "Since when?": about what the sentence before named
        else:
            parts.append(clause)
    if len(parts) < 2:  # (one sentence asking beside others that say why is the chat's to read: Chat._part_by_part)
        if subject_given:
            return whole
        if whole.found:
            return _listed(parts[0], whole, passages, tokenize, glossary, detector, meaning=meaning)
        return _clause_by_clause(parts[0], whole, passages, tokenize, glossary, detector, meaning=meaning)
    answers = [compose(p, passages, tokenize, glossary, detector, subject_given=subject_given, meaning=meaning)
               for p in parts]
    answers = [a if a.found or subject_given else _clause_by_clause(p, a, passages, tokenize, glossary, detector,
                                                                    meaning=meaning)
               for p, a in zip(parts, answers, strict=True)]
    if not all(a.found for a in answers):
        return whole
    return _joined(answers, whole.lang)


def _beside_context(clause: str, context: str, whole: Answer, passages: Sequence[Passage],
                    tokenize: Callable[[str], list[str]], glossary: Glossary | None,
                    detector: InjectionDetector | None, meaning: Meaning | None = None) -> Answer:
    """The clause that asks, composed without the clauses beside it that tell what the asker is doing ("在帮客户
    准备申报", "想确认一下", "client meeting tomorrow"): those name nothing asked, and their words, in no document,
    would decline it. A clause beside that does not speak of the asker ("知识产权质押贷如果提前还款") stays part of
    the question; a subject an asker's clause names that a passage's title names ("客户想做首贷通") must be met by
    every passage the answer cites. `whole` when no clause is the asker's, or the question so read is not answered."""
    beside = [c.strip() for c in _CONTEXT_BREAK.split(context) if c.strip()]
    own = [c for c in beside if _ASKER.search(index_form(c))]
    if not own:
        return whole
    kept = " ".join(c for c in beside if c not in own)
    answer = compose(f"{kept} {clause}".strip(), passages, tokenize, glossary, detector, meaning=meaning)
    if not answer.found:
        return whole
    titles = [content_terms(p.title, tokenize) for p in passages]
    cited = [content_terms(f"{p.title}\n{p.text}", tokenize) for p in answer.citations]
    for alts, _ in question_concepts(" ".join(own), tokenize, glossary):
        subject = any(alt <= terms for alt in alts for terms in titles)
        if subject and not all(any(alt <= terms for alt in alts) for terms in cited):
            return whole  # each passage answering must be about it
    return answer


_CONTEXT_BREAK = re.compile(r"[,，;；:：、]")
# a clause about the asker or the asker's errand (the bank's client, the asker, what they are doing for it), or one
# saying where the answer is to be read ("根据产品手册", "per the product sheet": a source, checked as a subject)
_ASKER = re.compile(r"客户|我|帮|麻烦|想(?:了解|确认|核对|问|知道|看)|确认一下|核对一下|了解一下|行里|根据|按照|依据|"
                    r"\b(?:i|i'm|im|we|we're|our|my|me|us|client|customer|meeting|tomorrow|prepping|preparing|quick|"
                    r"checking|double-check|confirm|memo|committee|deck|per|according to|as per|going by|based on)\b")


def _clause_by_clause(sentence: str, whole: Answer, passages: Sequence[Passage], tokenize: Callable[[str], list[str]],
                      glossary: Glossary | None, detector: InjectionDetector | None, meaning: Meaning | None = None) -> Answer:
    """One sentence asking two things in two clauses ("Per the product sheet, what's the max loan size, and how much
    of the appraised value can we lend against?"): each asking clause composed alone, or with the clauses that ask
    nothing (what they name is the subject: "Per the product sheet"); joined when each is answered, else `whole`.
    One clause asking beside clauses about the asker's errand: `_beside_context`."""
    clauses = asking_clauses(sentence)
    if not 1 <= len(clauses) <= 3:
        return whole
    context = sentence
    for c in clauses:
        context = context.replace(c, " ")
    context = context.strip(" ,，、;；:：。.")
    if len(clauses) == 1:  # one clause asks, beside clauses that say why ("在帮客户准备高企申报，想确认一下，…")
        return _beside_context(clauses[0], context, whole, passages, tokenize, glossary, detector, meaning) if context else whole
    answers = []
    for c in clauses:
        answer = compose(c, passages, tokenize, glossary, detector, meaning=meaning)
        if not answer.found and context:
            answer = compose(f"{context} {c}", passages, tokenize, glossary, detector, meaning=meaning)
        if not answer.found:
            return whole
        answers.append(answer)
    return _joined(answers, whole.lang)


def _listed(sentence: str, whole: Answer, passages: Sequence[Passage], tokenize: Callable[[str], list[str]],
            glossary: Glossary | None, detector: InjectionDetector | None, meaning: Meaning | None = None) -> Answer:
    """A subject, then a list of what is asked of it ("IP-pledge loan product sheet: min years registered, and max %
    of appraised IP value?", "专精特新培育办法：首次认定奖励、研发费用门槛"): the whole question's best sentences hold one
    item, so each item is composed with the subject; their answers joined when every item is answered by sentences
    that state it and that says more than `whole`, else `whole`."""
    head, colon, body = sentence.partition(":") if ":" in sentence else sentence.partition("：")
    if not colon or not head.strip() or len(head) > 80:
        return whole
    items = [i.strip(" ?？.。!！") for i in _LIST_BREAK.split(body)]
    items = [i for i in items if i and question_concepts(i, tokenize, glossary)]
    if not 2 <= len(items) <= 3:
        return whole
    answers = [compose(f"{head.strip()} {i}", passages, tokenize, glossary, detector, meaning=meaning) for i in items]
    # the subject's words beside an item let a sentence about the subject answer an item it does not state ("…: the
    # prepayment penalty"): the sentences chosen must hold half of the item's own concepts too
    if not all(a.found and _holds(i, a.text, tokenize, glossary) for i, a in zip(items, answers, strict=True)):
        return whole
    joined = _joined(answers, whole.lang)
    said = {c.strip() for c in _CITED.findall(joined.text)}
    return joined if said > {c.strip() for c in _CITED.findall(whole.text)} else whole


def _holds(item: str, said: str, tokenize: Callable[[str], list[str]], glossary: Glossary | None) -> bool:
    """The sentences said hold at least half of the item's concepts."""
    concepts = question_concepts(item, tokenize, glossary)
    terms = content_terms(said, tokenize)
    return bool(concepts) and sum(concept_credit(c, terms) for c in concepts) >= len(concepts) / 2


# between the items of a list asked ("min years registered, and max %", "奖励、门槛以及期限")
_LIST_BREAK = re.compile(r"\s*[,，;；、]\s*(?:and\s+|also\s+|plus\s+|as well as\s+|还有|以及|另外|并且|並且|還有)?|"
                         r"(?:以及|还有|還有)")


def _joined(answers: Sequence[Answer], lang: str) -> Answer:
    """The parts' answers in the order asked, a sentence answering two parts said once."""
    said = list(dict.fromkeys(s.strip() for a in answers for s in _CITED.findall(a.text)))
    cited = tuple(dict.fromkeys(p for a in answers for p in a.citations if f"[{p.n}]" in "".join(said)))
    return Answer(joined(said, lang), cited, True, lang)


# one sentence of a grounded answer, with its citation mark ("…不低于10%[2]。", "… 50% [1].")
_CITED = re.compile(r".+?\[\d+\][。.]?", re.DOTALL)
