"""Facts read from tables: financial statements in spreadsheets, CSV files and PDF text layers.

Two shapes are read from page text (ingestion renders a table row as cells joined by " | "; a PDF
text layer gives a label followed by numbers):
- row-oriented statements: a header row of periods (2022, 2023年, 2023-12-31, FY2023), then one row
  per item ("营业收入 Revenue | 52,300,000 | 81,450,000");
- column-oriented sheets: a header row of item names (quarter | rd_expense_rmb | rd_headcount),
  then one row per period. Quarters add up to a year only when all four are present (flows, e.g.
  expenses); stocks (headcounts, assets) take the year's last quarter.
An item is matched on the whole label, so "其他业务收入" or "研发人员薪酬" never count as revenue or
R&D staff. The unit comes from a caption or header ("单位：万元", "in thousands", "RMB'000").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from app.core.numbers import parse_number
from app.core.types import Fact

# (field, label pattern, is a flow over the period)
_ITEMS = [
    ("revenue", r"营业收入|营业总收入|營業收入|营业收入合计|revenue|revenues|total revenue|operating revenue|net sales", True),
    ("rd_expense", r"研发费用|研發費用|研发投入|研究开发费用|r&d expenses?|research and development(?: expenses?)?|rd_expense(?:_\w+)?", True),
    ("total_assets", r"资产总计|资产总额|總資產|总资产|total assets", False),
    ("net_profit", r"净利润|淨利潤|net profit|net income|净亏损|淨虧損|net loss", True),  # (a loss: app.core.facts_tables._value_of)
    ("employees", r"员工人数|员工总数|职工人数|从业人数|employees|headcount|total staff", False),
    ("rd_staff", r"研发人员(?:人数|数量)?|研發人員|r&d staff|r&d headcount|rd_headcount|rd_staff", False),
    ("social_insurance_headcount", r"社保(?:缴纳|参保)?人数|参保人数|social insurance headcount", False),
]
_MONEY_FIELDS = {"revenue", "rd_expense", "total_assets", "net_profit"}
_LABEL_END = r"(?=$|[\s（(：:，,/_]|[A-Za-z])"
_YEAR = r"(?:19|20)\d{2}"
# a period column's head: a year, a fiscal year, or the year-end day ("2023-12-31", "2023年12月31日", "Dec 31, 2023")
_PERIOD = re.compile(rf"^(?:FY\s?|Dec(?:ember)?\.?\s*31,?\s*)?({_YEAR})(?:\s*年(?:度)?|-12-31|/12/31|\.12\.31|年12月31日|\.0+)?$",
                     re.IGNORECASE)
_YEAR_HEAD = re.compile(rf"(?:FY\s?|Dec(?:ember)?\.?\s*31,?\s*)?(?<![\d.]){_YEAR}(?![\d.])(?:年度?)?", re.IGNORECASE)
_LOSS = re.compile(r"^(?:净亏损|淨虧損|net loss)", re.IGNORECASE)
_QUARTER = re.compile(rf"^({_YEAR})\s*(?:Q([1-4])|年?第?([一二三四1-4])季度)$", re.IGNORECASE)
_NUMBER = re.compile(r"^\(?-?[\d,，]+(?:\.\d+)?\)?$")
_SCALES = [(r"单位[:：]?\s*(?:人民币)?\s*亿元|in hundreds of millions", 1e8), (r"单位[:：]?\s*(?:人民币)?\s*万元|（万元）|\(万元\)", 1e4),
           (r"单位[:：]?\s*(?:人民币)?\s*千元|in thousands|RMB\s?'000|USD\s?'000|\$\s?'000|'000", 1e3),
           (r"in millions|RMB\s?million|USD\s?million|百万元", 1e6)]
_QUARTER_DIGIT = {"一": 1, "二": 2, "三": 3, "四": 4}


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    span: tuple[int, int]
    piped: bool


def table_facts(text: str) -> Iterator[Fact]:
    """Facts from every table on a page; each quotes its row and spans it in the page text."""
    rows = list(_rows(text))
    scale, currency = _unit(text)
    for i, row in enumerate(rows):
        periods = _periods(row.cells[1:])
        if periods and sum(p is not None for p in periods) >= 1 and not _item(row.cells[0]):
            yield from _row_oriented(rows[i + 1 :], periods, scale, currency)
        elif row.piped and i + 1 < len(rows) and _column_items(row.cells):
            yield from _column_oriented(row, rows[i + 1 :], scale, currency)


@dataclass(frozen=True)
class ItemRow:
    """One line of a row-oriented statement, whatever its item: its label, its value in each period
    column (scaled to units, in the order of the header), its row and the header row above it."""

    label: str
    values: tuple[tuple[str, str, float], ...]  # (year, header cell, value)
    currency: str
    row: Row
    header: Row


def statement_rows(text: str) -> Iterator[ItemRow]:
    """Every item line of the statements on a page (any label, not only the profile's items): the rows of a
    row-oriented table (items down, periods across), then the columns of a column-oriented one (a year a row,
    items across: "年度 | 营业收入 | 净利润 | 短期借款", as a plan's 主要财务数据 sheet is often laid out)."""
    rows = list(_rows(text))
    scale, currency = _unit(text)
    header: tuple[Row, list[str | None]] | None = None
    for row in rows:
        periods = _periods(row.cells[1:])
        if periods and not _item(row.cells[0]):
            header = (row, periods)
            continue
        if header is None or not row.cells[0].strip():
            continue
        head, cols = header
        values = tuple((year, head.cells[i + 1], v * scale) for i, (year, cell) in enumerate(zip(cols, row.cells[1:]))
                       if year and (v := _value(cell)) is not None)
        if values:
            yield ItemRow(row.cells[0].strip(), values, currency, row, head)
    yield from _column_lines(rows, scale, currency)


def _column_lines(rows: list[Row], scale: float, currency: str) -> Iterator[ItemRow]:
    """The item columns of each column-oriented table, each as the row it would be transposed: its label, its
    value in each year row, and for the citation the column ("营业收入 | 2650 | 4500") under the year cells
    ("年度 | 2021年 | 2022年"). A table whose rows are quarters is left to quarter_rows."""
    for i, head in enumerate(rows):
        if not head.piped or len(head.cells) < 2 or _periods(head.cells[1:]) or _year_of(head.cells[0])[0]:
            continue
        years: list[tuple[str, Row]] = []
        for row in rows[i + 1 :]:
            year, quarter = _year_of(row.cells[0]) if row.piped and len(row.cells) == len(head.cells) else (None, None)
            if not year or quarter:
                break
            years.append((year, row))
        if not years:
            continue
        span = (years[0][1].span[0], years[-1][1].span[1])
        year_cells = Row((head.cells[0], *(row.cells[0] for _, row in years)), head.span, True)
        for col in range(1, len(head.cells)):
            label = head.cells[col].strip()
            if not label or _value(label) is not None:
                continue
            values = tuple((year, row.cells[0], v * scale) for year, row in years if (v := _value(row.cells[col])) is not None)
            if values:
                column = Row((label, *(row.cells[col] for _, row in years)), span, True)
                yield ItemRow(label, values, currency, column, year_cells)


@dataclass(frozen=True)
class QuarterCell:
    """One quarter's value of a profile item in a column-oriented sheet (quarter | rd_expense_rmb | …)."""

    field: str
    year: str
    quarter: int
    value: float
    unit: str
    row: Row
    header: Row


@dataclass(frozen=True)
class QuarterRow:
    """One quarter's row of a column-oriented sheet, whatever its columns hold (a project's name too)."""

    year: str
    quarter: int
    row: Row
    header: Row


def quarter_rows(text: str) -> Iterator[QuarterRow]:
    """The quarter rows of the column-oriented sheets on a page (quarter | … with a header row above)."""
    rows = list(_rows(text))
    for i, header in enumerate(rows):
        if not (header.piped and i + 1 < len(rows)) or _year_of(header.cells[0].strip())[0]:
            continue
        for row in rows[i + 1:]:
            if not row.piped:
                break
            year, quarter = _year_of(row.cells[0].strip())
            if not year or not quarter:
                break
            yield QuarterRow(year, quarter, row, header)


def quarter_cells(text: str) -> Iterator[QuarterCell]:
    """Every quarter's value of the profile items of the column-oriented sheets on a page."""
    rows = list(_rows(text))
    scale, currency = _unit(text)
    for i, header in enumerate(rows):
        if not (header.piped and i + 1 < len(rows) and (columns := _column_items(header.cells))):
            continue
        unit = "CNY" if "rmb" in " ".join(header.cells).lower() else currency
        for row in rows[i + 1:]:
            if not row.piped:
                break
            year, quarter = _year_of(row.cells[0].strip())
            if not year or not quarter:
                continue
            for col, field, _flow in columns:
                value = _value(row.cells[col]) if col < len(row.cells) else None
                if value is not None:
                    fact = _fact(field, value, row, year, scale, unit)
                    yield QuarterCell(field, year, quarter, float(fact.value), fact.unit, row, header)  # type: ignore[arg-type]


def _rows(text: str) -> Iterator[Row]:
    offset = 0
    for line in text.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        if " | " in line:
            yield Row(tuple(c.strip() for c in line.split(" | ")), (start, end), True)
            continue
        m = re.match(r"^\s*([^\d\s(（-][^\d]*?)\s+((?:\(?-?[\d,]+(?:\.\d+)?\)?\s*){2,})$", line)
        if m:  # a PDF text-layer row: a label, then two or more numbers
            yield Row((m.group(1).strip(), *m.group(2).split()), (start, end), False)
        elif len(re.findall(rf"(?<![\d.]){_YEAR}(?![\d.])", line)) >= 2:  # (a year may follow FY: "FY2022 FY2023")
            yield Row(tuple(re.split(r"\s{2,}|\t", line.strip())) if re.search(r"\s{2,}|\t", line.strip())
                      else ("", *_YEAR_HEAD.findall(line)), (start, end), False)


def _periods(cells: tuple[str, ...]) -> list[str | None]:
    found = [(m.group(1) if (m := _PERIOD.match(c.strip())) else None) for c in cells]
    return found if sum(p is not None for p in found) >= 1 and all(p or not c.strip() for p, c in zip(found, cells)) else []


def _item(label: str) -> tuple[str, bool] | None:
    clean = label.strip().lower()
    if re.match(r"^(?:其中|加|减|including|of which)", clean):
        return None
    for field, pattern, flow in _ITEMS:
        if re.match(rf"^(?:{pattern}){_LABEL_END}", clean):
            # "营业收入 Revenue" fine; "营业收入增长率" or "Revenue growth" are not the item
            rest = re.sub(rf"^(?:{pattern})", "", clean).strip(" （()）:：")
            if not rest or re.fullmatch(rf"(?:{pattern})|[a-z&' ]+", rest) and not re.search(r"growth|ratio|rate|率|增长", rest):
                return field, flow
    return None


def profile_item(label: str) -> str | None:
    """The profile field a statement row's label is the item of ("营业收入 Revenue": revenue), or None."""
    item = _item(label)
    return item[0] if item else None


def _unit(text: str) -> tuple[float, str]:
    scale = next((s for pattern, s in _SCALES if re.search(pattern, text, re.IGNORECASE)), 1.0)
    if re.search(r"USD|US\$|美元|\$", text):
        currency = "USD"
    elif re.search(r"RMB|CNY|人民币|元|rmb", text) or re.search(r"[\u4e00-\u9fff]", text):
        currency = "CNY"
    else:
        currency = ""
    return scale, currency


def _value_of(label: str, cell: str) -> float | None:
    """A row's value, a loss row's as the negative net profit it is ("Net loss | 3,310,000": −3,310,000; in
    brackets it is negative already)."""
    value = _value(cell)
    return -abs(value) if value is not None and _LOSS.match(label.strip()) else value


def _value(cell: str) -> float | None:
    cell = cell.strip()
    if not _NUMBER.match(cell):
        return None
    negative = cell.startswith(("(", "-"))
    number = parse_number(cell.strip("()-"))
    return -number if negative else number


def _fact(field: str, value: float, row: Row, as_of: str, scale: float, currency: str) -> Fact:
    money = field in _MONEY_FIELDS
    return Fact(field=field, value=round(value * scale, 2) if money else value, unit=currency if money else "persons",
                quote=" | ".join(row.cells), span=row.span, confidence=0.95, method="rule:table", as_of=as_of)


def _row_oriented(rows: list[Row], periods: list[str | None], scale: float, currency: str) -> Iterator[Fact]:
    seen: set[tuple[str, str]] = set()
    for row in rows:
        if _periods(row.cells[1:]):
            return  # the next table starts
        item = _item(row.cells[0])
        if not item:
            continue
        for period, cell in zip(periods, row.cells[1:]):
            value = _value_of(row.cells[0], cell)
            if period and value is not None and (item[0], period) not in seen:
                seen.add((item[0], period))  # the first row naming an item wins
                yield _fact(item[0], value, row, period, scale, currency)


def _column_items(cells: tuple[str, ...]) -> list[tuple[int, str, bool]]:
    return [(i, *item) for i, c in enumerate(cells) if i and (item := _item(c))]


def _column_oriented(header: Row, rows: list[Row], scale: float, currency: str) -> Iterator[Fact]:
    columns = _column_items(header.cells)
    if "rmb" in " ".join(header.cells).lower():
        currency = "CNY"
    quarters: dict[tuple[int, str], list[tuple[int, float, Row]]] = {}
    for row in rows:
        if not row.piped:
            break
        first = row.cells[0].strip()
        year, quarter = _year_of(first)
        if not year:
            continue
        for col, field, _flow in columns:
            value = _value(row.cells[col]) if col < len(row.cells) else None
            if value is None:
                continue
            if quarter:
                quarters.setdefault((col, year), []).append((quarter, value, row))
            else:
                yield _fact(field, value, row, year, scale, currency)
    for (col, year), values in sorted(quarters.items()):
        _, field, flow = next(c for c in columns if c[0] == col)
        yield from _annual(field, flow, year, values, scale, currency)


def _year_of(cell: str) -> tuple[str | None, int | None]:
    if m := _QUARTER.match(cell):
        q = m.group(2) or m.group(3)
        return m.group(1), int(_QUARTER_DIGIT.get(q, q))
    if m := _PERIOD.match(cell):
        return m.group(1), None
    return None, None


def _annual(field: str, flow: bool, year: str, values: list[tuple[int, float, Row]], scale: float, currency: str) -> Iterator[Fact]:
    by_quarter = {q: (v, r) for q, v, r in values}
    first, last = min(by_quarter), max(by_quarter)
    span = (by_quarter[first][1].span[0], by_quarter[last][1].span[1])
    quote = "\n".join(" | ".join(by_quarter[q][1].cells) for q in sorted(by_quarter))
    if flow and set(by_quarter) == {1, 2, 3, 4}:
        total = sum(v for v, _ in by_quarter.values())
        yield replace(_fact(field, total, Row((quote,), span, True), year, scale, currency), method="rule:table_sum")
    elif not flow and 4 in by_quarter:
        value, row = by_quarter[4]
        yield _fact(field, value, row, year, scale, currency)
