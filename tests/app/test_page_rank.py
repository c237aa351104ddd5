"""Ranking the pages inside routed documents: a page of figure rows and a chunk holding the question's
word pairs together rise within the routed filing; other documents and unrouted searches are left
as they were."""

from __future__ import annotations

from app.core.page_rank import (
    PageShapes,
    PageWeights,
    proximity,
    rank_pages,
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
    out = rank_pages(fused, rows, {"k22": 1.0, "k21": 0.5}, tokens("operating activities"), lambda key: 0.8, tokens, PageWeights())
    assert out[1] > out[2] > 1.0
    assert rank_pages(fused, rows, {"k22": 1.0}, tokens("operating activities"), lambda key: 0.8, tokens,
                      PageWeights(table=0, proximity=0)) == fused


def test_page_shapes_read_each_page_once() -> None:
    reads: list[tuple[str, int]] = []

    def page_text(doc: str, page: int) -> str:
        reads.append((doc, page))
        return STATEMENT

    shapes = PageShapes()
    assert shapes.of(("d", 1), page_text) == shapes.of(("d", 1), page_text) == 0.8
    assert reads == [("d", 1)]
