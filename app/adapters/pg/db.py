"""One way to reach PostgreSQL: one autocommit connection per store, rows as dicts, times in UTC,
the schema migrated to the newest revision once per process and URL.

A store's calls are serialised on its connection (as the SQLite stores serialise on theirs); the
connection is reopened when the server dropped it. Connections are session-level: the job queue
tells a dead worker by its session, so a transaction-pooling proxy must not sit in between.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

from app.adapters.pg.migrate import migrate
from app.core.errors import ConfigError

SCHEMES = ("postgresql://", "postgres://")
Params = Sequence[Any] | Mapping[str, Any]
Connection = psycopg.Connection[dict[str, Any]]


@dataclass(frozen=True)
class Result:
    rows: list[dict[str, Any]]
    rowcount: int

    def one(self) -> dict[str, Any] | None:
        return self.rows[0] if self.rows else None


def iso(value: datetime | None, timespec: str = "milliseconds") -> str | None:
    """A timestamptz as the SQLite stores write their times: ISO 8601, UTC, +00:00."""
    return None if value is None else value.isoformat(timespec=timespec)


def check_url(url: str) -> str:
    if not url.startswith(SCHEMES):
        raise ConfigError("SME_DATABASE_URL must be a postgresql://user:password@host:port/database URL")
    return url


def connect(url: str) -> Connection:
    conn = psycopg.connect(check_url(url), autocommit=True, row_factory=dict_row,
                           application_name="sme", connect_timeout=10)
    conn.execute("SET TIME ZONE 'UTC'")
    return conn


class Database:
    def __init__(self, url: str) -> None:
        self.url = check_url(url)
        migrate(self.url)
        self._lock = threading.RLock()
        self._conn: Connection | None = None

    def _connection(self) -> Connection:
        if self._conn is None or self._conn.closed or self._conn.broken:
            self._conn = connect(self.url)
        return self._conn

    def run(self, sql: str, params: Params = ()) -> Result:
        with self._lock:
            cur = self._connection().execute(sql.encode(), params)
            rows = cur.fetchall() if cur.description else []
            return Result(rows, cur.rowcount)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """The store's connection inside one transaction, held by this thread until it ends."""
        with self._lock:
            conn = self._connection()
            with conn.transaction():
                yield conn

    def problem(self) -> str | None:
        """None while the database answers, else why not (for readiness probes)."""
        try:
            self.run("SELECT 1")
        except psycopg.Error as exc:
            return f"the database does not answer ({type(exc).__name__})"
        return None

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __del__(self) -> None:  # a store dropped unclosed (an app without a shutdown hook) ends its session
        conn = getattr(self, "_conn", None)
        if conn is not None:
            conn.close()
