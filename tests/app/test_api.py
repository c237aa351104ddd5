"""The HTTP API with the real app factory: auth, search, errors, health and metrics."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.adapters.embedder import HashingEmbedder
from app.adapters.kb import KnowledgeBase
from app.adapters.keys import KeyStore
from app.api.app import create_app
from app.settings import Settings
from app.wiring import Deps
from ingest.pipeline import Ingestor, Target
from tests.conftest import CORPUS


@pytest.fixture
def client(settings: Settings) -> Iterator[tuple[TestClient, dict[str, str]]]:
    embedder = HashingEmbedder()
    Ingestor(settings, KnowledgeBase(settings), embedder).run([CORPUS / "overview.md", CORPUS / "report.pdf"], Target())
    keys = KeyStore(settings.keys_path)
    key, _ = keys.create("bank-a", "rm")
    deps = Deps(settings=settings, kb=KnowledgeBase(settings), embedder=embedder)
    with TestClient(create_app(settings, deps)) as c:
        yield c, {"Authorization": f"Bearer {key}"}


def test_search_returns_cited_hits(client) -> None:  # type: ignore[no-untyped-def]
    c, auth = client
    r = c.post("/v1/search", json={"query": "research and development expense", "k": 2}, headers=auth)
    assert r.status_code == 200
    hits = r.json()["hits"]
    assert len(hits) == 2
    assert hits[0]["page"] == 3 and "Research and development expense" in hits[0]["text"]
    assert set(hits[0]) >= {"chunk_id", "doc_id", "title", "text", "page", "section", "score", "snippet"}


@pytest.mark.parametrize(
    ("headers", "message"),
    [({}, "missing bearer API key"), ({"Authorization": "Bearer nope"}, "malformed API key"),
     ({"Authorization": "Bearer sme_0123456789ab_" + "x" * 43}, "invalid or revoked API key")],
)
def test_requests_without_a_valid_key_get_401(client, headers: dict[str, str], message: str) -> None:  # type: ignore[no-untyped-def]
    c, _ = client
    r = c.post("/v1/search", json={"query": "revenue"}, headers=headers)
    assert r.status_code == 401
    assert r.json()["error"]["message"].startswith(message)


def test_revoked_key_is_refused(client, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    c, auth = client
    key_id = auth["Authorization"].split("_")[1]
    assert c.post("/v1/search", json={"query": "revenue"}, headers=auth).status_code == 200
    KeyStore(settings.keys_path).revoke(key_id)
    assert c.post("/v1/search", json={"query": "revenue"}, headers=auth).status_code == 401


@pytest.mark.parametrize(
    "body", [{"query": ""}, {"query": "x", "k": 0}, {"query": "x", "k": 1000}, {"query": "x", "bogus": 1},
             {"query": "x", "filters": {"kind": "nope"}}, {"query": 5}, []],
)
def test_bad_search_bodies_get_json_4xx(client, body: object) -> None:  # type: ignore[no-untyped-def]
    c, auth = client
    r = c.post("/v1/search", json=body, headers=auth)
    assert 400 <= r.status_code < 500
    assert set(r.json()["error"]) == {"code", "message"}


def test_health_metrics_and_openapi(client, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    c, auth = client
    assert c.get("/healthz").json() == {"status": "ok"}
    assert c.get("/readyz").json() == {"status": "ready"}
    c.post("/v1/search", json={"query": "revenue"}, headers=auth)
    admin, _ = KeyStore(settings.keys_path).create("ops", "admin")
    metrics = c.get("/metrics", headers={"Authorization": f"Bearer {admin}"}).text
    assert "sme_http_requests_total" in metrics
    assert float(re.search(r"^sme_index_vectors (\S+)", metrics, re.MULTILINE).group(1)) > 0  # type: ignore[union-attr]
    assert "/v1/search" in c.get("/openapi.json").json()["paths"]


def test_keys_are_stored_hashed(settings: Settings) -> None:
    key, record = KeyStore(settings.keys_path).create("bank-b", "admin")
    stored = settings.keys_path.read_text()
    assert key not in stored and key.split("_", 2)[2] not in stored  # the secret may itself contain "_"
    assert record.digest in stored
    assert oct(settings.keys_path.stat().st_mode & 0o777) == "0o600"
