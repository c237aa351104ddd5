"""The vector cache of fixed texts: read back, extended, and written safely by concurrent writers
(two server workers warming up at the same moment)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from app.adapters import vector_cache
from app.adapters.vector_cache import VectorCache


def _embed(texts: list[str]) -> np.ndarray:
    return np.array([[len(t), t.count("a"), 1.0] for t in texts], dtype=np.float32)


def test_vectors_are_read_back_and_only_new_texts_are_embedded(tmp_path: Path) -> None:
    cache = VectorCache(tmp_path / "c.npz")
    calls: list[list[str]] = []

    def counting(texts: list[str]) -> np.ndarray:
        calls.append(list(texts))
        return _embed(texts)

    first = cache.vectors(["alpha", "beta"], counting)
    again = VectorCache(tmp_path / "c.npz").vectors(["beta", "alpha", "gamma"], counting)
    assert calls == [["alpha", "beta"], ["gamma"]]
    np.testing.assert_array_equal(again[:2], first[::-1])
    assert (tmp_path / "c.npz").stat().st_mode & 0o777 == 0o600


def test_concurrent_writers_of_one_cache_both_succeed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both writers hold their written file before either renames it: with one shared temporary name
    the second rename found nothing (FileNotFoundError) and failed that worker's warm-up."""
    both_written = threading.Barrier(2, timeout=10)
    savez = np.savez

    def savez_then_wait(*args: Any, **kwargs: Any) -> None:
        savez(*args, **kwargs)
        both_written.wait()

    monkeypatch.setattr(vector_cache.np, "savez", savez_then_wait)
    errors: list[BaseException] = []

    def warm(texts: list[str]) -> None:
        try:
            VectorCache(tmp_path / "shared.npz").vectors(texts, _embed)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=warm, args=(t,)) for t in (["one", "two"], ["one", "three"])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert [p.name for p in tmp_path.iterdir()] == ["shared.npz"]  # no temporary file left behind
    with np.load(tmp_path / "shared.npz") as data:
        assert len(data["keys"]) == 2  # the last writer's set: "one" and its own text


def test_a_cache_that_cannot_be_written_does_not_fail_the_caller(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(file: Any, **arrays: Any) -> None:
        Path(file).write_bytes(b"partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(vector_cache.np, "savez", disk_full)
    vectors = VectorCache(tmp_path / "c.npz").vectors(["alpha"], _embed)
    np.testing.assert_array_equal(vectors, _embed(["alpha"]))
    assert list(tmp_path.iterdir()) == []  # neither the cache nor a partial temporary file
