"""Faults: the server killed mid-upload, a corrupted index file at start, a full disk during ingest.
(SIGKILL of `sme ingest` and of `sme profile` is covered in tests/ingest/test_persistence.py and
tests/jobs/test_profile_batch.py.)"""

from __future__ import annotations

import errno
import os
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
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    return proc
            except httpx.HTTPError:
                time.sleep(0.2)
        raise AssertionError("server did not start")

    data.mkdir()
    start.data, start.url = data, f"http://127.0.0.1:{port}"  # type: ignore[attr-defined]
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


def _corrupt(api: Api) -> Path:
    index_dir = api.settings.index_dir
    path = next(index_dir.glob("index-*.faiss"))
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    path.write_bytes(bytes(raw))
    return path


def test_a_corrupted_index_stops_the_api_and_the_cli_with_the_rebuild_command(
        api: Api, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> None:
    chunks = api.client.get("/healthz").json()["chunks"]
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
            assert c.get("/healthz").json()["chunks"] == chunks
            assert c.post("/v1/search", json={"query": "loan"}, headers=api.auth["bank-a"]).json()["hits"]
    finally:
        get_settings.cache_clear()


def test_a_full_disk_during_ingest_fails_cleanly_and_keeps_the_previous_index(
        api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    c, h = api.client, api.auth["bank-a"]
    assert c.post("/v1/profile", files=[("files", _doc(1))], data={"enterprise_id": "acme"}, headers=h).status_code == 200
    before = c.get("/healthz").json()
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
    assert c.get("/healthz").json()["index_generation"] == before["index_generation"]
    assert c.post("/v1/search", json={"query": "invention patents engineers"}, headers=h).json()["hits"]
    monkeypatch.undo()  # space is freed: the same upload now goes through
    r = c.post("/v1/profile", files=[("files", _doc(2))], data={"enterprise_id": "acme"}, headers=h)
    assert r.status_code == 200 and r.json()["ingest"]["counts"] == {"indexed": 1}
    docs, sources, chunks, distinct, vectors = _counts(api.settings.data_dir)
    assert (docs, sources) == (state[0] + 1, state[1] + 1) and chunks == distinct == vectors
    assert c.get("/healthz").json()["chunks"] == chunks
    assert not list(api.settings.index_dir.glob("*.tmp"))
