"""Schema migrations: Alembic's `upgrade head` over the revisions in migrations/versions, run by the
first store a process opens on a URL. Hosts starting together take turns on an advisory lock
(migrations/env.py), so each revision runs once."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
_done: set[str] = set()
_lock = threading.Lock()


def alembic_config(url: str) -> Config:
    from alembic.config import Config  # SQLAlchemy and Alembic load only where a database is configured

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connect"] = lambda: psycopg.connect(url)
    return config


def migrate(url: str) -> None:
    with _lock:
        if url not in _done:
            from alembic import command

            command.upgrade(alembic_config(url), "head")
            _done.add(url)
