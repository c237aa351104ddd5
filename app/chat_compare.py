"""Comparisons: "比较 A 和 B" / "compare X with Y" for two catalog programs, answered side by side.

A question is a comparison when the intent model says so, or when it has a comparison's form
(比较 / 对比 / 区别 / 相比 / 相较 / 比起 / 哪个 / 还是 / 跟…比呢 / compare / versus / vs / differ / which /
against / or / than, either script: a question asking which of two named programs, whether this one
or that, or whether one is better than the other, is a choice between them) — the form alone does
not decide: the question is cut at its clause marks and joining words (和 / 与 / 跟 / 还是 / and / with /
versus …) and each piece must name a program by its title (app/chat_programs.program_named; a piece
naming nothing is read again up to what it says of the name, or with the head the next piece
carries: "the Shenzhen and Shanghai subsidies"); only when two different programs are named is it a
comparison — one named and another named by an earlier question of the conversation ("那跟税易贷比
呢？") counts too — otherwise the chat routes as usual. Each program gets one block, cited to its
catalog text: with a client in focus its verdict first (the match card's head), then what it offers
(its text's first sentence, then its terms: amount, rate, term …, in the asker's language, cited with
the program) and its hard conditions, quoted from the program's own text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from app.chat_programs import criteria_on, one_match, program_named, program_passage, with_answer
from app.core.answer import Answer, content_terms, sentences
from app.core.asked_attribute import asks
from app.core.benefit_text import benefit_sentences
from app.core.glossary import load_glossary
from app.core.jurisdiction import region_path
from app.core.match import Match
from app.core.numbered_parts import numbered_parts, parts_conflict
from app.core.program_answer import card_head, shown_title
from app.core.program_names import place_forms, places_named
from app.core.textnorm import index_form
from app.core.tokenize import tokens
from app.core.types import Principal, Program

if TYPE_CHECKING:
    from app.chat import Chat, Turn

# 同 joins "A同B" but not 不同 / 相同 / 合同 / 同时 …
_JOIN = re.compile(r"和|与|與|跟|(?<![不相共合协協如])同(?![时時样樣等意])|以及|还是|還是|相比|相较于?|相較於?|比起来?|比起來|对比|對比"
                   r"|比较|比較|(?<![A-Za-z])vs\.?(?![A-Za-z])|\bversus\b|\bwith\b|\band\b|\bor\b|\bto\b|\bfrom\b|\bagainst\b|\bthan\b",
                   re.IGNORECASE)
# a comparison's form, read in index form (simplified, lower case): the asking words themselves,
# never a topic's words; two programs named besides is what makes it a comparison
_FORM = re.compile(r"比较|对比|区别|差别|差异|有什么不同|有何不同|不同之处|不一样|异同|差在|分别|各自|各是|各为|各有|相比|相较|比起|哪一?个"
                   r"|\bcompar(?:e|ed|ing|ison)\b|\bversus\b|\brespectively\b|\beach\b"
                   r"|\bvs\b|\bdiffer(?:s|ent|ences?)?\b|\bwhich\b|还是|\bagainst\b|\bor\b|\bthan\b"
                   r"|\bside[- ]by[- ]side\b|\bhead[- ]to[- ]head\b|放在一起|并排|摆在一起|擺在一起|並排"
                   # "跟税易贷比呢" / "和首贷通比起来": measured against the one named
                   r"|(?:跟|和|与|同)[^，。？?]{1,30}?比(?:呢|起来|一下|的话|如何|怎么样|哪个|[？?]|$)")
_CLAUSE = re.compile(r"[，,、;；:：—–]|[?？!！。](?=\s*\S)|\s-\s")  # a sentence's end inside the question too
_AFTER_NAME = re.compile(r"的|\s(?:for|in|at|on|given)\s", re.IGNORECASE)
# English words after which a name begins ("the difference between SBIR", "the conditions of the HNTE loan")
_BEFORE_NAME = re.compile(r"\s(?:between|of|about|is|are)\s+(?:the\s+)?", re.IGNORECASE)
MAX_CONDITIONS = 4


def comparison_form(question: str) -> bool:
    """Whether the question is worded as a comparison, in zh, zh-Hant or en."""
    return _FORM.search(index_form(question)) is not None


def programs_compared(chat: Chat, principal: Principal, question: str, earlier: Sequence[str] = ()) -> list[str]:
    """The two programs the question compares, in the order named; [] when it does not name two. A
    question naming one ("那跟税易贷比呢？", "how does it compare with the HNTE loan?") compares it with
    the program the latest of the `earlier` questions (latest first) named by its title."""
    ids = named_in(chat, principal, question)
    if len(ids) < 2:  # "知识产权质押贴息，深圳跟上海的比": two pieces naming which of the programs the topic names
        ids = _by_modifiers(chat, principal, question) or ids
    if not ids and _THE_TWO.search(question):  # "这俩额度和利率对比下" after two questions each naming one: those two
        discussed = list(dict.fromkeys(pid for q in earlier for pid in named_in(chat, principal, q)))
        return list(reversed(discussed[:2])) if len(discussed) >= 2 else []
    if len(ids) == 1:
        before = next((pid for q in earlier for pid in named_in(chat, principal, q)[:1]), None)
        if before is not None and before != ids[0]:
            return [before, ids[0]]
    return ids[:2] if len(ids) >= 2 else []


# the two things just discussed, pointed at ("这俩", "这两个", "两者", "both", "the two"): no program named
_THE_TWO = re.compile(r"这俩|這倆|这两|這兩|两者|兩者|二者|俩|倆|\b(?:both|the two|these two|those two|the pair)\b", re.IGNORECASE)


def _by_modifiers(chat: Chat, principal: Principal, question: str) -> list[str]:
    """Two programs named as one topic and the words that tell them apart, each in a piece of its own ("知识产权质押贴息，
    深圳跟上海的比", "Shenzhen's IP-pledge interest subsidy vs Shanghai's"): each piece naming no program alone, read
    with the topic piece (whole, then its head without its own modifier), names one; [] unless two different programs
    are named so. The topic piece's own program counts only beside one such piece (it is then one of the two)."""
    cut = pieces(question)
    alone = [program_named(chat, principal, name_part(piece)) for piece in cut]
    places: list[str] | None = None
    for t, topic in enumerate(cut):
        found: list[str] = []
        for n, piece in enumerate(cut):
            if n == t or alone[n] is not None or asks(piece.rstrip("?？ ")):  # a piece asking ("how do they stack
                continue  # up?") names nothing; one only ending the question ("vs the Shanghai version?") may
            readings = [f"{name_part(piece)} {topic}", f"{name_part(piece)} {shared_head(topic)}"]
            if places is None and _LATIN_WORD.search(topic):
                places = sorted({p for prog in chat.matching.catalog().scope(principal).programs for p in prog.jurisdiction[1:]})
            # the topic without the place it names ("the Shenzhen IP pledge subsidy" | "the Shanghai one"): the other
            # place's program of the same topic
            placeless = _places_left_out(topic, places) if places else topic
            if placeless != topic:
                readings.append(f"{name_part(piece)} {placeless}")
            for with_topic in readings:
                pid = program_named(chat, principal, with_topic)
                if pid is not None and pid != alone[t]:
                    if pid not in found:
                        found.append(pid)
                    break
        if len(found) >= 2:
            return found[:2]
        own = alone[t]
        if len(found) == 1 and own is not None:
            return [own, found[0]]
    return []


# a piece's first word, an acronym as one types it ("sttr sound the same to me", "HNTE's tax rate"): it may name a program
_LEAD_ACRONYM = re.compile(r"\s*([A-Za-z]{3,6})(?:'s)?\b(?!-)")


def named_in(chat: Chat, principal: Principal, question: str) -> list[str]:
    """The programs the question's pieces name by their titles, in order, each once."""
    ids: list[str] = []
    cut = pieces(question)
    found = [program_named(chat, principal, piece) for piece in cut]
    for n, piece in enumerate(cut):
        head = name_part(piece)
        if found[n] is None and head != piece:
            found[n] = program_named(chat, principal, head)
        tail = _BEFORE_NAME.split(piece)[-1].strip()
        if found[n] is None and tail not in (piece, head):  # "what's the difference between SBIR": "SBIR"
            found[n] = program_named(chat, principal, tail)
        lead = _LEAD_ACRONYM.match(piece)
        if found[n] is None and lead is not None and lead.group(1) != piece.strip():
            found[n] = program_named(chat, principal, lead.group(1))  # "sttr sound the same to me": "sttr"
    for n, pid in enumerate(found):
        if pid is None and n + 1 < len(cut) and found[n + 1] is not None:
            # "深圳和上海的贴息政策" / "the Shenzhen and Shanghai subsidies": the first names the head the second carries
            pid = program_named(chat, principal, f"{cut[n]} {shared_head(cut[n + 1])}")
        if pid is None and n > 0 and found[n - 1] is not None and places_coordinated(cut[n - 1], cut[n]) \
                and (head := head_before(cut[n - 1])):
            # "知识产权质押贴息 深圳vs上海": the head before the first place is the second's too
            pid = program_named(chat, principal, f"{cut[n]} {head}")
        if pid is not None and pid not in ids:
            ids.append(pid)
    parts = numbered_parts(question)
    if parts and ids:  # a name's head read alone ("SBIR" of "SBIR的第二阶段") is not another part's program
        titles = {p.id: " ".join((p.title, *p.aliases)) for p in chat.matching.catalog().scope(principal).programs}
        ids = [pid for pid in ids if not parts_conflict(parts, numbered_parts(titles.get(pid, "")))]
    return ids


def name_part(piece: str) -> str:
    """A piece up to what it says of the name ("明珠计划的支持力度哪个大" → "明珠计划", "SBIR for a European
    startup" → "SBIR"): a possessive 的 or an English preposition ends a name's span."""
    return _AFTER_NAME.split(piece, maxsplit=1)[0].strip()


_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def _places_left_out(text: str, places: Sequence[str]) -> str:
    """The text without the catalog's places it names, in Chinese (深圳, 深圳市) or by the glossary's English name for
    one ("Shenzhen", "Shenzhen's")."""
    out = text
    for word in sorted(set(re.findall(r"[A-Za-z]+", text))):
        if places_named(" ".join(load_glossary().expansions(word)), places):
            out = re.sub(rf"(?<![A-Za-z]){word}(?:'s)?(?![A-Za-z])", " ", out)
    for place in places:
        for form in sorted(place_forms(place), key=len, reverse=True):
            out = out.replace(form, " ")
    return re.sub(r"\s+", " ", out).strip()


def shared_head(piece: str) -> str:
    """A piece without its first word: the head a coordinated modifier before it shares ("上海的知识产权
    质押贴息" → "的知识产权质押贴息", "Shanghai IP-pledge subsidies" → "IP-pledge subsidies")."""
    if re.match(r"\s*[A-Za-z]", piece):
        return piece.strip().split(" ", 1)[1] if " " in piece.strip() else ""
    import jieba  # segmenting only here (the tokenizer's segmentation drops function words)

    return "".join(jieba.lcut(piece.strip())[1:])


def places_coordinated(before: str, piece: str) -> bool:
    """Two places joined, the first ending the piece before and the second opening this one ("…贴息 深圳" | "上海
    …", "Shenzhen's …" | "Shanghai's"): one head, two places' programs."""
    words = re.findall(r"[A-Za-z]+|[\u4e00-\u9fff]+", before)
    first = re.findall(r"[A-Za-z]+|[\u4e00-\u9fff]+", piece)
    if not words or not first:
        return False
    import jieba

    # Chinese sets the place after the topic ("…贴息 深圳"); English before the head ("Shenzhen's IP-pledge subsidy")
    last = jieba.lcut(words[-1])[-1] if re.search(r"[\u4e00-\u9fff]\W*$", before) else words[0]
    opening = first[0] if first[0].isascii() else jieba.lcut(first[0])[0]
    return bool(region_path(last)) and bool(region_path(opening))


def head_before(piece: str) -> str:
    """The head the piece before a coordinated modifier shares with it: in Chinese the topic set before the
    first modifier ("知识产权质押贴息 深圳" → "知识产权质押贴息": the piece without its last word), in English
    the head after it ("Shenzhen's IP-pledge subsidy" → "IP-pledge subsidy"); '' when it is one word."""
    if not re.search(r"[\u4e00-\u9fff]\W*$", piece):
        return shared_head(piece)
    import jieba

    return "".join(jieba.lcut(piece.strip())[:-1]).strip()


def pieces(question: str) -> list[str]:
    """The question cut at its joining words and clause marks: the spans that may each name a program
    ("Which costs less, the tax loan or …": the clause asking is no part of a name)."""
    return [p.strip() for c in _CLAUSE.split(question) for p in _JOIN.split(c) if len(p.strip(" ，,。？?！!")) >= 2]


def compare_turn(chat: Chat, turn: Turn, ids: list[str], enterprise_id: str | None) -> Turn:
    """One block per program: [verdict for the client,] what it offers, its hard conditions."""
    lang = turn.grounded.lang
    by_id = {p.id: p for p in chat.matching.catalog().scope(turn.principal).programs}
    programs = [by_id[i] for i in ids if i in by_id]
    if len(programs) < 2:
        return replace(turn, grounded=Answer("", (), False, lang))
    matches = [one_match(chat, turn.principal, enterprise_id, p.id) for p in programs] if enterprise_id else []
    passages = [program_passage(n + 1, p, lang) for n, p in enumerate(programs)]  # its terms cited with it
    # a requirement compared ("研发费用占比门槛哪个宽松"): each program's criteria on the fields asked come first
    asked = chat.router().profile_fields(turn.question)
    blocks = [_block(p, n + 1, lang, matches[n] if matches else None, [q for q in programs if q is not p], asked)
              for n, p in enumerate(programs)]
    head = "对比：" if lang == "zh" else "Side by side:"
    shown = [m for m in matches if m is not None]
    return replace(with_answer(turn, "\n".join([head, *blocks]), passages, shown), route="compare")


def _block(p: Program, n: int, lang: str, m: Match | None, others: Sequence[Program] = (),
           asked: Sequence[str] = ()) -> str:
    zh = lang == "zh"
    name = shown_title(p, lang)
    if p.issuer:  # the issuer beside the official title, within the brackets a shown alias opens
        name = (f"{name[:-1]}；{p.issuer}）" if zh else f"{name[:-1]}; {p.issuer})") if name != p.title \
            else f"{name}（{p.issuer}）" if zh else f"{name} ({p.issuer})"
    parts = [name]
    if m is not None:
        parts.append(card_head(m, lang))
    first = next(iter(sentences(p.text.strip())), "")
    if first:
        parts.append(first.rstrip("。. "))
    parts += [b.rstrip("。. ") for b in benefit_sentences(p.benefits, lang)]  # its amount, rate, term … side by side
    conditions = _conditions(p, others, asked)
    if conditions:
        parts.append(("条件：" if zh else "conditions: ") + ("；" if zh else "; ").join(conditions))
    return f"[{n}] " + ("；" if zh else "; ").join(parts) + (f"[{n}]" if zh else f" [{n}]")


def _conditions(p: Program, others: Sequence[Program] = (), asked: Sequence[str] = ()) -> list[str]:
    """The program's conditions as its text states them, each once: its hard criteria's clauses, and the other
    sentences of its text that state a requirement (one no field checks: "the partner research institution at least
    30% of the work"). First its criteria on the `asked` fields (hard or preferred: the requirement compared), then
    those the programs it is compared with do not state (no sentence of theirs shares half its words), as a
    comparison is asked for its differences; then the shared ones, each group in the text's order."""
    on_asked = [c.source_text.strip().rstrip("。.") for c in criteria_on(p, asked)] if asked else []
    clauses = [c.source_text.strip().rstrip("。.") for c in p.criteria if c.hard]
    clauses += [t.strip().rstrip("。.") for t in sentences(p.text.strip())[1:]
                if _REQUIRES.search(t) and not _PREFERRED.search(t)]
    clauses = list(dict.fromkeys(c for c in clauses if c and c in p.text))
    theirs = [(content_terms(t, tokens), _FIGURE.findall(t)) for o in others for t in sentences(o.text)]

    def shared(clause: str) -> bool:  # half the words in common and the same figures ("不低于1000万元" / "500万元" differ)
        mine, figures = content_terms(clause, tokens), _FIGURE.findall(clause)
        return any(len(mine & t) >= 0.5 * len(mine | t) and figures == f for t, f in theirs if mine | t)
    first = [c for c in dict.fromkeys(on_asked) if c and c in p.text]
    return [*first, *sorted((c for c in clauses if c not in first), key=shared)][:max(MAX_CONDITIONS, len(first))]


# a sentence stating a requirement, in either language
_REQUIRES = re.compile(r"\b(?:must|required?|at least|no more than|not (?:more|less) than|minimum|maximum)\b|"
                       r"须|应当|应|不低于|不超过|不少于|不高于|以上|以下|满\d", re.IGNORECASE)
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")
_PREFERRED = re.compile(r"优先|優先|\bprefer(?:red|ence)?\b|\ba plus\b", re.IGNORECASE)  # a preference, not a condition
