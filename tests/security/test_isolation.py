"""Tenant isolation on every endpoint: bank-a's enterprise documents, profile, conversations and
answers are reachable by bank-a and by nothing bank-b can send. Each case runs twice: as the
owner (the control: the probe can see) and as the other bank (it must not)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.security.conftest import Api, open_api

AURORA = Path(__file__).resolve().parents[1] / "fixtures" / "enterprises" / "aurora"
SECRET = "Zephyrquartz pipeline: Aurora's confidential bridge loan of 37 million from Lumenfield Capital."
LEDGER = "Zephyrquartz ledger: Aurora repaid 12 million of the Lumenfield Capital bridge loan in March."
LOAN = ("Quasarfern Growth Loan, bank-a's own credit product. Eligibility: the enterprise has been established for "
        "at least 2 years and its annual revenue is not less than 5 million yuan.")


@dataclass
class Owned:
    api: Api
    doc_ids: set[str]
    conversation_id: str
    message_id: str
    job_id: str
    program_id: str  # from bank-a's own credit product sheet


@pytest.fixture(scope="module")
def owned(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Owned]:
    api = open_api(demo_dir, tmp_path_factory.mktemp("isolation"))
    files = [("files", ("business_plan.docx", (AURORA / "business_plan.docx").read_bytes())),
             ("files", ("memo.txt", SECRET.encode()))]
    r = api.client.post("/v1/profile", files=files, data={"enterprise_id": "aurora"}, headers=api.auth["bank-a"])
    assert r.status_code == 200, r.text
    doc_ids = {f["doc_id"] for f in r.json()["ingest"]["files"]}
    job = api.client.post("/v1/ingest", files=[("files", ("ledger.txt", LEDGER.encode()))],
                          data={"kind": "general"}, headers=api.auth["bank-a"]).json()  # bank-a's own
    while job["status"] in ("queued", "running"):
        time.sleep(0.05)
        job = api.client.get(f"/v1/jobs/{job['job_id']}", headers=api.auth["bank-a"]).json()
    assert job["status"] == "succeeded", job
    doc_ids |= {f["doc_id"] for f in job["files"]}
    chat = api.client.post("/v1/chat", json={"messages": [{"role": "user", "content": "Zephyrquartz bridge loan?"}],
                                             "enterprise_id": "aurora"}, headers=api.auth["bank-a"]).json()
    yield Owned(api, doc_ids, chat["conversation_id"], chat["message_id"], job["job_id"], _loan_program(api))
    api.client.__exit__(None, None, None)


def _loan_program(api: Api) -> str:
    """An admin files bank-a's credit product sheet into bank-a: its program is bank-a's."""
    admin = api.auth["ops"]
    job = api.client.post("/v1/ingest", files=[("files", ("quasarfern_loan.txt", LOAN.encode()))],
                          data={"kind": "credit", "tenant": "bank-a"}, headers=admin).json()
    while job["status"] in ("queued", "running"):
        time.sleep(0.05)
        job = api.client.get(f"/v1/jobs/{job['job_id']}", headers=admin).json()
    assert job["status"] == "succeeded", job
    return f"doc-{job['files'][0]['doc_id'][:16]}"


Probe = Callable[[TestClient, dict[str, str], Owned], bool]  # True: the caller reached bank-a's data


def _cites(body: dict, key: str, o: Owned) -> bool:
    return bool({h["doc_id"] for h in body.get(key, [])} & o.doc_ids)


def _chat_about_aurora(c: TestClient, h: dict[str, str]) -> bool:
    r = c.post("/v1/chat", json={"messages": [{"role": "user", "content": "What is the revenue?"}], "enterprise_id": "aurora"},
               headers=h)
    return r.status_code == 200 and "极光" in r.text


PROBES: dict[str, Probe] = {
    "search": lambda c, h, o: _cites(c.post("/v1/search", json={"query": "Zephyrquartz bridge loan Lumenfield", "k": 50},
                                            headers=h).json(), "hits", o),
    "search filtered to bank-a": lambda c, h, o: _cites(
        c.post("/v1/search", json={"query": "Zephyrquartz", "filters": {"tenant": "bank-a"}}, headers=h).json(), "hits", o),
    "search by doc id": lambda c, h, o: _cites(
        c.post("/v1/search", json={"query": "loan", "filters": {"doc_id": min(o.doc_ids)}}, headers=h).json(), "hits", o),
    "chat": lambda c, h, o: _cites(c.post("/v1/chat", json={"messages": [{"role": "user", "content": "Zephyrquartz bridge loan"}]},
                                          headers=h).json(), "citations", o),
    "chat about the enterprise": lambda c, h, o: _chat_about_aurora(c, h),
    "chat in the conversation": lambda c, h, o: c.post(
        "/v1/chat", json={"messages": [{"role": "user", "content": "and?"}], "conversation_id": o.conversation_id},
        headers=h).status_code == 200,
    "profile": lambda c, h, o: c.post("/v1/profile", json={"enterprise_id": "aurora"}, headers=h).status_code == 200,
    "enterprise": lambda c, h, o: c.get("/v1/enterprises/aurora", headers=h).status_code == 200,
    "enterprise with tenant param": lambda c, h, o: c.get("/v1/enterprises/aurora?tenant=bank-a", headers=h).status_code == 200,
    "enterprises list": lambda c, h, o: "aurora" in c.get("/v1/enterprises", headers=h).text,
    "match": lambda c, h, o: c.post("/v1/match", json={"enterprise_id": "aurora", "k": 3}, headers=h).status_code == 200,
    "conversations list": lambda c, h, o: o.conversation_id in c.get("/v1/conversations", headers=h).text,
    "conversation": lambda c, h, o: c.get(f"/v1/conversations/{o.conversation_id}", headers=h).status_code == 200,
    "feedback": lambda c, h, o: c.post("/v1/feedback", json={"message_id": o.message_id, "rating": "down"},
                                       headers=h).status_code == 201,
    "programs list": lambda c, h, o: o.program_id in c.get("/v1/programs?limit=500", headers=h).text,
    "program": lambda c, h, o: c.get(f"/v1/programs/{o.program_id}", headers=h).status_code == 200,
    "match the program": lambda c, h, o: o.program_id in c.post(
        "/v1/match", json={"text": "Quasarfern Growth Loan for a 2018 startup", "kinds": ["credit"], "k": 200},
        headers=h).text,
    "job": lambda c, h, o: c.get(f"/v1/jobs/{o.job_id}", headers=h).status_code == 200,
    "jobs list": lambda c, h, o: o.job_id in c.get("/v1/jobs", headers=h).text,
    "ingest into the tenant": lambda c, h, o: c.post(
        "/v1/ingest", files=[("files", ("n.txt", b"a note filed for bank-a " * 4))],
        data={"kind": "general", "tenant": "bank-a"}, headers=h).status_code == 202,
}
OWNER_ONLY = {"enterprise with tenant param"}  # an rm may not name a tenant, even its own; admins may


@pytest.mark.parametrize("probe", PROBES, ids=list(PROBES))
def test_another_tenant_cannot_reach_bank_a_data(owned: Owned, probe: str) -> None:
    c, auth = owned.api.client, owned.api.auth
    assert PROBES[probe](c, auth["bank-b"], owned) is False
    if probe not in OWNER_ONLY:
        assert PROBES[probe](c, auth["bank-a"], owned) is True  # the probe itself works


def test_admins_see_tenant_documents_and_profiles(owned: Owned) -> None:
    c, admin = owned.api.client, owned.api.auth["ops"]
    assert PROBES["search"](c, admin, owned) is True
    assert PROBES["enterprise with tenant param"](c, admin, owned) is True
    assert PROBES["job"](c, admin, owned) is True and PROBES["jobs list"](c, admin, owned) is True
    assert PROBES["program"](c, admin, owned) is True and PROBES["match the program"](c, admin, owned) is True


def test_public_knowledge_is_shared(owned: Owned) -> None:
    c, auth = owned.api.client, owned.api.auth
    for tenant in ("bank-a", "bank-b"):
        assert c.post("/v1/search", json={"query": "高新技术企业"}, headers=auth[tenant]).json()["hits"]
        assert c.get("/v1/programs?limit=5", headers=auth[tenant]).json()["programs"]
