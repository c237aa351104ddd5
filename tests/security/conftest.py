"""Fixtures for the security tests: the demo knowledge base (built once, copied per test), keys for
two banks and an admin, and the real app with the hashing embedder."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.adapters.embedder import HashingEmbedder
from app.adapters.kb import KnowledgeBase
from app.adapters.keys import KeyStore
from app.api.app import create_app
from app.settings import Settings
from app.wiring import Deps
from tests.conftest import demo_copy


@dataclass
class Api:
    client: TestClient
    settings: Settings
    auth: dict[str, dict[str, str]]  # tenant name -> Authorization header
    key_ids: dict[str, str]


def make_settings(demo_dir: Path, tmp_path: Path, **overrides: object) -> Settings:
    """Settings over a fresh copy of the session's demo data (tests/conftest.py: demo_dir)."""
    return Settings(data_dir=demo_copy(demo_dir, tmp_path / "data"), embedder="hashing", **overrides)  # type: ignore[arg-type]


def open_api(demo_dir: Path, folder: Path, **overrides: object) -> Api:
    """The real app over a fresh copy of the demo data; the caller closes `client`."""
    settings = make_settings(demo_dir, folder, **overrides)
    keys = KeyStore(settings.keys_path)
    made = {t: keys.create(t, role) for t, role in (("bank-a", "rm"), ("bank-b", "rm"), ("ops", "admin"))}
    deps = Deps(settings=settings, kb=KnowledgeBase(settings), embedder=HashingEmbedder())
    client = TestClient(create_app(settings, deps))
    client.__enter__()
    return Api(client, settings, {t: {"Authorization": f"Bearer {k}"} for t, (k, _) in made.items()},
               {t: r.id for t, (_, r) in made.items()})


@pytest.fixture
def api_factory(demo_dir: Path, tmp_path: Path) -> Iterator[object]:
    """Call with Settings overrides; yields an Api over a fresh copy of the demo data."""
    opened: list[Api] = []

    def build(**overrides: object) -> Api:
        opened.append(open_api(demo_dir, tmp_path / str(len(opened)), **overrides))
        return opened[-1]

    yield build
    for a in opened:
        a.client.__exit__(None, None, None)


@pytest.fixture
def api(api_factory) -> Api:  # type: ignore[no-untyped-def]
    return api_factory()  # type: ignore[no-any-return]
