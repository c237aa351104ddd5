"""Statement tables keep their header (period columns, units) in every chunk and so in every
cited passage: a row "营业收入 | 1500 | 2900 | 4800" is never cited without its years."""

from __future__ import annotations

from app.core.types import Element
from ingest.chunk import chunk_document
from ingest.table_header import header_above


def _words(text: str) -> int:
    return len(text.split())


STATEMENT = [
    "CONSOLIDATED STATEMENTS OF CASH FLOWS",
    "(in millions)",
    "Year Ended December 31, 2022 2021 2020",
    *[f"Operating line item {i} {100 + i:,} {200 + i:,} {300 + i:,}" for i in range(40)],
]


def test_text_layer_statement_rows_carry_period_and_units() -> None:
    elements = [Element(text=line, type="NarrativeText", page=3) for line in STATEMENT]
    chunks = chunk_document("d1", "Annual report", elements, _words, budget=60).chunks
    assert len(chunks) > 2
    for chunk in chunks[1:]:
        assert chunk.text.startswith("(in millions)\nYear Ended December 31, 2022 2021 2020\n"), chunk.text[:80]
        # the citation's span is the rows' own place on the page, not the header's
        page = "\n".join(STATEMENT)
        assert page[chunk.span[0]:chunk.span[1]].startswith("Operating line item")
    assert chunks[0].text.count("2022 2021 2020") == 1  # the first chunk has it already, once


def test_chinese_table_rows_keep_the_year_header() -> None:
    rows = (("项目", "2021年", "2022年", "2023年"), *[(f"营业收入{i}", "1500", "2900", "4800") for i in range(30)])
    table = Element(text="", type="Table", page=1, rows=rows)
    chunks = chunk_document("d2", "年度报告", [Element("利润表（单位：万元）", "Title", 1), table], _words, budget=20).chunks
    rows_chunks = [c for c in chunks if "营业收入" in c.text]
    assert len(rows_chunks) > 2
    assert all(c.text.startswith("项目 | 2021年 | 2022年 | 2023年") for c in rows_chunks)


def test_prose_gets_no_header() -> None:
    page = "Results 2022 2021\nRevenue grew because customers bought more, as 2022 was a strong year."
    assert header_above(page, page.index("Revenue"), "Revenue grew because customers bought more.") == ""


def test_chinese_units_line() -> None:
    page = "合并利润表\n单位：元\n项目 2023年度 2022年度\n营业收入 1,500 2,900\n营业成本 700 900\n净利润 300 400"
    start = page.index("营业成本")
    assert header_above(page, start, page[start:]) == "单位：元\n项目 2023年度 2022年度"
