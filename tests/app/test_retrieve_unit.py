"""Retriever logic with fakes: fusion, filters, reranking, grouping, named documents."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from app.adapters.embedder import HashingEmbedder
from app.adapters.kb import KnowledgeBase
from app.core.dense_lists import calibrated
from app.core.errors import InputError
from app.core.names import NameIndex
from app.core.retrieve import Filters, dense_text, group_by_document
from app.core.types import Principal
from app.settings import Settings
from app.wiring import Deps
from ingest.pipeline import Ingestor, Target

ADMIN = Principal("public", "admin")


@pytest.fixture
def deps(settings: Settings, tmp_path: Path) -> Deps:
    docs = {
        "ADOBE_2022Q2_10Q.txt": "Revenue for the quarter was 4,386 million. Subscription revenue grew 14 percent.",
        "BESTBUY_2024Q2_10Q.txt": "Revenue for the quarter was 9,583 million. Domestic stores numbered 907.",
        "notes.txt": "General notes about revenue recognition policies for software subscriptions.",
    }
    for name, text in docs.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    embedder = HashingEmbedder()
    Ingestor(settings, KnowledgeBase(settings), embedder).run([tmp_path / n for n in docs], Target())
    return Deps(settings=settings, kb=KnowledgeBase(settings), embedder=embedder)


def test_named_company_documents_are_preferred(deps: Deps) -> None:
    hits = deps.retriever().search("What was Best Buy revenue for the quarter?", ADMIN, k=3)
    assert "BESTBUY" in hits[0].source
    hits = deps.retriever().search("What was Adobe's revenue for the quarter?", ADMIN, k=3)
    assert "ADOBE" in hits[0].source


def test_name_index_ignores_generic_title_words() -> None:
    names = NameIndex.build([("a", "Annual Report", "x/ACME_10Q.pdf"), ("b", "Annual Report", "x/ZETA_10Q.pdf"),
                             ("c", "Annual Report", "x/OMEGA_10Q.pdf"), ("d", "Annual Report", "x/RHO.pdf")])
    assert names.documents_named_in("acme annual report") == {"a"}
    assert names.documents_named_in("the annual report") == set()


def test_reranker_reorders_the_head(deps: Deps) -> None:
    retriever = deps.retriever()
    retriever.rerank = lambda q, texts: [1.0 if "recognition" in t else 0.0 for t in texts]
    hits = retriever.search("revenue", ADMIN, k=2)
    assert "recognition" in hits[0].text


def test_filters_and_bad_arguments(deps: Deps) -> None:
    retriever = deps.retriever()
    only = retriever.search("revenue", ADMIN, k=5, filters=Filters(doc_id=retriever.search("Adobe", ADMIN, 1)[0].doc_id))
    assert {h.source.rsplit("/", 1)[-1] for h in only} == {"ADOBE_2022Q2_10Q.txt"}
    assert retriever.search("revenue", ADMIN, k=5, filters=Filters(kind="policy")) == []
    with pytest.raises(InputError, match="query is empty"):
        retriever.search("  ", ADMIN)
    with pytest.raises(InputError, match="k must be between 1 and 100"):
        retriever.search("revenue", ADMIN, k=0)


def test_validity_dates_exclude_expired_unless_asked() -> None:
    row = {"kind": "policy", "tenant": "public", "enterprise_id": None, "doc_id": "d", "lang": "zh-Hans",
           "issuer": "深圳市科技创新局", "jurisdiction": "中国>广东省>深圳市", "valid_from": "2020-01-01",
           "valid_to": "2022-12-31"}
    assert not Filters(valid_on=date(2024, 1, 1)).accepts(row)
    assert Filters(valid_on=date(2024, 1, 1), include_expired=True).accepts(row)
    assert Filters(valid_on=date(2021, 6, 1), jurisdiction="深圳市", issuer="科技创新局").accepts(row)
    assert not Filters(valid_on=date(2021, 6, 1), jurisdiction="上海市").accepts(row)


def test_group_by_document_keeps_best_first(deps: Deps) -> None:
    hits = deps.retriever().search("revenue quarter", ADMIN, k=10)
    groups = group_by_document(hits)
    assert [g[0] for g in groups] == sorted([g[0] for g in groups], key=lambda h: -h.score)
    assert sum(len(g) for g in groups) == len(hits)


def test_calibrated_merge_ranks_by_how_far_each_passage_stands_out_in_its_language() -> None:
    # the query's language scores higher across the board; the other language's best stands out more
    own = [(1, 0.86), (2, 0.85), (3, 0.84), (4, 0.83)]
    other = [(10, 0.80), (11, 0.70), (12, 0.69), (13, 0.68)]
    merged = calibrated(own, other)
    assert [i for i, _ in merged][:2] == [10, 1]
    assert sorted(i for i, _ in merged) == [1, 2, 3, 4, 10, 11, 12, 13]


def test_calibrated_merge_keeps_a_flat_or_single_list_in_order() -> None:
    assert [i for i, _ in calibrated([(5, 0.9)], [])] == [5]
    assert [s for _, s in calibrated([(5, 0.5), (6, 0.5)])] == [0.0, 0.0]


def test_dense_search_asks_the_index_for_the_callers_tenants_only(deps: Deps) -> None:
    retriever = deps.retriever()
    asked: list[object] = []
    index = retriever.index
    assert index is not None

    class Recording:
        size = index.size

        def search(self, query, k, tenants=None):  # type: ignore[no-untyped-def]
            asked.append(tenants)
            return index.search(query, k, tenants=tenants)

    replace(retriever, index=Recording()).search("quarter revenue", Principal("bank-a", "rm"), k=3)
    replace(retriever, index=Recording()).search("quarter revenue", ADMIN, k=3)
    assert asked[0] == {"public", "bank-a"} and asked[-1] is None  # an admin reads every tenant


def test_dense_text_adds_glossary_terms_for_an_english_only_model_only() -> None:
    expansions = ["high-tech enterprise", "高新技术企业认定", "HNTE"]
    assert dense_text("高企认定条件", expansions) == "高企认定条件 high-tech enterprise HNTE"
    assert dense_text("高企认定条件", expansions, multilingual=True) == "高企认定条件"


def test_a_multilingual_model_embeds_the_question_as_asked(deps: Deps) -> None:
    """The chat's intent router embeds the bare question: the retriever asking for the same text is
    what lets the memo answer it, one model pass per chat turn."""
    retriever = deps.retriever()
    inner = retriever.embedder
    texts: list[str] = []

    class Multilingual:
        multilingual = True
        dim = inner.dim

        def embed_query(self, batch):  # type: ignore[no-untyped-def]
            texts.extend(batch)
            return inner.embed_query(batch)

    question = "What was the quarter's revenue?"
    assert retriever.glossary.expansions(question)  # the glossary has terms for it, left out of the vector
    replace(retriever, embedder=Multilingual()).search(question, ADMIN, k=3)
    assert texts == [question]


class _Pages:
    """A lookup of page texts (the chunk rows are given directly)."""

    def __init__(self, texts: dict[tuple[str, int], str]) -> None:
        self.texts = texts

    def hits(self, rowids: Sequence[int]) -> Mapping[int, Any]:
        return {}

    def page_text(self, doc_id: str, page: int) -> str | None:
        return self.texts.get((doc_id, page))


def test_routed_reranking_reads_whole_pages_and_keeps_each_page_together(deps: Deps) -> None:
    pages = {("d", 1): "Revenue by segment " * 5, ("d", 2): "Our customers are airlines and governments. " * 3,
             ("d", 3): "Legal proceedings", ("d", 4): "Customers again, but below the reranked pages"}
    retriever = replace(deps.retriever(), lookup=_Pages(pages), rerank_pages=3, rerank_page_chars=40,
                        rerank_page_weight=1.0)
    read: list[str] = []

    def rerank(query: str, texts: list[str]) -> list[float]:
        read.extend(texts)
        return [1.0 if "customers" in t else 0.0 for t in texts]

    retriever.rerank = rerank
    rows = {1: {"doc_id": "d", "page": 1, "text": "a"}, 2: {"doc_id": "d", "page": 1, "text": "b"},
            3: {"doc_id": "d", "page": 2, "text": "c"}, 4: {"doc_id": "d", "page": 3, "text": "d"},
            5: {"doc_id": "d", "page": 2, "text": "e"}, 6: {"doc_id": "d", "page": 4, "text": "f"}}
    fused = {1: 0.9, 2: 0.8, 3: 0.7, 4: 0.6, 5: 0.5, 6: 0.4}
    order = retriever._rerank_pages("who are the customers", sorted(fused, key=lambda r: -fused[r]), fused, rows)  # type: ignore[arg-type]
    # each page read once, cut at rerank_page_chars; page 4 is beyond the reranked pages
    assert read == [pages["d", 1][:40], pages["d", 2][:40], "Legal proceedings"]
    assert order == [3, 5, 1, 2, 4, 6]  # page 2's chunks together, in their order; page 4 stays below
    assert [fused[r] for r in order] == sorted((fused[r] for r in order), reverse=True)
    assert min(fused[r] for r in (1, 2, 3, 4, 5)) >= 1 > fused[6]


def test_routed_reranking_at_weight_zero_keeps_the_hybrid_order(deps: Deps) -> None:
    retriever = replace(deps.retriever(), lookup=_Pages({}), rerank=lambda q, t: [float(len(x)) for x in t],
                        rerank_page_weight=0.0)
    rows = {r: {"doc_id": "d", "page": r, "text": "x" * r} for r in range(1, 6)}
    fused = {r: 1.0 / r for r in rows}
    assert retriever._rerank_pages("q", sorted(fused, key=lambda r: -fused[r]), fused, rows) == [1, 2, 3, 4, 5]  # type: ignore[arg-type]
