"""The server answers /healthz at once and /readyz only once its models are warm; requests that need
the models get 503 + Retry-After meanwhile instead of hanging (issue 18, finding 6: ~57 s to answer)."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.adapters.embedder import HashingEmbedder
from app.adapters.kb import KnowledgeBase
from app.adapters.keys import KeyStore
from app.api.app import create_app
from app.core.errors import IndexCorrupt
from app.core.ports import Vectors
from app.wiring import Deps
from tests.security.conftest import make_settings


class SlowEmbedder(HashingEmbedder):
    """Warms up (and embeds) only once released: a model that takes its time to load."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def warm_up(self) -> None:
        self.release.wait(3)

    def embed_query(self, texts: Sequence[str]) -> Vectors:
        self.release.wait(3)
        return super().embed_query(texts)


def test_healthz_answers_at_once_and_readyz_once_the_models_are_warm(demo_dir: Path, tmp_path: Path) -> None:
    settings = make_settings(demo_dir, tmp_path, startup_warm_up="background")
    key, _ = KeyStore(settings.keys_path).create("bank-a", "rm")
    auth = {"Authorization": f"Bearer {key}"}
    embedder = SlowEmbedder()
    started = time.perf_counter()
    with TestClient(create_app(settings, Deps(settings=settings, kb=KnowledgeBase(settings), embedder=embedder))) as c:
        assert time.perf_counter() - started < 2.5  # the lifespan no longer waits for the models
        assert c.get("/healthz").json() == {"status": "ok"}
        for r in (c.get("/readyz"), c.post("/v1/search", json={"query": "loan"}, headers=auth)):
            assert r.status_code == 503 and r.headers["retry-after"].isdigit()
            assert r.json()["error"]["code"] == "warming_up"
        assert c.get("/").status_code == 200  # the UI loads and polls
        embedder.release.set()
        deadline = time.monotonic() + 4
        while c.get("/readyz").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert c.get("/readyz").json() == {"status": "ready"}
        assert c.post("/v1/search", json={"query": "IP pledge loan"}, headers=auth).json()["hits"]


def test_a_failed_warm_up_leaves_the_server_alive_and_unready(demo_dir: Path, tmp_path: Path,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    settings = make_settings(demo_dir, tmp_path, startup_warm_up="background")

    class Broken(HashingEmbedder):
        def warm_up(self) -> None:
            raise RuntimeError("model files missing")

    with TestClient(create_app(settings, Deps(settings=settings, kb=KnowledgeBase(settings), embedder=Broken()))) as c:
        deadline = time.monotonic() + 4
        while c.get("/readyz").json()["error"]["code"] == "warming_up" and time.monotonic() < deadline:
            time.sleep(0.05)
        r = c.get("/readyz")
        assert r.status_code == 503 and r.json()["error"]["code"] == "warm_up_failed"
        assert c.get("/healthz").status_code == 200
    assert "warm-up failed" in caplog.text


def test_a_corrupted_index_still_stops_a_background_start(demo_dir: Path, tmp_path: Path) -> None:
    settings = make_settings(demo_dir, tmp_path, startup_warm_up="background")
    path = next(settings.index_dir.glob("index-*.faiss"))
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(IndexCorrupt, match="sme index rebuild"), TestClient(create_app(settings)):
        pass


def test_the_profile_classifiers_read_their_label_vectors_from_the_cache_at_the_next_start(tmp_path: Path) -> None:
    from app.enterprises import Enterprises
    from app.settings import Settings

    settings = Settings(data_dir=tmp_path / "data", embedder="hashing")
    encoded: list[str] = []

    class Counting(HashingEmbedder):
        def embed_query(self, texts: Sequence[str]) -> Vectors:
            encoded.extend(texts)
            return super().embed_query(texts)

    def started() -> Enterprises:
        service = Enterprises(Deps(settings=settings, kb=KnowledgeBase(settings), embedder=Counting()))
        service.warm_up()
        return service

    first = started()
    assert encoded  # the label texts, once
    encoded.clear()
    second = started()
    assert encoded == []  # a restart reads them (the start no longer pays ~20 s of encoding with the real model)
    assert all((a == b).all() for a, b in zip(first.profiler().industry._parts, second.profiler().industry._parts))


def test_the_first_question_finds_its_exemplars_already_embedded(demo_dir: Path, tmp_path: Path) -> None:
    """The intent and injection exemplars are embedded before the server says ready, not by the
    first user's question (it waited ~7 s for them on 2 cores)."""
    settings = make_settings(demo_dir, tmp_path, startup_warm_up="blocking")
    embedder = HashingEmbedder()
    embedder.multilingual = True  # type: ignore[misc]  # the classifiers need a model that reads both languages
    deps = Deps(settings=settings, kb=KnowledgeBase(settings), embedder=embedder)
    with TestClient(create_app(settings, deps)) as c:
        classifier = c.app.state.chat.router().classifier  # type: ignore[attr-defined]
        assert classifier is not None and classifier._model is not None
        assert deps.injection.uses_model and deps.injection._model is not None
