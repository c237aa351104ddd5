"""Scores of the chat evaluation (pure functions): answer accuracy, citation precision, right-kind
rate and decline accuracy over labelled chat items.

An item's `kind` is what the question asks for: `policy` / `credit` / `equity` (match cards of
that kind only), `any` (match cards of every kind), `program` or `followup` (the named program or
the program in focus first: `program` names a substring of its title), `profile` (the client's
facts), `compare` (two programs side by side), `document` (the knowledge base), `out_of_scope`. Texts are compared in index
form (NFKC, simplified Chinese, lower case), so a traditional question may be answered from a
simplified passage."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.core.textnorm import index_form

MATCH_KINDS = ("policy", "credit", "equity")


@dataclass(frozen=True)
class ChatItem:
    id: str
    lang: str
    turns: tuple[str, ...]          # the user's questions in order; the last one is scored
    kind: str
    enterprise_id: str | None = None
    expect: tuple[str, ...] = ()    # every one must be in the answer
    cite: tuple[str, ...] = ()      # a cited passage is relevant when its title or text holds one of these
    program: str | None = None      # program / followup: a substring of the first match's title
    answerable: bool = True

    @classmethod
    def from_json(cls, row: dict[str, Any]) -> ChatItem:
        turns = row.get("turns") or [row["question"]]
        return cls(str(row["id"]), str(row.get("lang", "")), tuple(turns), str(row["kind"]), row.get("enterprise_id"),
                   tuple(row.get("expect", ())), tuple(row.get("cite", ())), row.get("program"),
                   bool(row.get("answerable", True)))


@dataclass(frozen=True)
class Outcome:
    answer: str
    found: bool
    route: str
    intent: str
    citations: tuple[dict[str, Any], ...] = ()
    matches: tuple[dict[str, Any], ...] = field(default_factory=tuple)
    reason: str = ""  # why a question about the client went to its documents (the API's route_reason)

    @classmethod
    def from_body(cls, body: dict[str, Any]) -> Outcome:
        return cls(str(body.get("answer", "")), bool(body.get("found")), str(body.get("route", "")),
                   str(body.get("intent", "")), tuple(body.get("citations") or ()), tuple(body.get("matches") or ()),
                   str(body.get("route_reason", "")))


def _has(haystack: str, needle: str) -> bool:
    """The needle in the haystack as written, or with their dates in one form, or a decimal more precisely,
    or with a small Chinese numeral written in digits ("三年" is "3年")."""
    raw, wanted = index_form(haystack), index_form(needle)
    hay, want = _dates_iso(raw), _dates_iso(wanted)
    if wanted in raw or want in hay or _more_precise(hay, want) or _same_figure(raw, wanted):
        return True
    digits = _digits(wanted)
    return digits != wanted and re.search(r"(?<![\d.,])" + re.escape(digits), _digits(raw)) is not None


# an expected figure alone: digits, perhaps a scale word and a currency ("120,800,000", "1.3亿", "$6 million")
# (its currency before it as a sign or a code: "$6 million", "USD 1.2 million", "RMB 10mn")
_BARE_FIGURE = re.compile(r"^(?:[$¥￥]|(?:usd|cny|rmb|eur|hkd)\s)?\s*(\d[\d,]*(?:\.\d+)?)\s*(万|亿|million|billion|mn|m|bn|k)?\s*"
                          r"(?:元|美元|usd|cny|rmb)?$")


def _same_figure(haystack: str, needle: str) -> bool:
    """An expected figure met by the same value in another notation: another scale word or its abbreviation
    ("120,800,000" by "1.208亿元", "1.3亿" by "130,000,000", "$4.5M" by "4,500,000 USD") within the rounding either is
    written with, or the same digits without their thousands commas ("5,000" by "5000万")."""
    m = _BARE_FIGURE.match(needle)
    if m is None:
        return False
    digits = m.group(1).replace(",", "")
    [(value, tol)] = _figures(f"{m.group(1)}{m.group(2) or ''}") or [(float(digits), 0.0)]
    if any(abs(v - value) <= max(tol, t) for v, t in _figures(haystack)):
        return True
    if m.group(2) in ("mn", "m", "bn", "k"):  # "$4.5M" is 4.5 million only, never the digits 4.5 anywhere
        return False
    return re.search(rf"(?<![\d.]){re.escape(digits)}(?![\d]|\.\d)", haystack.replace(",", "")) is not None


_CN_NUMERAL = {c: str(i) for i, c in enumerate("零一二三四五六七八九十")} | {"两": "2"}
# a numeral of one character before a unit or classifier ("三年", "两项"), not inside a word (十分, 一般, 三板)
_SMALL_NUMERAL = re.compile(r"(?<![零一二两三四五六七八九十百千万亿\d])([零一二两三四五六七八九十])(?=[年个项人月家次倍条名])")


def _digits(text: str) -> str:
    return _SMALL_NUMERAL.sub(lambda m: _CN_NUMERAL[m[1]], text)


_DECIMAL = re.compile(r"^\d+\.(\d+)$")
_NUMBER = re.compile(r"(?<![\d.,])\d+\.(\d+)(?![\d.])")


def _more_precise(haystack: str, needle: str) -> bool:
    """A decimal expected ("51.2", "51.2%") is met by the same value written with more decimals ("51.18%"): both
    roundings of the true value agree to within half a unit of each one's last place (a percentage by a
    percentage)."""
    percent = needle.endswith("%")
    needle = needle.removesuffix("%")
    m = _DECIMAL.match(needle)
    if m is None:
        return False
    places = len(m.group(1))
    for n in _NUMBER.finditer(haystack):
        more = len(n.group(1))
        if percent and haystack[n.end():n.end() + 1] != "%":
            continue
        if more > places and abs(float(n.group(0)) - float(needle)) <= 0.5 * 10 ** -places + 0.5 * 10 ** -more + 1e-9:
            return True
    return False


# a date written the Chinese way, with or without its day ("2023年12月12日", "2019 年 3 月")
_ZH_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")


_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
# a date written out in English (lower case, as index_form leaves it): "12 december 2023", "december 12, 2023",
# "june 2020"
_EN_DATE = re.compile(r"\b(?:(\d{1,2})\s+)?(" + "|".join(_MONTHS) + r")(?:\s+(\d{1,2}),)?\s+(\d{4})\b")


def _dates_iso(text: str) -> str:
    """Dates in one form on both sides, so that a fact is matched whichever way its date is written:
    "2023年12月12日" and "12 December 2023" as "2023-12-12", "2019年3月" and "March 2019" as "2019-03" (the
    answer may write either)."""
    text = _ZH_DATE.sub(lambda m: f"{m[1]}-{int(m[2]):02d}" + (f"-{int(m[3]):02d}" if m[3] else ""), text)

    def en(m: re.Match[str]) -> str:
        day = m[1] or m[3]
        return f"{m[4]}-{_MONTHS.index(m[2]) + 1:02d}" + (f"-{int(day):02d}" if day else "")
    return _EN_DATE.sub(en, text)


def first_title(out: Outcome) -> str:
    return str((out.matches[0].get("program") or {}).get("title", "")) if out.matches else ""


def right_kind(item: ChatItem, out: Outcome) -> bool:
    kinds = {str(m.get("kind")) for m in out.matches}
    if item.kind in MATCH_KINDS:
        return out.route == "match" and kinds == {item.kind}
    if item.kind == "any":
        return out.route == "match" and len(kinds) > 1
    if item.kind in ("program", "followup"):
        return out.route == "match" and item.program is not None and _has(first_title(out), item.program)
    if item.kind == "profile":
        return out.route == "profile"
    if item.kind == "out_of_scope":
        return not out.found
    if item.kind == "compare":  # the client's own figures compared (two years, two sources) are its profile's to answer:
        # the profile route shows both values and derives the change; programs compared are the comparison's
        return out.route == "compare" or out.route == "profile" and item.enterprise_id is not None and item.program is None
    return out.route == "retrieval"


def answer_correct(item: ChatItem, out: Outcome) -> bool:
    """Answered, with every expected fact, and of the right kind."""
    return out.found and right_kind(item, out) and all(_has(out.answer, e) for e in item.expect)


def relevant_citations(item: ChatItem, out: Outcome) -> tuple[int, int]:
    """(relevant, cited) passages of one answer. A program card cited for a kind question is
    relevant when it is of that kind; any other passage when it holds one of the item's needles, or
    when it states the value the answer cites it for (`states_cited_value`: a verdict line's client
    value cited to the client's own document, "营业收入1.21亿元…[2]" to the row "营业收入 | 120800000.00")."""
    kind_of = {f"program:{(m.get('program') or {}).get('id')}": str(m.get("kind")) for m in out.matches}
    relevant = 0
    for c in out.citations:
        text = f"{c.get('title', '')}\n{c.get('text', '')}"
        if item.kind in MATCH_KINDS and not item.cite:
            relevant += kind_of.get(str(c.get("doc_id")), "") == item.kind
        else:
            relevant += any(_has(text, n) for n in item.cite) or states_cited_value(out.answer, c.get("n"), text)
    return relevant, len(out.citations)


# a figure as an answer or a passage writes it: digits with thousands commas and decimals, and a scale after it
# a figure with its scale word, or the scale's abbreviation written onto it ("$4.5M", "RMB 10mn", "1.2bn", "800k")
_FIGURE = re.compile(r"(?<![\dA-Za-z.,])(\d[\d,]*(?:\.\d+)?)(?:\s*(万|亿|million\b|billion\b)|(mn|m|bn|k)\b)?")
_SCALE = {"万": 1e4, "亿": 1e8, "million": 1e6, "billion": 1e9, "mn": 1e6, "m": 1e6, "bn": 1e9, "k": 1e3}
_ISO_DATE = re.compile(r"(?:19|20)\d\d-\d\d(?:-\d\d)?")


def _figures(text: str) -> list[tuple[float, float]]:
    """(value, the rounding it was written with) of each figure the text writes; a bare year is no figure."""
    out = []
    for m in _FIGURE.finditer(text):
        digits = m.group(1).replace(",", "").rstrip(".")
        word = m.group(2) or m.group(3) or ""
        if not word and re.fullmatch(r"(?:19|20)\d\d", digits):
            continue
        scale = _SCALE.get(word, 1.0)
        places = len(digits.split(".")[1]) if "." in digits else 0
        value = float(digits) * scale
        # decimals written: half a unit of the last place; a whole number of 万 / 亿: within 0.5%; else exact
        out.append((value, 0.5 * 10 ** -places * scale if places else 0.005 * value if scale > 1 else 0.0))
    return out


def states_cited_value(answer: str, n: object, passage: str) -> bool:
    """Whether the passage states the value an answer cites it for. The stretch of the answer a mark (or a run of
    marks, "[4][5]") closes runs from the line's start or the mark before; the passage must hold its first figure,
    a figure a derivation names after "=", a date, six Chinese characters in a row of it (the value named:
    "注册地广东省深圳市南山区", a region path read without its " > "), a count with its unit in either language ("47
    people" by "研发人员47人"; a verdict's tally of criteria is none), a round by its letter ("Series A" by "A轮"), or
    a name the value holds (a capitalised English word: "… Texas > Austin" by "headquartered in Austin"). A figure
    matches within the rounding the answer wrote it with (1.21亿 is 120,800,000); a small one must also share a label
    with the passage or name the quarter of its sheet row, an amount of five digits or more need not."""
    if not isinstance(n, int):
        return False
    text = index_form(passage)
    held = _figures(text)
    dates = set(_ISO_DATE.findall(_dates_iso(text)))
    squeezed = _CJK_RUN_GAP.sub("", text)
    for line in answer.splitlines():
        start = 0
        for m in re.finditer(r"(?:\[\d+\])+", line):
            raw, start = line[start:m.start()], m.end()
            if n not in {int(x) for x in re.findall(r"\d+", m.group(0))}:
                continue
            stretch = index_form(raw)
            bare = _QUARTER.sub(" ", stretch)  # a quarter's number ("第1季度", "Q4") is no figure of the value
            figures = _figures(bare)
            wanted = figures[:1] + (_figures(bare.split("=", 1)[1]) if "=" in bare else [])
            same = [v for v, tol in wanted if any(abs(v - h) <= tol for h, _ in held)]
            # a small figure must share a label with the passage ("12人" is not "发明专利12项"); an amount of five digits
            # or more written to its rounding is that amount, whatever the row's header calls it (rd_expense_rmb)
            if same and (_shares_label(stretch, squeezed) or _same_quarter(stretch, text) or max(same) >= 10_000):
                return True
            if _rounds(stretch) & _rounds(text):  # "funding stage: Series A" of "2022年完成A轮融资"
                return True
            if _counted(_TALLY.sub("", stretch)) & _counted(text):  # "47 people" of "研发人员47人": a count, either language
                return True
            if dates & set(_ISO_DATE.findall(_dates_iso(stretch))):
                return True
            value = re.split(r"——| — ", stretch)[-1].replace(" > ", "")  # a region path: "中国 > 广东省 > 深圳市"
            if any(run[i:i + 6] in squeezed for run in _CJK_RUN.findall(value) for i in range(len(run) - 5)):
                return True
            names = _PROPER.findall(re.split(r"——| — ", raw)[-1])
            if any(re.search(rf"\b{name.lower()}\b", text) for name in names if name not in _NOT_NAMES):
                return True
    return False


_PROPER = re.compile(r"(?<![.:!?] )(?<!^)\b[A-Z][a-z]{3,}\b")  # a capitalised word inside a sentence: a name
_NOT_NAMES = frozenset({"Met", "Unmet", "Unknown", "Preferred", "Series", "United", "States", "Policy", "Credit", "Equity"})


# a count with its unit, in either language: people (人, 名, 位) or items (项, 件)
_COUNTED_EN = re.compile(r"(?<![\d.,])(\d[\d,]*)\s*(people|persons?|items?)\b")
_COUNTED_ZH = re.compile(r"(?<![\d.,])(\d[\d,]*)\s*([人名位项件])")
_COUNT_UNIT = {"people": "people", "persons": "people", "person": "people", "item": "items", "items": "items",
               "人": "people", "名": "people", "位": "people", "项": "items", "件": "items"}


# a fiscal quarter, written "2021Q1", "Q1 2021" or "2021年第1季度"
_QUARTER = re.compile(r"((?:19|20)\d\d)\s*(?:q|年第?)\s*([1-4])(?:\s*季度)?|q([1-4])\s*((?:19|20)\d\d)")
# a funding round by its letter: "Series A", "A轮"
_ROUND = re.compile(r"\bseries ([a-e])\b|(?<![a-z])([a-e])\s*轮")


def _same_quarter(stretch: str, passage: str) -> bool:
    """The stretch names a quarter the passage (a sheet's row) is of: the row's figure is the quarter's."""
    def quarters(text: str) -> set[tuple[str, str]]:
        return {(m[1], m[2]) if m[1] else (m[4], m[3]) for m in _QUARTER.finditer(text.lower())}
    return bool(quarters(stretch) & quarters(passage))


def _rounds(text: str) -> set[str]:
    return {(m[1] or m[2]).lower() for m in _ROUND.finditer(text.lower())}


# a verdict's tally of the program's criteria ("8项硬性条件中满足5项、不满足0项、待确认3项"): counts of no client value
_TALLY = re.compile(r"\d+\s*项硬性条件中满足\s*\d+\s*项、不满足\s*\d+\s*项、待确认\s*\d+\s*项")


def _counted(text: str) -> set[tuple[str, str]]:
    """(number, unit) of each count the text writes with its unit: "47 people" and "47人" are the same count, and
    "12人" is not "12项"."""
    return {(m.group(1).replace(",", ""), _COUNT_UNIT[m.group(2)]) for rx in (_COUNTED_EN, _COUNTED_ZH)
            for m in rx.finditer(text)}


def _shares_label(stretch: str, passage: str) -> bool:
    """The stretch and the passage name the same thing beside a figure: two Chinese characters in a row (units
    aside: 营业收入 / 营业收入, 员工人数 / 员工总数) or an English word of four letters or more ("revenue"), so that
    "员工人数：12人" is not supported by "发明专利12项"."""
    pairs = {run[i:i + 2] for run in re.findall(r"[\u3400-\u9fff]{2,}", stretch) for i in range(len(run) - 1)}
    if any(p in passage for p in pairs if not set(p) & set(_UNIT_CHARS)):
        return True
    return any(w in passage for w in re.findall(r"[a-z]{4,}", stretch))


_UNIT_CHARS = "元亿万人项年月日个的为"
_CJK_RUN = re.compile(r"[\u3400-\u9fff]{6,}")
_CJK_RUN_GAP = re.compile(r"[\s|:：,，、]+")  # "注册地址：广东省深圳市…" and a table's cells read as one run


def scores(items: Sequence[ChatItem], outcomes: Sequence[Outcome]) -> dict[str, Any]:
    pairs = list(zip(items, outcomes))
    answerable = [(i, o) for i, o in pairs if i.answerable]
    unanswerable = [(i, o) for i, o in pairs if not i.answerable]
    cited = [relevant_citations(i, o) for i, o in answerable if o.found and (i.cite or i.kind in MATCH_KINDS)]
    total_cited = sum(n for _, n in cited)
    return {
        "questions": len(pairs),
        "answer_accuracy": _rate(sum(answer_correct(i, o) for i, o in answerable), len(answerable)),
        "citation_precision": _rate(sum(r for r, _ in cited), total_cited),
        "right_kind": _rate(sum(right_kind(i, o) for i, o in pairs), len(pairs)),
        "decline_accuracy": _rate(sum(not o.found for _, o in unanswerable), len(unanswerable)),
        "answerable": len(answerable), "unanswerable": len(unanswerable),
    }


def _rate(hits: int, n: int) -> float | None:
    return round(hits / n, 3) if n else None
