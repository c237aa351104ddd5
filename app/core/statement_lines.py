"""Any line of the client's own statements, answered by the label the question names.

A profile holds the items matching and criteria read (revenue, R&D expense, total assets, net
profit …); a statement holds many more (存货 Inventory, 所有者权益合计 Total Equity, 销售费用 Selling
Expense …). A question about the client that names such a line by its label, in Chinese (simplified
or traditional) or English, is answered from that row of the client's spreadsheet or statement page
(app/core/facts_tables.statement_rows), cited with the row and its period header: a year's value,
each year's, a change between two years ("How fast did … rise from 2022 to 2023", 增长了多少), a
margin or share of revenue ("net profit margin", 净利率, "销售费用占营收的比例") of the same year, or
the gross margin, (revenue − cost of revenue) / revenue (毛利率), or a standard total no statement
states as one line (借款合计, "total borrowings": short- plus long-term borrowings, each part shown).

A label is named when its Chinese part occurs in the question (index form: simplified, NFKC) or its
English words occur as a phrase the question does not go on to extend with another noun ("cash" is
not named by "cash flow"); of several labels named, the longest wins ("归属于母公司股东的净利润" over
"净利润"). Lines whose item the profile itself holds are left to the profile's answer."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property, lru_cache

from app.core.answer import Answer, Passage
from app.core.asked_attribute import _jieba, asking_clauses, is_function_zh
from app.core.asked_measure import change_asked, measure_asked, value_asked
from app.core.asked_period import (
    future_asked,
    half_asked,
    present_asked,
    quarter_asked,
    quarter_span_asked,
    quarters_asked,
    quarters_of_half,
    recent_years_asked,
    sub_year_asked,
    years_asked,
)
from app.core.fact_text import number, period_text, value_text
from app.core.facts_tables import (
    ItemRow,
    QuarterCell,
    profile_item,
    quarter_cells,
    quarter_rows,
    statement_rows,
)
from app.core.field_names import field_name
from app.core.fields import kind_of
from app.core.statement_items import NamedRatio, identities, named_ratios, named_sums, statement_items
from app.core.textnorm import index_form
from app.core.types import Fact

_CJK = re.compile(r"[\u3400-\u9fff]+")
_PREFIX = re.compile(r"^(?:其中|加|减|減|including|of which|less|add)\s*[:：]?\s*", re.IGNORECASE)
# a unit written into a label ("Cash (USD)", "营业收入（万元）"): the table's, not the item's name
_UNIT_NOTE = re.compile(r"\s*[（(]\s*(?:USD|CNY|RMB|HKD|EUR|US\$|\$|人民币|美元|港币|万元|元|千元|亿元|百万元|%|人|"
                        r"in (?:thousands|millions)(?: of \w+)?|(?:USD|RMB|\$)?\s?'000|000s)\s*[)）]", re.IGNORECASE)
# words that may follow a label's English name without making it another item ("inventory at the end of",
# "total equity was"); any other word extends the phrase ("cash flow", "revenue growth rate" …)
_AFTER = ("of|in|at|for|on|by|as|was|were|is|are|be|been|did|does|do|has|had|have|from|to|and|or|the|a|an|its|their|"
          "this|that|over|between|during|since|last|than|per|each|amount|figure|value|balance|level|total|held|stand|"
          "end|year|year-end|fy|fye|ye|rise|rose|grow|grew|growth|increase|increased|change|changed|fall|fell|drop|dropped|margin|"
          "ratio|share|percentage|reported|recorded|come|came|look|like|then|now|right|when|how|what|so|go|went|"
          "goes|gone|move|moved|moves")
_REVENUE = re.compile(r"营业收入|营收|收入|\brevenues?\b|\bsales\b|\bturnover\b")
# a margin of a profit line: net (净利率, net margin), operating (营业利润率, operating margin)
_MARGIN = {"净利润": re.compile(r"净利率|净利润率|销售净利率|net (?:profit |income )?margin|profit margin"),
           "营业利润": re.compile(r"营业利润率|经营利润率|operating (?:profit )?margin")}
_GROSS = re.compile(r"毛利|\bgross (?:profit|margin)\b")
_GROSS_RATE = re.compile(r"毛利率|毛利润率|\bgross (?:profit )?margin\b")
_COST = re.compile(r"^(?:营业成本|营业总成本|主营业务成本合计|cost of (?:revenue|revenues|sales|goods sold))$")
# a movement between two periods ("inventory went from end-2022 to end-2023 by what percent", "how has cash
# moved from FY22 to FY23"): a change, though no word of growth or decline is said
_MOVED = re.compile(r"\b(?:went|gone|go|goes|going|moved?|moving|came|come)\s+(?:up\s+|down\s+)?from\b")
_BASE = re.compile(r"占[^，。？?]{0,8}?(?:营业收入|营收|收入)|(?:of|to|as a (?:share|percentage|proportion) of|relative to) "
                   r"(?:its |the |total )*(?:revenues?|sales|turnover)")


@dataclass(frozen=True)
class Line:
    """A statement row of one of the client's documents."""

    item: ItemRow
    doc_id: str
    title: str
    page: int | None

    @property
    def zh(self) -> str:
        return "".join(_CJK.findall(index_form(_UNIT_NOTE.sub("", _PREFIX.sub("", self.item.label)))))

    @property
    def en(self) -> str:
        words = re.sub(r"[\u3400-\u9fff：:（）()]+", " ", _UNIT_NOTE.sub("", _PREFIX.sub("", self.item.label)))
        return " ".join(words.split())

    def label(self, lang: str) -> str:
        """The row's label in the answer's language: its own words in that language, else the standard name of
        its line item ("净利润" in an English answer: "Net profit"), else the label as written."""
        own = self.zh if lang == "zh" else self.en
        if own:
            return own
        item = _item_of(self)
        if item is None:
            return self.item.label
        zhs, ens = statement_items()[item]
        name = zhs[0] if lang == "zh" else ens[0]
        return name if lang == "zh" else name[:1].upper() + name[1:]


@dataclass(frozen=True)
class QuarterAt:
    """A quarter's value of a profile item in one of the client's column-oriented sheets."""

    cell: QuarterCell
    doc_id: str
    title: str
    page: int | None


def answer_quarter_column(question: str, pages: Iterable[tuple[str, str, str, dict[int, str]]], lang: str) -> Answer | None:
    """A numbered quarter asked of a column of the client's quarterly sheet that no profile field holds,
    named by its header ("main_project 主要项目": "which project was the R&D team working on in Q2 2022"):
    that cell, cited with its row and header. None: no quarter asked, or no such column named."""
    run: tuple[str | None, int] | tuple[str | None, int, int] | None = half_asked(question) or quarter_span_asked(question)
    if run is not None:  # a half-year or a run of quarters ("前三季度的主要项目"): each quarter's cell
        return _half_column(question, run, pages, lang)
    asked_q = quarter_asked(question)
    latest = asked_q is None and latest_quarter_asked(question)
    if asked_q is None and not latest:
        return None
    year, quarter = asked_q or (None, 0)
    text = index_form(question)
    for doc_id, title, _, texts in pages:
        for page, body in sorted(texts.items()):
            held = list(quarter_rows(body))
            if latest and held:  # "the latest quarter": the last one the sheet holds
                year, quarter = max((r.year, r.quarter) for r in held)
            rows = [r for r in held if r.quarter == quarter and (year is None or r.year == year)]
            if not rows:
                continue
            at = max(rows, key=lambda r: r.year)
            for col, name in enumerate(at.header.cells):
                if col == 0 or profile_item(name) is not None or col >= len(at.row.cells) or not _column_named(name, text):
                    continue
                cited = Passage(1, doc_id, title, f"{' | '.join(at.header.cells)}\n{' | '.join(at.row.cells)}", page)
                value = at.row.cells[col].strip()
                zh = "".join(_CJK.findall(name))
                en = " ".join(w for w in re.split(r"[_\s]+", re.sub(r"[\u3400-\u9fff]+", " ", name)) if w).capitalize()
                label = (zh or en) if lang == "zh" else (en or zh)  # "main_project 主要项目": 主要项目 / Main project
                return Answer(f"{label}（{at.year}年第{at.quarter}季度）：{value}[1]" if lang == "zh"
                              else f"{label} ({at.year} Q{at.quarter}): {value} [1]", (cited,), True, lang)
    return None


def _half_column(question: str, half: tuple[str | None, int] | tuple[str | None, int, int],
                 pages: Iterable[tuple[str, str, str, dict[int, str]]], lang: str) -> Answer | None:
    """A half-year (year, 1 or 2) or a run of quarters (year, first, last) asked of a column no profile field
    holds ("main project in H1 2023"): each of its quarters' cells, cited with their rows; no year asked: the
    latest year holding them all."""
    year, h = half[0], half[1]
    wanted = quarters_of_half(h) if len(half) == 2 else tuple(range(half[1], half[-1] + 1))
    text = index_form(question)
    for doc_id, title, _, texts in pages:
        for page, body in sorted(texts.items()):
            rows = [r for r in quarter_rows(body) if r.quarter in wanted]
            years = sorted({r.year for r in rows if {x.quarter for x in rows if x.year == r.year} >= set(wanted)})
            if year is not None:
                years = [y for y in years if y == year]
            if not years:
                continue
            chosen = sorted((r for r in rows if r.year == years[-1]), key=lambda r: r.quarter)
            header = chosen[0].header
            for col, name in enumerate(header.cells):
                if col == 0 or profile_item(name) is not None or not _column_named(name, text) \
                        or any(col >= len(r.row.cells) for r in chosen):
                    continue
                cited = [Passage(1, doc_id, title, f"{' | '.join(header.cells)}\n" + "\n".join(' | '.join(r.row.cells)
                                                                                         for r in chosen), page)]
                zh = "".join(_CJK.findall(name))
                en = " ".join(w for w in re.split(r"[_\s]+", re.sub(r"[\u3400-\u9fff]+", " ", name)) if w).capitalize()
                label = (zh or en) if lang == "zh" else (en or zh)
                if lang == "zh":
                    listed = "；".join(f"第{r.quarter}季度 {r.row.cells[col].strip()}" for r in chosen)
                    when = f"{'上' if h == 1 else '下'}半年" if len(half) == 2 else f"第{wanted[0]}–{wanted[-1]}季度"
                    line = f"{label}（{years[-1]}年{when}）：{listed}[1]"
                else:
                    listed = "; ".join(f"Q{r.quarter} {r.row.cells[col].strip()}" for r in chosen)
                    when = f"H{h}" if len(half) == 2 else f"Q{wanted[0]}–Q{wanted[-1]}"
                    line = f"{label} ({years[-1]} {when}): {listed} [1]"
                return Answer(line, tuple(cited), True, lang)
    return None


def _column_named(name: str, question: str) -> bool:
    """A column header ("main_project 主要项目") is named by its Chinese part or its head (its last two
    characters: "研发主要在搞哪个项目"), or by a word of its English key other than a modifier ("project",
    not "main")."""
    zh = "".join(_CJK.findall(index_form(name)))
    if len(zh) >= 2 and (zh in question or zh[-2:] in question):
        return True
    words = [w for w in re.split(r"[_\s]+", re.sub(r"[\u3400-\u9fff]+", " ", name.lower())) if len(w) > 2]
    return bool(words) and re.search(rf"(?<![a-z]){re.escape(words[-1])}s?(?![a-z])", question) is not None  # (Chinese
    # may touch it: "做紧咩project")


Pages = list[tuple[str, str, str, dict[int, str]]]


class OwnRows:
    """The client's documents' pages, read once per question however many readings ask for them (the
    store is read only when one does), with their statement rows and quarter values."""

    def __init__(self, read: Callable[[], Pages]) -> None:
        self._read = read

    @cached_property
    def pages(self) -> Pages:
        return self._read()

    @cached_property
    def lines(self) -> list[Line]:
        return client_lines(self.pages)

    @cached_property
    def quarters(self) -> list[QuarterAt]:
        return client_quarters(self.pages)


def client_quarters(pages: Iterable[tuple[str, str, str, dict[int, str]]]) -> list[QuarterAt]:
    """The quarterly values of the client's sheets (quarter | rd_expense_rmb | rd_headcount …)."""
    return [QuarterAt(cell, doc_id, title, page) for doc_id, title, _, texts in pages
            for page, text in sorted(texts.items()) for cell in quarter_cells(text)]


def answer_quarter(question: str, quarters: list[QuarterAt], fields: Iterable[str], lang: str,
                   group: Iterable[str] = ()) -> Answer | None:
    """A numbered quarter asked ("23年第三季度", "Q2 2022") of fields the client's sheets hold by quarter:
    that quarter's value, cited with its row and the sheet's header; a year asked that no row holds is
    declined saying which quarters are held. None: no numbered quarter asked, or no field asked is
    held by quarter (a profile's yearly figure is then declined for a quarter). `group`: the fields asked beside
    them (their intent's group). A clause asking another kind of value than the others takes that kind's
    fields, of the group or else of the sheet ("and what was the headcount that quarter" beside an amount)."""
    half: tuple[str | None, int] | tuple[str | None, int, int] | None = half_asked(question)
    if half is None:
        half = quarter_span_asked(question)  # "23年前三季", "Q2-Q4 2022": a run of quarters
    asked_q = quarter_asked(question) if half is None else None  # "the first half of 2022, Q1 plus Q2": the half
    if asked_q is not None and asked_q[0] is None and len(years := years_asked(question)) == 1:
        asked_q = (years[0], asked_q[1])  # "Q3, in 2022": the one year the question names
    if asked_q is None and half is None:  # "last quarter", 本季度: the calendar's, held or declined saying what is
        asked_q = calendar_quarter_asked(question, date.today())
    latest = asked_q is None and half is None and latest_quarter_asked(question)
    extreme = _EXTREME.search(index_form(question)) if _QUARTER_WORD.search(index_form(question)) and not latest else None
    if asked_q is None and extreme is None and half is None and not latest:
        return None
    fields = list(dict.fromkeys(fields))
    wanted = [f for f in fields if any(q.cell.field == f for q in quarters)]
    measure = measure_asked(question)
    text = index_form(question)
    by_name = [f for f in wanted if any(index_form(field_name(f, lang)) in text for lang in ("zh", "en"))]
    kinds = {k for c in asking_clauses(question) if (k := _kind_asked(c))}
    if len(kinds) >= 2:  # "how much did it spend on R&D in 2023Q3, and what was the headcount": the amount and the count
        pool = [*fields, *group]  # a kind no field asked holds: the sheet's fields of that kind (its headcount)
        pool += [q.cell.field for q in quarters if kind_of(q.cell.field) in kinds - {kind_of(f) for f in pool}]
        wanted = [f for f in dict.fromkeys(pool) if kind_of(f) in kinds and any(q.cell.field == f for q in quarters)]
    elif by_name:  # "研发人员从2021Q1到2023Q4怎么变化": the field the question names, not the others read beside it
        wanted = by_name
    elif measure == "people":
        wanted = [f for f in wanted if kind_of(f) == "count"]
    elif any(kind_of(f) == "money" for f in wanted):
        wanted = [f for f in wanted if kind_of(f) == "money"]  # "在研发上花了多少钱": the amount, not the headcount
    if not wanted:
        return None
    if half is not None:
        return _answer_half(half, quarters, wanted, lang)  # a half-year, or a run of quarters
    if latest:  # "spend in the latest qtr": the last quarter the sheet holds of the fields asked
        top = max((q for q in quarters if q.cell.field in wanted), key=_order)
        asked_q = (top.cell.year, top.cell.quarter)
    if asked_q is None and extreme is not None:  # "in which quarter did R&D spending peak": the highest (lowest) one
        years = years_asked(question)
        low = bool(re.search(r"lowest|smallest|least|最低|最少|最小", extreme.group(0)))
        return _extreme_quarter(wanted[0], [q for q in quarters if not years or q.cell.year in years], low, lang)
    assert asked_q is not None
    named = quarters_asked(question)  # "从2021Q1到2023Q4": each quarter named, in the order named
    asked: list[tuple[str | None, int]] = list(named) if len(named) > 1 else [asked_q]
    ends: dict[str, list[QuarterAt]] = {}  # each field's quarters found, in the order asked
    rows: list[str] = []
    cited: list[Passage] = []
    missing: list[str] = []
    for name in wanted:
        held = [q for q in quarters if q.cell.field == name]
        label = field_name(name, lang)
        for year, quarter in asked:
            same = [q for q in held if q.cell.quarter == quarter and (year is None or q.cell.year == year)]
            if not same:
                missing.append(_quarters_not_held(held, label, lang, ("这一季度", "that quarter")))
                continue
            at = max(same, key=_order)  # no year asked: the latest year holding that quarter
            ends.setdefault(name, []).append(at)
            mark = _cite_quarter(at, cited)
            value = value_text(Fact(field=name, value=at.cell.value, unit=at.cell.unit), lang)
            rows.append(f"{label}（{at.cell.year}年第{at.cell.quarter}季度）：{value}{mark}" if lang == "zh"
                        else f"{label} ({at.cell.year} Q{at.cell.quarter}): {value} {mark}")
    if len(asked) >= 2 and change_asked(question):  # "从2021Q1到2023Q4增加了几个人": the change between the first and last
        rows += [line for name, at in ends.items() if (line := _quarter_change(name, at, lang))]
    if not rows:
        return Answer("\n".join(missing), (), False, lang)
    return Answer("\n".join(rows), tuple(cited), True, lang)


def _quarter_change(name: str, found: list[QuarterAt], lang: str) -> str:
    """'研发人员变化（2021年第1季度–2023年第4季度）：+26人（+123.81%）' between the earliest and the latest of the quarters
    found (their own rows are cited above it); '' when fewer than two, or not numbers of one unit."""
    if len(found) < 2:
        return ""
    old, new = min(found, key=_order), max(found, key=_order)
    values = (old.cell.value, new.cell.value)
    if old is new or old.cell.unit != new.cell.unit \
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return ""
    gap = round(float(new.cell.value) - float(old.cell.value), 2)
    shown = ("+" if gap >= 0 else "") + value_text(Fact(field=name, value=gap, unit=new.cell.unit), lang)
    rate = f"{100 * gap / float(old.cell.value):+.2f}%" if old.cell.value else ""
    label = field_name(name, lang)
    if lang == "zh":
        return (f"{label}变化（{old.cell.year}年第{old.cell.quarter}季度–{new.cell.year}年第{new.cell.quarter}季度）："
                f"{shown}" + (f"（{rate}）" if rate else ""))
    return (f"{label} change, {old.cell.year} Q{old.cell.quarter} to {new.cell.year} Q{new.cell.quarter}: {shown}"
            + (f" ({rate})" if rate else ""))


def _kind_asked(clause: str) -> str | None:
    """The kind of field a clause asks for: a headcount ("count"), an amount of money ("money"), or None."""
    if measure_asked(clause) == "people":
        return "count"
    return "money" if value_asked(clause) == "money" else None


def _quarters_not_held(held: list[QuarterAt], label: str, lang: str, asked: tuple[str, str]) -> str:
    """The decline of a quarter or a run of quarters the sheet does not hold, saying which it does."""
    first, last = min(held, key=_order).cell, max(held, key=_order).cell
    if lang == "zh":
        return (f"客户的季度数据中没有{asked[0]}的{label}（已有：{first.year}年第{first.quarter}季度至{last.year}年第"
                f"{last.quarter}季度）；可以请客户补充相关材料。")
    return (f"The client's quarterly figures hold no {label} for {asked[1]} (held: {first.year} Q{first.quarter} to "
            f"{last.year} Q{last.quarter}); ask the client for it.")


def _answer_half(half: tuple[str | None, int] | tuple[str | None, int, int], quarters: list[QuarterAt],
                 wanted: list[str], lang: str) -> Answer:
    """A half-year (year, 1 or 2), or a run of quarters (year, first, last), of fields held by quarter: an amount
    summed over its quarters, with each input; a count (a headcount) as it stood at the last quarter; no year
    asked: the latest year holding them all. One not held is declined saying which quarters are."""
    year, h = half[0], half[1]
    pair = quarters_of_half(h) if len(half) == 2 else tuple(range(half[1], half[-1] + 1))
    rows: list[str] = []
    cited: list[Passage] = []
    missing: list[str] = []
    for name in wanted:
        held = [q for q in quarters if q.cell.field == name]
        years = sorted({q.cell.year for q in held if {x.cell.quarter for x in held if x.cell.year == q.cell.year} >= set(pair)})
        if year is not None:
            years = [y for y in years if y == year]
        label = field_name(name, lang)
        if len(half) == 2:
            period = f"{years[-1]}年{'上' if h == 1 else '下'}半年" if years and lang == "zh" else f"{years[-1]} H{h}" if years else ""
        else:
            period = (f"{years[-1]}年第{pair[0]}–{pair[-1]}季度" if lang == "zh" else f"{years[-1]} Q{pair[0]}–Q{pair[-1]}") \
                if years else ""
        if not years:
            missing.append(_quarters_not_held(held, label, lang, ("这段时间", "those quarters")))
            continue
        ats = [max((q for q in held if q.cell.year == years[-1] and q.cell.quarter == n), key=_order) for n in pair]
        facts = [Fact(field=name, value=at.cell.value, unit=at.cell.unit) for at in ats]
        flow = kind_of(name) == "money" and len({f.unit for f in facts}) == 1
        marks = "".join(dict.fromkeys(_cite_quarter(at, cited) for at in (ats if flow else ats[-1:])))
        if flow:
            total = Fact(field=name, value=round(sum(at.cell.value for at in ats), 2), unit=facts[0].unit)
            parts = " + ".join(f"{value_text(f, lang)}（第{at.cell.quarter}季度）" if lang == "zh"
                               else f"{value_text(f, lang)} (Q{at.cell.quarter})" for f, at in zip(facts, ats))
            rows.append(f"{label}（{period}）：{value_text(total, lang)} = {parts}{marks}" if lang == "zh"
                        else f"{label} ({period}): {value_text(total, lang)} = {parts} {marks}")
        else:  # a stock: as it stood at the half's end
            rows.append(f"{label}（{period}末，第{pair[-1]}季度）：{value_text(facts[-1], lang)}{marks}" if lang == "zh"
                        else f"{label} (end of {period}, Q{pair[-1]}): {value_text(facts[-1], lang)} {marks}")
    if not rows:
        return Answer("\n".join(missing), (), False, lang)
    return Answer("\n".join(rows), tuple(cited), True, lang)


def _cite_quarter(at: QuarterAt, cited: list[Passage]) -> str:
    return _cite_row(at.doc_id, at.title, at.page, at.cell.header.cells, at.cell.row.cells, cited)


def _cite_row(doc_id: str, title: str, page: int | None, header: Iterable[str], row: Iterable[str],
              cited: list[Passage]) -> str:
    """'[n]' for a table row cited with its header row (the period columns, the units); one passage per row."""
    text = f"{' | '.join(header)}\n{' | '.join(row)}"
    passage = next((p for p in cited if (p.doc_id, p.text) == (doc_id, text)), None)
    if passage is None:
        passage = Passage(len(cited) + 1, doc_id, title, text, page)
        cited.append(passage)
    return f"[{passage.n}]"


_QUARTER_WORD = re.compile(r"\bquarters?\b|季度")
# the latest quarter asked, by no number ("spend in the latest qtr", "最新一个季度", "the most recent quarter"); "last
# quarter" is the calendar's (a period, not the sheet's last row)
_LATEST_QUARTER = re.compile(r"\b(?:latest|most recent|newest)\s+(?:reported\s+)?(?:quarters?|qtrs?|q)\b|"
                             r"(?:最新|最近)的?(?:一个|一個)?(?:季度|季)", re.IGNORECASE)


# a quarter named by the calendar: the one before today's ("last quarter", 上季度) or today's ("this quarter", 本季度);
# "the last quarter of 2022" is a numbered one (quarter_asked), and 当季 ("that quarter") points back, not at today
_CALENDAR_QUARTER = re.compile(r"\b(?:(last|previous|prior)|this|current)\s+quarter\b(?!\s+of\b)|(上)一?个?季度|本季度|这个季度|這個季度",
                               re.IGNORECASE)


def calendar_quarter_asked(question: str, today: date) -> tuple[str, int] | None:
    """The calendar quarter a question names relative to `today` (year, quarter), or None."""
    m = _CALENDAR_QUARTER.search(index_form(question))
    if m is None:
        return None
    year, quarter = today.year, (today.month - 1) // 3 + 1
    if m.group(1) or m.group(2):
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return str(year), quarter


def latest_quarter_asked(question: str) -> bool:
    """The question asks of the latest quarter the client's sheet holds, naming none by its number."""
    return _LATEST_QUARTER.search(index_form(question)) is not None
_EXTREME = re.compile(r"\b(?:peak(?:ed|s)?|highest|largest|biggest|most|lowest|smallest|least)\b|最高|最多|最大|最低|最少|最小|峰值")


def _extreme_quarter(name: str, quarters: list[QuarterAt], low: bool, lang: str) -> Answer | None:
    held = [q for q in quarters if q.cell.field == name]
    if not held:
        return None
    at = (min if low else max)(held, key=lambda q: q.cell.value)
    text = f"{' | '.join(at.cell.header.cells)}\n{' | '.join(at.cell.row.cells)}"
    passage = Passage(1, at.doc_id, at.title, text, at.page)
    value = value_text(Fact(field=name, value=at.cell.value, unit=at.cell.unit), lang)
    first, last = min(held, key=_order).cell, max(held, key=_order).cell
    label = field_name(name, lang)
    if lang == "zh":
        word = "最低" if low else "最高"
        line = (f"{label}{word}的季度：{at.cell.year}年第{at.cell.quarter}季度，{value}"
                f"（{first.year}年第{first.quarter}季度至{last.year}年第{last.quarter}季度中）[1]")
    else:
        word = "lowest" if low else "highest"
        line = (f"{label}, {word} quarter: {at.cell.year} Q{at.cell.quarter}, {value} "
                f"(of {first.year} Q{first.quarter} to {last.year} Q{last.quarter}) [1]")
    return Answer(line, (passage,), True, lang)


def _order(q: QuarterAt) -> tuple[str, int]:
    return (q.cell.year, q.cell.quarter)


def client_lines(pages: Iterable[tuple[str, str, str, dict[int, str]]]) -> list[Line]:
    """The statement rows of the client's documents ((doc id, title, source, page texts), as
    Store.enterprise_pages gives them)."""
    return [Line(row, doc_id, title, page) for doc_id, title, _, texts in pages
            for page, text in sorted(texts.items()) for row in statement_rows(text)]


def _en_named(en: str, question: str) -> int:
    """The length of the label's English phrase as the question names it; 0 when it does not."""
    # a hyphen of the name may be typed as a space or left out ("short term borrowings", "shortterm")
    words = [re.escape(w).replace(r"\-", r"[-\s]?") for w in en.split() if w]
    if not words:
        return 0
    last = words[-1]
    last = f"{last[:-1]}(?:y|ies)" if last.endswith("y") else f"{last}(?:s|es)?"
    # one word may stand between a name's words ("short-term bank debt" names short-term debt)
    pattern = r"(?<![a-z&])" + r"\s+(?:[a-z&'-]+\s+)?".join([*words[:-1], last]) + r"(?![a-z&])"
    for m in re.finditer(pattern, question):
        # the word after the name, a hyphenated one whole ("end-2023": the word is "end")
        after = re.match(r"['’]?s?\s*([a-z&]+(?:-[a-z&]+)*)?", question[m.end():])
        follower = after.group(1) if after else None
        if not follower or re.fullmatch(_AFTER, follower):
            return len(en)
    return 0


def _item_index(name: str) -> int | None:
    """The line item one of whose Chinese names is `name`."""
    zh = index_form(name)
    return next((n for n, (zhs, _) in enumerate(statement_items()) if zh in zhs), None)


def _item_of(line: Line) -> int | None:
    """The line item a row is, by its label's Chinese or English part; None: a row of its own."""
    zh, en = line.zh, line.en.lower()
    return next((n for n, (zhs, ens) in enumerate(statement_items()) if zh in zhs or en in ens), None)


def _score(question_zh: str, question_en: str, zhs: Iterable[str], ens: Iterable[str]) -> int:
    """How much of the question the longest name it holds covers (a Chinese character weighs as a
    letter pair); 0: none is named."""
    best = max((len(z) * 2 for z in zhs if len(z) >= 2 and _zh_named(z, question_zh)), default=0)
    return max(best, max((_en_named(e, question_en) for e in ens), default=0))


# words that may follow a line's Chinese name without making it another item: how it is measured or
# how it changed ("存货金额", "存货增长了多少", "净利润率" is read as a margin before)
# or the period it is asked of ("资产负债率第三季度", "存货年末")
_ZH_AFTER = tuple("金额 余额 总额 数额 规模 水平 情况 增长 增加 减少 下降 上升 提高 变化 变动 同比 环比 占 比例 合计 总计 一共 分别 "  # noqa: SIM905
                  "第 季度 上半年 下半年 年末 年初 期末 期初".split())


# words after a line's name that ask for a part or a charge of it, another figure the statements do not state as it
_ZH_QUALIFIED = tuple("受限 冻结 凍結 质押 質押 抵押 减值 減值 计提 計提 逾期 坏账 壞賬 核销 核銷".split())  # noqa: SIM905


def _zh_named(name: str, question: str) -> bool:
    """The question names `name` as a whole word not extended by another noun after it ("现金" is not
    named by "现金流" nor "现金股利")."""
    start = question.find(name)
    while start != -1:
        words = _words(question)
        ends = list(itertools.accumulate(len(w) for w in words))
        end = start + len(name)
        if end in ends:  # the name ends where a word does
            after = words[ends.index(end) + 1] if ends.index(end) + 1 < len(words) else ""
            if after.startswith(_ZH_QUALIFIED):
                pass  # "货币资金冻结了多少", "存货减值多少": a part or a charge of the line, not the line
            elif not after.strip() or is_function_zh(after) or after.startswith(_ZH_AFTER) or not _noun(after):
                return True  # "营业利润做到多少": a verb after the name asks about it
        start = question.find(name, start + 1)
    return False


@lru_cache(maxsize=4096)
def _noun(word: str) -> bool:
    """jieba's dictionary tags the word as a noun (股利, 流量), or knows it not: only a verb, an adjective or
    the like after a line's name leaves the name whole."""
    import jieba.posseg

    tags = [flag for _, flag in jieba.posseg.lcut(word)]
    return not tags or tags[0].startswith(("n", "x", "eng")) or tags[0] in ("vn", "j")


@lru_cache(maxsize=256)
def _words(question: str) -> tuple[str, ...]:
    return tuple(_jieba().lcut(question))


def _zh_forms(label: str) -> list[str]:
    """A row's Chinese label, and the label without the conjunction between its nouns as an asker drops it
    ("折旧与摊销" is asked as 折旧摊销)."""
    bare = re.sub(r"(?<=[\u4e00-\u9fff])[与和及、](?=[\u4e00-\u9fff])", "", label)
    return [label, bare] if bare != label and len(bare) >= 4 else [label]


def named_line(question: str, lines: Iterable[Line]) -> Line | None:
    """The statement line the question names by a name of its line item (app/data/statement_items.yaml:
    货币资金 is named by 现金 and "cash position") or by its own label. The longest name wins across every
    item, held or not: "经营现金流" names the operating cash flow, which a client without that line
    does not state, not its cash; among the client's rows of one item, the first document's."""
    return _named(question, list(lines))[1]


def _named(question: str, rows: list[Line]) -> tuple[int | None, Line | None]:
    """The line item the question names (its index in statement_items(), None: a row of its own or
    none) and the client's row of it (None: the client states no such row, or none is named)."""
    text, lower = index_form(question), question.lower()
    best: tuple[int, int | None, Line | None] = (0, None, None)
    for n, (zhs, ens) in enumerate(statement_items()):
        score = _score(text, lower, zhs, ens)
        if score > best[0]:
            best = (score, n, None)
    for line in rows:
        score = _score(text, lower, _zh_forms(line.zh), [line.en.lower()])
        if score > best[0] or score and score == best[0] and best[1] == _item_of(line):
            best = (score, _item_of(line), line)
    score, item, chosen = best
    if not score:
        return None, None
    if chosen is not None:
        return item, chosen
    return item, next((x for x in rows if _item_of(x) == item), None)


def named_at_length(question: str, line: Line) -> bool:
    """The question names the line (named_line found it) by a name long enough to be no chance word: a label of two
    English words or more, or a name of three Chinese characters or two English words or more that the question
    holds — its own label's, or a standard name of its line item (短期借款 by "short-term debt")."""
    if len(line.en.split()) >= 2:  # a label of two English words, named by any of its names
        return True
    item = _item_of(line)
    zhs, ens = statement_items()[item] if item is not None else ((), ())
    text, lower = index_form(question), question.lower()
    return any(len(z) >= 3 and z in text for z in (line.zh, *zhs)) or \
        any(len(e.split()) >= 2 and _en_named(e, lower) for e in ens)


def profile_item_named(question: str, lines: list[Line]) -> str | None:
    """The profile field of the statement line the question names, when it is one (净利润: net_profit)."""
    line = named_line(question, lines)
    return profile_item(line.item.label) if line is not None else None


def margin_line(question: str, lines: list[Line]) -> Line | None:
    """The profit line whose margin the question asks for ("net profit margin", 净利率)."""
    text = index_form(question)
    for zh, pattern in _MARGIN.items():
        if pattern.search(text):
            return next((x for x in lines if x.zh == zh), None)
    return None


def _revenue(lines: list[Line]) -> Line | None:
    return next((x for x in lines if profile_item(x.item.label) == "revenue"), None)


def answer_from_statements(question: str, lines: list[Line], lang: str) -> Answer | None:
    """The statement line the question names (not a profile item), as a cited answer; None when the
    question names none (the caller answers from the profile or the documents)."""
    if _GROSS.search(index_form(question)):
        return _gross_margin(question, lines, lang)
    two = two_lines_asked(question, lines)
    if two is not None:
        top, bottom, how = two[0], two[1], two[2]
        profiled = [x.line is not None and profile_item(x.line.item.label) for x in (top, bottom)]
        if how == "less" or not (profiled[1] == "revenue" and kind_of(f"{profiled[0]}_ratio") == "ratio"):
            return answer_two_lines(question, lines, lang)  # R&D expense / revenue: the profile's own ratio answers
    summed = _sum_answer(question, lines, lang)
    if summed is not None:
        return summed
    margin = margin_line(question, lines)
    line = margin or named_line(question, lines)
    if line is None and margin is None:  # "负债合计是多少" where the statements give no such row: by its identity
        return _derived_answer(question, lines, lang)
    if line is None or (margin is None and profile_item(line.item.label) is not None):
        return None
    share = margin is not None or (measure_asked(question) == "share" and bool(_BASE.search(index_form(question))))
    change = not share and (change_asked(question) or bool(_MOVED.search(question.lower())))
    if not share and not change and measure_asked(question) == "share":
        return None  # "存货周转率": a rate no line states
    if sub_year_asked(question) or future_asked(question):
        return Answer(_not_held(line, lang), (), False, lang)
    held = [y for y, _, _ in line.item.values]
    years = _years_meant(question, held)
    if years and not set(years) & set(held):
        return Answer(_not_held(line, lang, years), (), False, lang)
    cited: list[Passage] = []
    if share:
        base = _revenue(lines)
        if base is None:
            return None
        rows = [r for r in _share_rows(line, base, years or tuple(held[-1:]), lang, cited, margin is not None) if r]
    elif change and len(held) >= 2:
        if len(set(years) & set(held)) >= 2:
            chosen = [y for y in held if y in years]
        elif len(years) == 1 and years[0] in held[1:]:  # "2023年比上年多了多少": from the year before it
            chosen = held[held.index(years[0]) - 1:held.index(years[0]) + 1]
        else:
            chosen = held[-2:]
        rows = [_change_row(line, chosen[0], chosen[-1], lang, cited)]
    else:
        rows = [_value_row(line, y, lang, cited) for y in held if not years or y in years]
    return Answer("\n".join(rows), tuple(cited), True, lang) if rows else None


def _years_meant(question: str, held: list[str]) -> tuple[str, ...]:
    """The years a question asks of: those it names, else the latest N of "近三年" / "these three years", else the
    latest held when it asks of the present ("现在", "currently"); () for all held."""
    years = years_asked(question)
    if years:
        return years
    recent = recent_years_asked(question)
    if recent:
        return tuple(held[-recent:])
    return tuple(held[-1:]) if present_asked(question) else ()


def _derived_answer(question: str, lines: list[Line], lang: str) -> Answer | None:
    """The line item the question names that the statements leave out but an identity gives from two rows held
    (负债合计 = 资产总计 − 所有者权益合计), for the years asked (all held when none), each with its derivation;
    None when the question names no such item or asks a share, a change or a part of a year."""
    item, line = _named(question, lines)
    operand = _operand(item, None, lines) if item is not None and line is None else None
    if operand is None or operand.parts is None or measure_asked(question) == "share" or change_asked(question) \
            or sub_year_asked(question) or future_asked(question):
        return None
    years = years_asked(question)
    chosen = [y for y in operand.years() if not years or y in years or y[:4] in years]
    cited: list[Passage] = []
    sep = "：" if lang == "zh" else ": "
    rows = []
    for year in chosen:
        fact = operand.fact(year)
        if fact is None:
            continue
        as_of = _fact(operand.parts[0], year).as_of
        shown = _shown(replace(fact, as_of=as_of), lang)
        how = operand.derivation(year, lang).split(" = ", 1)[1]  # "资产总计 … − 所有者权益合计 …（报表未列…）"
        rows.append(f"{operand.label(lang)}{sep}{shown} = {how}{'' if lang == 'zh' else ' '}{operand.cite(cited)}")
    return Answer("\n".join(rows), tuple(cited), True, lang) if rows else None


def total_named(question: str, lines: list[Line]) -> bool:
    """The question names a standard total of the client's lines (借款合计, "total borrowings") by a name
    longer than any line's it names, and the statements state a part of it."""
    return _sum_answer(question, lines, "en") is not None


def _sum_answer(question: str, lines: list[Line], lang: str) -> Answer | None:
    """A standard total the question names by a name longer than any line's it names ("total borrowings",
    银行借款), as the sum of the parts the client's statements state, each year held by all of them (a
    change between two years when one is asked), every part shown and its row cited; None when no total
    is named or no part is stated."""
    text, lower = index_form(question), question.lower()
    rows = {x.zh for x in lines}
    best_line = max((_score(text, lower, zhs, ens) for zhs, ens in statement_items()), default=0)
    best_line = max(best_line, max((_score(text, lower, [x.zh], [x.en.lower()]) for x in lines), default=0))
    named = max(named_sums(), key=lambda t: _score(text, lower, [index_form(z) for z in t.zh], [e.lower() for e in t.en]),
                default=None)
    if named is None or _score(text, lower, [index_form(z) for z in named.zh], [e.lower() for e in named.en]) <= best_line:
        return None
    parts = [next((x for x in lines if _item_of(x) is not None and _item_of(x) == _item_index(p)), None) for p in named.parts]
    stated = [x for x in parts if x is not None and x.zh in rows]
    if not stated or sub_year_asked(question) or future_asked(question):
        return None
    held = [y for y, _, _ in stated[0].item.values if all(any(v[0] == y for v in x.item.values) for x in stated)]
    label = (f"{named.zh[0]}（{' + '.join(x.label('zh') for x in stated)}）" if lang == "zh"
             else f"{named.en[0][:1].upper()}{named.en[0][1:]} ({' + '.join(x.label('en') for x in stated)})")
    years = _years_meant(question, held)
    chosen = [y for y in held if y in years] if years else held
    if not chosen:
        asked = "、".join(y + "年度" for y in years) if lang == "zh" else ", ".join("FY" + y for y in years)
        return Answer(f"客户的报表中没有{asked}的{label}（已有：{'、'.join(held)}年度）；可以请客户补充相关材料。" if lang == "zh"
                      else f"The client's statements give no {label} for {asked} (held: "
                           f"{', '.join('FY' + y for y in held)}); ask the client for it.", (), False, lang)
    cited: list[Passage] = []
    marks = "".join(_cite(x, cited) for x in stated)

    def total(year: str) -> Fact:
        facts = [_fact(x, year) for x in stated]
        amount = 0.0
        for f in facts:
            amount += float(f.value)  # type: ignore[arg-type]
        return Fact(field="statement", value=round(amount, 2), unit=facts[0].unit, as_of=facts[0].as_of)

    def parts_text(year: str) -> str:
        return " + ".join(f"{x.label(lang)} {value_text(_fact(x, year), lang)}" for x in stated)

    if change_asked(question) or _MOVED.search(lower):
        if len(chosen) >= 2 and years:
            pair = chosen
        elif len(chosen) == 1 and chosen[0] in held[1:]:  # one year asked: from the year before it
            pair = held[held.index(chosen[0]) - 1:held.index(chosen[0]) + 1]
        else:
            pair = held[-2:]
        first, last = pair[0], pair[-1]
        if first != last:
            old, new = total(first), total(last)
            if old.value:
                pct = round(100 * (float(new.value) / float(old.value) - 1), 2)  # type: ignore[arg-type]
                gap = Fact(field="statement", value=round(float(new.value) - float(old.value), 2), unit=new.unit)  # type: ignore[arg-type]
                shown = ("+" if float(gap.value) >= 0 else "") + value_text(gap, lang)  # type: ignore[arg-type]
                line = (f"{label}{first}–{last}年变化：{number(pct)}% = {value_text(new, lang)}（{last}）/ "
                        f"{value_text(old, lang)}（{first}）− 1；差额：{shown}{marks}" if lang == "zh" else
                        f"{label}, change FY{first}–FY{last}: {number(pct)}% = {value_text(new, lang)} (FY{last}) / "
                        f"{value_text(old, lang)} (FY{first}) − 1; difference: {shown} {marks}")
                return Answer(line, tuple(cited), True, lang)
    out = [f"{label}：{_shown(total(y), lang)} = {parts_text(y)}{marks}" if lang == "zh"
           else f"{label}: {_shown(total(y), lang)} = {parts_text(y)} {marks}" for y in chosen]
    return Answer("\n".join(out), tuple(cited), True, lang)


def _gross_margin(question: str, lines: list[Line], lang: str) -> Answer | None:
    """Gross margin = (revenue − cost of revenue) / revenue (毛利率), or gross profit = revenue − cost of
    revenue (毛利), of each year asked (none: the latest both state); None when the statements state no
    cost of revenue."""
    revenue = _revenue(lines)
    cost = next((x for x in lines if _COST.match(x.zh) or _COST.match(x.en.lower())), None)
    if revenue is None or cost is None:
        return None
    both = [y for y, _, _ in revenue.item.values if any(v[0] == y for v in cost.item.values)]
    years = [y for y in years_asked(question) if y in both] or both[-1:]
    rate = bool(_GROSS_RATE.search(index_form(question)))  # 毛利率 a margin; 毛利 the amount
    cited: list[Passage] = []
    rows = []
    for year in years:
        top, bottom = _fact(revenue, year), _fact(cost, year)
        if not top.value or top.unit != bottom.unit:
            continue
        marks = _cite(revenue, cited) + _cite(cost, cited)
        r, c = f"{revenue.label(lang)} {value_text(top, lang)}", f"{cost.label(lang)} {value_text(bottom, lang)}"
        if rate:
            pct = round(100 * (float(top.value) - float(bottom.value)) / float(top.value), 2)  # type: ignore[arg-type]
            rows.append(f"毛利率（{year}年度）：{number(pct)}% = ({r} − {c}) / {r}{marks}" if lang == "zh"
                        else f"Gross margin (FY{year}): {number(pct)}% = ({r} − {c}) / {r} {marks}")
            continue
        gross = Fact(field="statement", value=round(float(top.value) - float(bottom.value), 2),  # type: ignore[arg-type]
                     unit=top.unit)
        rows.append(f"毛利（{year}年度）：{value_text(gross, lang)} = {r} − {c}{marks}" if lang == "zh"
                    else f"Gross profit (FY{year}): {value_text(gross, lang)} = {r} − {c} {marks}")
    return Answer("\n".join(rows), tuple(cited), True, lang) if rows else None


def _cite(line: Line, cited: list[Passage]) -> str:
    return _cite_row(line.doc_id, line.title, line.page, line.item.header.cells, line.item.row.cells, cited)


def _fact(line: Line, year: str) -> Fact:
    _, cell, value = next(v for v in line.item.values if v[0] == year)
    # a column headed by a day is a balance at that day ("2023-12-31", "2023年12月31日", "2023/12/31"), else the year's
    day = re.fullmatch(r"\s*(\d{4})\s*(?:-|/|年)\s*(\d{1,2})\s*(?:-|/|月)\s*(\d{1,2})\s*日?\s*", cell)
    as_of = f"{day.group(1)}-{int(day.group(2)):02d}-{int(day.group(3)):02d}" if day else \
        f"{year}-12-31" if re.fullmatch(r"\s*Dec(?:ember)?\.?\s*31,?\s*\d{4}\s*", cell, re.IGNORECASE) else year
    return Fact(field="statement", value=round(value, 2), unit=line.item.currency, as_of=as_of)


def _shown(fact: Fact, lang: str) -> str:
    period = period_text(fact.as_of, lang)
    return f"{value_text(fact, lang)}（{period}）" if lang == "zh" else f"{value_text(fact, lang)} ({period})"


def _value_row(line: Line, year: str, lang: str, cited: list[Passage]) -> str:
    mark = _cite(line, cited)
    sep = "：" if lang == "zh" else ": "
    return f"{line.label(lang)}{sep}{_shown(_fact(line, year), lang)}{'' if lang == 'zh' else ' '}{mark}"


def _change_row(line: Line, first: str, last: str, lang: str, cited: list[Passage]) -> str:
    """'专利申请费2022–2023年变化：26.04% = 651.88万元（2023）/ 517.19万元（2022）− 1；差额：+134.7万元[1]': the
    change in percent with both values, and the difference in the line's units (as the profile's growth)."""
    old, new = _fact(line, first), _fact(line, last)
    mark = _cite(line, cited)
    if not old.value:
        return ""
    pct = round(100 * (float(new.value) / float(old.value) - 1), 2)  # type: ignore[arg-type]
    gap = Fact(field="statement", value=round(float(new.value) - float(old.value), 2), unit=new.unit)  # type: ignore[arg-type]
    shown = ("+" if float(gap.value) >= 0 else "") + value_text(gap, lang)  # type: ignore[arg-type]
    if lang == "zh":
        return (f"{line.label(lang)}{first}–{last}年变化：{number(pct)}% = {value_text(new, lang)}（{last}）/ "
                f"{value_text(old, lang)}（{first}）− 1；差额：{shown}{mark}")
    return (f"{line.label(lang)}, change FY{first}–FY{last}: {number(pct)}% = {value_text(new, lang)} (FY{last}) / "
            f"{value_text(old, lang)} (FY{first}) − 1; difference: {shown} {mark}")


def _share_rows(line: Line, base: Line, years: tuple[str, ...], lang: str, cited: list[Passage],
                margin: bool) -> list[str]:
    """'Net Profit margin (FY2023): 12.47% = …' / '销售费用占营业收入的比例（2023年度）：5.72% = …' per year."""
    rows = []
    for year in years:
        if not any(v[0] == year for v in line.item.values) or not any(v[0] == year for v in base.item.values):
            continue
        top, bottom = _fact(line, year), _fact(base, year)
        if not bottom.value or top.unit != bottom.unit:
            continue
        pct = round(100 * float(top.value) / float(bottom.value), 2)  # type: ignore[arg-type]
        marks = _cite(line, cited) + _cite(base, cited)
        ratio = f"{number(pct)}% = {line.label(lang)} {value_text(top, lang)} / {base.label(lang)} {value_text(bottom, lang)}"
        if lang == "zh":
            name = f"{line.label(lang)}率" if margin else f"{line.label(lang)}占{base.label(lang)}的比例"
            rows.append(f"{name}（{year}年度）：{ratio}{marks}")
        else:
            name = f"{line.label(lang)} margin" if margin else f"{line.label(lang)} as a share of {base.label(lang)}"
            rows.append(f"{name} (FY{year}): {ratio} {marks}")
    return rows


def _not_held(line: Line, lang: str, years: tuple[str, ...] = ()) -> str:
    held = [y for y, _, _ in line.item.values]
    label = line.label(lang)
    if lang == "zh":
        asked = f"{'、'.join(y + '年度' for y in years)}的" if years else "这一期间的"
        return f"客户的报表中没有{asked}{label}（已有：{'、'.join(held)}年度）；可以请客户补充相关材料。"
    asked = ", ".join("FY" + y for y in years) if years else "that period"
    return f"The client's statements give no {label} for {asked} (held: {', '.join('FY' + y for y in held)}); ask the client for it."


# ---- two lines: a ratio (资产负债率, "A as a share of B") or a difference ("A 扣掉 B") ------------------


@dataclass(frozen=True)
class Operand:
    """A line item's values: the client's row of it, or, where the statements leave it out, the
    difference of two rows an identity gives it by (负债合计 = 资产总计 − 所有者权益合计)."""

    zh: str
    en: str
    line: Line | None = None
    parts: tuple[Line, Line] | None = None

    def label(self, lang: str) -> str:
        if self.line is not None:
            return self.line.label(lang)
        return self.zh if lang == "zh" else self.en

    def years(self) -> list[str]:
        if self.line is not None:
            return [y for y, _, _ in self.line.item.values]
        assert self.parts is not None
        a, b = self.parts
        return [y for y, _, _ in a.item.values if any(v[0] == y for v in b.item.values)]

    def fact(self, year: str) -> Fact | None:
        if self.line is not None:
            return _fact(self.line, year)
        assert self.parts is not None
        a, b = (_fact(x, year) for x in self.parts)
        if a.unit != b.unit:
            return None
        return Fact(field="statement", value=round(float(a.value) - float(b.value), 2),  # type: ignore[arg-type]
                    unit=a.unit, as_of=a.as_of)

    def cite(self, cited: list[Passage]) -> str:
        rows = (self.line,) if self.line is not None else self.parts or ()
        return "".join(dict.fromkeys(_cite(x, cited) for x in rows))

    def derivation(self, year: str, lang: str) -> str:
        """'；负债合计 4,444.05万元 = 资产总计 … − 所有者权益合计 …（报表未列负债合计，按资产总计 − 所有者权益合计推算）'
        for a derived line; '' for a row held."""
        if self.parts is None:
            return ""
        fact = self.fact(year)
        a, b = self.parts
        if fact is None:
            return ""
        fa, fb = _fact(a, year), _fact(b, year)
        own, la, lb = self.label(lang), a.label(lang), b.label(lang)
        if lang == "zh":
            return (f"；{own} {value_text(fact, lang)} = {la} {value_text(fa, lang)} − {lb} {value_text(fb, lang)}"
                    f"（报表未列{own}，按{la} − {lb}推算）")
        return (f"; {own} {value_text(fact, lang)} = {la} {value_text(fa, lang)} − {lb} {value_text(fb, lang)} "
                f"(the statements give no {own} row; derived as {la} − {lb})")


def _operand(item: int | None, line: Line | None, lines: list[Line]) -> Operand | None:
    """The operand of a line item: its row, else the identity that gives it from two rows held."""
    if line is not None:
        return Operand(line.zh, line.en, line)
    if item is None:
        return None
    zhs, ens = statement_items()[item]
    for identity in identities():
        if _item_index(identity.item) != item:
            continue
        rows = [next((x for x in lines if _item_of(x) == _item_index(p)), None) for p in identity.parts]
        if rows[0] is not None and rows[1] is not None:
            return Operand(zhs[0], ens[0] if ens else zhs[0], None, (rows[0], rows[1]))
    return None


def _item_operand(name: str, lines: list[Line]) -> Operand | None:
    item = _item_index(name)
    line = next((x for x in lines if item is not None and _item_of(x) == item), None)
    return _operand(item, line, lines)


def _part_operand(part: str, lines: list[Line]) -> tuple[int | None, Operand | None]:
    """The line item a part of the question names, and its operand (None: not held nor derivable)."""
    item, line = _named(part, lines)
    if item is None and line is None:
        return None, None
    return item, _operand(item, line, lines)


# the forms that ask for one line over another: (pattern, read on index form / lower case, shown as)
_RATIO_FORMS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?P<a>.+?)占(?P<b>.+?)(?:的)?(?:比例|比重|百分比|比率|份额|多少|几成|百分之几|几个百分点)"), "share"),
    (re.compile(r"^(?P<a>.+?)(?:与|和|跟|对|除以)(?P<b>.+?)(?:的)?(?:之比|比值|比率|的比例|比例)"), "times"),
    (re.compile(r"^(?P<a>.+?)\s+as an? (?:share|percentage|proportion|fraction|percent|%) of\s+(?P<b>.+)$"), "share"),
    (re.compile(r"\b(?:what|which) (?:share|percentage|proportion|fraction|percent) of\s+(?P<b>.+?)\s+"
                r"(?:is|was|were|are|did|does|do|came from|comes from)\s+(?P<a>.+)$"), "share"),
    (re.compile(r"\bratio of\s+(?P<a>.+?)\s+(?:to|over|and)\s+(?P<b>.+)$"), "times"),
    (re.compile(r"^(?P<a>.+?)[- ]to[- ](?P<b>.+?)\s+ratio\b"), "times"),
    (re.compile(r"^(?P<a>.+?)\s+(?:over|divided by|relative to)\s+(?P<b>.+)$"), "times"),
]
# the forms that ask for one line less another
_LESS_FORMS = [
    re.compile(r"^(?P<a>.+?)(?:扣掉|扣除|减去|减掉|扣去|去掉|除去|剪掉)(?P<b>.+)$"),
    # "less than" compares, "after income tax" names a line (net profit after tax): neither subtracts
    re.compile(r"^(?P<a>.+?)\s+(?:minus|less(?!\s+than\b)|net of|after deducting|after subtracting|"
               r"after taking out)\s+(?P<b>.+)$"),
]


def less_parts(question: str) -> tuple[str, str] | None:
    """The two parts of a question asking for one amount less another ("营收扣掉研发费用还剩多少", "revenue
    minus R&D expense"): the text before the word and after it (index form; English lower case)."""
    text, lower = index_form(question), question.lower()
    for pattern in _LESS_FORMS:
        m = pattern.search(text if re.search(r"[\u3400-\u9fff]", pattern.pattern) else lower)
        if m is not None:
            return m.group("a"), m.group("b")
    return None


def ratio_named(question: str) -> NamedRatio | None:
    """The standard ratio the question names by one of its names (资产负债率, "debt-to-asset ratio")."""
    text, lower = index_form(question), question.lower()
    scored = [(_score(text, lower, [index_form(z) for z in r.zh], [e.lower() for e in r.en]), r) for r in named_ratios()]
    score, ratio = max(scored, key=lambda x: x[0], default=(0, None))
    return ratio if score else None


def two_lines_asked(question: str, lines: list[Line]) -> tuple[Operand, Operand, str, str, str] | None:
    """Two lines the question relates, each held or derivable: (top, bottom, how: 'share', 'times' or
    'less', the Chinese and English names of a standard ratio or ''). None: no such form, or a part
    names no line, or both the same."""
    text, lower = index_form(question), question.lower()
    forms = [(p, how) for p, how in _RATIO_FORMS] + [(p, "less") for p in _LESS_FORMS]
    form: tuple[Operand, Operand, str, str, str] | None = None
    for pattern, how in forms:
        m = pattern.search(text if re.search(r"[\u3400-\u9fff]", pattern.pattern) else lower)
        if m is None:
            continue
        (ia, a), (ib, b) = _part_operand(m.group("a"), lines), _part_operand(m.group("b"), lines)
        if a is None or b is None or (ia is not None and ia == ib) or a == b:
            continue
        form = a, b, how, "", ""
        break
    ratio = ratio_named(question)
    if ratio is None:
        return form
    top, bottom = _item_operand(ratio.top, lines), _item_operand(ratio.bottom, lines)
    if form is not None and (form[0], form[1]) != (top, bottom):
        return form  # "inventory to total equity ratio" names no equity ratio
    if top is None or bottom is None:
        return None
    return top, bottom, "times" if ratio.times else "share", ratio.zh[0], ratio.en[0]


def answer_two_lines(question: str, lines: list[Line], lang: str) -> Answer | None:
    """A ratio of two lines (a standard one: 资产负债率 = 负债合计 / 资产总计, or "A占B的比例", "A to B ratio",
    "A as a share of B", "A over B") or a difference ("A扣掉B", "A minus B") of each year asked (none: the
    latest both hold), with both inputs and their period, cited to the rows; a line the statements leave
    out is derived by an identity, saying so. None: no two lines asked."""
    asked = two_lines_asked(question, lines)
    if asked is None:
        return None
    top, bottom, how, zh_name, en_name = asked
    if sub_year_asked(question) or future_asked(question):
        text = (f"客户的报表按年度列示{top.label(lang)}和{bottom.label(lang)}，没有这一期间的数据；可以请客户补充相关材料。"
                if lang == "zh" else f"The client's statements give {top.label(lang)} and {bottom.label(lang)} by year, "
                "not for that period; ask the client for it.")
        return Answer(text, (), False, lang)
    both = [y for y in top.years() if y in bottom.years()]
    years = years_asked(question)
    if years and not set(years) & set(both):
        held = "、".join(both) if lang == "zh" else ", ".join("FY" + y for y in both)
        text = (f"客户的报表中没有{'、'.join(y + '年度' for y in years)}的{top.label(lang)}和{bottom.label(lang)}（已有：{held}年度）；"
                "可以请客户补充相关材料。" if lang == "zh" else
                f"The client's statements give no {top.label(lang)} and {bottom.label(lang)} for "
                f"{', '.join('FY' + y for y in years)} (held: {held}); ask the client for it.")
        return Answer(text, (), False, lang)
    cited: list[Passage] = []
    rows = []
    for year in [y for y in both if y in years] or both[-1:]:
        a, b = top.fact(year), bottom.fact(year)
        if a is None or b is None or a.unit != b.unit or how != "less" and not b.value:
            continue
        period = period_text(a.as_of, lang)
        ta, tb = f"{top.label(lang)} {value_text(a, lang)}", f"{bottom.label(lang)} {value_text(b, lang)}"
        marks = "".join(dict.fromkeys(re.findall(r"\[\d+\]", top.cite(cited) + bottom.cite(cited))))
        notes = top.derivation(year, lang) + bottom.derivation(year, lang)
        if how == "less":
            gap = Fact(field="statement", value=round(float(a.value) - float(b.value), 2), unit=a.unit)  # type: ignore[arg-type]
            name = f"{top.label(lang)}减{bottom.label(lang)}" if lang == "zh" else f"{top.label(lang)} less {bottom.label(lang)}"
            shown = f"{value_text(gap, lang)} = {ta} − {tb}"
        else:
            quotient = float(a.value) / float(b.value)  # type: ignore[arg-type]
            value = f"{number(round(100 * quotient, 2))}%" if how == "share" else number(round(quotient, 2))
            if zh_name:
                name = zh_name if lang == "zh" else en_name[:1].upper() + en_name[1:]
            elif how == "share":
                name = f"{top.label(lang)}占{bottom.label(lang)}的比例" if lang == "zh" else \
                    f"{top.label(lang)} as a share of {bottom.label(lang)}"
            else:
                name = f"{top.label(lang)}与{bottom.label(lang)}之比" if lang == "zh" else \
                    f"{top.label(lang)} to {bottom.label(lang)} ratio"
            shown = f"{value} = {ta} / {tb}"
        rows.append(f"{name}（{period}）：{shown}{marks}{notes}" if lang == "zh" else f"{name} ({period}): {shown} {marks}{notes}")
    return Answer("\n".join(rows), tuple(cited), True, lang) if rows else None
