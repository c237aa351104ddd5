"""Two API apps, each with its own data dir and its own database connections (two hosts, as far as
PostgreSQL can tell), over one database: a key revoked through an admin machine is refused by both,
a burst split across both hits one rate limit, failed key checks on one back the pair off on the
other, and both audit into one table. (Separate processes are exercised by the kill test.)

With one vector engine too (a Milvus Lite server process, which both hosts reach over gRPC as they
would a Milvus cluster; a Milvus Lite file is held by one process only): a document ingested through
one host is searchable, matchable and tenant-isolated through the other."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
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


def _host(data_dir: Path, url: str, vector_store: str | None = None, burst: int = BURST) -> TestClient:
    settings = Settings(data_dir=data_dir, database_url=url, embedder="hashing", rate_limit_per_s=0.01,
                        rate_limit_burst=burst, auth_fail_limit=3, vector_store=vector_store)
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def milvus_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`milvus-lite server`: one process holds the data dir and serves both hosts over gRPC."""
    pytest.importorskip("milvus_lite", reason="pip install -r requirements/milvus.txt")
    port, root = _free_port(), tmp_path_factory.mktemp("milvus")
    with open(root / "log", "wb") as log:
        server = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "milvus-lite"), "server",
                                   "--data-dir", str(root / "data"), "--host", "127.0.0.1", "--port", str(port)],
                                  stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (root / "log").read_text()
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert time.monotonic() < deadline, "milvus-lite server did not listen within 60 s"
            time.sleep(0.2)
        yield f"milvus://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture
def engine_hosts(pg_url: str, milvus_server: str, tmp_path: Path) -> Iterator[tuple[TestClient, TestClient]]:
    with (_host(tmp_path / "host-a", pg_url, milvus_server, burst=100) as a,
          _host(tmp_path / "host-b", pg_url, milvus_server, burst=100) as b):
        yield a, b
        for client in (a, b):
            for store in (client.app.state.keys, client.app.state.rate_limiter.buckets,  # type: ignore[attr-defined]
                          client.app.state.failed_auths.failures, client.app.state.deps.jobs,  # type: ignore[attr-defined]
                          client.app.state.deps.kb):  # type: ignore[attr-defined]
                store.close()


POLICY = """# 深港绿色制造专项贷款条件

1. 企业申请时须注册成立三年以上。
2. 企业从事研发和相关技术创新活动的科技人员占企业当年职工总数的比例不低于15%。
"""
MEMO = "Aurora Photonics signed a confidential supply contract for lidar wafers with Kestrel Motors. " * 12


def _ingest(host: TestClient, url: str, key: str, files: list[tuple[str, bytes]], kind: str,
            opened: Opened) -> dict[str, Any]:
    posted = host.post("/v1/ingest", files=[("files", f) for f in files], data={"kind": kind},
                       headers={"Authorization": f"Bearer {key}"})
    assert posted.status_code == 202, posted.text
    store, deadline = opened(PgJobStore(url)), time.monotonic() + 60
    while (job := store.get(posted.json()["job_id"]))["status"] in ("queued", "running"):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert job["status"] == "succeeded", job
    return job


def _search(host: TestClient, key: str, query: str) -> list[dict[str, Any]]:
    found = host.post("/v1/search", json={"query": query, "k": 20}, headers={"Authorization": f"Bearer {key}"})
    assert found.status_code == 200, found.text
    return list(found.json()["hits"])


def _matched(host: TestClient, key: str) -> set[str]:
    body = {"profile": {"fields": {"years_since_founding": 5, "rd_staff_ratio": 30}}, "kinds": ["policy"], "k": 200}
    found = host.post("/v1/match", json=body, headers={"Authorization": f"Bearer {key}"})
    assert found.status_code == 200, found.text
    return {m["program"]["id"] for m in found.json()["matches"]}


def test_a_document_ingested_through_one_host_is_searchable_matchable_and_isolated_through_the_other(
        engine_hosts: tuple[TestClient, TestClient], pg_url: str, opened: Opened) -> None:
    keys = opened(PgKeyStore(pg_url))
    mine, _ = keys.create("bank-a", "rm")
    theirs, _ = keys.create("bank-b", "rm")
    a, b = engine_hosts
    assert _search(b, mine, "lidar wafers Kestrel") == []  # host b's retriever is built before the ingest
    job = _ingest(a, pg_url, mine, [("memo.txt", MEMO.encode()), ("green.md", POLICY.encode())], "policy", opened)
    doc_ids = {f["name"]: f["doc_id"] for f in job["files"]}

    hits = _search(b, mine, "confidential lidar wafers Kestrel Motors")
    assert hits and hits[0]["doc_id"] == doc_ids["memo.txt"] and "lidar wafers" in hits[0]["text"]
    assert not {h["doc_id"] for h in _search(b, theirs, "confidential lidar wafers Kestrel Motors")} & set(doc_ids.values())
    program = f"doc-{doc_ids['green.md'][:16]}"
    assert any(p.startswith(program) for p in _matched(b, mine))  # extracted on host a, matched on host b
    assert not any(p.startswith(program) for p in _matched(b, theirs))
    kb = b.app.state.deps.kb  # type: ignore[attr-defined]
    index, memo = kb.index(), kb.store.chunk_rowids(doc_ids["memo.txt"])
    assert kb.store.meta("index_kind") == "milvus" and index.size > 0
    query = HashingEmbedder().embed_query([MEMO])
    assert index.search(query, 5, tenants=["bank-a"])[1][0, 0] in memo  # the engine's own tenant filter
    assert set(index.search(query, 5, tenants=["bank-b", "public"])[1][0].tolist()) == {-1}
    assert not list(Path(kb.settings.index_dir).glob("index-*.faiss*"))  # no file on either host: the engine
    assert not list((Path(a.app.state.deps.settings.index_dir)).glob("index-*.faiss*"))  # type: ignore[attr-defined]
