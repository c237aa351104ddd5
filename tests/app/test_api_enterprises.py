"""POST /v1/profile and GET /v1/enterprises through the real app: uploads ingested as the tenant's
enterprise documents, profiles with page provenance, tenant isolation, clear 4xx errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.adapters.embedder import HashingEmbedder
from app.adapters.kb import KnowledgeBase
from app.adapters.keys import KeyStore
from app.api.app import create_app
from app.settings import Settings
from app.wiring import Deps

AURORA = Path(__file__).resolve().parents[1] / "fixtures" / "enterprises" / "aurora"


@pytest.fixture
def api(settings: Settings) -> Iterator[tuple[TestClient, dict[str, dict[str, str]]]]:
    keys = KeyStore(settings.keys_path)
    auth = {t: {"Authorization": f"Bearer {keys.create(t, role)[0]}"}
            for t, role in (("bank-a", "rm"), ("bank-b", "rm"), ("ops", "admin"))}
    deps = Deps(settings=settings, kb=KnowledgeBase(settings), embedder=HashingEmbedder())
    with TestClient(create_app(settings, deps)) as c:
        yield c, auth


def _upload(c: TestClient, auth: dict[str, str], *names: str) -> dict:
    files = [("files", (n, (AURORA / n).read_bytes())) for n in names]
    r = c.post("/v1/profile", files=files, data={"enterprise_id": "aurora"}, headers=auth)
    assert r.status_code == 200, r.text
    return r.json()


def test_uploaded_files_become_a_stored_profile_with_page_sources(api) -> None:  # type: ignore[no-untyped-def]
    c, auth = api
    body = _upload(c, auth["bank-a"], "business_plan.docx", "financials.xlsx")
    assert body["ingest"]["counts"]["indexed"] == 2
    revenue = body["fields"]["revenue"]
    assert revenue["value"] == 120_800_000 and revenue["conflict"] is True
    assert revenue["source"]["page"] == 1 and revenue["source"]["source_type"] == "financial_statement"
    assert body["name"] == "深圳极光智能科技有限公司" and body["industry"]["label"]
    stored = c.get("/v1/enterprises/aurora", headers=auth["bank-a"]).json()
    assert stored["fields"]["revenue"] == revenue and stored["updated_at"]
    listed = c.get("/v1/enterprises", headers=auth["bank-a"]).json()["enterprises"]
    assert listed == [{"enterprise_id": "aurora", "name": "深圳极光智能科技有限公司"}]


def test_a_second_upload_adds_to_the_same_enterprise(api) -> None:  # type: ignore[no-untyped-def]
    c, auth = api
    _upload(c, auth["bank-a"], "business_plan.docx")
    first = c.get("/v1/enterprises/aurora", headers=auth["bank-a"]).json()["fields"]["revenue"]
    assert (first["value"], first["conflict"]) == (130_000_000, False)
    again = _upload(c, auth["bank-a"], "financials.xlsx")
    assert again["fields"]["revenue"]["value"] == 120_800_000 and again["fields"]["revenue"]["conflict"] is True


def test_other_tenants_cannot_read_the_profile_admins_can(api) -> None:  # type: ignore[no-untyped-def]
    c, auth = api
    _upload(c, auth["bank-a"], "business_plan.docx")
    assert c.get("/v1/enterprises/aurora", headers=auth["bank-b"]).status_code == 404
    assert c.get("/v1/enterprises/aurora?tenant=bank-a", headers=auth["bank-b"]).status_code == 403
    assert c.get("/v1/enterprises", headers=auth["bank-b"]).json()["enterprises"] == []
    assert c.get("/v1/enterprises/aurora?tenant=bank-a", headers=auth["ops"]).status_code == 200
    # bank-b profiling "aurora" from its own (empty) documents does not see bank-a's
    r = c.post("/v1/profile", json={"enterprise_id": "aurora"}, headers=auth["bank-b"])
    assert r.status_code == 404


def test_text_only_profile_is_returned_not_stored(api) -> None:  # type: ignore[no-untyped-def]
    c, auth = api
    r = c.post("/v1/profile", json={"text": "Acme Robotics Inc. was founded in 2021 and has 25 employees."},
               headers=auth["bank-a"])
    assert r.status_code == 200
    assert r.json()["fields"]["employees"]["value"] == 25 and r.json()["fields"]["employees"]["source"]["source_type"] == "text"
    assert c.get("/v1/enterprises", headers=auth["bank-a"]).json()["enterprises"] == []


def test_bad_profile_requests_get_clear_4xx(api) -> None:  # type: ignore[no-untyped-def]
    c, auth = api
    h = auth["bank-a"]
    assert c.post("/v1/profile", json={}, headers=h).status_code == 400
    assert c.post("/v1/profile", json={"text": "x", "enterprise_id": "../etc"}, headers=h).status_code == 400
    assert c.post("/v1/profile", json={"bogus": 1}, headers=h).status_code in (400, 422)
    assert c.post("/v1/profile", content=b"\xff\xfe not json", headers={**h, "content-type": "application/json"}).status_code == 400
    r = c.post("/v1/profile", files=[("files", ("a.txt", b"hello"))], headers=h)
    assert r.status_code == 400 and "enterprise_id" in r.json()["error"]["message"]
    assert c.post("/v1/profile", json={"text": "x"}).status_code == 401
    assert c.get("/v1/enterprises/nope", headers=h).status_code == 404


def test_upload_names_cannot_escape_and_empty_files_are_rejected(api) -> None:  # type: ignore[no-untyped-def]
    c, auth = api
    files = [("files", ("../../etc/passwd.md", "公司成立于2019年，员工30人。".encode())), ("files", ("empty.txt", b""))]
    r = c.post("/v1/profile", files=files, data={"enterprise_id": "e1"}, headers=auth["bank-a"])
    assert r.status_code == 200, r.text
    sources = {f["source"]: f["status"] for f in r.json()["ingest"]["files"]}
    assert sources == {"upload:e1/passwd.md": "indexed", "upload:e1/empty.txt": "rejected"}


def test_the_same_file_filed_under_two_enterprises_belongs_to_both(api) -> None:  # type: ignore[no-untyped-def]
    c, auth = api
    data = (AURORA / "business_plan.docx").read_bytes()
    for eid in ("aurora", "aurora-2"):
        r = c.post("/v1/profile", files=[("files", ("plan.docx", data))], data={"enterprise_id": eid}, headers=auth["bank-a"])
        assert r.status_code == 200, r.text
        assert r.json()["ingest"]["counts"] == {"indexed": 1} and r.json()["fields"]["revenue"]["value"] == 130_000_000
    again = c.post("/v1/profile", files=[("files", ("copy.docx", data))], data={"enterprise_id": "aurora"}, headers=auth["bank-a"])
    assert again.json()["ingest"]["files"][0]["status"] == "duplicate"  # within one enterprise it is a copy


def test_uploads_that_all_fail_say_why(api) -> None:  # type: ignore[no-untyped-def]
    c, auth = api
    r = c.post("/v1/profile", files=[("files", ("broken.pdf", b"%PDF-1.4 not really"))], data={"enterprise_id": "e9"},
               headers=auth["bank-a"])
    assert r.status_code == 422
    assert r.json()["error"]["message"].startswith("none of the uploaded files could be read: broken.pdf: failed")


def test_an_upload_while_another_ingest_writes_is_a_503_to_retry_and_then_succeeds(api, settings) -> None:  # type: ignore[no-untyped-def]
    c, auth = api
    name = min(p.name for p in AURORA.iterdir())
    files = [("files", (name, (AURORA / name).read_bytes()))]
    with KnowledgeBase(settings).writer_lock():  # a CLI ingest (another process) holds the lock
        r = c.post("/v1/profile", files=files, data={"enterprise_id": "aurora"}, headers=auth["bank-a"])
    assert r.status_code == 503 and r.headers["Retry-After"] == "5"
    assert r.json()["error"]["code"] == "busy" and "another ingest is writing" in r.json()["error"]["message"]
    assert _upload(c, auth["bank-a"], name)["enterprise_id"] == "aurora"
