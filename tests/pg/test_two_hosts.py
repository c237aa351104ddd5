"""Two API apps, each with its own data dir and its own database connections (two hosts, as far as
PostgreSQL can tell), over one database: a key revoked through an admin machine is refused by both,
a burst split across both hits one rate limit, failed key checks on one back the pair off on the
other, and both audit into one table. (Separate processes are exercised by the kill test.)"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from app.adapters.embedder import HashingEmbedder
from app.adapters.kb import KnowledgeBase
from app.adapters.pg.audit import PgAuditLog
from app.adapters.pg.jobs import PgJobStore
from app.adapters.pg.keys import PgKeyStore
from app.api.app import create_app
from app.api.audit import AuditMiddleware
from app.settings import Settings
from app.wiring import Deps
from tests.pg.stores import Opened

BURST = 6


def _host(data_dir: Path, url: str) -> TestClient:
    settings = Settings(data_dir=data_dir, database_url=url, embedder="hashing", rate_limit_per_s=0.01,
                        rate_limit_burst=BURST, auth_fail_limit=3)
    return TestClient(create_app(settings, Deps(settings=settings, kb=KnowledgeBase(settings),
                                                embedder=HashingEmbedder())))


@pytest.fixture
def hosts(pg_url: str, tmp_path: Path) -> Iterator[tuple[TestClient, TestClient]]:
    with _host(tmp_path / "host-a", pg_url) as a, _host(tmp_path / "host-b", pg_url) as b:
        yield a, b
        for client in (a, b):
            for store in (client.app.state.keys, client.app.state.rate_limiter.buckets,  # type: ignore[attr-defined]
                          client.app.state.failed_auths.failures, client.app.state.deps.jobs):  # type: ignore[attr-defined]
                store.close()


def _flush_audit(host: TestClient) -> None:
    """Wait for the host's audit writer: records are written by a thread, off the event loop."""
    logs = [m.kwargs["log"] for m in host.app.user_middleware if m.cls is AuditMiddleware]  # type: ignore[attr-defined]
    assert len(logs) == 1
    logs[0].sink.flush()


def _get(host: TestClient, key: str) -> int:
    return host.get("/v1/programs", headers={"Authorization": f"Bearer {key}"}).status_code


def test_two_hosts_share_keys_limits_guard_and_audit(hosts: tuple[TestClient, TestClient], pg_url: str,
                                                     opened: Opened) -> None:
    keys = opened(PgKeyStore(pg_url))  # `sme keys` on an admin machine
    key, _ = keys.create("bank-a", "rm")
    doomed, doomed_record = keys.create("bank-a", "rm")
    a, b = hosts
    assert _get(a, doomed) == 200 and _get(b, doomed) == 200  # both verified (and cached) it
    keys.revoke(doomed_record.id)
    assert _get(a, doomed) == 401 and _get(b, doomed) == 401

    statuses = [_get(host, key) for _ in range(BURST // 2 + 1) for host in (a, b)]  # alternating hosts
    assert statuses[:BURST] == [200] * BURST and statuses[BURST:] == [429, 429]
    refused = a.get("/v1/programs", headers={"Authorization": f"Bearer {key}"})
    assert refused.json()["error"]["message"].startswith("rate limit exceeded for this API key")

    wrong = f"sme_{'0' * 12}_{'x' * 40}"
    assert [_get(a, wrong) for _ in range(2)] + [_get(b, wrong)] == [401, 401, 401]
    assert _get(a, wrong) == 429 and _get(b, wrong) == 429  # three failures across both hosts: back off

    for host in hosts:
        _flush_audit(host)
    audit = opened(PgAuditLog(pg_url)).records(limit=100)
    assert {(r["route"], r["status"]) for r in audit} == {("programs", 200), ("programs", 401), ("programs", 429)}
    assert len(audit) == 4 + 2 * (BURST // 2 + 1) + 1 + 5  # every request, from both hosts, in one table
    assert not list((Path(a.app.state.deps.settings.data_dir) / "audit").glob("*.jsonl"))  # type: ignore[attr-defined]


def test_a_host_that_loses_the_database_is_not_ready(pg_url: str, pg_cluster: Any, tmp_path: Path) -> None:
    with _host(tmp_path / "host", pg_url) as host:
        assert host.get("/readyz").status_code == 200
        with psycopg.connect(pg_cluster.url("postgres"), autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {pg_url.rsplit('/', 1)[1]} WITH (FORCE)")
        refused = host.get("/readyz")
        assert refused.status_code == 503 and refused.headers["Retry-After"]
        assert refused.json()["error"]["code"] == "database_unavailable"
        assert host.get("/healthz").status_code == 200  # alive: restarting it would not help


def test_a_job_uploaded_through_one_host_is_followed_through_the_other(hosts: tuple[TestClient, TestClient],
                                                                       pg_url: str, opened: Opened) -> None:
    keys = opened(PgKeyStore(pg_url))
    mine, _ = keys.create("bank-a", "rm")
    theirs, _ = keys.create("bank-b", "rm")
    a, b = hosts
    files = [("files", (f"memo{i}.txt", f"Memo {i}: Acme filed {i + 3} patents in Shenzhen. ".encode() * 20))
             for i in range(3)]
    posted = a.post("/v1/ingest", files=files, data={"kind": "general"}, headers={"Authorization": f"Bearer {mine}"})
    assert posted.status_code == 202
    job_id = posted.json()["job_id"]
    store, deadline = opened(PgJobStore(pg_url)), time.monotonic() + 30  # polled here: the API's burst is 6
    while store.get(job_id)["status"] in ("queued", "running"):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    job = b.get(f"/v1/jobs/{job_id}", headers={"Authorization": f"Bearer {mine}"}).json()
    assert job["status"] == "succeeded" and job["counts"]["indexed"] == 3  # run by host a, its uploads' host
    other = b.get(f"/v1/jobs/{job_id}", headers={"Authorization": f"Bearer {theirs}"})
    assert other.status_code == 404 and other.json()["error"]["message"] == f"no ingest job {job_id!r}"
