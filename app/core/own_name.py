"""The client's own name in a question, read as "the company" before the intent router sees it.

A firm's proper name says nothing about what is asked, yet it moves a sentence's vector: "Is
Northwind eligible for SBIR Phase I?" scores as a document question where "Is the company eligible
for SBIR Phase I?" is a program question. The router classifies the question with the name of the
enterprise in focus replaced by a generic reference; retrieval still searches with the words asked.

English: the name's distinguishing words (legal form dropped, app/core/entity_names.py) from the
first one on, written capitalised, with any legal-form words and a possessive after them, also where
Chinese runs on from it without a space. Chinese:
the registered name, without its legal form or place, or its longest run of three or more
characters the question repeats holding two or more beyond generic trade words (科技, 智能 …)."""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache

from app.core.entity_names import core, zh_short
from app.core.glossary import load_glossary
from app.core.intents import load_intents
from app.core.jurisdiction import region_path
from app.core.pinyin_names import MIN_KEY
from app.core.program_names import place_forms
from app.core.textnorm import index_form

EN_REFERENCE = "the company"
ZH_REFERENCE = "该公司"
_LEGAL = r"(?:\s*,?\s*(?:inc|incorporated|corp|corporation|co|company|ltd|limited|llc|plc)\.?)*"
_GENERIC_ZH = re.compile(r"(?:科技|智能|技术|信息|网络|电子|软件|生物|医药|新能源|材料|数据|股份|有限|公司|集团|企业|发展|实业|创新)+")
_MIN_ZH = 3


def as_the_company(question: str, *names: str) -> str:
    """The question with the firm's own names (as its profile holds its name, written capitalised; the bank's
    handle for it, `own_names`, also in lower case by one who capitalises nothing: "aurora研发人数 23Q4是多少")
    read as "the company"; the name set before an English question as its topic ("Northwind -
    who led their Series A?") is dropped: the firm is in focus already."""
    for n, name in enumerate(names):
        if name.strip():  # the bank's handle for the client (any name after the first) is typed in any case
            question = _pinyin(_zh(_abbreviated(_en(question, name, any_case=n > 0), name), name), name)
    # its name in another form set in brackets after it ("Aurora (Jiguang)", "极光（Aurora）"): the same firm
    question = _ALIAS_AFTER.sub(lambda m: m.group(1), question)
    topic = _TOPIC.match(question)
    if topic is not None and topic.end() < len(question):
        rest = question[topic.end():]
        question = rest[0].upper() + rest[1:]
    return question


# the reference to the firm followed by a name in brackets, its own in another form or script
_ALIAS_AFTER = re.compile(rf"({EN_REFERENCE}|{ZH_REFERENCE})\s*[(（][^()（）]{{1,40}}[)）]", re.IGNORECASE)
# a word written capitalised: one who writes any does not write the client's name in lower case
_CAPITALISED = re.compile(r"\b[A-Z][a-z]")
# an English question's topic: the firm named before it, set off by a dash or a colon
_TOPIC = re.compile(rf"\s*{EN_REFERENCE}\s*[-–—:]\s*(?=[A-Za-z])", re.IGNORECASE)


def own_names(profile_name: str, enterprise_id: str | None, common: Collection[str] = ()) -> tuple[str, ...]:
    """The names a question may call the client by: its registered name, and the bank's handle for it
    when the handle is a word ("aurora": "Does Aurora have overdue loans?"), not a code, and none of the
    `common` words a question uses for other things (the words of the intents' exemplars: "credit", "growth")."""
    handle = enterprise_id or ""
    if not re.fullmatch(r"[A-Za-z][A-Za-z -]{2,}", handle) or any(w in common for w in handle.lower().split()):
        return (profile_name,)
    return (profile_name, handle)


def _en(question: str, name: str, any_case: bool = False) -> str:
    words = [w for w in core(name).split() if w.isascii()]
    if not words or len(words[0]) < 3:
        return question
    tail = "".join(rf"(?:\s+{re.escape(w)}" for w in words[1:]) + ")?" * (len(words) - 1)
    # bounded by Latin letters and digits only: Chinese runs on without a space ("Northwind手上有几项专利")
    pattern = re.compile(rf"(?<![A-Za-z0-9_]){_typed(words[0])}{tail}{_LEGAL}(['’]s)?(?![A-Za-z0-9_])", re.IGNORECASE)

    chinese = re.search(r"[\u4e00-\u9fff]", question) is not None  # the name inside a Chinese question

    def generic(m: re.Match[str]) -> str:
        # a name is written capitalised; a common word of it is not the name, unless something is its own
        # ("roughly what share of northwind's team is R&D?")
        if not m.group(0)[0].isupper() and not m.group(1) and not (any_case and not _CAPITALISED.search(question)):
            return m.group(0)
        return ZH_REFERENCE if chinese else EN_REFERENCE + ("'s" if m.group(1) else "")

    return pattern.sub(generic, question)


def _abbreviated(question: str, name: str) -> str:
    """The question with the name's abbreviation, written in capitals, read as the company: its first letters
    ("AUR" for Aurora), the initials of its words ("NR" for Northwind Robotics), or its first letter and a consonant
    first met in the word's second half, where a compound's second part starts ("NW" for Northwind; not "AR" of
    Aurora nor "NI", net income). Not a term the glossary or the intents' exemplars know (HNTE, ISO, VC)."""
    words = [w for w in core(name).split() if w.isascii() and w.isalpha()]
    if not words or len(words[0]) < 4:
        return question

    def replaced(m: re.Match[str]) -> str:
        token = m.group(1).lower()
        if not _abbreviates(token, words) or token in _known_terms():
            return m.group(0)
        chinese = re.search(r"[\u4e00-\u9fff]", question) is not None
        return ZH_REFERENCE if chinese else EN_REFERENCE + ("'s" if m.group(2) else "")

    return _CAPITALS.sub(replaced, question)


def _abbreviates(token: str, words: list[str]) -> bool:
    first = words[0]
    if 3 <= len(token) < len(first) and first.startswith(token):
        return True
    if len(words) >= 2 and token == "".join(w[0] for w in words):
        return True
    return len(token) == 2 and token[0] == first[0] and token[1] not in "aeiouy" \
        and first.find(token[1], 1) >= (len(first) + 1) // 2


@lru_cache(maxsize=1)
def _known_terms() -> frozenset[str]:
    """The glossary's terms and the words of the intents' exemplars (HNTE, ISO, SBIR, VC), in lower case."""
    texts = [t for spec in load_intents().specs for t in (*spec.examples, *spec.training)]
    return frozenset({t.lower() for entry in load_glossary().entries for t in entry}
                     | {w for t in texts for w in re.findall(r"[a-z]+", t.lower())})


# a run of two to five capitals standing alone (Chinese may run on from it), with a possessive
_CAPITALS = re.compile(r"(?<![A-Za-z0-9_&])([A-Z]{2,5})(['’]s)?(?![A-Za-z0-9_&])")


def _typed(word: str) -> str:
    """A pattern for the name's first word as typed: exactly, or, when it is long enough that a slip of one letter
    makes no other word ("Nortwind", "Northwnd", "Nortwhind" for Northwind), with one letter left out, added or
    changed, or two swapped, or split in two by a space or hyphen ("north wind", "North-wind")."""
    if len(word) < _TYPO_MIN:
        return re.escape(word)
    forms = {word}
    for i in range(3, len(word) - 2):
        forms.add(re.escape(word[:i]) + r"[ -]" + re.escape(word[i:]))  # split where the typist heard two words
    for i in range(len(word)):
        forms.add(re.escape(word[:i]) + re.escape(word[i + 1:]))          # one left out
        forms.add(re.escape(word[:i]) + "[a-z]" + re.escape(word[i + 1:]))  # one changed
        forms.add(re.escape(word[:i]) + "[a-z]" + re.escape(word[i:]))      # one added
        if i + 1 < len(word):
            forms.add(re.escape(word[:i] + word[i + 1] + word[i] + word[i + 2:]))  # two swapped
    return "(?:" + "|".join(sorted(forms, key=len, reverse=True)) + ")"


# the shortest name read through a typing slip (a shorter one, "Acme", is one slip from other words)
_TYPO_MIN = 7


def _pinyin(question: str, name: str) -> str:
    """The question with the Chinese firm's trade name spelled in pinyin ("Jiguang", "Ji Guang" for 极光 of
    深圳极光智能科技有限公司, as an RM writing English spells it) read as the company; a spelling shorter than
    MIN_KEY letters is too likely another word and is left as typed."""
    pattern = _pinyin_pattern(name) if re.search(r"[\u4e00-\u9fff]", name) else None
    if pattern is None:
        return question
    chinese = re.search(r"[\u4e00-\u9fff]", question) is not None
    return pattern.sub(lambda m: ZH_REFERENCE if chinese else EN_REFERENCE + ("'s" if m.group(1) else ""), question)


@lru_cache(maxsize=256)
def _pinyin_pattern(name: str) -> re.Pattern[str] | None:
    """The pattern of the trade name's pinyin, its syllables run together or apart; None when it has none long enough."""
    trade = trade_name(index_form(name).replace(" ", ""))
    if len(trade) < 2:
        return None
    from pypinyin import lazy_pinyin

    syllables = [p for p in lazy_pinyin(trade) if p.isascii() and p.isalpha()]
    if len(syllables) != len(trade) or len("".join(syllables)) < MIN_KEY:
        return None
    return re.compile(r"(?<![A-Za-z0-9_])" + r"[ -]?".join(map(re.escape, syllables)) + r"(['’]s)?(?![A-Za-z0-9_])",
                      re.IGNORECASE)


def _zh(question: str, name: str) -> str:
    whole = index_form(name).replace(" ", "")
    if not re.search(r"[\u4e00-\u9fff]", whole):
        return question
    form = index_form(question)
    if len(form) != len(question):  # positions would not line up with the question as written
        return question
    for candidate in _zh_forms(whole, form):
        start = form.find(candidate)
        if start != -1:
            return question[:start] + ZH_REFERENCE + question[start + len(candidate):]
    return question


def _zh_forms(whole: str, form: str) -> list[str]:
    """The name's forms to look for, longest first: registered, without legal form, without place,
    then the longest distinctive run of the name the question repeats."""
    fixed = [f for f in dict.fromkeys([whole, core(whole).replace(" ", ""), zh_short(whole)]) if len(f) >= _MIN_ZH]
    runs = _shared_runs(zh_short(whole) or whole, form)
    trade = trade_name(whole)
    return fixed + [r for r in runs if len(_GENERIC_ZH.sub("", r)) >= 2] + ([trade] if len(trade) >= 2 else [])


def trade_name(whole: str) -> str:
    """The firm's trade name (字号): its registered name less the place before it and the trade words and
    legal form after it ("深圳极光智能科技有限公司" → "极光"), as RMs call a client; '' when nothing is left."""
    short = zh_short(whole) or whole
    for place in reversed(region_path(short)[1:]):  # the city before the province: "深圳" of "广东深圳…"
        form = next((f for f in place_forms(place) if short.startswith(f)), None)
        if form:
            short = short[len(form):]
    return re.sub(rf"(?:{_GENERIC_ZH.pattern})+$", "", short)


def _shared_runs(name: str, form: str) -> list[str]:
    runs = {name[i:j] for i in range(len(name)) for j in range(i + _MIN_ZH, len(name) + 1) if name[i:j] in form}
    return sorted(runs, key=len, reverse=True)

