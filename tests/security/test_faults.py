"""Faults: the server killed mid-upload and mid ingest job, a corrupted index file at start, a full disk
during ingest (the index file or the metadata database) and while saving a profile. (SIGKILL of
`sme ingest` and of `sme profile` is covered in tests/ingest/test_persistence.py and
tests/jobs/test_profile_batch.py.)"""

from __future__ import annotations

import errno
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from app.adapters import faiss_index
from app.adapters.keys import KeyStore
from app.api.app import create_app
from app.cli import main
from app.core.errors import IndexCorrupt
from app.settings import Settings, get_settings
from tests.security.conftest import Api

DOCS = 16


def _doc(i: int) -> tuple[str, bytes]:
    text = f"Memo {i}: the company filed {i * 3 + 1} invention patents and hired {i + 20} engineers in Shenzhen. " * 8
    return f"memo{i:02d}.txt", text.encode()


def _counts(data_dir: Path) -> tuple[int, int, int, int, int]:
    """documents, distinct sources, chunks, distinct chunk ids, vectors in the committed index"""
    conn = sqlite3.connect(data_dir / "meta.sqlite3")
    docs, sources = conn.execute("SELECT COUNT(*), COUNT(DISTINCT source) FROM documents WHERE status='indexed'").fetchone()
    chunks, distinct = conn.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM chunks").fetchone()
    from app.adapters.kb import KnowledgeBase

    index = KnowledgeBase(Settings(data_dir=data_dir)).index()
    return docs, sources, chunks, distinct, 0 if index is None else index.size


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[object]:
    """start() launches the real server (uvicorn, the app factory) on a free loopback port."""
    data, port, procs = tmp_path / "data", _free_port(), []
    env = {**os.environ, "SME_DATA_DIR": str(data), "SME_EMBEDDER": "hashing", "SME_RATE_LIMIT_PER_S": "0"}

    def start() -> subprocess.Popen[bytes]:
        proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "app.api.app:create_app", "--host",
                                 "127.0.0.1", "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        procs.append(proc)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                    return proc
            except httpx.HTTPError:
                time.sleep(0.2)
        raise AssertionError("server did not start")

    data.mkdir()
    start.data, start.url, start.env = data, f"http://127.0.0.1:{port}", env  # type: ignore[attr-defined]
    yield start
    for p in procs:
        if p.poll() is None:
            p.kill()
            p.wait()


def _upload(url: str, key: str, batch: list[int]) -> httpx.Response:
    files = [("files", _doc(i)) for i in batch]
    return httpx.post(f"{url}/v1/profile", files=files, data={"enterprise_id": "acme"},
                      headers={"Authorization": f"Bearer {key}"}, timeout=60)


def test_server_killed_during_uploads_loses_and_duplicates_nothing_after_a_rerun(server) -> None:  # type: ignore[no-untyped-def]
    proc = server()
    key = KeyStore(server.data / "keys.json").create("bank-a", "rm")[0]
    batches = [list(range(i, i + 2)) for i in range(0, DOCS, 2)]
    for batch in batches[:3]:
        assert _upload(server.url, key, batch).status_code == 200
    killer = threading.Timer(0.05, lambda: proc.send_signal(signal.SIGKILL))
    killer.start()
    with pytest.raises(httpx.HTTPError):  # the connection dies under the 4th..nth upload
        for batch in batches[3:]:
            _upload(server.url, key, batch)
    killer.join()
    proc.wait()
    docs, sources, chunks, distinct, vectors = _counts(server.data)
    assert 6 <= docs < DOCS and docs == sources and chunks == distinct == vectors  # committed batches only, consistent
    server()  # restart; the client reruns every upload
    results = [_upload(server.url, key, batch).json() for batch in batches]
    statuses = [f["status"] for r in results for f in r["ingest"]["files"]]
    assert statuses.count("indexed") == DOCS - docs and statuses.count("unchanged") + statuses.count("duplicate") == docs
    assert _counts(server.data)[:2] == (DOCS, DOCS)
    _, _, chunks, distinct, vectors = _counts(server.data)
    assert chunks == distinct == vectors
    assert not list((server.data / "index").glob("*.tmp"))


def _job(url: str, key: str, job_id: str) -> dict:
    return httpx.get(f"{url}/v1/jobs/{job_id}", headers={"Authorization": f"Bearer {key}"}, timeout=10).json()


def test_server_killed_during_an_ingest_job_requeues_it_and_keeps_each_document_once(server) -> None:
    n = 48  # the upload limit is 50 files
    server.env["SME_CHECKPOINT_DOCS"] = "2"  # many commits: the kill lands between two of them
    proc = server()
    key = KeyStore(server.data / "keys.json").create("bank-a", "rm")[0]
    files = [("files", _doc(i)) for i in range(n)]
    r = httpx.post(f"{server.url}/v1/ingest", files=files, data={"kind": "enterprise", "enterprise_id": "acme"},
                   headers={"Authorization": f"Bearer {key}"}, timeout=60)
    assert r.status_code == 202
    job_id = r.json()["job_id"]
    deadline = time.time() + 60
    while _counts(server.data)[0] < 4:  # some checkpoints committed, most of the job still to do
        assert time.time() < deadline
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    docs, sources, chunks, distinct, vectors = _counts(server.data)
    assert 4 <= docs < n and docs == sources and chunks == distinct == vectors
    assert len(list((server.data / "uploads" / job_id).iterdir())) == n  # kept for the rerun
    server()  # restart: the job is queued again and runs to the end
    while (job := _job(server.url, key, job_id))["status"] in ("queued", "running"):
        assert time.time() < deadline + 60
        time.sleep(0.1)
    assert job["status"] == "succeeded" and job["attempts"] == 2 and job["note"].startswith("re-queued")
    assert job["counts"] == {"indexed": n - docs, "unchanged": docs, "duplicate": 0, "rejected": 0, "failed": 0}
    assert job["profile_updated"] is True
    assert _counts(server.data)[:2] == (n, n)
    _, _, chunks, distinct, vectors = _counts(server.data)
    assert chunks == distinct == vectors
    gone = time.time() + 10  # the upload folder goes right after the job is recorded finished
    while (server.data / "uploads" / job_id).exists() and time.time() < gone:
        time.sleep(0.05)
    assert not (server.data / "uploads" / job_id).exists() and not list((server.data / "index").glob("*.tmp"))
    rerun = httpx.post(f"{server.url}/v1/ingest", files=files, data={"kind": "enterprise", "enterprise_id": "acme"},
                       headers={"Authorization": f"Bearer {key}"}, timeout=60).json()["job_id"]  # the client retries
    while (job := _job(server.url, key, rerun))["status"] in ("queued", "running"):
        time.sleep(0.1)
    assert job["counts"]["unchanged"] == n and _counts(server.data)[:2] == (n, n)


def _served(client: TestClient, api: Api) -> dict[str, int]:
    """The serving process's index: vectors and generation, from /metrics (an admin key)."""
    text = client.get("/metrics", headers=api.auth["ops"]).text
    return {name: int(float(re.search(rf"^sme_index_{name} (\S+)", text, re.MULTILINE).group(1)))  # type: ignore[union-attr]
            for name in ("vectors", "generation")}


def _corrupt(api: Api) -> Path:
    index_dir = api.settings.index_dir
    path = next(index_dir.glob("index-*.faiss"))
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    path.write_bytes(bytes(raw))
    return path


def test_a_corrupted_index_stops_the_api_and_the_cli_with_the_rebuild_command(
        api: Api, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> None:
    chunks = _served(api.client, api)["vectors"]
    api.client.__exit__(None, None, None)
    _corrupt(api)
    with pytest.raises(IndexCorrupt, match="rebuild it with `sme index rebuild`"), TestClient(create_app(api.settings)):
        pass
    assert "cannot start" in caplog.text and "sme index rebuild" in caplog.text
    monkeypatch.setenv("SME_DATA_DIR", str(api.settings.data_dir))
    monkeypatch.setenv("SME_EMBEDDER", "hashing")
    get_settings.cache_clear()
    try:
        assert main(["search", "loan"]) == 1
        err = capsys.readouterr().err
        assert "sme search: error: index file" in err and "does not match its recorded checksum" in err
        assert "`sme index rebuild`" in err
        assert main(["index", "rebuild"]) == 0
        assert f"over {chunks} chunks" in capsys.readouterr().out
        with TestClient(create_app(api.settings)) as c:
            assert _served(c, api)["vectors"] == chunks
            assert c.post("/v1/search", json={"query": "loan"}, headers=api.auth["bank-a"]).json()["hits"]
    finally:
        get_settings.cache_clear()


def test_a_full_disk_during_ingest_fails_cleanly_and_keeps_the_previous_index(
        api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    c, h = api.client, api.auth["bank-a"]
    assert c.post("/v1/profile", files=[("files", _doc(1))], data={"enterprise_id": "acme"}, headers=h).status_code == 200
    before = _served(c, api)
    state = _counts(api.settings.data_dir)

    def no_space(index: object, path: str) -> None:
        Path(path).write_bytes(b"partial")  # the device fills up halfway through the temporary file
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path)

    monkeypatch.setattr(faiss_index.faiss, "write_index", no_space)
    r = c.post("/v1/profile", files=[("files", _doc(2))], data={"enterprise_id": "acme"}, headers=h)
    assert r.status_code == 507 and r.json()["error"]["code"] == "insufficient_storage"
    assert "No space left on device" in r.json()["error"]["message"]
    assert "the previous index is intact" in r.json()["error"]["message"]
    assert _counts(api.settings.data_dir) == state
    assert _served(c, api)["generation"] == before["generation"]
    assert c.post("/v1/search", json={"query": "invention patents engineers"}, headers=h).json()["hits"]
    monkeypatch.undo()  # space is freed: the same upload now goes through
    r = c.post("/v1/profile", files=[("files", _doc(2))], data={"enterprise_id": "acme"}, headers=h)
    assert r.status_code == 200 and r.json()["ingest"]["counts"] == {"indexed": 1}
    docs, sources, chunks, distinct, vectors = _counts(api.settings.data_dir)
    assert (docs, sources) == (state[0] + 1, state[1] + 1) and chunks == distinct == vectors
    assert _served(c, api)["vectors"] == chunks
    assert not list(api.settings.index_dir.glob("*.tmp"))


def _full(conn: sqlite3.Connection) -> None:
    """The device is full as far as this connection can tell: the database may not grow by a page."""
    conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")


def test_a_full_disk_while_writing_the_metadata_database_gives_507_and_keeps_the_previous_state(api: Api) -> None:
    c, h = api.client, api.auth["bank-a"]
    big = ("big.txt", " ".join(f"Clause {i}: the firm filed {i} invention patents in Shenzhen." for i in range(6000)).encode())
    assert c.post("/v1/profile", files=[("files", _doc(1))], data={"enterprise_id": "acme"}, headers=h).status_code == 200
    before, state = _served(c, api), _counts(api.settings.data_dir)
    conn = c.app.state.deps.kb.store.conn  # type: ignore[attr-defined]
    _full(conn)
    r = c.post("/v1/profile", files=[("files", big)], data={"enterprise_id": "acme"}, headers=h)
    assert r.status_code == 507 and r.json()["error"] == {
        "code": "insufficient_storage",
        "message": "could not write the metadata database (database or disk is full); the previous state is intact"}
    assert _counts(api.settings.data_dir) == state
    assert _served(c, api)["generation"] == before["generation"]
    assert c.post("/v1/search", json={"query": "invention patents engineers"}, headers=h).json()["hits"]
    conn.execute("PRAGMA max_page_count = 1073741823")  # space is freed: the same upload goes through
    r = c.post("/v1/profile", files=[("files", big)], data={"enterprise_id": "acme"}, headers=h)
    assert r.status_code == 200 and r.json()["ingest"]["counts"] == {"indexed": 1}
    docs, sources, chunks, distinct, vectors = _counts(api.settings.data_dir)
    assert (docs, sources) == (state[0] + 1, state[1] + 1) and chunks == distinct == vectors > state[2]


def test_a_full_disk_while_saving_a_profile_gives_507_and_keeps_the_stored_one(api: Api) -> None:
    c, h = api.client, api.auth["bank-a"]
    first = c.post("/v1/profile", json={"enterprise_id": "acme", "name": "Acme", "text": "Founded in 2019, 30 staff."},
                   headers=h)
    assert first.status_code == 200
    stored = c.get("/v1/enterprises/acme", headers=h).json()
    conn = c.app.state.deps.profiles.conn  # type: ignore[attr-defined]
    conn.execute("VACUUM")  # no free pages left to reuse
    _full(conn)
    long_text = " ".join(f"Founded in 2019 with {i} staff in Shenzhen, holding {i} invention patents." for i in range(2000))
    r = c.post("/v1/profile", json={"enterprise_id": "acme", "name": "Acme " + "x" * 250, "text": long_text}, headers=h)
    assert r.status_code == 507 and r.json()["error"]["code"] == "insufficient_storage"
    assert "database or disk is full" in r.json()["error"]["message"]
    assert c.get("/v1/enterprises/acme", headers=h).json() == stored and stored["name"] == "Acme"
