"""The stores under test, built as the app builds them (app/adapters/backends.py,
app/api/shared_limits.py), for one backend: "sqlite" (the default) or "postgresql"."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.settings import Settings

BACKENDS = ("sqlite", "postgresql")


def backend_settings(request: pytest.FixtureRequest, tmp_path: Path, **overrides: Any) -> Settings:
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else None
    return Settings(data_dir=tmp_path / "data", database_url=url, **overrides)


def close_all(stores: list[object]) -> None:
    for store in stores:
        for inner in (store, getattr(store, "buckets", None), getattr(store, "failures", None),
                      getattr(store, "sink", None)):
            close = getattr(inner, "close", None)
            if close is not None and hasattr(inner, "db"):
                close()


class Opened:
    """Stores opened by one test, closed after it."""

    def __init__(self) -> None:
        self.stores: list[object] = []

    def __call__(self, store: Any) -> Any:
        self.stores.append(store)
        return store


def opened() -> Iterator[Opened]:
    keep = Opened()
    yield keep
    close_all(keep.stores)
