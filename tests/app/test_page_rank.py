"""Ranking the pages inside routed documents: a page of figure rows, a chunk holding the question's
word pairs together and the page stating the statement the question asks of rise within the routed
filing; other documents and unrouted searches are left as they were."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from app.core.page_rank import (
    PageShape,
    PageShapes,
    PageWeights,
    SectionVectors,
    proximity,
    rank_pages,
    statement_titles,
    statements_asked,
    table_share,
    word_pairs,
)
from app.core.tokenize import tokens

STATEMENT = """Consolidated Statements of Cash Flows
(In millions) 2022 2021
Net income $ 5,791 $ 5,929
Depreciation and amortization 1,831 1,915
Net cash provided by operating activities 5,591 7,454"""
PROSE = """Liquidity and capital resources
We believe our cash flows and our credit facilities meet our needs.
Operating activities provided cash in 2022 as in prior years."""


def _row(doc: str, page: int, text: str) -> dict[str, object]:
    return {"doc_id": doc, "page": page, "text": text, "tokens": " ".join(tokens(text))}


def test_table_share_counts_rows_of_figures() -> None:
    assert table_share(STATEMENT) == 0.8  # four of five lines carry two numbers or more
    assert table_share(PROSE) == 0.0  # one year in a sentence is not a row of figures
    assert table_share("") == 0.0


def test_word_pairs_found_together_in_either_order() -> None:
    pairs = word_pairs(tokens("cash flow statement"))
    assert pairs == [("cash", "flow"), ("flow", "statement")]
    assert proximity(pairs, tokens("Statement of Cash Flows"), window=3) == 2
    assert proximity(pairs, tokens("cash is king for every firm; a statement of goods ships with each new flow"), window=3) == 0


def test_statement_page_of_routed_filing_rises_above_prose() -> None:
    rows = {1: _row("k22", 40, PROSE), 2: _row("k22", 52, STATEMENT), 3: _row("other", 9, STATEMENT)}
    fused = {1: 1.0, 2: 0.8, 3: 0.7}
    shapes = PageShapes()
    pages = {("k22", 40): PROSE, ("k22", 52): STATEMENT, ("other", 9): STATEMENT}
    out = rank_pages(fused, rows, {"k22": 1.0}, tokens("cash flow from operating activities"),
                     lambda key: shapes.of(key, lambda d, p: pages[(d, p)]), tokens, PageWeights())
    assert out[2] > out[1]
    assert out[3] == 0.7  # not routed: unchanged


def test_document_weight_scales_the_gain_and_zero_weights_change_nothing() -> None:
    rows = {1: _row("k22", 52, STATEMENT), 2: _row("k21", 52, STATEMENT)}
    fused = {1: 1.0, 2: 1.0}
    out = rank_pages(fused, rows, {"k22": 1.0, "k21": 0.5}, tokens("operating activities"), lambda key: PageShape(0.8), tokens, PageWeights())
    assert out[1] > out[2] > 1.0
    assert rank_pages(fused, rows, {"k22": 1.0}, tokens("operating activities"), lambda key: PageShape(0.8), tokens,
                      PageWeights(table=0, proximity=0)) == fused


def test_page_shapes_read_each_page_once() -> None:
    reads: list[tuple[str, int]] = []

    def page_text(doc: str, page: int) -> str:
        reads.append((doc, page))
        return STATEMENT

    shapes = PageShapes()
    assert shapes.of(("d", 1), page_text) == shapes.of(("d", 1), page_text) == PageShape(0.8, frozenset({"cash_flow"}))
    assert reads == [("d", 1)]


# Heads as PDF text layers give them: words broken across lines and inside words.
BALANCE_BROKEN = """3M Company and Subsidiaries
Consolidated Balance Shee t
At December 31
(Dollars in millions, except per share amount) 2018 2017
Cash and cash equivalents $ 2,853 $ 3,053
Accounts receivable — net of allowances of $95 and $103 5,020 4,911
Total current assets 13,709 14,277"""
BALANCE_STACKED = """SQUARE,
INC.
CONSOLIDATED
BALANCE
SHEETS
(In thousands, except share and per share data)
2016 2015
Cash and cash equivalents $ 452,030 $ 461,329
Total current assets 1,001,425 705,563"""
INCOME_ZH = """合并利润表
2023年度 单位：元
项目 2023年度 2022年度
一、营业收入 48,000,000 29,000,000
减：营业成本 30,000,000 19,000,000
营业利润 6,200,000 3,100,000"""
INDEX = """Index to Consolidated Financial Statements
Consolidated Statements of Income 45
Consolidated Balance Sheets 46
Consolidated Statements of Cash Flows 47
Notes to Consolidated Financial Statements 48"""
DISCUSSION = """Consolidated statements of cash flows are discussed below.
Cash provided by operating activities rose in 2022 on higher earnings.
Capital spending was $1.7 billion, in line with our plans."""


def test_a_statement_page_is_told_by_the_title_in_its_head_on_a_page_of_figures() -> None:
    assert statement_titles(BALANCE_BROKEN) == {"balance"}
    assert statement_titles(BALANCE_STACKED) == {"balance"}
    assert statement_titles(STATEMENT) == {"cash_flow"}
    assert statement_titles(INCOME_ZH) == {"income"}
    rows = "\n".join(STATEMENT.splitlines()[1:])
    assert statement_titles("Consolidated Statement of Profit or Loss\n" + rows) == {"income"}  # IFRS
    assert statement_titles("Off-Balance Sheet Arrangements\n" + rows) == frozenset()
    assert statement_titles(INDEX) == frozenset()  # lists the statements, states none
    assert statement_titles(DISCUSSION) == frozenset()  # prose about a statement
    rows = "\n".join(STATEMENT.splitlines()[1:])
    assert statement_titles("The consolidated balance sheets below reflect the merger.\n" + rows) == frozenset()  # a sentence, not a title
    assert statement_titles(PROSE) == frozenset()


def test_the_statement_a_question_asks_of_by_its_name_or_its_line_items() -> None:
    assert statements_asked("Using the cash flow statement, what was its capital spending?") == {"cash_flow"}
    assert statements_asked("Basing your judgments off of the balance sheet, what is accounts payable?") == {"balance"}
    assert statements_asked("What was net income in FY2021?") == {"income"}
    assert statements_asked("What was its cash flow from operations?") == {"cash_flow"}  # not also its cash
    assert statements_asked("What is its return on assets?") == {"income", "balance"}  # a ratio: both its items
    assert statements_asked("它2023年的资产负债率是多少？") == {"balance"}
    assert statements_asked("根據現金流量表，經營活動現金流是多少？") == {"cash_flow"}
    assert statements_asked("What was free cash flow?") == frozenset()  # not the cash balance
    assert statements_asked("What was its FY2022 capex?") == {"cash_flow"}
    assert statements_asked("What were 3M's retained earnings in FY2022?") == {"balance"}
    assert statements_asked("归母净利润是多少？") == {"income"}
    assert statements_asked("Does it have off-balance sheet arrangements?") == frozenset()
    assert statements_asked("What is its inventory turnover?") == {"income", "balance"}  # cost of revenue / inventory
    assert statements_asked("Who are its primary customers?") == frozenset()
    # equity raised in a round is no line of the balance sheet; its equity is
    assert statements_asked("How is the loan sized relative to the last equity round?") == frozenset()
    assert statements_asked("Did it close any equity financing in 2023?") == frozenset()
    assert statements_asked("What was total equity at year end?") == {"balance"}


def test_the_page_stating_the_statement_asked_rises_within_the_routed_filing() -> None:
    rows = {1: _row("k18", 30, DISCUSSION), 2: _row("k18", 58, BALANCE_BROKEN), 3: _row("k18", 60, STATEMENT)}
    fused = {1: 1.0, 2: 0.7, 3: 0.7}
    pages = {("k18", 30): DISCUSSION, ("k18", 58): BALANCE_BROKEN, ("k18", 60): STATEMENT}
    shapes = PageShapes()
    question = "Considering the balance sheet, what were total current assets?"

    def ranked(weights: PageWeights) -> dict[int, float]:
        return rank_pages(fused, rows, {"k18": 1.0}, tokens(question), lambda key: shapes.of(key, lambda d, p: pages[(d, p)]),
                          tokens, weights, statements_asked(question))

    on = ranked(PageWeights())
    assert on[2] > on[3] and on[2] > on[1]  # the balance sheet, above the cash flow statement and the prose
    off = ranked(PageWeights(statement=0.0))
    assert on[3] == off[3]  # a statement not asked gains nothing from it
    assert on[2] > off[2]


def test_the_candidate_in_the_section_nearest_the_question_rises_within_the_routed_filing() -> None:
    rows = {1: _row("k22", 70, PROSE), 2: _row("k22", 8, PROSE), 3: _row("k22", 9, PROSE)}
    fused = {1: 1.0, 2: 0.9, 3: 0.95}
    near = {1: 0.80, 2: 0.90, 3: None}  # row 3 has no heading
    shapes = PageShapes()

    def ranked(weights: PageWeights) -> dict[int, float]:
        return rank_pages(fused, rows, {"k22": 1.0}, tokens("who are its customers"),
                          lambda key: shapes.of(key, lambda d, p: PROSE), tokens, weights, frozenset(), near.get)

    on, off = ranked(PageWeights()), ranked(PageWeights(section=0.0))
    assert on[2] > on[1]  # the nearer heading (Item 1. Business) above the farther (Item 8.)
    assert on[1] == off[1] and on[3] == off[3]  # the least similar gains nothing; no heading, nothing


def test_section_headings_are_embedded_once_without_their_page_numbers() -> None:
    calls: list[list[str]] = []

    def embed(texts: list[str]) -> list[str]:
        calls.append(texts)
        return [f"v:{t}" for t in texts]

    sections = SectionVectors()
    assert sections.of("Item 11. Executive Compensation 142", embed) == "v:Item 11. Executive Compensation"
    assert sections.of("Item 11. Executive Compensation 64", embed) == "v:Item 11. Executive Compensation"
    assert sections.of("", embed) is None
    assert calls == [["Item 11. Executive Compensation"]]


def test_the_candidate_on_the_page_nearest_the_question_by_its_vectors_rises_within_the_routed_filing() -> None:
    rows = {1: _row("k22", 70, PROSE), 2: _row("k22", 12, PROSE), 3: _row("k22", 12, PROSE), 4: _row("k22", 30, PROSE),
            5: _row("other", 3, PROSE)}
    fused = {1: 1.0, 2: 0.9, 3: 0.5, 4: 0.95, 5: 0.9}
    sims = {1: 0.70, 2: 0.74, 3: 0.86, 5: 0.99}  # row 4 has no stored vector; row 5 is not routed
    asked: list[list[int]] = []

    def similarity(rowids: Sequence[int]) -> dict[int, float]:
        asked.append(sorted(rowids))
        return {r: sims[r] for r in rowids if r in sims}

    def ranked(weights: PageWeights, by_vectors: bool = True) -> dict[int, float]:
        return rank_pages(fused, rows, {"k22": 1.0}, tokens("legal proceedings"), lambda key: PageShape(0.0), tokens,
                          weights, frozenset(), None, similarity if by_vectors else None)

    on, off = ranked(PageWeights()), ranked(PageWeights(meaning=0.0))
    assert asked == [[1, 2, 3, 4]]  # the routed candidates only, once
    assert on[2] > on[1] and on[3] - off[3] == pytest.approx(on[2] - off[2])  # page 12 by its best chunk (row 3), all its chunks alike
    assert on[1] == off[1] and on[4] == off[4] and on[5] == off[5] == 0.9  # least similar, no vector, not routed: nothing
    assert ranked(PageWeights(), by_vectors=False) == off
