"""Shared fixtures: an isolated data dir, a deterministic embedder, and a network guard."""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("DO_NOT_TRACK", "true")
os.environ.setdefault("UNSTRUCTURED_DISABLE_NOTICE", "1")
# an app under test serves once warm, so a test's first request needs no /readyz poll; the background
# warm-up has its own tests (tests/security/test_readiness.py)
os.environ.setdefault("SME_STARTUP_WARM_UP", "blocking")

from app.adapters.embedder import HashingEmbedder
from app.core.ports import Embedder
from app.settings import Settings
from app.wiring import make_embedder

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = FIXTURES / "corpus"
CORPUS_BAD = FIXTURES / "corpus_bad"
SHARED = Path(__file__).resolve().parents[2] / "shared"
OUTBOUND: list[object] = []


def _is_local(address: object) -> bool:
    if not isinstance(address, tuple):
        return True  # AF_UNIX
    host = str(address[0])
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _guarded_connect(self: socket.socket, address: object) -> None:
    if not _is_local(address):
        OUTBOUND.append(address)
        raise ConnectionRefusedError(f"test network guard: outbound connection to {address!r} blocked")
    return _real_connect(self, address)  # type: ignore[arg-type]


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    if not _is_local(address):
        OUTBOUND.append(address)
        raise ConnectionRefusedError(f"test network guard: outbound connection to {address!r} blocked")
    return _real_connect_ex(self, address)  # type: ignore[arg-type]


@pytest.fixture(autouse=True, scope="session")
def network_guard() -> Iterator[list[object]]:
    """Every test runs with outbound connections failing loudly (loopback stays allowed)."""
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
    yield OUTBOUND
    socket.socket.connect = _real_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _real_connect_ex  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo knowledge base and catalog as `load_demo` writes them with the hashing embedder, built
    once per session; a test that changes data works on a copy (`demo_copy`)."""
    from app.demo import load_demo

    folder = tmp_path_factory.mktemp("demo") / "data"
    load_demo(Settings(data_dir=folder, embedder="hashing"))
    return folder


def demo_copy(demo_dir: Path, folder: Path) -> Path:
    """A fresh copy of the session's demo data dir at `folder` (created, must not exist yet)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(demo_dir, folder)
    return folder


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", checkpoint_docs=50)


@pytest.fixture
def fake_embedder() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture(scope="session")
def real_embedder() -> Embedder:
    """The product's default model (multilingual-e5-small), loaded once per test session."""
    embedder = make_embedder(Settings())
    embedder.warm_up()
    return embedder
