"""Chunk stage: section paths, page/section boundaries, spans, sentences, tables and ids."""

from __future__ import annotations

import hashlib
import re

import pytest

from app.core.types import Chunk, Element
from ingest.chunk import Chunked, chunk_document, layout_pages, sentence_spans

E = Element
_SENT_END = "。！？；!?;."


def words_and_han(text: str) -> int:
    """A stand-in for a model tokenizer: one token per ideograph and per Latin/digit word."""
    return len(re.findall(r"[\u4e00-\u9fff]", text)) + len(re.findall(r"[A-Za-z0-9]+", text))


def _check_spans(result: Chunked) -> None:
    """Every chunk indexes its own text in the page text (table continuations carry the header first)."""
    for c in result.chunks:
        assert c.page is not None  # layout puts page-less elements on page 1
        start, end = c.span
        body = result.page_texts[c.page][start:end]
        if c.text == body:
            continue
        header, _, rest = c.text.partition("\n")
        assert c.element_types == ("Table",), c
        assert rest == body, c
        page_lines = result.page_texts[c.page].split("\n")
        assert header in page_lines, c


POLICY = [
    E("第一章 总则", "Title", page=1, depth=0),
    E("第一条 目的", "Title", page=1, depth=1),
    E(
        "为规范管理，制定本办法。本办法适用于全行。各分行应当遵照执行！是否适用于子公司？适用。",
        "NarrativeText",
        page=1,
    ),
    E("第二条 定义", "Title", page=1, depth=1),
    E("本办法所称科技企业是指从事研发的企业。", "NarrativeText", page=1),
    E("本办法所称贷款是指流动资金贷款。", "NarrativeText", page=2),
    E("第二章 申请", "Title", page=2, depth=0),
    E("x" * 70, "NarrativeText", page=2),
    E(
        "表",
        "Table",
        page=2,
        rows=(("项目", "金额"), ("收入", "100"), ("成本", "50"), ("利润", "50"), ("税费", "10")),
    ),
]


@pytest.fixture
def policy() -> Chunked:
    return chunk_document("doc1", "办法", POLICY, len, 30)


def test_layout_pages_joins_elements_per_page() -> None:
    texts, spans = layout_pages(
        [
            E("甲", "Title", page=1),
            E("乙丙", "NarrativeText", page=1),
            E("t", "Table", page=2, rows=(("a", "b"), ("1", "2"))),
        ]
    )
    assert texts == {1: "甲\n乙丙", 2: "a | b\n1 | 2"}
    assert spans == [(1, 0, 1), (1, 2, 4), (2, 0, 11)]


def test_layout_pages_without_page_numbers_is_page_one() -> None:
    texts, spans = layout_pages([E("a", "NarrativeText"), E("b", "NarrativeText")])
    assert texts == {1: "a\nb"}
    assert spans == [(1, 0, 1), (1, 2, 3)]


def test_policy_chunks_exactly(policy: Chunked) -> None:
    got = [(c.position, c.page, c.section, c.element_types, c.span, c.text) for c in policy.chunks]
    assert got == [
        (
            0,
            1,
            "第一章 总则 > 第一条 目的",
            ("NarrativeText", "Title"),
            (0, 26),
            "第一章 总则\n第一条 目的\n为规范管理，制定本办法。",
        ),
        (
            1,
            1,
            "第一章 总则 > 第一条 目的",
            ("NarrativeText",),
            (26, 54),
            "本办法适用于全行。各分行应当遵照执行！是否适用于子公司？",
        ),
        (2, 1, "第一章 总则 > 第一条 目的", ("NarrativeText",), (54, 57), "适用。"),
        (
            3,
            1,
            "第一章 总则 > 第二条 定义",
            ("NarrativeText", "Title"),
            (58, 84),
            "第二条 定义\n本办法所称科技企业是指从事研发的企业。",
        ),
        (4, 2, "第一章 总则 > 第二条 定义", ("NarrativeText",), (0, 16), "本办法所称贷款是指流动资金贷款。"),
        # a 70-character run with no sentence end: three near-equal windows, the heading packed first
        (5, 2, "第二章 申请", ("NarrativeText", "Title"), (17, 48), "第二章 申请\n" + "x" * 24),
        (6, 2, "第二章 申请", ("NarrativeText",), (48, 72), "x" * 24),
        (7, 2, "第二章 申请", ("NarrativeText",), (72, 94), "x" * 22),
        (8, 2, "第二章 申请", ("Table",), (95, 127), "项目 | 金额\n收入 | 100\n成本 | 50\n利润 | 50"),
        (9, 2, "第二章 申请", ("Table",), (128, 135), "项目 | 金额\n税费 | 10"),
    ]
    assert all(c.doc_id == "doc1" for c in policy.chunks)


def test_embed_text_carries_title_and_section(policy: Chunked) -> None:
    assert (
        policy.chunks[1].embed_text
        == "办法 > 第一章 总则 > 第一条 目的\n本办法适用于全行。各分行应当遵照执行！是否适用于子公司？"
    )
    untitled = chunk_document("d", "", [E("Plain text.", "NarrativeText")], len, 30)
    assert untitled.chunks[0].embed_text == "Plain text."
    assert untitled.chunks[0].section == ""


def test_spans_index_page_text(policy: Chunked) -> None:
    _check_spans(policy)
    continuation = policy.chunks[9]
    start, end = continuation.span
    assert policy.page_texts[2][start:end] == "税费 | 10"


def test_section_paths_follow_heading_depth() -> None:
    els = [
        E("Intro text before any heading.", "NarrativeText"),
        E("A", "Title", depth=0),
        E("a text.", "NarrativeText"),
        E("A.1", "Title", depth=1),
        E("a1 text.", "NarrativeText"),
        E("A.1.x", "Title", depth=2),
        E("a1x text.", "NarrativeText"),
        E("A.2", "Title", depth=1),  # back up one level: A.1.x and A.1 are closed
        E("a2 text.", "NarrativeText"),
        E("B", "Title", depth=0),
        E("b text.", "NarrativeText"),
        E("B.deep", "Title", depth=5),  # a jump in depth just appends
        E("bd text.", "NarrativeText"),
    ]
    result = chunk_document("d", "T", els, len, 1000)
    assert [(c.section, c.text) for c in result.chunks] == [
        ("", "Intro text before any heading."),
        ("A", "A\na text."),
        ("A > A.1", "A.1\na1 text."),
        ("A > A.1 > A.1.x", "A.1.x\na1x text."),
        ("A > A.2", "A.2\na2 text."),
        ("B", "B\nb text."),
        ("B > B.deep", "B.deep\nbd text."),
    ]
    _check_spans(result)


def test_heading_directly_under_heading_is_carried_into_the_subsection() -> None:
    els = [E("第一章", "Title", depth=0), E("第一节", "Title", depth=1), E("正文。", "NarrativeText")]
    result = chunk_document("d", "", els, len, 100)
    assert [(c.section, c.text, c.element_types) for c in result.chunks] == [
        ("第一章 > 第一节", "第一章\n第一节\n正文。", ("NarrativeText", "Title")),
    ]


def test_long_title_is_treated_as_text() -> None:
    long_title = "标" * 250
    els = [E("短标题", "Title"), E(long_title, "Title"), E("正文。", "NarrativeText")]
    result = chunk_document("d", "", els, len, 1000)
    assert {c.section for c in result.chunks} == {"短标题"}


def test_chunks_never_cross_pages_or_sections() -> None:
    els = []
    for page in (1, 2, 3):
        els.append(E(f"Section {page}", "Title", page=page))
        els += [E(f"Page {page} sentence {i}.", "NarrativeText", page=page) for i in range(3)]
    els.append(E("Tail on page three continues section three.", "NarrativeText", page=3))
    result = chunk_document("d", "", els, len, 10_000)  # a budget large enough to merge everything
    assert [(c.page, c.section) for c in result.chunks] == [
        (1, "Section 1"),
        (2, "Section 2"),
        (3, "Section 3"),
    ]
    same_section = chunk_document(
        "d",
        "",
        [E("S", "Title", page=1), E("one.", "NarrativeText", page=1), E("two.", "NarrativeText", page=2)],
        len,
        10_000,
    )
    assert [(c.page, c.section, c.text) for c in same_section.chunks] == [
        (1, "S", "S\none."),
        (2, "S", "two."),
    ]
    _check_spans(result)
    _check_spans(same_section)


def test_chinese_sentences_are_not_cut_when_they_fit() -> None:
    sentences = [
        "科技型中小企业可以申请知识产权质押贷款。",
        "贷款额度最高为一千万元！",
        "期限是否可以超过三年？",
        "原则上不超过三年；",
        "特殊情况须经总行审批。",
        "审批结果将在十个工作日内通知申请人。",
    ]
    para = "".join(sentences)
    result = chunk_document("d", "", [E(para, "NarrativeText")], words_and_han, 25)
    texts = [c.text for c in result.chunks]
    assert texts == [
        "科技型中小企业可以申请知识产权质押贷款。",
        "贷款额度最高为一千万元！期限是否可以超过三年？",
        "原则上不超过三年；特殊情况须经总行审批。",
        "审批结果将在十个工作日内通知申请人。",
    ]
    assert all(words_and_han(t) <= 25 and t[-1] in _SENT_END for t in texts)
    assert "".join(texts) == para
    _check_spans(result)


def test_english_sentences_are_packed_whole() -> None:
    para = (
        "Startups apply online. The bank reviews patents and revenue. Approval takes ten days. Funds follow."
    )
    result = chunk_document("d", "", [E(para, "NarrativeText")], words_and_han, 8)
    assert [c.text for c in result.chunks] == [
        "Startups apply online.",
        "The bank reviews patents and revenue.",
        "Approval takes ten days. Funds follow.",
    ]
    _check_spans(result)


def test_sentence_spans() -> None:
    text = "First sentence. Second one! 第三句。第四句；第五句？“引号。”后面\n下一行"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "First sentence.",
        "Second one!",
        "第三句。",
        "第四句；",
        "第五句？",
        "“引号。”",
        "后面",
        "下一行",
    ]


def test_over_long_sentence_is_split_into_windows_under_budget() -> None:
    sentence = "科技企业贷款" * 20 + "。"  # 121 characters, no break inside
    result = chunk_document(
        "d", "", [E("前言。", "NarrativeText", page=1), E(sentence, "NarrativeText", page=2)], len, 30
    )
    texts = [c.text for c in result.chunks]
    assert texts[0] == "前言。"
    windows = texts[1:]
    assert {c.page for c in result.chunks[1:]} == {2}
    assert [len(t) for t in windows] == [25, 25, 25, 25, 21]  # 121 chars, budget 30: 5 near-equal windows
    assert all(len(t) <= 30 for t in windows)
    assert "".join(windows) == sentence
    _check_spans(result)


def test_over_long_english_sentence_with_token_counter() -> None:
    sentence = " ".join(f"word{i}" for i in range(100)) + "."
    result = chunk_document("d", "", [E(sentence, "NarrativeText")], words_and_han, 20)
    assert len(result.chunks) == 5
    assert all(words_and_han(c.text) <= 20 for c in result.chunks)
    assert all(c.text.endswith((" ", ".")) for c in result.chunks)  # cut between words
    assert "".join(c.text for c in result.chunks) == sentence
    _check_spans(result)


def test_over_long_mixed_script_sentence_windows_stay_under_budget() -> None:
    sentence = "中" * 100 + " abcdefghij" * 10
    result = chunk_document("d", "", [E(sentence, "NarrativeText")], words_and_han, 30)
    assert max(words_and_han(c.text) for c in result.chunks) <= 30


def test_table_becomes_row_groups_with_the_header() -> None:
    rows = (("Item", "FY2023", "FY2024"),) + tuple((f"line{i}", str(i), str(i * 2)) for i in range(1, 8))
    els = [
        E("Financials", "Title"),
        E("Figures in RMB million.", "NarrativeText"),
        E("table", "Table", rows=rows),
        E("Notes follow the table.", "NarrativeText"),
    ]
    result = chunk_document("d", "", els, words_and_han, 10)  # header = 3 tokens, each row = 3 tokens
    header = "Item | FY2023 | FY2024"
    table_chunks = [c for c in result.chunks if c.element_types == ("Table",)]
    assert [c.text.split("\n") for c in table_chunks] == [
        [header, "line1 | 1 | 2", "line2 | 2 | 4"],
        [header, "line3 | 3 | 6", "line4 | 4 | 8"],
        [header, "line5 | 5 | 10", "line6 | 6 | 12"],
        [header, "line7 | 7 | 14"],
    ]
    # table groups are chunks of their own: the text around them is not packed in
    assert [c.text for c in result.chunks if c.element_types != ("Table",)] == [
        "Financials\nFigures in RMB million.",
        "Notes follow the table.",
    ]
    assert all(c.section == "Financials" for c in result.chunks)
    _check_spans(result)
    first = table_chunks[0]
    assert result.page_texts[1][first.span[0] : first.span[1]] == first.text  # first group: header in place


def test_small_table_is_one_chunk() -> None:
    rows = (("项目", "金额"), ("收入", "100"))
    result = chunk_document("d", "", [E("t", "Table", rows=rows)], len, 100)
    assert [(c.text, c.span, c.element_types) for c in result.chunks] == [
        ("项目 | 金额\n收入 | 100", (0, 16), ("Table",))
    ]


def _ids(result: Chunked) -> list[str]:
    return [c.id for c in result.chunks]


def test_chunk_ids_are_deterministic_and_positional() -> None:
    els = [
        E("A", "Title", page=1),
        E("Intro.", "NarrativeText", page=1),
        E("Same paragraph text.", "NarrativeText", page=2),
        E("Same paragraph text.", "NarrativeText", page=3),
        E("Same paragraph text.", "Table", page=4, rows=(("Same paragraph text.",),)),
    ]
    first = chunk_document("doc-1", "", els, len, 20)
    again = chunk_document("doc-1", "", els, len, 20)
    other_doc = chunk_document("doc-2", "", els, len, 20)
    assert _ids(first) == _ids(again)
    assert len(set(_ids(first))) == len(first.chunks)
    assert set(_ids(first)).isdisjoint(_ids(other_doc))
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in _ids(first))
    texts = [c.text for c in first.chunks]
    assert texts == [
        "A\nIntro.",
        *["Same paragraph text."] * 3,
    ]  # same text, different position, different id
    assert [c.position for c in first.chunks] == list(range(len(first.chunks)))


def test_chunk_id_value_is_stable() -> None:
    result = chunk_document("doc-1", "", [E("Hello.", "NarrativeText")], len, 20)
    c: Chunk = result.chunks[0]
    assert c.id == hashlib.sha256(b"doc-1\x000\x00Hello.").hexdigest()[:32]


def test_empty_document_has_no_chunks() -> None:
    result = chunk_document("d", "T", [], len, 20)
    assert result.chunks == ()
    assert result.page_texts == {}
