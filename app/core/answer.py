"""Grounded answers without a model: sentences taken from the retrieved passages, each cited [n].

A passage sentence is a candidate when it shares enough of the question's content words (stop
words and question words removed; Chinese words from jieba, English stems); the best one to three
candidates become the answer, each followed by the number of the passage it came from. When no
sentence clears the bar, the answer says the documents do not hold it, instead of guessing.
Retrieved text is untrusted: a sentence the injection detector flags (app/core/injection.py: an
instruction to the assistant, "ignore previous instructions", "忽略以上指令", "you are now …", a
javascript: link, or the like by meaning), or that ingest flagged, is never quoted, and nothing in a
passage is obeyed.

Across languages (an English question, a Chinese passage, or the reverse) few words can be shared: only
glossary concepts cross. When the lexical rule finds nothing and the caller passes a multilingual
embedder, the passages in the other language are read by meaning (`_across`): a passage must still
show one of the question's concepts that can be written in its language (a glossary term, a Latin name
such as "SBIR") and every place or organisation named (a region by any of its aliases: China / 中国);
a question's plain word is held by a sentence's word the embedder puts next to it ("valid" / 有效期);
sentences holding enough of the question are ranked by how far their cosine to the question rises
above that of plain reference sentences in their language, and those high enough are quoted. A
figure asked still needs a sentence stating a number; injection screening is the same. Thresholds:
fitted on the tuning half of eval/data/crosslingual_answer.jsonl (eval/crosslingual_answer.py).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from app.core.glossary import Glossary, contains
from app.core.injection import Flag, InjectionDetector, overlaps, rule_detector
from app.core.jurisdiction import load_regions
from app.core.ports import Embedder
from app.core.question_names import question_names
from app.core.sentences import SENTENCE_END, sentence_spans
from app.core.textnorm import cjk_ratio, index_form

NOT_FOUND = {"zh": "文档中没有找到这个问题的答案。", "en": "Not found in the documents."}
MIN_OVERLAP = 0.5  # share of the question's content words a quoted sentence must contain
MAX_SENTENCES = 3
# across languages: fitted on the tuning half of eval/data/crosslingual_answer.jsonl (eval/crosslingual_answer.py --sweep)
# how far a quoted sentence's cosine to the question must rise above _REFERENCE's, by the sentence's
# language (cosines of Chinese questions to English text spread wider than the reverse)
CROSS_MIN_LIFT = {"zh": 0.04, "en": 0.03}
CROSS_MARGIN = 0.01  # how far below the best sentence's lift another may be and still be quoted
CROSS_MIN_COVER = 0.5  # share of the question's concepts a sentence must hold, by its words or by meaning
CROSS_MIN_ASKED = 0.01  # share of the words asked beyond the passage's topic a sentence must hold by meaning
CROSS_WORD_COS = 0.87  # a question word and a passage word this close (query form) are one word in two languages
# plain sentences about nothing a question asks, per language: the level a passage sentence's cosine
# to the question is measured from
_REFERENCE = {
    "zh": ("本办法由主管部门负责解释。", "本通知自发布之日起施行。", "企业应按规定提交相关材料。",
           "具体事项以正式文件为准。", "本文仅供参考。", "相关部门将加强监督管理。"),
    "en": ("This document is provided for reference only.", "The program is administered by the responsible agency.",
           "Applicants should submit the required materials.", "Details are subject to the official rules.",
           "This notice takes effect on the date of publication.", "The agency will monitor compliance."),
}
_SENTENCE_END = SENTENCE_END  # a clause list joined by ；stays one sentence
_STOP = frozenset("""
the a an of to in on for and or is are was were be been what which who whom how much many does do did can could
would should will it its this that these those with by from as at about any there their they i we you me my our
please tell show give list whats may must might shall get gets long last need needs requirement requirements
condition conditions criteria
的 了 是 吗 呢 么 什么 多少 哪些 哪个 怎么 怎样 如何 请问 请 一下 有 没有 和 与 及 在 对 为 公司 企业 该 这个 那个 可以 能 能否 是否
须 需 需要 满足 符合 要求 条件 应 应当 具备
""".split())  # noqa: SIM905 (a word list reads better as text)


@dataclass(frozen=True)
class Passage:
    n: int
    doc_id: str
    title: str
    text: str
    page: int | None = None
    chunk_id: str | None = None
    section: str = ""
    flagged: tuple[str, ...] = ()  # sentences ingest flagged as instructions (chunk metadata)


@dataclass(frozen=True)
class Answer:
    text: str
    citations: tuple[Passage, ...]
    found: bool
    lang: str


def language_of(text: str) -> str:
    return "zh" if cjk_ratio(text) > 0.2 else "en"


def content_terms(text: str, tokenize: Callable[[str], list[str]]) -> set[str]:
    """Content words, English ones cut to six letters ("subsidy"/"subsidises" agree), hyphenated
    words also by their parts ("IP-pledge"); stop words and single letters dropped."""
    return set(_content_terms(text, tokenize))


@lru_cache(maxsize=16384)
def _content_terms(text: str, tokenize: Callable[[str], list[str]]) -> frozenset[str]:
    """Remembered per text: the same passages' sentences and titles come back question after
    question, and segmenting them (jieba) is most of composing an answer."""
    stop = _stop_tokens(tokenize)
    out: set[str] = set()
    for t in tokenize(text):
        for part in {t, *t.split("-")} if "-" in t else {t}:
            if len(part) > 1 and part not in stop and not re.fullmatch(r"\W+|\d", part):
                out.add(part[:6] if part.isascii() else part)
    return frozenset(out)


@lru_cache(maxsize=4)
def _stop_tokens(tokenize: Callable[[str], list[str]]) -> frozenset[str]:
    """The stop words as the tokenizer writes them ("many" is stemmed to "mani")."""
    return frozenset(_STOP | {t for w in _STOP for t in tokenize(w)})


def sentences(text: str) -> list[str]:
    return [s for _, _, s in sentence_spans(text)]


def is_injection(sentence: str) -> bool:
    """The sentence shows a structural injection cue (no model)."""
    return bool(rule_detector().classify(sentence))


def passage_flags(p: Passage, detector: InjectionDetector | None = None) -> list[Flag]:
    """The passage's sentences that are instructions, not data: flagged now or at ingest."""
    flags = (detector or rule_detector()).flags(p.text)
    if p.flagged:
        stored = set(p.flagged)
        taken = {(f.start, f.end) for f in flags}
        flags += [Flag(s, e, t, ("ingest",)) for s, e, t in sentence_spans(p.text) if t in stored and (s, e) not in taken]
    return flags


def clean_sentences(p: Passage, detector: InjectionDetector | None = None) -> list[str]:
    flags = passage_flags(p, detector)
    return [t for s, e, t in sentence_spans(p.text) if not overlaps((s, e), flags)]


def _groups(question: str, tokenize: Callable[[str], list[str]], glossary: Glossary | None) -> list[list[set[str]]]:
    """What a sentence must contain, one group per concept of the question; a group is met when one
    of its alternatives is (a glossary concept in any of its languages, or one content word)."""
    terms = content_terms(question, tokenize)
    groups: list[list[set[str]]] = []
    covered: set[str] = set()
    norm = index_form(question)
    for entry in glossary.entries if glossary else ():
        named = [t for t in entry if contains(norm, index_form(t))]
        if named:
            covered |= set().union(*(content_terms(t, tokenize) for t in named))
            groups.append([alt for t in entry if (alt := content_terms(t, tokenize))])
    return groups + [[{t}] for t in sorted(terms - covered)]


def _names(question: str, tokenize: Callable[[str], list[str]], glossary: Glossary | None) -> list[set[str]]:
    """The content words of each proper name the question asks about (app/core/question_names.py),
    except names the glossary knows: those are concepts, met in any of their languages."""
    return [terms for terms, _ in _named(question, tokenize, glossary)]


def _named(question: str, tokenize: Callable[[str], list[str]],
           glossary: Glossary | None) -> list[tuple[set[str], str]]:
    """_names, each with the name as the question writes it."""
    norm = index_form(question)
    known = {index_form(t) for entry in (glossary.entries if glossary else ())
             if any(contains(norm, index_form(t)) for t in entry) for t in entry}
    out = []
    for name in question_names(question):
        terms = content_terms(name, tokenize)
        if terms and not any(contains(k, index_form(name)) or contains(index_form(name), k) for k in known):
            out.append((terms, name))
    return out


def names_unsupported(question: str, passages: Sequence[Passage], tokenize: Callable[[str], list[str]],
                      glossary: Glossary | None = None) -> bool:
    """Whether a proper name the question asks about (a place, an organisation: app/core/question_names.py)
    occurs in none of the passages (title and text): then they are about something else, however
    well they state the attribute asked ("Acme's revenue" is not answered by the client's revenue)."""
    names = _names(question, tokenize, glossary)
    if not names:
        return False
    held = [content_terms(p.title, tokenize) | content_terms(p.text, tokenize) for p in passages]
    return any(not any(name <= terms for terms in held) for name in names)


def compose(question: str, passages: Sequence[Passage], tokenize: Callable[[str], list[str]],
            glossary: Glossary | None = None, detector: InjectionDetector | None = None,
            embedder: Embedder | None = None) -> Answer:
    """The best-supported sentences of the passages, cited; or an honest 'not found'.

    `embedder`: when it reads both languages (`multilingual`) and the lexical rule finds nothing,
    passages in the other language than the question's are read by meaning (module docstring);
    without one, or with an English-only model, the answer is the lexical one."""
    answer = _lexical(question, passages, tokenize, glossary, detector)
    if answer.found or embedder is None or not getattr(embedder, "multilingual", False):
        return answer
    return _across(question, passages, tokenize, glossary, detector, embedder) or answer


def _lexical(question: str, passages: Sequence[Passage], tokenize: Callable[[str], list[str]],
             glossary: Glossary | None, detector: InjectionDetector | None) -> Answer:
    """The lexical rule.

    A sentence qualifies when it (with its passage title) contains at least half of the question's
    concepts; qualifying sentences rank by that share plus the IDF-weighted share (a concept every
    candidate has, like the program's own name, weighs little). When more than a third of the concepts occur in no
    passage at all, or a place or organisation the question names occurs in none, the question is
    about something the documents do not cover: not found."""
    lang = language_of(question)
    groups = _groups(question, tokenize, glossary)
    # a passage's title speaks for each of its sentences ("深圳市…贴息" names the city once)
    candidates = [(rank, s, p, content_terms(s, tokenize) | content_terms(p.title, tokenize))
                  for rank, p in enumerate(passages) for s in clean_sentences(p, detector)
                  if not s.rstrip().endswith((":", "："))]
    if not groups or not candidates:
        return Answer(NOT_FOUND[lang], (), False, lang)
    met = [[any(alt <= terms for alt in g) for g in groups] for _, _, _, terms in candidates]
    df = [sum(row[i] for row in met) for i in range(len(groups))]
    if sum(d == 0 for d in df) > len(groups) / 3:
        # a third of what the question asks about is nowhere in the passages: it is not here
        return Answer(NOT_FOUND[lang], (), False, lang)
    if any(not any(name <= terms for *_, terms in candidates) for name in _names(question, tokenize, glossary)):
        # the place or organisation asked about is in no passage: they are about something else
        return Answer(NOT_FOUND[lang], (), False, lang)
    weight = [math.log(1 + len(candidates) / (1 + d)) for d in df]
    total = sum(weight)
    scored = []
    for (rank, s, p, _), row in zip(candidates, met):
        coverage = sum(row) / len(groups)
        if coverage >= MIN_OVERLAP:
            support = sum(w for w, ok in zip(weight, row) if ok) / total
            scored.append((coverage + support - 0.02 * rank, -rank, s, p))
    if quantity_asked(question):  # "how much / 多少 / what percentage": a sentence stating no number does not answer
        scored = [x for x in scored if states_number(x[2])]
    if not scored:
        return Answer(NOT_FOUND[lang], (), False, lang)
    return _answer(scored, 0.15, lang)


def _answer(scored: list[tuple[float, int, str, Passage]], margin: float, lang: str) -> Answer:
    """Up to MAX_SENTENCES distinct sentences scoring within `margin` of the best, each cited."""
    scored.sort(key=lambda x: (-x[0], -x[1]))
    best = scored[0][0]
    chosen, seen = [], set()
    for score, _, s, p in scored:
        key = index_form(s)
        if score < best - margin or key in seen:
            continue
        seen.add(key)
        chosen.append((s, p))
        if len(chosen) == MAX_SENTENCES:
            break
    cited = tuple(dict.fromkeys(p for _, p in chosen))
    joiner = "" if lang == "zh" else " "
    text = joiner.join(_cite(s, p.n) for s, p in chosen)
    return Answer(text, cited, True, lang)


def _across(question: str, passages: Sequence[Passage], tokenize: Callable[[str], list[str]],
            glossary: Glossary | None, detector: InjectionDetector | None, embedder: Embedder) -> Answer | None:
    """The sentences of the passages written in the other language that answer the question by
    meaning, or None. A passage qualifies when it names every place or organisation the question
    names (a region by any of its aliases) and shows one of the question's concepts that can be
    written in its language (a glossary concept, or a word shown as it is, such as "SBIR"). Its
    sentence (not a table row) is a candidate when, with the passage's title, it holds at least
    CROSS_MIN_COVER of the question's concepts, and some of those the passage does not show by its
    words (what is asked beyond its topic): a concept is held by its terms, as in one language, or,
    for a plain word, by a word of the sentence the embedder puts within CROSS_WORD_COS of it (query
    form on both sides: "valid" and 有效期, 职工 and "employees"). Candidates rank by their lift: the
    cosine between the question (a query) and the sentence (a passage) less the question's mean
    cosine to _REFERENCE sentences of the sentence's language; those reaching CROSS_MIN_LIFT and
    within CROSS_MARGIN of the best are quoted."""
    lang = language_of(question)
    groups = _groups(question, tokenize, glossary)
    names = _named(question, tokenize, glossary)
    surface = _surface(question, tokenize)
    plain = [surface.get(next(iter(g[0]))) if len(g) == 1 and len(g[0]) == 1 else None for g in groups]
    found: list[tuple[int, str, Passage, list[bool], list[bool], set[str]]] = []
    for rank, p in enumerate(passages):
        plang = language_of(p.text)
        if plang == lang:
            continue
        held = content_terms(p.title, tokenize) | content_terms(p.text, tokenize)
        if not all(name <= held or _region_named(name_text, p) for name, name_text in names):
            continue  # the place or organisation asked about is not this passage's
        # the concepts this passage could show: written in its language, or shown as they are ("SBIR")
        bridged = [g for g in groups if any(language_of(" ".join(sorted(alt))) == plang or alt <= held for alt in g)]
        if not bridged or sum(not any(alt <= held for alt in g) for g in bridged) > len(bridged) / 3:
            continue  # nothing of the question is here, or a third of what could be here is not
        title = content_terms(p.title, tokenize)
        topic = [any(alt <= held for alt in g) for g in groups]  # what the whole passage shows by its words
        for s in clean_sentences(p, detector):
            if s.rstrip().endswith((":", "：")) or language_of(s) != plang or "|" in s or not _worded(s):
                continue  # a heading; a sentence in the question's language; a table row, figures: not read by meaning
            terms = content_terms(s, tokenize) | title
            met = [any(alt <= terms for alt in g) for g in groups]
            found.append((rank, s, p, met, topic, set(_surface(f"{p.title} {s}", tokenize).values())))
    if not found:
        return None
    asked = sorted({w for w in plain if w})
    words = sorted(set().union(*(f[5] for f in found)) - set(asked))
    near = _near_words(asked, words, embedder)
    held_by_meaning = [[ok or (w is not None and bool(near.get(w, set()) & own)) for ok, w in zip(met, plain)]
                       for *_, met, _, own in found]
    candidates = []
    for (rank, s, p, _, topic, _), row in zip(found, held_by_meaning):
        # what the question asks beyond the passage's topic (the words the passage does not show) must
        # be in the sentence by meaning too: "SBIR" in every sentence does not answer SBIR's deadline
        beyond = [ok for ok, shown in zip(row, topic) if not shown]
        if (sum(row) / len(groups) >= CROSS_MIN_COVER and (not beyond or sum(beyond) / len(beyond) >= CROSS_MIN_ASKED)
                and (not quantity_asked(question) or states_number(s))):
            candidates.append((rank, s, p))
    if not candidates:
        return None
    query = embedder.embed_query([question])[0]
    cosines = embedder.embed([s for _, s, _ in candidates]) @ query
    # a cosine says little alone: its level varies with the pair of languages and the question; what
    # counts is how far the sentence stands above plain sentences of its language about nothing asked
    base = {pl: float(np.mean(embedder.embed(list(_REFERENCE[pl])) @ query)) for pl in {language_of(p.text) for *_, p in candidates}}
    scored = [(float(c) - base[language_of(p.text)], -rank, s, p) for (rank, s, p), c in zip(candidates, cosines)]
    scored = [x for x in scored if x[0] >= CROSS_MIN_LIFT[language_of(x[3].text)]]
    return _answer(scored, CROSS_MARGIN, lang) if scored else None


def _worded(sentence: str) -> bool:
    """Most of the sentence is words (letters or Chinese characters), not figures, codes or marks."""
    letters = sum(ch.isalpha() for ch in sentence)
    return letters >= 0.6 * len(re.sub(r"\s", "", sentence))


def _surface(text: str, tokenize: Callable[[str], list[str]]) -> dict[str, str]:
    """Each content term of the text → the word as written (English terms are cut stems: "workfo" →
    "workforce"); words only, no figures."""
    out: dict[str, str] = {}
    for word in re.findall(r"[A-Za-z][A-Za-z'&-]*[A-Za-z]", text):
        for t in content_terms(word, tokenize):
            out.setdefault(t, word.lower())
    for t in content_terms(text, tokenize):
        if not t.isascii() and re.search(r"[\u3400-\u9fff]", t):
            out.setdefault(t, t)
    return out


def _near_words(asked: list[str], words: list[str], embedder: Embedder) -> dict[str, set[str]]:
    """For each asked word, the words the embedder puts within CROSS_WORD_COS of it (query form on
    both sides: a word and its translation)."""
    if not asked or not words:
        return {}
    sims = embedder.embed_query(asked) @ embedder.embed_query(words).T
    return {a: {words[j] for j in range(len(words)) if sims[i, j] >= CROSS_WORD_COS} for i, a in enumerate(asked)}


def _region_named(name: str, p: Passage) -> bool:
    """The passage names the region `name` names, by any of its aliases (China / 中国境内)."""
    paths = load_regions().paths
    path = paths.get(index_form(name).strip())
    if path is None:
        return False
    text = index_form(f"{p.title} {p.text}")
    return any(contains(text, alias) for alias, other in paths.items() if other == path and len(alias) > 1)


# a question asking for a figure: an amount, a count, a share, a duration, a limit
_QUANTITY_ASKED = re.compile(r"\bhow (?:much|many|long|large|big|high|old|often)\b|"
                             r"\bwhat (?:percentage|share|proportion|fraction|rate|amount|size|number)\b|"
                             r"\b(?:maximum|minimum|max|min|cap|ceiling|upper limit|lower limit)\b|"
                             r"多少|几|多大|多久|多长|多高|比例|比率|上限|下限|额度|金额|税率|利率")
_NUMBER = re.compile(r"\d|[一二两三四五六七八九十百千万亿半]|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
                     r"twelve|twenty|thirty|fifty|hundred|thousand|million|billion|dozen|half|twice|once)\b", re.IGNORECASE)


def quantity_asked(question: str) -> bool:
    """The question asks for a figure (how much, how many, what percentage, 多少, 几, 比例, 上限 …)."""
    return bool(_QUANTITY_ASKED.search(index_form(question)))


def states_number(sentence: str) -> bool:
    """The sentence states a number, in digits, Chinese numerals or English number words."""
    return bool(_NUMBER.search(sentence))


def _cite(sentence: str, n: int) -> str:
    core = sentence.rstrip("。；;.!?！？ ")
    return f"{core}[{n}]。" if cjk_ratio(core) > 0.2 else f"{core} [{n}]."
