"""One way to open the metadata database: shared by the API's threads, WAL, autocommit, schema ensured."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.adapters.private_files import private_db


def open_db(path: Path, schema: str) -> sqlite3.Connection:
    private_db(path)
    conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.executescript(schema)
    return conn
