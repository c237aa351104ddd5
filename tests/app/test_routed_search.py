"""Routing as a stage of hybrid search, through the real ingest and retriever (hashing embedder):
files named by hash, covers that say who and when; the named company's filing for the asked year wins,
metadata filters narrow, an unknown company falls back to plain hybrid search."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.adapters.embedder import HashingEmbedder
from app.adapters.kb import KnowledgeBase
from app.core.retrieve import Filters
from app.core.routed_search import ScopedDense
from app.core.types import Principal
from app.settings import Settings
from app.wiring import Deps
from ingest.pipeline import Ingestor, Target

ADMIN = Principal("public", "admin")


def _filing(name: str, year: int, ein: str, body: str) -> str:
    return (f"UNITED STATES SECURITIES AND EXCHANGE COMMISSION\nFORM 10-K\n"
            f"ANNUAL REPORT PURSUANT TO SECTION 13 OR 15(d) OF THE SECURITIES EXCHANGE ACT OF 1934\n"
            f"For the fiscal year ended December 31, {year}\nCommission File Number 001-0000\n{name}\n"
            f"(Exact name of registrant as specified in its charter)\nDelaware {ein}\n"
            f"(I.R.S. Employer Identification No.)\n\n{body}\n")


BODY = "Net cash provided by operating activities was {} million, driven by working capital."
OTHER = {  # each filing's own business, so no two filings are near-duplicates
    2021: "The company opened warehouses in Ohio and Texas and hired drivers for its regional fleet.",
    2022: "A new loyalty programme launched online; marketing spend shifted to digital channels.",
    1: "Contoso sells industrial sensors to utilities and maintains a research lab in Oslo.",
    2: "Fabrikam weaves technical textiles for aerospace customers in Europe and Asia.",
}


@pytest.fixture
def deps(settings: Settings, tmp_path: Path) -> Deps:
    files = {
        "a1.txt": _filing("Northwind Traders, Inc.", 2021, "11-1111111", OTHER[2021] + "\n" + BODY.format("1,100")),
        "a2.txt": _filing("Northwind Traders, Inc.", 2022, "11-1111111", OTHER[2022] + "\n" + BODY.format("1,200")),
        "b1.txt": _filing("Contoso Holdings Corporation", 2022, "22-2222222", OTHER[1] + "\n" + BODY.format("9,900")),
        "c1.txt": _filing("Fabrikam Industries plc", 2022, "33-3333333", OTHER[2] + "\n" + BODY.format("5,500")),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    embedder = HashingEmbedder()
    Ingestor(settings, KnowledgeBase(settings), embedder).run([tmp_path / n for n in files], Target())
    return Deps(settings=settings, kb=KnowledgeBase(settings), embedder=embedder)


def test_company_and_period_route_to_the_right_filing(deps: Deps) -> None:
    hits, route = deps.retriever().search_routed("What was Northwind Traders' operating cash flow in FY2021?", ADMIN, k=5)  # the other year's cover may come third (its page as near by the vectors)
    assert route.applied == "company+period" and route.companies == ("Northwind Traders, Inc.",)
    assert "1,100" in next(h for h in hits if "operating activities" in h.text).text
    assert (hits[0].company, hits[0].doc_type, hits[0].period) == ("Northwind Traders, Inc.", "annual_report", "FY2021")


def test_unknown_company_degrades_to_plain_hybrid(deps: Deps) -> None:
    hits, route = deps.retriever().search_routed("What was Sonic Automotive's operating cash flow?", ADMIN, k=3)
    assert route.applied == "none"
    assert len(hits) == 3  # the whole index, not nothing


def test_metadata_filters(deps: Deps) -> None:
    retriever = deps.retriever()
    hits = retriever.search("operating activities", ADMIN, k=10, filters=Filters(company="Contoso"))
    assert {h.company for h in hits} == {"Contoso Holdings Corporation"}
    hits = retriever.search("operating activities", ADMIN, k=10, filters=Filters(period="FY2021"))
    assert {h.period for h in hits} == {"FY2021"}
    hits = retriever.search("operating activities", ADMIN, k=10, filters=Filters(doc_type="10-K", company="Fabrikam"))
    assert hits and all("5,500" in h.text or h.company == "Fabrikam Industries plc" for h in hits)
    assert retriever.search("operating activities", ADMIN, k=10, filters=Filters(company="Nobody Corp")) == []


def test_scoped_dense_search_returns_the_k_best_in_order() -> None:
    rng = np.random.default_rng(3)
    matrix = rng.standard_normal((200, 8)).astype(np.float32)
    ids = np.arange(1000, 1200, dtype=np.int64)
    scoped = ScopedDense(ids, matrix)
    query = rng.standard_normal((1, 8)).astype(np.float32)
    full = np.argsort(-(matrix @ query[0]))
    scores, found = scoped.search(query, 7)
    assert found[0].tolist() == ids[full[:7]].tolist()
    assert np.all(np.diff(scores[0]) <= 0)
    assert len(scoped.search(query, 500)[1][0]) == 200  # never more than it holds


def test_router_scores_routed_pages_by_their_stored_vectors_without_another_model_call() -> None:
    from types import SimpleNamespace

    from app.core.page_rank import PageWeights
    from app.core.routed_search import Router
    from app.core.routing import EntityIndex, Route
    from app.core.tokenize import tokens

    vectors = {1: np.array([1.0, 0.0], np.float32), 2: np.array([0.0, 1.0], np.float32)}
    embedded: list[list[str]] = []

    class Embedder:
        def embed_query(self, texts: list[str]) -> np.ndarray:
            embedded.append(texts)
            return np.array([[0.0, 1.0]], np.float32)

    router = Router(EntityIndex.build([]), lambda doc: [1, 2], lambda ids: {i: vectors[i] for i in ids if i in vectors},
                    pages=PageWeights(table=0, proximity=0, statement=0, section=0))
    retriever = SimpleNamespace(embedder=Embedder(), index=object(), tokenize=tokens, lookup=SimpleNamespace(page_text=lambda d, p: "prose"),
                                fusion=SimpleNamespace(dense=2.0, dense_cjk=0.0))
    rows = {1: {"doc_id": "k22", "page": 3, "text": "a", "section": ""}, 2: {"doc_id": "k22", "page": 9, "text": "b", "section": ""}}
    route = Route(applied="company", weights={"k22": 1.0}, confidence=1.0)
    out = router.rank_pages(retriever, route, {1: 1.0, 2: 0.9}, rows, "who are its customers")
    assert out[2] > out[1] == 1.0 and embedded == [["who are its customers"]]
    # a Chinese question the dense ranker does not read (its weight 0) gains nothing from the vectors
    assert router.rank_pages(retriever, route, {1: 1.0, 2: 0.9}, rows, "主要客户是谁") == {1: 1.0, 2: 0.9}
