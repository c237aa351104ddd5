"""The audit log records every read (profiles, conversations, jobs, programs) and every refusal
(401, 403, 429, 413, 422) with the presented key's id (never its secret) and the client address."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from app.api.audit import AuditLog
from tests.security.conftest import Api

PEER = ("198.51.100.20", 40000)


def _audit(api: Api) -> list[dict]:
    path = AuditLog(api.settings.data_dir / "audit").path(datetime.now(UTC))
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_read_is_audited_with_key_id_and_client_address(api_factory) -> None:
    api: Api = api_factory()
    c, h = TestClient(api.client.app, client=PEER), api.auth["bank-a"]
    chat = c.post("/v1/chat", json={"messages": [{"role": "user", "content": "高新技术企业 认定条件"}]}, headers=h).json()
    program_id = c.get("/v1/programs", headers=h).json()["programs"][0]["id"]
    reads = [f"/v1/programs/{program_id}", "/v1/conversations", f"/v1/conversations/{chat['conversation_id']}",
             "/v1/jobs", "/v1/enterprises", "/v1/enterprises/ent-13812345678?tenant=bank-a"]
    for path in reads:
        c.get(path, headers=h)
    records = [r for r in _audit(api) if r["method"] == "GET"]
    assert [(r["route"], r["tenant"], r["key_id"], r["client"]) for r in records] == [
        (route, "bank-a", api.key_ids["bank-a"], PEER[0]) for route in (
            "programs", "programs/{program_id}", "conversations", "conversations/{conversation_id}", "jobs",
            "enterprises", "enterprises/{enterprise_id}")]
    assert records[1]["params"] == {"program_id": program_id}
    assert records[3]["params"] == {"conversation_id": chat["conversation_id"]}
    assert records[-1]["params"] == {"enterprise_id": "ent-[phone ***5678]", "tenant": "bank-a"}  # masked


def test_every_refusal_is_audited_with_the_presented_key_id_and_client_address(api_factory) -> None:
    api: Api = api_factory(rate_limit_per_s=0.001, rate_limit_burst=2, max_request_mb=0.01)
    c = TestClient(api.client.app, client=PEER)
    secret = "y" * 43
    wrong = {"Authorization": f"Bearer sme_{api.key_ids['bank-b']}_{secret}"}
    assert c.get("/v1/programs", headers=wrong).status_code == 401
    assert c.post("/v1/search", json={"query": "x"}).status_code == 401  # no key at all
    assert c.get("/v1/enterprises/e1?tenant=bank-b", headers=api.auth["bank-a"]).status_code == 403
    assert c.post("/v1/search", json={"query": 7}, headers=api.auth["ops"]).status_code == 422
    assert c.post("/v1/search", content=b"x" * 20_000, headers={**api.auth["ops"], "content-type": "application/json"}
                  ).status_code == 413
    codes = [c.post("/v1/search", json={"query": "loan"}, headers=api.auth["bank-b"]).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    records = _audit(api)
    refused = [(r["status"], r["route"], r["key_id"], r["client"]) for r in records if r["status"] >= 400]
    assert (401, "programs", api.key_ids["bank-b"], PEER[0]) in refused  # a refused key's id: who was tried
    assert (401, "search", None, PEER[0]) in refused
    assert (403, "enterprises/{enterprise_id}", api.key_ids["bank-a"], PEER[0]) in refused
    assert (422, "search", api.key_ids["ops"], PEER[0]) in refused
    assert (413, "search", api.key_ids["ops"], PEER[0]) in refused
    assert (429, "search", api.key_ids["bank-b"], PEER[0]) in refused
    assert secret not in json.dumps(records)


def test_the_audit_client_is_the_forwarded_address_only_behind_a_trusted_proxy(api_factory) -> None:
    api: Api = api_factory(trusted_proxies=["10.0.0.0/8"])
    h = {**api.auth["bank-a"], "X-Forwarded-For": "192.0.2.1"}
    TestClient(api.client.app, client=("10.0.0.2", 1)).get("/v1/programs", headers=h)
    TestClient(api.client.app, client=PEER).get("/v1/programs", headers=h)
    assert [r["client"] for r in _audit(api)] == ["192.0.2.1", PEER[0]]
