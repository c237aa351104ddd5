"""Schema migrations: Alembic's `upgrade head` over the revisions in migrations/versions, once per
process and URL. Hosts starting together take turns on an advisory lock (migrations/env.py), so a
revision runs once; `sme db upgrade` runs it ahead of a rolling deploy."""

from __future__ import annotations

import threading
from pathlib import Path

import psycopg
from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
_done: set[str] = set()
_lock = threading.Lock()


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connect"] = lambda: psycopg.connect(url)
    return config


def migrate(url: str) -> None:
    with _lock:
        if url not in _done:
            command.upgrade(alembic_config(url), "head")
            _done.add(url)
