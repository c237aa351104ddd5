"""Batch workers are spawned, not forked (app/jobs/profile_batch.run_local): a forked child copies the parent's
locks mid-use (onnxruntime's and OpenMP's thread pools once a model is loaded) and can wait on one forever."""

from __future__ import annotations

from typing import Any

from app.jobs import profile_batch


def _inherited(batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Whether this worker sees what the parent set in memory after import (a fork would)."""
    return [{"id": r["id"], "inherited": hasattr(profile_batch, "_SET_BY_THE_PARENT")} for r in batch]


def _work() -> Any:
    return _inherited


def test_workers_start_fresh_without_the_parents_memory() -> None:
    profile_batch._SET_BY_THE_PARENT = True  # type: ignore[attr-defined]
    try:
        rows = [r for out in profile_batch.run_local(_work, [[{"id": "a"}], [{"id": "b"}]], workers=2) for r in out]
    finally:
        del profile_batch._SET_BY_THE_PARENT  # type: ignore[attr-defined]
    assert sorted(r["id"] for r in rows) == ["a", "b"] and not any(r["inherited"] for r in rows)
