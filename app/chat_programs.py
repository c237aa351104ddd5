"""The chat's program answers: match cards of the kind asked for, a named program's verdict (with a
certificate the firm already holds), and the criteria a program in focus still lacks. Each answer
is in the asker's language and cites the program (and the certificate's page)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from app.core.answer import Answer, Passage
from app.core.benefit_text import benefit_sentences, benefits_asked, with_benefits
from app.core.certificates import Certificate, month_date, of_month, read_certificate
from app.core.chat_route import kinds_named
from app.core.eligibility import Verdict, evaluate
from app.core.glossary import load_glossary
from app.core.intent_classifier import IntentClassifier
from app.core.intents import Intents
from app.core.jurisdiction import region_text
from app.core.match import Excluded, Match
from app.core.match_json import match_to_json
from app.core.profile import EnterpriseProfile
from app.core.profile_answer import fact_sources, source_marks
from app.core.profile_json import profile_from_json
from app.core.program_answer import (
    Cite,
    card_line,
    certificate_line,
    criterion_text,
    gaps_text,
    program_text,
    shown_title,
)
from app.core.program_names import (
    MIN_COVERAGE,
    Candidate,
    coverage,
    fits_places,
    named,
    place_forms,
    places_named,
    text_units,
    title_units,
    with_ancestors,
    with_full_places,
)
from app.core.retrieve import dense_text
from app.core.sizing import sized, sized_text, sizing_rule
from app.core.textnorm import cjk_ratio, index_form
from app.core.types import Criterion, Fact, Principal, Program

if TYPE_CHECKING:
    from app.chat import Chat, Turn

CANDIDATES = 8
# a program described, not named, is the catalog's most relevant one when its fused relevance (0..1) stands this far
# above the next program's: between the tuning half's wrong readings (0.13 and below) and right ones (0.22 and up)
DESCRIBED_MARGIN = 0.17
_CHINESE = 0.3  # a text with more than this share of Chinese characters among its letters is written in Chinese
# a follow-up asks about a criterion of the program in focus when the router hears a profile field group
# this surely (its probability), and the program has a criterion on one of the group's fields
CRITERION_HEARD = 0.1
NEAREST = 3  # programs of the kind asked shown when none of that kind fits (each with what it lacks)
NONE_FIT = {"zh": "按现有资料，暂无可申请的项目。", "en": "No program fits on the facts known so far."}


def program_asked(chat: Chat, principal: Principal, question: str) -> str | None:
    """The program a question about one program names (the router read it so): by its title, or, in English, by
    the words after its last "for" / "of" / "about" ("OK, so would they qualify for the Nanshan district HNTE
    recognition award?": the award), where the rest of the question names none."""
    found = program_named(chat, principal, question)
    if found is None:
        tail = _NAME_AFTER.split(question)[-1].strip()
        if tail != question.strip() and re.search(r"[A-Za-z]{3}", tail):
            found = program_named(chat, principal, tail)
    return found


def program_described(chat: Chat, principal: Principal, question: str) -> str | None:
    """The program a question about one program describes without naming it ("拿专利去抵押的那种贷款", "南山区对第一次
    评上高新企业的有奖励那个"): the catalog's most relevant program for the question (of the one kind it names, if it
    names one: 贷款, grant, fund), when it stands clear of the next one by DESCRIBED_MARGIN; else None."""
    scope = chat.matching.catalog().scope(principal)
    expansions = load_glossary().expansions(question)
    expanded = " ".join([question, *expansions])
    embedder = chat.deps.memo_embedder
    vector = embedder.embed_query([dense_text(question, expansions, embedder.multilingual)])[0] \
        if scope.index.dense_weight(expanded) else None
    scores = scope.index.query(expanded, vector)
    kinds = kinds_named(question)  # "拿专利去抵押的那种贷款": among the loans
    kind_of = {p.id: p.kind for p in scope.programs}
    top = [(pid, s) for pid, s in scores.top(len(scores.ids)) if len(kinds) != 1 or kind_of.get(pid) == kinds[0]][:2]
    if not top or len(top) > 1 and top[0][1] - top[1][1] < DESCRIBED_MARGIN:
        return None
    return top[0][0]


# English words after which a program's name may begin
_NAME_AFTER = re.compile(r"\s(?:for|of|about)\s+(?:the\s+)?", re.IGNORECASE)


def program_named(chat: Chat, principal: Principal, question: str) -> str | None:
    """The catalog program the question names by its title (app/core/program_names.py), or None."""
    index_scope = chat.matching.catalog().scope(principal)
    index, by_id = index_scope.index, {p.id: p for p in index_scope.programs}
    expansions = load_glossary().expansions(question)
    expanded = " ".join([question, *expansions])
    embed = chat.deps.memo_embedder.embed_query
    vector = embed([dense_text(question, expansions, chat.deps.memo_embedder.multilingual)])[0] if index.dense_weight(expanded) else None
    top = index.query(expanded, vector).top(CANDIDATES)
    # a program named by an alias (its title in the other language), or by its title where the segmenter cuts the
    # question across it ("首贷通能不能申请": 贷通能), may rank low on its text: the programs a name of which the
    # question's own words cover join the candidates (as in `named`)
    units = text_units(question)
    ranked = {pid for pid, _ in top}
    top += [(p.id, 0.0) for p in index_scope.programs if p.id not in ranked
            and any(coverage(a, units) >= MIN_COVERAGE for a in (p.title, *p.aliases, *short_names(p)))]
    # a local program of another place than the one the question names is not the one it names; a place
    # named short ("上海的…") is read in full, as a title starting with it writes it
    # a place named in English ("Nanshan district") is named by the glossary's reading of the English words (南山区)
    english = " ".join(re.findall(r"[A-Za-z][A-Za-z'-]*", question))
    named_places = places_named(" ".join([question, *load_glossary().expansions(english)]),
                                sorted({p for prog in index_scope.programs for p in prog.jurisdiction[1:]}))
    around = with_ancestors(named_places, [prog.jurisdiction for prog in index_scope.programs])
    top = [(pid, rel) for pid, rel in top if fits_places(by_id[pid].jurisdiction, named_places, around)] or top
    top = _local_first(top, by_id, question, named_places)
    question = with_full_places(index_form(question), named_places) if named_places else question
    if not top:
        return None
    names = [(by_id[pid].title, *by_id[pid].aliases, *short_names(by_id[pid])) for pid, _ in top]
    flat = [n for group in names for n in group]
    flat_sims = embed(flat) @ embed([question])[0]
    sims, across, start = [], [], 0
    chinese = cjk_ratio(question) > _CHINESE
    for group in names:  # a program is as close as the closest of its names
        sims.append(float(flat_sims[start:start + len(group)].max()))
        other = [float(flat_sims[start + i]) for i, n in enumerate(group) if (cjk_ratio(n) > _CHINESE) != chinese]
        across.append(max(other, default=0.0))
        start += len(group)
    candidates = [Candidate(pid, group[0], rel, s, tuple(group[1:]), a)
                  for (pid, rel), group, s, a in zip(top, names, sims, across)]
    return named(candidates, [question, *expansions])


def _local_first(top: list[tuple[str, float]], by_id: dict[str, Program], question: str,
                 named_places: set[str]) -> list[tuple[str, float]]:
    """The programs of the place a question names, when one of them shares with the question (the place
    left aside) at least as many words as any other candidate, two at least: "广东省的专精特新" is the
    Guangdong recognition, not the national 专精特新贷 whose short title it covers as well."""
    local = [(pid, rel) for pid, rel in top if set(by_id[pid].jurisdiction[1:]) & named_places]
    if not local or len(local) == len(top):
        return top
    place_units = set().union(*(text_units(form) for place in named_places for form in place_forms(place)))
    asked = text_units(question) - place_units

    def shared(pid: str) -> int:
        return max(len(title_units(name) & asked) for name in (by_id[pid].title, *by_id[pid].aliases))

    best_local = max(shared(pid) for pid, _ in local)
    best_other = max(shared(pid) for pid, _ in top if (pid, _) not in local)
    return local if best_local >= 2 and best_local >= best_other else top


# a name set off inside a title or alias: "（雏鹰计划）", "(Eaglet Plan)", "“明珠计划”" — not a note with figures
_SET_OFF = re.compile(r"[（(“\"]([^（()）“”\"]+)[）)”\"]")


def short_names(p: Program) -> tuple[str, ...]:
    """The short names a program's title and aliases set off in brackets or quotes ("雏鹰计划", "Eaglet
    Plan"): two or more Chinese characters or two or more words, no digits, not a place, not the whole name."""
    out = []
    for name in (p.title, *p.aliases):
        for m in _SET_OFF.finditer(name):
            part = m.group(1).strip()
            cjk = len(re.findall(r"[\u4e00-\u9fff]", part))
            words = len(re.findall(r"[A-Za-z]+", part))
            place = re.search(r"[省市区縣县區]$", part)  # "（海淀区）" says where, it is not a name
            if part != name.strip() and not re.search(r"\d", part) and not place and (cjk >= 2 or (cjk == 0 and words >= 2)):
                out.append(part)
    return tuple(dict.fromkeys([*out, *brands(p)]))


# an investor's firm name less its generic tail: "Boreal Capital 北境资本（虚构）" → "Boreal", "北境"
_NOTE = re.compile(r"[（(][^）)]*[）)]")
_TAIL_EN = re.compile(r"(?:\s+(?:capital|ventures?|partners|investments?|management|holdings|group|fund|funds))+$", re.IGNORECASE)
_TAIL_ZH = re.compile(r"(?:资本|資本|创投|創投|投资|投資|基金|管理|控股|集团|集團)+$")


def brands(p: Program) -> tuple[str, ...]:
    """The names an investor goes by in conversation: its firm's name less the generic tail ("Wafer
    Peak", "晶峰" for "Wafer Peak Capital 晶峰资本"), as RMs name a fund by its manager. Equity
    programs only (a bank or a ministry issues many programs); a brand of one English word needs five
    letters or more, of Chinese two characters or more."""
    if p.kind != "equity" or not p.issuer:
        return ()
    out = []
    for part in re.findall(r"[A-Za-z][A-Za-z&'’ .-]*[A-Za-z]|[\u4e00-\u9fff]+", _NOTE.sub(" ", p.issuer)):
        brand = _TAIL_ZH.sub("", _TAIL_EN.sub("", part.strip()))
        long_enough = len(brand) >= 2 if re.search(r"[\u4e00-\u9fff]", brand) else (" " in brand or len(brand) >= 5)
        if brand and brand != part.strip() and long_enough:
            out.append(brand)
    return tuple(out)


def match_turn(chat: Chat, turn: Turn, enterprise_id: str, kind: str | None,
               kinds: tuple[str, ...] = ()) -> Turn:
    """Match cards of the kind asked for (five), of the kinds a question names together ("grants,
    loans and investors": three each) or of every kind (three each). When none of those asked fits,
    the nearest of each after the 'none fits' line, each with what it still lacks."""
    wanted = (kind,) if kind else kinds or ("policy", "credit", "equity")
    result = chat.matching.match(turn.principal, enterprise_id=enterprise_id,
                                 kinds=list(wanted) if kind or kinds else None, k=30)
    each = 5 if len(wanted) == 1 else 3
    shown: list[Match] = []
    for one in wanted:
        shown += [m for m in result.matches if m.kind == one and m.status != "ineligible"][:each]
    lang = turn.grounded.lang
    if not shown and (kind or kinds):  # none of the kinds asked fits: the nearest of each, with what it lacks
        nearest = [m for one in wanted for m in [m for m in result.matches if m.kind == one][:NEAREST if kind else 1]]
        if nearest:
            passages = [program_passage(i + 1, m.program) for i, m in enumerate(nearest)]
            text = "\n".join([NONE_FIT[lang], *(gaps_text(m, p.n, lang) for m, p in zip(nearest, passages))])
            return with_answer(turn, text, passages, nearest)
    if not shown:
        return replace(turn, grounded=Answer(NONE_FIT[lang], (), False, lang))
    passages = [program_passage(i + 1, m.program) for i, m in enumerate(shown)]
    text = "\n".join(card_line(m, p.n, lang) for m, p in zip(shown, passages))
    return with_answer(turn, text, passages, shown)


def program_turn(chat: Chat, turn: Turn, enterprise_id: str, program_id: str, profile_row: dict[str, Any]) -> Turn:
    """The named program's verdict first, the certificates already held, its gaps."""
    m = one_match(chat, turn.principal, enterprise_id, program_id)
    lang = turn.grounded.lang
    if m is None:
        closed = unavailable_turn(chat, turn, enterprise_id, program_id)
        return closed if closed is not None else match_turn(chat, turn, enterprise_id, None)
    passages = [program_passage(1, m.program)]
    held: list[tuple[Certificate, int]] = []
    for cert, passage in held_certificates(chat, profile_row, m.program):
        passages.append(replace(passage, n=len(passages) + 1))
        held.append((replace(cert, name=shown_name(cert.name, lang)), len(passages)))
    asked = benefits_asked(turn.question, m.program.benefits)  # "一年最多补多少？": what it offers, with the verdict
    offered = benefit_sentences({k: m.program.benefits[k] for k in asked}, lang)
    sized = sized_line(chat, m.program, profile_row, lang, passages) if set(asked) & SIZED_BY else None
    if not asked:  # a term of the program asked in words no benefit's name holds ("是税负超过几个点的部分退？"): what its
        # card states of it, with the verdict
        card = chat.card_said(turn, m.program, profile_row, enterprise_id)
        if card:
            passages[0] = program_passage(1, m.program, lang)
            offered = card
    issuer = []
    if m.program.issuer and ISSUER_ASKED.search(index_form(turn.question)):  # "是哪个部门在兑现？": its issuer, from its card
        said = f"{ISSUER_LABEL[lang]}{'：' if lang == 'zh' else ': '}{m.program.issuer}"
        passages[0] = replace(passages[0], text=f"{passages[0].text}\n{said}")
        issuer = [said]  # (cited to the card, as the terms are)
    text = program_text(m, 1, lang, held, date.today(), fact_citer(chat, passages),
                        [*issuer, *offered, *([sized] if sized else [])])
    return with_answer(turn, text, passages, [m])


# who issues or runs a program, asked ("是哪个部门在兑现", "主管部门", "which agency administers it", "who runs it")
ISSUER_ASKED = re.compile(r"哪个部门|哪個部門|哪个机构|哪個機構|哪家机构|哪家機構|什么部门|什麼部門|主管部门|主管部門|受理部门|受理部門|"
                          r"发证机关|發證機關|认定机构|認定機構|发布机构|發布機構|由谁|由誰|谁(?:来)?(?:发|批|管|审|兑现|受理|负责|认定|颁发)|"
                          r"誰(?:來)?(?:發|批|管|審|兌現|受理|負責|認定|頒發)|"
                          r"\b(?:which|what) (?:agency|agencies|department|body|bodies|authority|authorities|office|ministry)\b|"
                          r"\bwho (?:runs|administers|issues|awards|grants|manages|funds|oversees|approves)\b|"
                          r"\b(?:administered|issued|run|awarded|managed) by\b|\bissuer\b", re.IGNORECASE)
ISSUER_LABEL = {"zh": "发布/主管机构", "en": "Issued / administered by"}


# the benefits that state a loan's size: asked for, the size the sizing rule gives the client comes with them
SIZED_BY = frozenset({"sizing", "max_amount_cny", "basis", "tax_relief", "additional_deduction_ratio"})


def sized_line(chat: Chat, program: Program, profile_row: dict[str, Any], lang: str, passages: list[Passage]) -> str | None:
    """The amount the program's sizing rule gives the client ("按此口径测算：5,000万元 × 30% = 1,500万元"), its base cited
    to the client's document (added to `passages`); None when the program states no rule read as a share of a figure
    the client's profile holds (app/core/sizing.py)."""
    rule = next((str(program.benefits[k]) for k in ("sizing", "basis", "tax_relief")
                 if program.benefits.get(k) and sizing_rule(str(program.benefits[k])) is not None), None)
    if rule is None:
        return None
    cap = program.benefits.get("max_amount_cny")
    s = sized(rule, profile_from_json(profile_row), float(cap) if isinstance(cap, (int, float)) else None)
    if s is None:
        return None
    marks = source_marks(s.base, chat._context, chat.deps.injection, passages)
    return f"{sized_text(s, lang)}{'' if lang == 'zh' or not marks else ' '}{marks or ''}"


def fact_citer(chat: Chat, passages: list[Passage]) -> Cite:
    """Cites a verdict's client value to the documents it was read from (its sources added to `passages`,
    numbered after them): a verdict line's value is the client's, not the program's. A value no document
    states (entered by a user, a default) is left to the program's citation."""
    def cite(v: Verdict) -> str:
        fact = v.fact
        if fact is None or not any(s.doc_id for s in fact_sources(fact)):
            return ""
        return source_marks(fact, chat._context, chat.deps.injection, passages) or ""
    return cite


def gaps_turn(chat: Chat, turn: Turn, enterprise_id: str, program_id: str | None, kind: str | None) -> Turn:
    """What the program in focus still lacks; without one, the top matches' gaps."""
    lang = turn.grounded.lang
    if program_id is not None:
        one = one_match(chat, turn.principal, enterprise_id, program_id)
        closed = unavailable_turn(chat, turn, enterprise_id, program_id) if one is None else None
        if closed is not None:  # no criterion would open it (its area, its dates): that is what it lacks
            return closed
        shown = [one] if one is not None else []
    else:
        result = chat.matching.match(turn.principal, enterprise_id=enterprise_id, kinds=[kind] if kind else None, k=30)
        shown = [m for m in result.matches if m.status != "ineligible"][:3]
    if not shown:
        return replace(turn, grounded=Answer(NONE_FIT[lang], (), False, lang))
    passages = [program_passage(i + 1, m.program) for i, m in enumerate(shown)]
    cite = fact_citer(chat, passages)
    text = "\n".join(gaps_text(m, p.n, lang, cite) for m, p in zip(shown, passages))
    return with_answer(turn, text, passages, shown)


def held_lines(chat: Chat, profile_row: dict[str, Any], program: Program, lang: str, passages: list[Passage]) -> list[str]:
    """The program's certificates the client already holds, each a line with its dates and renewal window, its
    source added to `passages` (a validity asked of a program the client holds: "until when?")."""
    lines = []
    for cert, passage in held_certificates(chat, profile_row, program):
        passages.append(replace(passage, n=len(passages) + 1))
        lines.append(certificate_line(replace(cert, name=shown_name(cert.name, lang)), len(passages), lang, date.today()))
    return lines


def held_certificates(chat: Chat, profile_row: dict[str, Any], program: Program) -> list[tuple[Certificate, Passage]]:
    """Certificates of the firm the program is about (its title names the certification), read
    from the page each was found on."""
    profile = profile_from_json(profile_row)
    title = index_form(" ".join([program.title, *load_glossary().expansions(program.title)]))
    held = [(c, _fact_passage(chat, f)) for c, f in profile_certificates(profile) if index_form(c.name) in title]
    if held:
        return held
    fv = profile.fields.get("certifications")
    if fv is None:
        return []
    out: list[tuple[Certificate, Passage]] = []
    for fact in (fv.chosen, *fv.candidates):
        names = fact.value if isinstance(fact.value, (list, tuple)) else [fact.value]
        name = next((str(n) for n in names if index_form(str(n)) in title), None)
        if name is None or fact.source_type != "certificate" or not fact.doc_id or any(c.name == name for c, _ in out):
            continue
        page = chat.deps.kb.store.page_text(fact.doc_id, fact.page or 1)
        if page:
            doc = chat.deps.kb.store.document(fact.doc_id)
            doc_title = str(doc["title"]) if doc is not None else fact.doc_id
            out.append((read_certificate(name, page), Passage(0, fact.doc_id, doc_title, page, fact.page or 1)))
    return out


def profile_certificates(profile: EnterpriseProfile) -> list[tuple[Certificate, Fact]]:
    """The profile's certificate facts (`certificate.<kind>`: number, dates, validity) as certificates."""
    out = []
    for name, fv in sorted(profile.fields.items()):
        v = fv.chosen.value
        if name.startswith("certificate.") and isinstance(v, dict) and v.get("name"):
            years = int(str(v["valid_years"])) if v.get("valid_years") else None
            month = month_date(str(v.get("issued") or ""))
            if month is not None:  # issued in a month, day unknown (app/core/certificates.py)
                out.append((of_month(str(v["name"]), _str(v.get("number")), month, years, _str(v.get("issuer"))), fv.chosen))
                continue
            out.append((Certificate(str(v["name"]), _str(v.get("number")), _date(v.get("issued")), years,
                                    _date(v.get("expires")), _str(v.get("issuer"))),
                        fv.chosen))
    return out


def _str(value: object) -> str | None:
    return str(value) if value else None


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _fact_passage(chat: Chat, fact: Fact) -> Passage:
    title, text, page = chat._context(fact)
    if fact.doc_id and fact.page:
        text = chat.deps.kb.store.page_text(fact.doc_id, fact.page) or text
    return Passage(0, fact.doc_id or "profile", title, text, page)


def shown_name(name: str, lang: str) -> str:
    """A certification's name in the asker's language ('高新技术企业' → 'high-tech enterprise')."""
    if lang == "zh" or name.isascii():
        return name
    return next((t for t in load_glossary().expansions(name) if t.isascii()), name)


def one_match(chat: Chat, principal: Principal, enterprise_id: str, program_id: str) -> Match | None:
    result = chat.matching.match(principal, enterprise_id=enterprise_id, k=1000)
    return next((m for m in result.matches if m.program.id == program_id), None)


def unavailable_turn(chat: Chat, turn: Turn, enterprise_id: str, program_id: str) -> Turn | None:
    """The program's verdict when the matcher set it aside for this client (its area, its dates),
    said with the reason; None when it did not."""
    out = excluded_of(chat, turn.principal, enterprise_id, program_id)
    if out is None:
        return None
    card = Match(out.program, 0.0, "ineligible", (), 0.0, 0.0, 0.0, out.reason, ())
    lang = turn.grounded.lang
    asked = benefits_asked(turn.question, out.program.benefits)  # "and what's the max grant there?": said beside the reason
    said = benefit_sentences({k: out.program.benefits[k] for k in asked}, lang)
    text = unavailable_text(out, 1, lang) + ("。" if said and lang == "zh" else ". " if said else "") + cited_terms(said, lang)
    return with_answer(turn, text, [program_passage(1, out.program)], [card])


def excluded_of(chat: Chat, principal: Principal, enterprise_id: str, program_id: str) -> Excluded | None:
    """The program, when the matcher set it aside for this client before judging it (area, dates)."""
    result = chat.matching.match(principal, enterprise_id=enterprise_id, k=1)
    return next((x for x in result.excluded if x.program.id == program_id), None)


_AREA = re.compile(r"outside its area: program in (?P<program>.+), firm in (?P<firm>.+)")
_DATES = re.compile(r"(?P<what>expired|opens) on (?P<day>\S+)")


def unavailable_text(x: Excluded, n: int, lang: str) -> str:
    """'<title>: not open to this client — <why>' in the asker's language, cited."""
    zh = lang == "zh"
    area, dates = _AREA.fullmatch(x.reason), _DATES.fullmatch(x.reason)
    if area:
        why = (f"适用地区为{region_text(area['program'], 'zh')}，企业位于{region_text(area['firm'], 'zh')}" if zh
               else f"it covers {region_text(area['program'], 'en')}; the firm is in {region_text(area['firm'], 'en')}")
    elif dates:
        why = ((f"已于{dates['day']}截止" if dates["what"] == "expired" else f"{dates['day']}起受理") if zh
               else f"it {'closed' if dates['what'] == 'expired' else 'opens'} on {dates['day']}")
    else:
        why = x.reason
    title = shown_title(x.program, "zh" if zh else "en")
    return f"{title}：该客户不适用——{why}[{n}]" if zh else f"{title}: not open to this client — {why} [{n}]"


def cited_terms(said: list[str], lang: str) -> str:
    """Benefit sentences (`benefit_sentences`) said one after another, each cited to the program's card [1]."""
    if lang == "zh":
        return "".join(f"{s.rstrip('。')}[1]。" for s in said)
    return " ".join(f"{s.rstrip('.')} [1]." for s in said)


def program_passage(n: int, p: Program, lang: str | None = None) -> Passage:
    """The program's card as a passage; with `lang`, its benefits follow in that language (its amount,
    rate, term …: app/core/benefit_text.py), and the dates it runs between, for answering a question about its
    terms ("该政策执行期限截至何时？")."""
    text = with_benefits(p.text, p.benefits, lang) if lang else p.text.strip()
    if lang and p.valid_to:
        text += (f"\n执行期限：{p.valid_from + '至' if p.valid_from else '至'}{p.valid_to}。" if lang == "zh"
                 else f"\nValid {'from ' + p.valid_from + ' ' if p.valid_from else ''}until {p.valid_to} (deadline).")
    return Passage(n, f"program:{p.id}", p.title, text or p.title)


def with_answer(turn: Turn, text: str, passages: list[Passage], shown: list[Match]) -> Turn:
    answer = Answer(text, tuple(passages), True, turn.grounded.lang)
    return replace(turn, grounded=answer, passages=passages, matches=[match_to_json(m) for m in shown])


def criteria_asked(intents: Intents, classifier: IntentClassifier | None, question: str, program: Program) -> list[Criterion]:
    """The criteria of a program in focus a follow-up asks about ("and the headcount cap, are they under
    it?", "注册地那条呢？"): those on the fields of the profile field group the intent model hears in the
    question (its most probable intent other than a follow-up, if that is a profile field group with at
    least CRITERION_HEARD); [] when it hears none or the program has no criterion on those fields. The model reads the question's meaning in either
    language, so no word list decides which criterion is meant."""
    if classifier is None:
        return []
    specs = {s.name: s for s in intents.specs}
    # the model's own reading, follow-up intents aside: a profile field group, not a document or program question
    # ("审批要多久？" reads as a document question with the founding group far behind: no criterion is asked)
    heard = next(((name, p) for name, p in classifier.scores(question).items() if not name.startswith("followup")), None)
    if heard is None or specs[heard[0]].route != "profile" or heard[1] < CRITERION_HEARD:
        return []
    return criteria_on(program, specs[heard[0]].fields)


def criteria_on(program: Program, fields: Sequence[str]) -> list[Criterion]:
    """The program's criteria on any of the `fields` (an any-of criterion by any of its options)."""
    return [c for c in program.criteria if c.field in fields or any(o.field in fields for o in c.options)]


def criterion_turn(chat: Chat, turn: Turn, enterprise_id: str, program: Program, criteria: list[Criterion],
                   profile_row: dict[str, Any]) -> Turn:
    """The criteria asked of the program in focus, each with its verdict for the client, cited to the
    program; a program the matcher set aside for the client (its area, its dates) says so first."""
    lang = turn.grounded.lang
    card = program_passage(1, program, lang)
    m = one_match(chat, turn.principal, enterprise_id, program.id)
    if m is not None:
        verdicts = [v for v in m.verdicts if v.criterion in criteria and v.verdict != "not_applicable"]
        passages = [card]
        text = criterion_text(m, verdicts, 1, lang, fact_citer(chat, passages))
        return replace(with_answer(turn, text, passages, [m]), route="match")
    profile = profile_from_json(profile_row)
    verdicts = [v for v in (evaluate(c, profile, program.jurisdiction) for c in criteria) if v.verdict != "not_applicable"]
    out = excluded_of(chat, turn.principal, enterprise_id, program.id)
    m = Match(program, 0.0, "ineligible", tuple(verdicts), 0.0, 0.0, 0.0, out.reason if out else "", ())
    passages = [card]
    lines = criterion_text(m, verdicts, 1, lang, fact_citer(chat, passages)).splitlines()[1:]
    head = [unavailable_text(out, 1, lang)] if out is not None else [f"{shown_title(program, lang)}：" if lang == "zh" else f"{shown_title(program, lang)}:"]
    return replace(with_answer(turn, "\n".join([*head, *lines]), passages, [m]), route="match")
