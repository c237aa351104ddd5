"""Any line of the client's own statements, answered by the label the question names.

A profile holds the items matching and criteria read (revenue, R&D expense, total assets, net
profit …); a statement holds many more (存货 Inventory, 所有者权益合计 Total Equity, 销售费用 Selling
Expense …). A question about the client that names such a line by its label, in Chinese (simplified
or traditional) or English, is answered from that row of the client's spreadsheet or statement page
(app/core/facts_tables.statement_rows), cited with the row and its period header: a year's value,
each year's, a change between two years ("How fast did … rise from 2022 to 2023", 增长了多少), a
margin or share of revenue ("net profit margin", 净利率, "销售费用占营收的比例") of the same year, or
the gross margin, (revenue − cost of revenue) / revenue (毛利率).

A label is named when its Chinese part occurs in the question (index form: simplified, NFKC) or its
English words occur as a phrase the question does not go on to extend with another noun ("cash" is
not named by "cash flow"); of several labels named, the longest wins ("归属于母公司股东的净利润" over
"净利润"). Lines whose item the profile itself holds are left to the profile's answer."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from app.core.answer import Answer, Passage
from app.core.asked_attribute import _jieba, is_function_zh
from app.core.asked_measure import change_asked, measure_asked
from app.core.asked_period import future_asked, quarter_asked, sub_year_asked, years_asked
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
from app.core.textnorm import index_form
from app.core.types import Fact
from app.core.yaml_data import parse_yaml

ITEMS_FILE = Path(__file__).resolve().parents[1] / "data" / "statement_items.yaml"

_CJK = re.compile(r"[\u3400-\u9fff]+")
_PREFIX = re.compile(r"^(?:其中|加|减|減|including|of which|less|add)\s*[:：]?\s*", re.IGNORECASE)
# words that may follow a label's English name without making it another item ("inventory at the end of",
# "total equity was"); any other word extends the phrase ("cash flow", "revenue growth rate" …)
_AFTER = ("of|in|at|for|on|by|as|was|were|is|are|be|been|did|does|do|has|had|have|from|to|and|or|the|a|an|its|their|"
          "this|that|over|between|during|since|last|than|per|each|amount|figure|value|balance|level|total|held|stand|"
          "end|year|fy|rise|rose|grow|grew|growth|increase|increased|change|changed|fall|fell|drop|dropped|margin|"
          "ratio|share|percentage|reported|recorded|come|came|look|like|then|now|right|when|how|what|so|go|went")
_REVENUE = re.compile(r"营业收入|营收|收入|\brevenues?\b|\bsales\b|\bturnover\b")
# a margin of a profit line: net (净利率, net margin), operating (营业利润率, operating margin)
_MARGIN = {"净利润": re.compile(r"净利率|净利润率|销售净利率|net (?:profit |income )?margin|profit margin"),
           "营业利润": re.compile(r"营业利润率|经营利润率|operating (?:profit )?margin")}
_GROSS = re.compile(r"毛利|\bgross (?:profit|margin)\b")
_GROSS_RATE = re.compile(r"毛利率|毛利润率|\bgross (?:profit )?margin\b")
_COST = re.compile(r"^(?:营业成本|营业总成本|主营业务成本合计|cost of (?:revenue|revenues|sales|goods sold))$")
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
        return "".join(_CJK.findall(index_form(_PREFIX.sub("", self.item.label))))

    @property
    def en(self) -> str:
        words = re.sub(r"[\u3400-\u9fff：:（）()]+", " ", _PREFIX.sub("", self.item.label))
        return " ".join(words.split())

    def label(self, lang: str) -> str:
        return (self.zh or self.item.label) if lang == "zh" else (self.en or self.item.label)


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
    asked_q = quarter_asked(question)
    if asked_q is None:
        return None
    year, quarter = asked_q
    text = index_form(question)
    for doc_id, title, _, texts in pages:
        for page, body in sorted(texts.items()):
            rows = [r for r in quarter_rows(body) if r.quarter == quarter and (year is None or r.year == year)]
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


def _column_named(name: str, question: str) -> bool:
    """A column header ("main_project 主要项目") is named by its Chinese part or by a word of its English
    key other than a modifier ("project", not "main")."""
    zh = "".join(_CJK.findall(index_form(name)))
    if len(zh) >= 2 and zh in question:
        return True
    words = [w for w in re.split(r"[_\s]+", re.sub(r"[\u3400-\u9fff]+", " ", name.lower())) if len(w) > 2]
    return bool(words) and re.search(rf"\b{re.escape(words[-1])}s?\b", question) is not None


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


def answer_quarter(question: str, quarters: list[QuarterAt], fields: Iterable[str], lang: str) -> Answer | None:
    """A numbered quarter asked ("23年第三季度", "Q2 2022") of fields the client's sheets hold by quarter:
    that quarter's value, cited with its row and the sheet's header; a year asked that no row holds is
    declined saying which quarters are held. None: no numbered quarter asked, or no field asked is
    held by quarter (a profile's yearly figure is then declined for a quarter)."""
    asked_q = quarter_asked(question)
    extreme = _EXTREME.search(index_form(question)) if _QUARTER_WORD.search(index_form(question)) else None
    if asked_q is None and extreme is None:
        return None
    wanted = [f for f in dict.fromkeys(fields) if any(q.cell.field == f for q in quarters)]
    measure = measure_asked(question)
    if measure == "people":
        wanted = [f for f in wanted if kind_of(f) == "count"]
    elif any(kind_of(f) == "money" for f in wanted):
        wanted = [f for f in wanted if kind_of(f) == "money"]  # "在研发上花了多少钱": the amount, not the headcount
    if not wanted:
        return None
    if asked_q is None and extreme is not None:  # "in which quarter did R&D spending peak": the highest (lowest) one
        years = years_asked(question)
        low = bool(re.search(r"lowest|smallest|least|最低|最少|最小", extreme.group(0)))
        return _extreme_quarter(wanted[0], [q for q in quarters if not years or q.cell.year in years], low, lang)
    assert asked_q is not None
    year, quarter = asked_q
    rows: list[str] = []
    cited: list[Passage] = []
    missing: list[str] = []
    for name in wanted:
        held = [q for q in quarters if q.cell.field == name]
        same = [q for q in held if q.cell.quarter == quarter and (year is None or q.cell.year == year)]
        label = field_name(name, lang)
        if not same:
            first, last = min(held, key=_order).cell, max(held, key=_order).cell
            missing.append(f"客户的季度数据中没有这一季度的{label}（已有：{first.year}年第{first.quarter}季度至{last.year}年第{last.quarter}季度）；"
                           "可以请客户补充相关材料。" if lang == "zh" else
                           f"The client's quarterly figures hold no {label} for that quarter (held: {first.year} Q{first.quarter} "
                           f"to {last.year} Q{last.quarter}); ask the client for it.")
            continue
        at = max(same, key=_order)  # no year asked: the latest year holding that quarter
        text = f"{' | '.join(at.cell.header.cells)}\n{' | '.join(at.cell.row.cells)}"
        passage = next((p for p in cited if (p.doc_id, p.text) == (at.doc_id, text)), None)
        if passage is None:
            passage = Passage(len(cited) + 1, at.doc_id, at.title, text, at.page)
            cited.append(passage)
        value = value_text(Fact(field=name, value=at.cell.value, unit=at.cell.unit), lang)
        rows.append(f"{label}（{at.cell.year}年第{at.cell.quarter}季度）：{value}[{passage.n}]" if lang == "zh"
                    else f"{label} ({at.cell.year} Q{at.cell.quarter}): {value} [{passage.n}]")
    if not rows:
        return Answer("\n".join(missing), (), False, lang)
    return Answer("\n".join(rows), tuple(cited), True, lang)


_QUARTER_WORD = re.compile(r"\bquarters?\b|季度")
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
    words = [re.escape(w) for w in en.split() if w]
    if not words:
        return 0
    last = words[-1]
    last = f"{last[:-1]}(?:y|ies)" if last.endswith("y") else f"{last}(?:s|es)?"
    # one word may stand between a name's words ("short-term bank debt" names short-term debt)
    pattern = r"(?<![a-z&])" + r"\s+(?:[a-z&'-]+\s+)?".join([*words[:-1], last]) + r"(?![a-z&])"
    for m in re.finditer(pattern, question):
        after = re.match(r"['’]?s?\s*([a-z&-]+)?", question[m.end():])
        follower = after.group(1) if after else None
        if not follower or re.fullmatch(_AFTER, follower):
            return len(en)
    return 0


class StatementItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    zh: list[str]
    en: list[str]


class StatementItems(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[StatementItem]


@lru_cache(maxsize=1)
def statement_items() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """Each line item's names (Chinese in index form, English lower case), app/data/statement_items.yaml."""
    data = parse_yaml(ITEMS_FILE.read_text(encoding="utf-8"), StatementItems, str(ITEMS_FILE))
    return tuple((tuple(index_form(z) for z in i.zh), tuple(e.lower() for e in i.en)) for i in data.items)


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
_ZH_AFTER = tuple("金额 余额 总额 数额 规模 水平 情况 增长 增加 减少 下降 上升 提高 变化 变动 同比 环比 占 比例 合计 总计 一共 分别".split())  # noqa: SIM905


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
            if not after.strip() or is_function_zh(after) or after.startswith(_ZH_AFTER):
                return True
        start = question.find(name, start + 1)
    return False


@lru_cache(maxsize=256)
def _words(question: str) -> tuple[str, ...]:
    return tuple(_jieba().lcut(question))


def named_line(question: str, lines: Iterable[Line]) -> Line | None:
    """The statement line the question names by a name of its line item (app/data/statement_items.yaml:
    货币资金 is named by 现金 and "cash position") or by its own label. The longest name wins across every
    item, held or not: "经营现金流" names the operating cash flow, which a client without that line
    does not state, not its cash; among the client's rows of one item, the first document's."""
    text, lower = index_form(question), question.lower()
    rows = list(lines)
    best: tuple[int, int | None, Line | None] = (0, None, None)
    for n, (zhs, ens) in enumerate(statement_items()):
        score = _score(text, lower, zhs, ens)
        if score > best[0]:
            best = (score, n, None)
    for line in rows:
        score = _score(text, lower, [line.zh], [line.en.lower()])
        if score > best[0] or score and score == best[0] and best[1] == _item_of(line):
            best = (score, _item_of(line), line)
    score, item, chosen = best
    if not score:
        return None
    if chosen is not None:
        return chosen
    return next((x for x in rows if _item_of(x) == item), None)


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
    margin = margin_line(question, lines)
    line = margin or named_line(question, lines)
    if line is None or (margin is None and profile_item(line.item.label) is not None):
        return None
    share = margin is not None or (measure_asked(question) == "share" and bool(_BASE.search(index_form(question))))
    change = not share and change_asked(question)
    if not share and not change and measure_asked(question) == "share":
        return None  # "存货周转率": a rate no line states
    if sub_year_asked(question) or future_asked(question):
        return Answer(_not_held(line, lang), (), False, lang)
    held = [y for y, _, _ in line.item.values]
    years = years_asked(question)
    if years and not set(years) & set(held):
        return Answer(_not_held(line, lang, years), (), False, lang)
    cited: list[Passage] = []
    if share:
        base = _revenue(lines)
        if base is None:
            return None
        rows = [r for r in _share_rows(line, base, years or tuple(held[-1:]), lang, cited, margin is not None) if r]
    elif change and len(held) >= 2:
        chosen = [y for y in held if y in years] if len(set(years) & set(held)) >= 2 else held[-2:]
        rows = [_change_row(line, chosen[0], chosen[-1], lang, cited)]
    else:
        rows = [_value_row(line, y, lang, cited) for y in held if not years or y in years]
    return Answer("\n".join(rows), tuple(cited), True, lang) if rows else None


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
    text = f"{' | '.join(line.item.header.cells)}\n{' | '.join(line.item.row.cells)}"
    passage = next((p for p in cited if (p.doc_id, p.text) == (line.doc_id, text)), None)
    if passage is None:
        passage = Passage(len(cited) + 1, line.doc_id, line.title, text, line.page)
        cited.append(passage)
    return f"[{passage.n}]"


def _fact(line: Line, year: str) -> Fact:
    _, cell, value = next(v for v in line.item.values if v[0] == year)
    as_of = cell if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cell) else year
    return Fact(field="statement", value=round(value, 2), unit=line.item.currency, as_of=as_of)


def _shown(fact: Fact, lang: str) -> str:
    period = period_text(fact.as_of, lang)
    return f"{value_text(fact, lang)}（{period}）" if lang == "zh" else f"{value_text(fact, lang)} ({period})"


def _value_row(line: Line, year: str, lang: str, cited: list[Passage]) -> str:
    mark = _cite(line, cited)
    sep = "：" if lang == "zh" else ": "
    return f"{line.label(lang)}{sep}{_shown(_fact(line, year), lang)}{'' if lang == 'zh' else ' '}{mark}"


def _change_row(line: Line, first: str, last: str, lang: str, cited: list[Passage]) -> str:
    old, new = _fact(line, first), _fact(line, last)
    mark = _cite(line, cited)
    if not old.value:
        return ""
    pct = round(100 * (float(new.value) / float(old.value) - 1), 2)  # type: ignore[arg-type]
    if lang == "zh":
        return (f"{line.label(lang)}{first}–{last}年变化：{number(pct)}% = {value_text(new, lang)}（{last}）/ "
                f"{value_text(old, lang)}（{first}）− 1{mark}")
    return (f"{line.label(lang)}, change FY{first}–FY{last}: {number(pct)}% = {value_text(new, lang)} (FY{last}) / "
            f"{value_text(old, lang)} (FY{first}) − 1 {mark}")


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
