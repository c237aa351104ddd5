"""Criteria extraction: policy text in, checkable Criterion list out, each tied to its clause.

Clauses are sentences and list items. Every rule of the clause grammar (criteria_numeric,
criteria_categorical) runs on each clause; then tiers ("销售收入小于5,000万元的企业，比例不低于5%")
become conditional criteria on the ratio named earlier, and alternatives joined by 或 / or become
one "any_of" criterion. A criterion is kept only if its value's own words occur in its clause, and
never from a clause inside a sentence flagged as an instruction to the assistant (app/core/injection.py).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import asdict, replace
from typing import Any

import app.core.criteria_categorical
import app.core.criteria_founding_en
import app.core.criteria_money_en
import app.core.criteria_ranges  # noqa: F401  (these modules register their rules)
from app.core.criteria_numeric import _RATIO_ZH, CMP_EN, CMP_ZH, RULES, Found, op_en, op_zh
from app.core.criteria_scope import COMPLEMENT, as_written, excluded, is_exclusion
from app.core.criteria_subjects import SubjectReader
from app.core.injection import Flag, overlaps, rule_detector
from app.core.numbers import NUM, parse_number
from app.core.textnorm import to_simplified
from app.core.types import Criterion

_CLAUSE_END = re.compile(
    r"[。；;！？!?\n]+|(?<=[a-z0-9)%])\.(?=\s+[A-Z(]|\s*$)|(?<=要求|条件|條件|如下|下列|规定|規定)[：:]"
)
# a condition that scores points in the review ("予以加分", "additional points") is a preference too
_SOFT = re.compile(r"优先|優先|鼓励|鼓勵|加分|priority|prefer|preference|preferred|welcome|favourabl|favorabl|ideally|plus\b|"
                   r"(?:additional|bonus|extra)\s+points?", re.IGNORECASE)
_BARE_RATIO = re.compile(rf"(?<![占佔])比例\s*({CMP_ZH})\s*({NUM})\s*(%|％)")
_OR = re.compile(r"或者?|或是|\bor\b", re.IGNORECASE)
_LIST_MARK = re.compile(r"\s*(?:企业|企業)?\s*[、,，]\s*")  # items of one list: "高新技术企业、科技型中小企业或…"
_AND = re.compile(r"且|并|並|以及|\band\b", re.IGNORECASE)
# in a whole document, a clause states a condition if it says so, or is an item of a list of conditions
_MODAL = re.compile(r"须|須|应当|應當|应为|應為|需|必须|不得|符合|满足|滿足|具备|具備|申请|申請|申报|申報|认定|認定|条件|條件|"
                    r"\b(?:must|shall|should|required|eligib\w*|applicants?|need)\b", re.IGNORECASE)
_INTRODUCES = re.compile(r"下列条件|以下条件|如下条件|如下要求|下列要求|以下要求|條件如下|下列條件|以下條件|"
                         r"(?:申报|申報|申请|申請|认定|認定|基本|评价|評價|准入|支持)(?:条件|條件)|"
                         r"following (?:conditions|criteria|requirements)|eligibility", re.IGNORECASE)
# a heading ends a list of conditions ("二、优惠政策", "第五条", "## Awards", a short title line)
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十百零\d]+[章节条]|#+\s|[A-Z][A-Za-z ]{0,40}$|[^\d，,。]{2,12}$)")
_TIER_FIELDS = ("revenue", "total_assets", "employees")
_TIER_PHRASE = re.compile(r"的(?:企业|企業|申请人|申請人|单位|單位)?[，,]|\bfor (?:companies|firms|applicants) with\b", re.IGNORECASE)
# "…不足5000万元的，研发费用占比不低于5%；5000万元至2亿元的，不低于4%": a later tier names neither subject again
_BARE_TIER = re.compile(r"^(?P<band>[^，,；;]+?)的(?:企业|企業)?[，,](?P<share>[^，,；;]+)$")
# "除高新技术企业外，…须满3年", "…满3年（高新技术企业除外）": what exempts a firm from the other conditions
_EXEMPT = re.compile(r"^[^，,。；;]{0,6}?除(?P<x>[^，,。；;]{2,30}?)(?:以)?外[，,]|[（(](?P<y>[^（）()]{2,30}?)(?:除外|不受此限)[）)]")
_ANY_MAY = re.compile(r"(?:均|皆|都)可(?:以)?(?:申报|申請|申请|申報|参加|參加)")
# a clause on a fund's manager or general partner states nothing about the firm applying
_MANAGER = re.compile(r"^\s*(?:(?:基金|子基金|母基金)?(?:管理人|管理机构|管理機構|管理公司|普通合伙人|普通合夥人)|"
                      r"(?:the\s+)?(?:fund\s+manager|general\s+partner)\b)", re.IGNORECASE)
# "满足以下条件之一即可：…；…；…", "meet one of the following: …": what follows is a list of options
_ONE_OF = re.compile(r"(?:条件|條件|要求|情形|标准|標準|下列|以下)之一|\b(?:any|one|either)\s+of\s+the\s+following\b", re.IGNORECASE)
# the tier after a stated one, named as the rest: "其他企业须达到15%", "for larger companies, at least 5%"
_REST = re.compile(r"其他|其它|其余|其餘|\b(?:other|larger|smaller|bigger|remaining)\s+(?:companies|firms|enterprises|"
                   r"businesses|applicants)\b", re.IGNORECASE)
_SHARE = re.compile(rf"({CMP_ZH})\s*({NUM})\s*(%|％)|\b({CMP_EN})\s+({NUM})\s*(%)", re.IGNORECASE)


def clauses(text: str) -> Iterator[tuple[int, str]]:
    """(start offset, clause) for each sentence or list item of the text."""
    pos = 0
    for m in _CLAUSE_END.finditer(text + "\n"):
        piece = text[pos : m.start()]
        stripped = piece.strip()
        if len(stripped) >= 4:
            yield pos + piece.index(stripped[0]), stripped
        pos = m.end()


def _ratio_subject(clause: str) -> str | None:
    return next((field for pattern, field in _RATIO_ZH if re.search(pattern, clause)), None)


def _criterion(f: Found, clause: str, hard: bool) -> Criterion:
    return Criterion(field=f.field, op=f.op, value=f.value, unit=f.unit, hard=hard, source_text=clause,
                     value_text=f.value_text, window_years=f.window_years)


def reading(clause: str) -> str:
    """The form of a clause the grammar reads: simplified, when that keeps every character's place."""
    simple = to_simplified(clause)
    return clause if simple == clause or len(simple) != len(clause) else simple


def _found(clause: str, subjects: SubjectReader | None) -> list[Found]:
    """Every rule on the clause's simplified form (one grammar for both scripts), then the comparisons
    no rule read, by what their subject means; the words of each value are then read back from the
    clause as written, character for character."""
    simple = to_simplified(clause)
    text = reading(clause)
    found = [f for rule in RULES for f in rule(text)]
    found += subjects.read(text, found) if subjects is not None else []
    return found if text is clause else [as_written(f, simple, clause) for f in found]


def extract_clause(clause: str, context_field: str | None = None, subjects: SubjectReader | None = None) -> list[Criterion]:
    """`subjects`: reads the comparisons whose subject no rule names (none without it)."""
    if _MANAGER.match(clause):
        return []
    hard = not _SOFT.search(clause)
    found = _dedupe(excluded(clause, _found(clause, subjects)))
    if (exempt := _EXEMPT.search(clause)) and (out := _exempted(clause, found, exempt, hard)):
        return out
    bare = _BARE_RATIO.search(clause)
    tiers = [f for f in found if f.field in _TIER_FIELDS]
    has_ratio = any(f.field.endswith("_ratio") for f in found)
    if bare and context_field and tiers and not has_ratio:
        conditions = tuple(_criterion(f, clause, True) for f in tiers)
        found = [f for f in found if f.field not in _TIER_FIELDS]
        found.append(Found(context_field, op_zh(bare.group(1)), parse_number(bare.group(2)), "%",
                           bare.group(2) + bare.group(3), bare.start()))
        out = [_criterion(f, clause, hard) for f in found]
        return [replace(c, when=conditions) if c.field == context_field else c for c in out]
    if tiers and has_ratio and _TIER_PHRASE.search(clause):
        # "销售收入在5,000万元至2亿元的企业，研发费用占比不低于4%": the band conditions the ratio
        first, *later = re.split(r"[；;]", clause)
        if later and (chained := _chained_tiers(first, later, found, clause, subjects)):
            return chained
        conditions = tuple(_criterion(f, clause, True) for f in tiers)
        tiered = [replace(_criterion(f, clause, hard), when=conditions) for f in found if f.field not in _TIER_FIELDS]
        return tiered + _rest_tier(tiered, clause, hard)
    criteria = [_criterion(f, clause, hard) for f in found]
    certified = [c for c in criteria if c.field == "certifications"]
    if _ANY_MAY.search(clause) and len(certified) >= 2:  # "A、B、C均可申报": any of the kinds named
        return [c for c in criteria if c not in certified] + [_group(tuple(certified), clause)]
    if is_exclusion(clause):
        return criteria  # each excluded alternative's complement holds on its own
    if one_of := _ONE_OF.search(clause):
        listed = [c for f, c in zip(found, criteria) if f.start >= one_of.end()]
        if len(listed) >= 2:  # each listed condition is one option of a single requirement
            return [c for c in criteria if c not in listed] + [_group(tuple(listed), clause)]
    return _either(_alternatives(criteria, found, clause), clause)


def _exempted(clause: str, found: list[Found], exempt: re.Match[str], hard: bool) -> list[Criterion]:
    """"除高新技术企业外，申报企业成立时间须满3年": every other condition holds unless the exempting one does
    (A or X); [] when the exempting words or the rest state no condition."""
    start, end = exempt.span("x") if exempt.group("x") else exempt.span("y")
    inside = [_criterion(f, clause, hard) for f in found if start <= f.start < end]
    rest = [f for f in found if not start <= f.start < end]
    # a kind of firm named bare ("除高新技术企业外") is read as what a firm is ("须为高新技术企业")
    inside = inside or [replace(c, source_text=clause) for c in extract_clause("须为" + clause[start:end])]
    # only a kind of firm by its title exempts ("…（从业人员超过500人的企业除外）" leaves firms out instead)
    if len(inside) != 1 or inside[0].field != "certifications" or not rest:
        return []
    return [_group((_criterion(f, clause, hard), inside[0]), clause) for f in rest]


def _relaid(c: Criterion, clause: str) -> Criterion:
    return replace(c, source_text=clause, when=tuple(_relaid(w, clause) for w in c.when),
                   options=tuple(_relaid(o, clause) for o in c.options))


def _chained_tiers(first: str, later: list[str], found: list[Found], clause: str,
                   subjects: SubjectReader | None) -> list[Criterion]:
    """Tiers in a chain: the first names the tier's subject and the ratio's ("营业收入不足5000万元的，研发费用
    占比不低于5%"), each later one only its band and its share ("5000万元至2亿元的，不低于4%"), read with the
    first's subjects put back. [] unless every later tier is so written."""
    tier = next((f for f in found if f.field in _TIER_FIELDS and f.start < len(first)), None)
    ratio = next((f for f in found if f.field.endswith("_ratio") and f.start < len(first)), None)
    if tier is None or ratio is None or tier.start > ratio.start:
        return []
    words = []
    for f in (tier, ratio):
        stop = re.search(rf"{CMP_ZH}|\d|在", clause[f.start :])
        words.append(clause[f.start : f.start + stop.start()] if stop else "")
    if not all(words):
        return []
    out = extract_clause(first, None, subjects)
    for part in later:
        m = _BARE_TIER.match(part.strip().rstrip("。."))
        if m is None or any(w in part for w in words):
            return []
        read = extract_clause(f"{words[0]}{m['band']}的企业，{words[1]}{m['share']}", None, subjects)
        if not read or any(not c.when for c in read):
            return []
        out += read
    return [_relaid(c, clause) for c in out]


def _rest_tier(tiered: list[Criterion], clause: str, hard: bool) -> list[Criterion]:
    """"年营业收入超过1亿元的企业，研发人员占比须达到10%；其他企业须达到15%": after the stated tier, a share
    for "the other firms" holds where the one condition of the stated tier does not."""
    if len(tiered) != 1 or len(tiered[0].when) != 1 or tiered[0].when[0].op not in COMPLEMENT:
        return []
    stated, (condition,) = tiered[0], tiered[0].when
    for part in re.split(r"[；;]", clause)[1:]:
        rest, share = _REST.search(part), _SHARE.search(part)
        if rest and share and share.start() > rest.start():
            op = op_zh(share.group(1)) if share.group(1) else op_en(share.group(4))
            number, sign = (share.group(2), share.group(3)) if share.group(1) else (share.group(5), share.group(6))
            other = replace(condition, op=COMPLEMENT[condition.op])
            return [replace(stated, op=op, value=parse_number(number), value_text=number + sign, hard=hard, when=(other,))]
    return []


def _dedupe(found: list[Found]) -> list[Found]:
    seen: dict[tuple[str, str, object], Found] = {}
    for f in sorted(found, key=lambda f: f.start):
        key = (f.field, f.op, f.value)
        if key not in seen and not any(k[0] == f.field and k[1] == "exists" for k in seen):
            seen[key] = f
    return list(seen.values())


def _alternatives(criteria: list[Criterion], found: list[Found], clause: str) -> list[Criterion]:
    """Criteria on patents joined by 或 / or are one requirement with options."""
    ip = [(f, c) for f, c in zip(found, criteria) if c.field.startswith("patents.")]
    # from where each kind is named to its count: "实用新型专利或外观设计专利10项以上" shares one count
    where = sorted([f.start for f, _ in ip] + [clause.find(c.value_text) for _, c in ip if c.value_text])
    if len(ip) < 2 or not _OR.search(clause[where[0] : where[-1] + 1]):
        return criteria
    options = tuple(c for _, c in ip)
    group = Criterion(field="patents", op="any_of", hard=options[0].hard, source_text=clause,
                      options=options)  # each option carries its own grounded words
    return [c for c in criteria if not c.field.startswith("patents.")] + [group]


def _either(criteria: list[Criterion], clause: str) -> list[Criterion]:
    """Conditions joined by 或 / or with no 且 / and between them are one requirement with options:
    "从业人员1000人以下或营业收入4亿元以下", "a high-tech enterprise or a technology-based SME"."""
    criteria = _shared_bound(criteria, clause)
    placed = sorted(_places_of(criteria, clause))
    runs: list[list[int]] = []
    joined_by_or: list[bool] = []
    for (a, i), (b, j) in itertools.pairwise(placed):
        gap = clause[a + len(criteria[i].value_text): b]
        either, listed = _OR.search(gap) and not _AND.search(gap), _LIST_MARK.fullmatch(gap)
        if b > a and (either or listed):
            if not runs or runs[-1][-1] != i:
                runs.append([i])
                joined_by_or.append(False)
            runs[-1].append(j)
            joined_by_or[-1] = joined_by_or[-1] or bool(either)
    runs = [run for run, by_or in zip(runs, joined_by_or) if by_or]  # "A、B或C" is a list of options; "A、B" is not
    # one field bounded both ways ("1000万元以上，或…1000万元以下，但…") is no choice between options
    runs = [run for run in runs if not _both_ways([criteria[i] for i in run])]
    grouped = {i for run in runs for i in run}
    return [c for i, c in enumerate(criteria) if i not in grouped] + [_group(tuple(criteria[i] for i in run), clause)
                                                                     for run in runs]


def _shared_bound(criteria: list[Criterion], clause: str) -> list[Criterion]:
    """Subjects joined by 或 / or that share one bound ("营业收入或资产总额不超过1亿元", "an annual turnover or
    balance sheet total of no more than €10 million") are one requirement with options."""
    for i, c in enumerate(criteria):
        text = c.value_text
        if not text or c.when or c.op == "any_of" or clause.count(text) != 1:
            continue
        same = [d for d in criteria[i + 1 :] if d.value_text == text and d.field != c.field and d.op == c.op and not d.when]
        before = clause[max(0, clause.find(text) - 40) : clause.find(text)]
        if same and _OR.search(before) and not _AND.search(before.split("或")[-1].split(" or ")[-1]):
            shared = [c, *same]
            return [d for d in criteria if d not in shared] + [_group(tuple(shared), clause)]
    return criteria


def _both_ways(options: list[Criterion]) -> bool:
    up = {c.field for c in options if c.op in (">", ">=")}
    return bool(up & {c.field for c in options if c.op in ("<", "<=")})


def _places_of(criteria: list[Criterion], clause: str) -> list[tuple[int, int]]:
    """(where its words are, index) of each plain criterion; words written twice are found in turn
    ("营业收入不超过2亿元或资产总额不超过2亿元": the second "2亿元" is the second amount)."""
    out: list[tuple[int, int]] = []
    after: dict[str, int] = {}
    for i, c in enumerate(criteria):
        if c.value_text and not c.when and c.op != "any_of":
            at = clause.find(c.value_text, after.get(c.value_text, 0))
            at = clause.find(c.value_text) if at < 0 else at
            after[c.value_text] = at + 1
            out.append((at, i))
    return out


def _group(options: tuple[Criterion, ...], clause: str) -> Criterion:
    families = {o.field.split(".")[0] for o in options}
    field = families.pop() if len(families) == 1 and options[0].field.startswith("patents.") else "alternatives"
    return Criterion(field=field, op="any_of", hard=options[0].hard, source_text=clause, options=options)


def grounded(c: Criterion) -> bool:
    """The value's words must be in the clause; options and tier conditions too."""
    own = c.op in ("exists", "any_of") or bool(c.value_text) and c.value_text in c.source_text
    return own and all(grounded(o) for o in c.options) and all(grounded(w) for w in c.when)


def extract(text: str, flags: Sequence[Flag] | None = None, subjects: SubjectReader | None = None) -> list[Criterion]:
    """`flags`: the text's sentences flagged as instructions (default: by the structural cues);
    `subjects`: reads comparisons by what their subject means (app/core/criteria_subjects.py)."""
    out: list[Criterion] = []
    context: str | None = None
    listing = False
    flags = rule_detector().flags(text) if flags is None else flags
    pieces = [(start, clause) for start, clause in clauses(text) if not overlaps((start, start + len(clause)), flags)]
    if subjects is not None:
        subjects.prime([reading(clause) for _, clause in pieces])
    i = 0
    while i < len(pieces):
        clause = pieces[i][1]
        i += 1
        stated = len(pieces) == 1 or _MODAL.search(clause) or listing
        if _INTRODUCES.search(clause):
            listing = True
        elif _HEADING.match(clause):
            listing = False
        if not stated:
            continue
        if (one_of := _ONE_OF.search(clause)) and (end := _options_end(text, pieces, i - 1)) > i:
            listed = _listed_options(clause, one_of.end(), [c for _, c in pieces[i:end]], context, subjects)
            if listed is not None:
                out.extend(c for c in listed if grounded(c))
                i = end
                continue
        found = extract_clause(clause, context, subjects)
        subject = _ratio_subject(clause)
        if subject and not any(c.field == subject for c in found):
            context = subject  # "研究开发费用…比例符合如下要求：" introduces tiers on that ratio
        out.extend(c for c in found if grounded(c))
    return out


# a list item's mark: "1." "2、" "（一）" "(a)" "①" "•"; items of one list share their kind of mark
_ITEM_MARKS = (re.compile(r"\d{1,2}\s*[.、)）](?!\d)"), re.compile(r"[（(]\d{1,2}[)）]"),
               re.compile(r"[（(][一二三四五六七八九十]{1,3}[)）]"), re.compile(r"[（(][a-zA-Z][)）]"),
               re.compile(r"[a-zA-Z][.)]\s"), re.compile(r"[①-⑳]"), re.compile(r"[•·▪\-–*]\s*"))


def _mark(clause: str) -> int | None:
    return next((k for k, mark in enumerate(_ITEM_MARKS) if mark.match(clause)), None)


def _listed_options(intro: str, at: int, items: list[str], context: str | None,
                    subjects: SubjectReader | None) -> list[Criterion] | None:
    """"须为本市企业，并符合下列条件之一：\n1. …；\n2. …。": what the introducing clause requires before
    "之一", and one any_of of the listed items (the first may follow the colon in the same clause).
    None, to read the clauses one by one, when an item holds two conditions (an option of both, not
    one of each) or fewer than two items hold one."""
    head = extract_clause(intro[:at], context, subjects)
    rest = intro[at:].lstrip("：:，, ")
    options: list[Criterion] = []
    for item in ([rest] if rest else []) + items:
        read = extract_clause(item, context, subjects)
        if len(read) > 1:
            return None
        options += read
    if len(options) < 2:
        return None
    return head + [_group(tuple(options), "；".join([intro, *items]))]


def _options_end(text: str, pieces: Sequence[tuple[int, str]], intro: int) -> int:
    """The index after the last item of the list that the clause at `intro` introduces: the clauses
    that follow, each marked as the first item is ("1." … "2."), or, unmarked, each after one ended
    by "；" — so a list of the enclosing level ("（三）" after "1. …；2. …。") or a heading ends it."""
    end, first = intro + 1, None
    while end < len(pieces):
        start, clause = pieces[end]
        before_start, before = pieces[end - 1]
        between = text[before_start + len(before):start]
        # unmarked items follow one another after "；", the first after the introducing colon too
        follows = "；" in between or ";" in between or (end == intro + 1 and before.endswith(("：", ":")))
        mark = _mark(clause)
        if end == intro + 1:
            first = mark
        same_list = mark == first if mark is not None else first is None and follows and not _HEADING.match(clause)
        if not same_list:
            break
        end += 1
    return end


def to_json(c: Criterion) -> dict[str, Any]:
    data = asdict(c)
    data["value"] = list(c.value) if isinstance(c.value, tuple) else c.value
    data["when"] = [to_json(w) for w in c.when]
    data["options"] = [to_json(o) for o in c.options]
    return data
