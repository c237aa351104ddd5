"""Tenant isolation inside retrieval, through the core retriever, the HTTP API and LangChain."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from langchain_core.runnables import RunnableLambda

from app.adapters.embedder import HashingEmbedder
from app.adapters.kb import KnowledgeBase
from app.adapters.keys import KeyStore
from app.adapters.langchain_retriever import SmeRetriever
from app.api.app import create_app
from app.core.retrieve import Filters
from app.core.types import Principal
from app.settings import Settings
from app.wiring import Deps
from ingest.pipeline import Ingestor, Target

SECRET_A = "Aurora Innovation's confidential 2024 cash flow forecast shows a shortfall of RMB 3.2 million in Q3."
SECRET_B = "Borealis Robotics plans to lay off 40 engineers after its failed Series C round in Hangzhou."
PUBLIC = "The IP-pledge loan programme accepts invention patents as collateral for technology SMEs."


@pytest.fixture
def world(settings: Settings, tmp_path: Path) -> Deps:
    embedder = HashingEmbedder()
    kb = KnowledgeBase(settings)
    ingestor = Ingestor(settings, kb, embedder)
    for name, text, target in [
        ("a.txt", SECRET_A, Target("enterprise", "bank-a", "aurora")),
        ("b.txt", SECRET_B, Target("enterprise", "bank-b", "borealis")),
        ("p.txt", PUBLIC, Target("credit")),
    ]:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        assert ingestor.run([path], target).counts == {"indexed": 1}
    return Deps(settings=settings, kb=KnowledgeBase(settings), embedder=embedder)


def _tenants(hits) -> set[str]:  # type: ignore[no-untyped-def]
    return {h.tenant for h in hits}


@pytest.mark.parametrize("query", [SECRET_A, "Aurora confidential cash flow forecast shortfall", "aurora"])
def test_other_tenants_text_never_reaches_a_principal(world: Deps, query: str) -> None:
    retriever = world.retriever()
    hits_b = retriever.search(query, Principal("bank-b", "rm"), k=50)
    assert "bank-a" not in _tenants(hits_b)
    assert _tenants(hits_b) <= {"bank-b", "public"}
    filtered = retriever.search(query, Principal("bank-b", "rm"), k=50, filters=Filters(enterprise_id="aurora"))
    assert filtered == []
    assert retriever.search(query, Principal("bank-a", "rm"), k=3)[0].tenant == "bank-a"


def test_admin_sees_every_tenant(world: Deps) -> None:
    hits = world.retriever().search("engineers cash patents", Principal("ops", "admin"), k=10)
    assert _tenants(hits) == {"bank-a", "bank-b", "public"}


@pytest.fixture
def api(world: Deps, settings: Settings) -> Iterator[tuple[TestClient, dict[str, str], dict[str, str]]]:
    keys = KeyStore(settings.keys_path)
    key_a, _ = keys.create("bank-a", "rm")
    key_b, _ = keys.create("bank-b", "rm")
    with TestClient(create_app(settings, world)) as client:
        yield client, {"Authorization": f"Bearer {key_a}"}, {"Authorization": f"Bearer {key_b}"}


def test_search_endpoint_never_leaks_across_tenants(api) -> None:  # type: ignore[no-untyped-def]
    client, auth_a, auth_b = api
    for query in (SECRET_A, "Aurora cash flow forecast"):
        for filters in ({}, {"enterprise_id": "aurora"}, {"kind": "enterprise"}):
            body = client.post("/v1/search", json={"query": query, "k": 100, "filters": filters}, headers=auth_b).json()
            assert all("Aurora" not in h["text"] for h in body["hits"]), body
    mine = client.post("/v1/search", json={"query": SECRET_A, "k": 1}, headers=auth_a).json()["hits"]
    assert mine[0]["text"] == SECRET_A


def test_langchain_retriever_composes_and_keeps_isolation(world: Deps) -> None:
    lc = SmeRetriever(retriever=world.retriever(), principal=Principal("bank-b", "rm"), k=5)
    chain = lc | RunnableLambda(lambda docs: [(d.metadata["doc_id"], d.metadata["page"], d.page_content) for d in docs])
    rows = chain.invoke(SECRET_A)
    assert rows and all("Aurora" not in text for _, _, text in rows)
    own = SmeRetriever(retriever=world.retriever(), principal=Principal("bank-a", "rm"), k=1).invoke(SECRET_A)
    assert own[0].page_content == SECRET_A and own[0].metadata["page"] == 1
