"""Grounded answers without a model: sentences taken from the retrieved passages, each cited [n].

A passage sentence is a candidate when it shares enough of the question's content words (stop
words and question words removed; Chinese words from jieba, English stems); the best one to three
candidates become the answer, each followed by the number of the passage it came from. When no
sentence clears the bar, the answer says the documents do not hold it, instead of guessing.
Retrieved text is untrusted: a sentence the injection detector flags (app/core/injection.py: an
instruction to the assistant, "ignore previous instructions", "忽略以上指令", "you are now …", a
javascript: link, or the like by meaning), or that ingest flagged, is never quoted, and nothing in a
passage is obeyed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from app.core.dictionary import load_dictionary
from app.core.glossary import Glossary, contains
from app.core.injection import Flag, InjectionDetector, overlaps, rule_detector
from app.core.jurisdiction import region_path
from app.core.numbered_parts import numbered_parts, parts_conflict
from app.core.quantities import amounts_in
from app.core.question_names import question_names
from app.core.sentences import SENTENCE_END, sentence_spans
from app.core.textnorm import cjk_ratio, index_form

NOT_FOUND = {"zh": "文档中没有找到这个问题的答案。", "en": "Not found in the documents."}
MIN_OVERLAP = 0.5  # share of the question's content words a quoted sentence must contain
MAX_SENTENCES = 3
_SENTENCE_END = SENTENCE_END  # a clause list joined by ；stays one sentence
_STOP = frozenset("""
the a an of to in on for and or is are was were be been what which who whom how much many does do did can could
would should will it its this that these those with by from as at about any there their they i we you me my our
please tell show give list whats may must might shall get gets long last need needs requirement requirements
condition conditions criteria approximately roughly typically usually generally normally actual actually exactly specific specifically
remind recall quick btw pls kindly clarify advise revert needful regards dear supposed look looks
想问 问下 问一下 麻烦 查下 查一下 帮忙 之间 达到 以后 之后 拿到 的话 所载 所列 所示 载明 本行 我行 敬请 另
的 了 是 吗 呢 么 什么 多少 哪些 哪个 怎么 怎样 如何 请问 请 一下 有 没有 和 与 及 在 对 为 公司 企业 该 这个 那个 可以 能 能否 是否
须 需 需要 满足 符合 要求 条件 应 应当 具备 大概 大约 大致 约 左右 通常 硬性 啥
下来 下去 起来 出来 上来 过来 回来 各是 各为 各自 分别
""".split()) | frozenset("""
above across afterwards again against almost alone along already also although always am among amongst another anyhow
anyone anything anyway anywhere around became because become becomes becoming beforehand behind being below beside
besides beyond both but cannot doing done during each either else elsewhere enough even ever every everyone everything
everywhere former formerly further had has have he hence her here hereafter hereby herein hereupon hers herself him
himself his however if indeed into itself just latter latterly meanwhile moreover mostly myself namely neither
nevertheless nobody noone nor nothing now nowhere often once onto other others otherwise ours ourselves over perhaps
quite rather really regarding same seem seemed seeming seems several she since so some somehow someone something
sometime sometimes somewhere still such than them themselves then thence thereafter thereby therefore therein thereupon
though through throughout thru thus together too toward towards under unless until upon us very via whatever when
whence whenever where whereafter whereas whereby wherein whereupon wherever whether while whither whoever whose why
within yet your yours yourself yourselves
per between vs versus compare compared comparing comparison rule rules clause clauses mean means meaning say says said
doc docs
company companies firm firms client clients
""".split())  # noqa: SIM905 (a word list reads better as text)
# English function words above: the standard English stop lists' (spaCy's, scikit-learn's) without the words that
# carry content in a question about a program or a firm (amount, first, full, least, less, more, most, no, not, only,
# own, part, before, after, next, without, the numbers), with two prepositions of theirs added ("per the sheet",
# "between 50m and 200m": the figures say it); then words about the asking (the rule, the clause, what it means or
# says, what it is compared with, the document it is asked of when abbreviated: "sbir doc - ownership rule?"), which no
# sentence that answers need repeat ("document" stays a word: "which document is that from?" asks a source). A bound
# ("under 500", "above 50%") is stated by a figure, not by the word (see _BOUND).
# an A-not-A question form ("可不可以", "需不需要", "符不符合"): the word it asks about ("可以") is what it asks; the
# pieces the segmenter cuts across the negation ("可不", "不可", "符不") are no words of the question
_A_NOT_A = re.compile(r"([\u3400-\u9fff])[不没沒]\1[\u3400-\u9fff]?")
_NEGATION = re.compile("[不没沒]")


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
    """The language an answer to `text` is written in: English when English words frame it ("Which is
    better for it, 高企贷 or 税易贷?": three English words or more, at least one per three Chinese
    characters), else Chinese when a fifth of its letters are Chinese."""
    latin = len(_LATIN_WORD.findall(text))
    if latin >= 3 and latin * 3 >= len(_CJK_CHAR.findall(text)):
        return "en"
    return "zh" if cjk_ratio(text) > 0.2 else "en"


_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")  # a word, not a letter of a code (A轮)
_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")


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
    forms = [m.group(0) for m in _A_NOT_A.finditer(text)]
    for t in tokenize(text):
        if forms and _NEGATION.search(t) and any(t in f for f in forms):
            continue  # a piece of an A-not-A form
        for part in {t, *t.split("-")} if "-" in t else {t}:
            if len(part) > 1 and part not in stop and not re.fullmatch(r"\W+|\d", part):
                part = _IRREGULAR.get(part, part)  # "sold" is "sell" as the stemmer writes "selling"
                out.add(part[:6] if part.isascii() else part)
    for _, value, currency in amounts_in(text):  # an amount by its value too: "50m" is "5,000万元"
        out |= {_amount_term(currency or "?", value), _amount_term("*", value)}
    if _PERCENT_STATED.search(text):  # a share stated ("at least 40% of the work"): what a share asked is met by
        out.add(PERCENT_TERM)
    if _DURATION_STATED.search(text):  # a length of time stated ("期限：36个月", "up to 3 years"): what "几年" asks
        out.add(DURATION_TERM)
    return frozenset(out)


# a percentage stated, as a term of its own: what a question asking for a share (比例, 占比, "what proportion") is met by
# in a sentence that states the share without the word ("The small business must perform at least 40% of the work")
PERCENT_TERM = "¥%"
_PERCENT_STATED = re.compile(r"\d\s*%|\d\s*％|百分之[一二两三四五六七八九十百零\d]|\b\d+(?:\.\d+)?\s*percent\b", re.IGNORECASE)
# a length of time stated, as a term of its own (a count of months or years, not a calendar year: "36个月", "3年",
# "12 months"; "2023年" is a date), and the words asking one ("能贷几年", "多少个月"; not 近几年 / 这几年, recent years,
# nor 几月 / 几几年, which month or year)
DURATION_TERM = "¥dur"
_DURATION_STATED = re.compile(r"(?<![\d.])\d{1,3}\s*(?:个月|個月|年(?![度\d])|months?\b|years?\b)|"
                              r"(?<![\u3400-\u9fff])[一二两三四五六七八九十]{1,3}(?:个月|個月|年(?!度))", re.IGNORECASE)
_DURATION_ASKED = re.compile(r"(?<![近这這前头頭过過最几幾])(?:几|幾|多少)(?:(?:个|個)?年|(?:个|個)月)(?![度份底末初])|"
                             r"\bhow many (?:years|months)\b", re.IGNORECASE)
# a share asked: the word for it names no concept a sentence must repeat; a percentage stated answers it
_SHARE_ASKED = re.compile(r"百分之(?:几|多少)?|百分比|比例|占比|比重|比率|几成|\b(?:percentages?|proportions?|fractions?|ratios?)\b")


def _amount_term(currency: str, value: float) -> str:
    """A term for an amount's value ("¥CNY:5e+07"; currency "?" when none is written, "*" whatever it is)."""
    return f"¥{currency}:{value:g}"


def _amount_concepts(question: str, tokenize: Callable[[str], list[str]]) -> tuple[list[Concept], set[str]]:
    """Each amount the question names is one concept, met by a sentence stating the same value in any notation
    ("between 50m and 200m RMB": 5,000万元 and 2亿元) or, as before, by its number as written; with the terms it
    takes from the question's own."""
    concepts: list[Concept] = []
    used: set[str] = set()
    for words, value, currency in amounts_in(question):
        number = {t for t in content_terms(words, tokenize) if t[0].isdigit()}
        if currency:
            alts = [{_amount_term(currency, value)}, {_amount_term("?", value)}]
        else:
            alts = [{_amount_term("*", value)}]
        concepts.append(([*alts, *([number] if number else [])], []))
        used |= number
    return concepts, used


# English irregular past forms, to their base form (the stemmer joins only regular ones: raised / raise)
_IRREGULAR = {past: base for base, forms in {
    "sell": "sold", "grow": "grew grown", "rise": "rose risen", "make": "made", "spend": "spent", "pay": "paid",
    "win": "won", "lead": "led", "hold": "held", "buy": "bought", "build": "built", "begin": "began begun",
    "bring": "brought", "get": "got gotten", "give": "gave given", "take": "took taken", "fall": "fell fallen",
    "keep": "kept", "lend": "lent", "meet": "met", "run": "ran", "see": "saw seen", "send": "sent", "stand": "stood",
    "tell": "told", "think": "thought", "write": "wrote written", "go": "went gone", "come": "came", "become": "became",
    "draw": "drew drawn", "seek": "sought", "strike": "struck", "undertake": "undertook undertaken",
    "withdraw": "withdrew withdrawn", "deal": "dealt", "mean": "meant", "shrink": "shrank shrunk", "sink": "sank sunk",
    "know": "knew known", "choose": "chose chosen"}.items()
    for past in forms.split() if past != base}


IRREGULAR_PAST = frozenset(_IRREGULAR)  # took, led, won …: a verb's past forms the -ed rule does not see


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


def _groups(question: str, tokenize: Callable[[str], list[str]], glossary: Glossary | None) -> list[Concept]:
    """What a sentence must contain, one concept of the question each: a glossary concept, met by any of its
    terms in either language, or a content word, met by it or its dictionary translations, and at half credit
    by the shorter words jieba also cut from it (第一次: 第一, 一次). A bound asked ("the longest term", 最高额度)
    is no concept: a sentence states it as "up to 3 years", "不超过"; it makes the question one for a figure
    (`quantity_asked`)."""
    asked = index_form(question)
    durations = bool(_DURATION_ASKED.search(asked))
    asked = _SEGMENT_HINTS.sub(" ", _HOW_MUCH.sub(" ", _BOUND.sub(" ", _WHICH_COPY.sub(" ", _DURATION_ASKED.sub(" ", asked)))))
    shares = list(dict.fromkeys(m.group(0) for m in _SHARE_ASKED.finditer(asked)))
    asked = _SHARE_ASKED.sub(" ", asked)
    groups, covered = _amount_concepts(asked, tokenize)
    terms = {t for t in content_terms(asked, tokenize) if not t.startswith("¥")}
    norm = index_form(question)
    for entry in glossary.entries if glossary else ():
        named = [t for t in entry if contains(norm, index_form(t))]
        spans = [m.group(0) for t in entry if index_form(t).isascii() for m in _loose(index_form(t)).finditer(norm)]
        if named or spans:
            # the words the question names the concept with are its, however written: "tech-SME" names "tech SME",
            # "HNTEs" names "HNTE"
            covered |= set().union(*(content_terms(t, tokenize) for t in [*named, *spans]))
            groups.append(([alt for t in entry if (alt := content_terms(t, tokenize))], []))
    words = load_dictionary()  # a word no glossary concept covers is met in the other language by its translations

    def with_translations(ws: list[str]) -> list[set[str]]:
        # a Chinese word is met by one of its senses whole (办公室: "office" or "business premises", not "business")
        alts: list[tuple[str, ...]] = [(w,) for w in ws]
        for w in ws:
            alts += words.sense_alternatives(w) if _CJK_CHAR.match(w) else [(x,) for x in words.alternatives(w) if x]
        return [set(a) for a in dict.fromkeys(alts)]

    # an English hyphenated word ("loan-to-value", "R&D-to-sales") is one concept, met by the word whole or by all its
    # parts, not one for the word and one for each part
    for word in _HYPHENATED.findall(norm):
        pieces = content_terms(word, tokenize) - covered
        split = pieces - {t for t in pieces if "-" in t}
        if len(pieces) > 1:  # (a part another concept covers is no part this one needs: "loan" of "loan-to-value")
            groups.append(([{t} for t in pieces - split] + ([split] if split else []), []))
            covered |= pieces
    for word, parts in _compounds(terms - covered):
        whole = with_translations([word])
        groups.append((whole, [alt for alt in with_translations(parts) if alt not in whole]))
    for share in shares:  # a share asked ("多少比例的工作"): stated by its word, or by a percentage
        named = sorted(content_terms(share, tokenize))
        groups.append(([*(with_translations(named) if named else []), {PERCENT_TERM}], []))
    if durations:  # a length of time asked ("能贷几年"): stated by a count of months or years
        groups.append(([{DURATION_TERM}], []))
    return groups


# which copy of a document is meant, by its language or script, or the kind of notice it is ("the 專精特新 notice (the
# traditional Chinese one)", "the English one"): where to read, not what a sentence must state
_WHICH_COPY = re.compile(r"\b(?:in |the )?(?:traditional|simplified) chinese(?: one| version| text| copy)?\b|"
                         r"\bthe (?:english|chinese) (?:one|version|copy|text)\b|\b(?:notice|circular)s?\b")
_HYPHENATED = re.compile(r"(?<![a-z0-9&-])[a-z0-9&]+(?:-[a-z0-9&]+)+(?![a-z0-9&-])")


@lru_cache(maxsize=4096)
def _loose(norm_term: str) -> re.Pattern[str]:
    """An English glossary term as a whole word, a hyphen or a space between its words alike and a plural "s" allowed
    ("tech SME" in "tech-SME", "HNTE" in "HNTEs")."""
    words = [re.escape(w) for w in re.split(r"[\s-]+", norm_term) if w]
    return re.compile(r"(?<![a-z0-9])" + r"[\s-]+".join(words) + r"(?:e?s)?(?![a-z0-9])")


def question_concepts(question: str, tokenize: Callable[[str], list[str]], glossary: Glossary | None) -> list[Concept]:
    """What a sentence must state to answer the question (its concepts; none for "Since when?")."""
    return _groups(question, tokenize, glossary)


# a concept of the question: the alternatives that state it, and the parts of its word that state it in part
Concept = tuple[list[set[str]], list[set[str]]]
PART_CREDIT = 0.5


def concept_credit(concept: Concept, terms: set[str]) -> float:
    """1 when the sentence states the concept, PART_CREDIT when only a part of its word, else 0."""
    whole, parts = concept
    return 1.0 if any(alt <= terms for alt in whole) else PART_CREDIT if any(alt <= terms for alt in parts) else 0.0


def _compounds(terms: set[str]) -> list[tuple[str, list[str]]]:
    """The question's Chinese words each with the shorter words jieba also cut from it (第一次: 第一, 一次): one
    concept, met by any of them, not three a sentence must each state; other terms alone."""
    out: list[tuple[str, list[str]]] = []
    for t in sorted(terms, key=lambda t: (-len(t), t)):
        whole = next((w for w, _ in out if not t.isascii() and t in w), None)
        if whole is None:
            out.append((t, []))
        else:
            next(parts for w, parts in out if w == whole).append(t)
    return sorted(out)


def _names(question: str, tokenize: Callable[[str], list[str]], glossary: Glossary | None,
           keep_places: bool = True) -> list[set[str]]:
    """The content words of each proper name the question asks about (app/core/question_names.py),
    except names the glossary knows: those are concepts, met in any of their languages. `keep_places`
    False: places the region tree knows are left to `places_unsupported` (met by any alias, or by a
    place under them: "美国" by "Austin, Texas")."""
    norm = index_form(question)
    known = {index_form(t) for entry in (glossary.entries if glossary else ())
             if any(contains(norm, index_form(t)) for t in entry) for t in entry}
    out = []
    for name in question_names(question):
        if not keep_places and region_path(name):
            continue
        terms = content_terms(name, tokenize)
        if terms and not any(contains(k, index_form(name)) or contains(index_form(name), k) for k in known):
            out.append(terms)
    return out


def places_unsupported(question: str, passages: Sequence[Passage]) -> bool:
    """Whether a place the question names (one the region tree knows) is in none of the passages, by any of
    its names or a place under it ("美国" is met by "headquartered in Austin, Texas")."""
    places = [path for name in question_names(question) if (path := region_path(name))]
    if not places:
        return False
    held = [region_path(f"{p.title} {p.text}") for p in passages]
    return any(not any(h[:len(path)] == path for h in held if h) for path in places)


def parts_unsupported(question: str, passages: Sequence[Passage]) -> bool:
    """Whether the question names a numbered part ("the award ceiling for SBIR Phase II") that passages naming
    parts of that kind never name: they state another part's figures (Phase I's), not the one asked."""
    asked = numbered_parts(question)
    if not asked:
        return False
    held = set().union(*(numbered_parts(f"{p.title}\n{p.text}") for p in passages)) if passages else set()
    return parts_conflict(asked, held)


def names_unsupported(question: str, passages: Sequence[Passage], tokenize: Callable[[str], list[str]],
                      glossary: Glossary | None = None) -> bool:
    """Whether a proper name the question asks about (a place, an organisation: app/core/question_names.py)
    occurs in none of the passages (title and text): then they are about something else, however
    well they state the attribute asked ("Acme's revenue" is not answered by the client's revenue); so too a
    numbered part of a program the passages do not name ("SBIR Phase II" of passages about Phase I)."""
    if places_unsupported(question, passages) or parts_unsupported(question, passages):
        return True
    names = _names(question, tokenize, glossary, keep_places=False)
    if not names:
        return False
    held = [content_terms(p.title, tokenize) | content_terms(p.text, tokenize) for p in passages]
    return any(not any(name <= terms for terms in held) for name in names)


# how near a sentence's meaning is to the question's: (question, sentences) -> one cosine per sentence
Meaning = Callable[[str, list[str]], list[float]]
# a sentence's share of the score for its meaning: its cosine's gap below the nearest qualifying sentence's, times this
# (fitted on the chat set's tuning half; it reorders the sentences that qualify, never lets another one qualify)
MEANING_WEIGHT = 2.0


def compose(question: str, passages: Sequence[Passage], tokenize: Callable[[str], list[str]],
            glossary: Glossary | None = None, detector: InjectionDetector | None = None,
            subject_given: bool = False, meaning: Meaning | None = None) -> Answer:
    """The best-supported sentences of the passages, cited; or an honest 'not found'.

    A sentence qualifies when it (with its passage title) contains at least half of the question's
    concepts; qualifying sentences rank by that share plus the IDF-weighted share (a concept every
    candidate has, like the program's own name, weighs little). When more than a third of the concepts occur in no
    passage at all, or a place or organisation the question names occurs in none, the question is
    about something the documents do not cover: not found. `subject_given`: the passages are the thing asked
    about (the program a follow-up is about), so a word of the question they lack ("能批到多少") says nothing of
    the subject; a sentence must still hold half of the question's concepts. `meaning`: the embedding model's
    reading of the question and each qualifying sentence, which orders the sentences the words alone rank alike or
    wrong ("how much can we lend compared to what the patents are worth": the sentence on the appraised value)."""
    lang = language_of(question)
    groups = _groups(question, tokenize, glossary)
    # a passage's title speaks for each of its sentences ("深圳市…贴息" names the city once)
    candidates = [(rank, s, p, content_terms(s, tokenize) | content_terms(p.title, tokenize))
                  for rank, p in enumerate(passages) for s in clean_sentences(p, detector)
                  if not s.rstrip().endswith((":", "：")) and not _header_row(s)]
    if not groups or not candidates:
        return Answer(NOT_FOUND[lang], (), False, lang)
    met = [[concept_credit(g, terms) for g in groups] for _, _, _, terms in candidates]
    df = [sum(row[i] > 0 for row in met) for i in range(len(groups))]
    # what each concept lacks at best: a concept only part of whose word is found is half missing
    missing = sum(1.0 - max(row[i] for row in met) for i in range(len(groups)))
    if not subject_given and missing > len(groups) / 3:
        # a third of what the question asks about is nowhere in the passages: it is not here
        return Answer(NOT_FOUND[lang], (), False, lang)
    if any(not any(name <= terms for *_, terms in candidates) for name in _names(question, tokenize, glossary)):
        # the place or organisation asked about is in no passage: they are about something else
        return Answer(NOT_FOUND[lang], (), False, lang)
    if parts_unsupported(question, passages):  # "SBIR Phase II" of passages about Phase I only
        return Answer(NOT_FOUND[lang], (), False, lang)
    weight = [math.log(1 + len(candidates) / (1 + d)) for d in df]
    total = sum(weight)
    scored = []
    for (rank, s, p, _), row in zip(candidates, met):
        coverage = sum(row) / len(groups)
        if coverage >= MIN_OVERLAP:
            support = sum(w * ok for w, ok in zip(weight, row)) / total
            scored.append((coverage + support - 0.02 * rank, -rank, s, p))
    parts = numbered_parts(question)
    if parts:  # "the award ceiling for SBIR Phase II": a sentence about Phase I (or under a Phase I title) does not answer
        scored = [x for x in scored if not parts_conflict(parts, numbered_parts(f"{x[3].title}\n{x[2]}"))]
    if quantity_asked(question):  # "how much / 多少 / what percentage": a sentence stating no number does not answer
        scored = [x for x in scored if states_number(x[2])]
    if date_asked(question):  # "when was it issued / 哪年": a sentence stating no date or year does not answer
        scored = [x for x in scored if _DATE.search(x[2])]
    if _EXCLUSION.search(question):  # "哪些行业不适用", "who is excluded": the sentences stating an exclusion, when any does
        scored = [x for x in scored if _EXCLUSION.search(x[2])] or scored
    if not scored:
        return Answer(NOT_FOUND[lang], (), False, lang)
    if meaning is not None and len(scored) > 1 and MEANING_WEIGHT:
        near = meaning(question, [s for _, _, s, _ in scored])
        top = max(near)
        scored = [(score + MEANING_WEIGHT * (sim - top), r, s, p) for (score, r, s, p), sim in zip(scored, near)]
    scored.sort(key=lambda x: (-x[0], -x[1]))
    best = scored[0][0]
    chosen, seen = [], set()
    for score, _, s, p in scored:
        key = index_form(s)
        if score < best - 0.15 or key in seen:
            continue
        seen.add(key)
        chosen.append((s, p))
        if len(chosen) == MAX_SENTENCES:
            break
    chosen += _rest_of_the_answer(chosen, candidates, met, MAX_SENTENCES - len(chosen), parts)
    cited = tuple(dict.fromkeys(p for _, p in chosen))
    return Answer(joined([_cite(s, p.n) for s, p in chosen], lang), cited, True, lang)


def joined(said: Sequence[str], lang: str) -> str:
    """Cited sentences one after another: run together in a Chinese answer, with a space in an English one and
    between two that meet in Latin script in a Chinese one ("… institution [1]. The small business …")."""
    out = ""
    for s in said:
        latin = out and re.search(r"[A-Za-z0-9\]][.!?;:]?$", out) and re.match(r"[A-Za-z0-9]", s)
        out += (" " if out and (lang != "zh" or latin) else "") + s
    return out


def _rest_of_the_answer(chosen: list[tuple[str, Passage]], candidates: list[tuple[int, str, Passage, set[str]]],
                        met: list[list[float]], room: int, parts: set[tuple[str, int]] | None = None) -> list[tuple[str, Passage]]:
    """A question asking two things of one subject ("the cap vs the appraised value, and the starting rate?"): the
    sentences chosen state the first; the rest is stated by other sentences of the same documents (another passage of
    the same product sheet too). Each added sentence states at least half of the concepts still unstated (at least
    one), in order of how many it states; none about another numbered part than the one asked (`parts`: Phase I of a
    question about Phase II)."""
    if not chosen or room <= 0:
        return []
    rows = {(s, id(p)): row for (_, s, p, _), row in zip(candidates, met)}
    stated = {i for s, p in chosen for i, c in enumerate(rows.get((s, id(p)), ())) if c == 1.0}
    concepts = len(met[0]) if met else 0
    documents = {p.doc_id for _, p in chosen}
    seen = {index_form(s) for s, _ in chosen}
    added: list[tuple[str, Passage]] = []
    while len(added) < room:
        rest = [i for i in range(concepts) if i not in stated]
        if not rest:
            break
        best: tuple[int, int, str, Passage] | None = None
        for (rank, s, p, _), row in zip(candidates, met):
            if p.doc_id not in documents or index_form(s) in seen \
                    or parts and parts_conflict(parts, numbered_parts(f"{p.title}\n{s}")):
                continue
            states = sum(1 for i in rest if row[i] == 1.0)
            if states and states * 2 >= len(rest) and (best is None or (states, -rank) > (best[0], -best[1])):
                best = (states, rank, s, p)
        if best is None:
            break
        _, _, s, p = best
        seen.add(index_form(s))
        stated |= {i for i in rest if rows[(s, id(p))][i] == 1.0}
        added.append((s, p))
    return added


# words asking for a bound of a figure ("the longest term", 最高能贷多少): a passage states the bound in its own words
# (a figure's range, "the loan range", "rate range": its bounds, which a sentence states as "from 1 million up to 10 million")
_BOUND = re.compile(r"\b(?:longest|shortest|highest|lowest|largest|biggest|smallest|maximum|minimum|max|min)\b|"
                    r"(?<=loan |rate |size )range\b|(?<=amount |ticket |cheque )range\b|(?<=pricing )range\b|"
                    r"最长|最短|最高|最低|最多|最少|最大|最小")
# a question word for a figure, taken out whole before segmenting: jieba would also give its parts ("多长时间" as
# 多长 / 时间 / 长时间), each a concept no passage states; in English its adjective ("how big the round was")
_HOW_MUCH = re.compile(r"多长时间|多少时间|多长|多久|多大|多高|多远|多少|几成|\bhow (?:big|large|high|long|old|often|far)\b")
# where the segmenter cuts across two words: a range's 至 / 到 between amounts ("5000万至2亿": 万至), the 要 / 是 after
# 占比 ("占比要达到": 比要), 占 before what it is a share of ("占营收": 营收); a space there keeps the words whole
_SEGMENT_HINTS = re.compile(r"(?<=[\d万亿千百])(?=[至到])|(?<=[至到])(?=\d)|(?<=占比)(?=[要是为為])|(?<=占)(?!比)")
# a bound of a figure: the superlative next to what is measured ("the longest term", 最高额度, 最多能贷): "the biggest
# advantage" or 最大的优势 asks for no figure
_BOUND_FIGURE = (r"\b(?:longest|shortest|highest|lowest|largest|biggest|smallest)\s+(?:\w+\s+)?(?:term|amount|rate|"
                 r"loan|size|limit|period|duration|ratio|share|subsidy|award|grant|ticket|stake|sum)s?\b|"
                 r"(?:最长|最短|最高|最低|最多|最少|最大|最小)(?:的)?(?:能|可|可以)?(?:额度|金额|期限|利率|贴息|补贴|比例|贷|批|借|补|奖|资助|年限)")
# a question asking for a figure: an amount, a count, a share, a duration, a limit
_QUANTITY_ASKED = re.compile(r"\bhow (?:much|many|long|large|big|high|old|often)\b|"
                             r"\bwhat (?:percentage|share|proportion|fraction|rate|amount|size|number)\b|"
                             r"\b(?:maximum|minimum|max|min|cap|ceiling|upper limit|lower limit)\b|" + _BOUND_FIGURE + "|"
                             r"\b(?:loan|rate|size|amount|ticket|cheque|pricing) range\b|"
                             r"多少|几|多大|多久|多长|多高|比例|比率|上限|下限|额度|金额|税率|利率")
_NUMBER = re.compile(r"\d|[一二两三四五六七八九十百千万亿半]|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
                     r"twelve|twenty|thirty|fifty|hundred|thousand|million|billion|dozen|half|twice|once)\b", re.IGNORECASE)


# an exclusion, asked or stated: who or what a rule does not apply to ("哪些行业不适用", "烟草制造业…不适用本政策")
_EXCLUSION = re.compile(r"不适用|不適用|不予|不属于|不屬於|除外|不包括|不包含|\b(?:ineligible|excluded|exclusions?|"
                        r"not (?:eligible|applicable|covered)|(?:does|do|shall) not apply|doesn't apply)\b", re.IGNORECASE)
# a question asking when: a date, a year, a month
_WHEN_ASKED = re.compile(r"^\s*when\b|\b(?:what|which|in which) (?:year|date|day|month)\b|\bhow long ago\b|\bsince when\b|"
                         r"什么时候|什麼時候|何时|何時|哪一?年|哪一?天|哪一?日|哪个月|哪個月|几月|幾月|几号|幾號", re.IGNORECASE)
# a date or a point in time a sentence states
_DATE = re.compile(r"(?:19|20)\d\d|\d{1,2}\s*月|[一二三四五六七八九十]{1,3}月|\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|"
                   r"june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b|\bmay\s+\d|"
                   r"\b(?:ago|yesterday|today|last (?:year|month|week))\b|去年|今年|前年|上个月|上月", re.IGNORECASE)


def date_asked(question: str) -> bool:
    """The question asks when (a date, a year, a month: "when was it issued", "哪年成立的")."""
    return bool(_WHEN_ASKED.search(index_form(question)))


def _header_row(sentence: str) -> bool:
    """A table's header row ("quarter | rd_expense_rmb | main_project 主要项目"): it names columns, it states
    nothing (its cells hold no figure); or a heading line, short and with no figure or punctuation: a numbered one
    ("一、公司概况", "2. Eligibility") or a firm's or a document's name alone ("深圳极光智能科技有限公司", "…商业计划书"):
    it names a section or a party, it says nothing of either."""
    if " | " in sentence and not re.search(r"\d", sentence):
        return True
    text = sentence.strip()
    bare = _HEADING_NUMBER.sub("", text)
    if not 0 < len(bare) <= 30 or re.search(r"[\d：:，,、；;。!?！？]", bare):
        return False
    # numbered, or a firm's or a document's name alone (no word of a clause in it: "申请企业须为…注册的公司" says something)
    return bare != text or bool(_NAME_LINE.search(bare)) and not _CLAUSE_WORD.search(bare)


# a heading's own number: "一、", "（二）", "3.", "2.1 "
_HEADING_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+(?:\.\d+)*[.、．]\s*)")
_CLAUSE_WORD = re.compile(r"[须須应應为為是的或不]|\b(?:is|are|was|must|has|have|of|and|the)\b")
# a line that is only a firm's or a document's name: "深圳极光智能科技有限公司", "…商业计划书", "Northwind Analytics Inc."
_NAME_LINE = re.compile(r"(?:有限公司|有限責任公司|股份公司|集团|集團|公司|商业计划书|商業計劃書|计划书|計劃書|年度报告|年度報告|"
                        r"审计报告|審計報告|说明书|說明書|\b(?:Inc|Ltd|LLC|Corp|Corporation|Limited|plc))\.?$")


def quantity_asked(question: str) -> bool:
    """The question asks for a figure (how much, how many, what percentage, 多少, 几, 比例, 上限 …)."""
    return bool(_QUANTITY_ASKED.search(index_form(question)))


def states_number(sentence: str) -> bool:
    """The sentence states a number, in digits, Chinese numerals or English number words."""
    return bool(_NUMBER.search(sentence))


def _cite(sentence: str, n: int) -> str:
    core = sentence.rstrip("。；;.!?！？ ")
    return f"{core}[{n}]。" if cjk_ratio(core) > 0.2 else f"{core} [{n}]."
