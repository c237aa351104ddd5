"""The per-key token bucket and the failed-key-check back-off in PostgreSQL, so every API process
on every host spends from one bucket and backs off one (client address, key id) pair together.
The arithmetic is that of app/api/ratelimit.py, on the database's clock (hosts' clocks may
differ); each change is one atomic upsert. These return seconds to wait (0: go ahead); the API
layer turns them into 429s."""

from __future__ import annotations

import itertools

from app.adapters.pg.db import Database

NOW = "extract(epoch FROM clock_timestamp())"
TAKE = f"""
INSERT INTO rate_buckets AS b (key_id, tokens, updated, granted) VALUES (%(key)s, %(burst)s - 1, {NOW}, true)
ON CONFLICT (key_id) DO UPDATE SET
  tokens = LEAST(%(burst)s, b.tokens + GREATEST(0, EXCLUDED.updated - b.updated) * %(rate)s)
           - CASE WHEN LEAST(%(burst)s, b.tokens + GREATEST(0, EXCLUDED.updated - b.updated) * %(rate)s) >= 1
                  THEN 1 ELSE 0 END,
  granted = LEAST(%(burst)s, b.tokens + GREATEST(0, EXCLUDED.updated - b.updated) * %(rate)s) >= 1,
  updated = GREATEST(b.updated, EXCLUDED.updated)
RETURNING tokens, granted
"""
WAIT = "LEAST(%(window)s, power(2.0, LEAST({n} - %(limit)s, 64)))"  # FailedAuths._wait
FAIL = f"""
INSERT INTO auth_failures AS f (client, key_id, failures, last) VALUES (%(client)s, %(key)s, 1, {NOW})
ON CONFLICT (client, key_id) DO UPDATE SET
  failures = CASE WHEN EXCLUDED.last >= f.last + {WAIT.format(n="f.failures")} + %(window)s THEN 1
                  ELSE f.failures + 1 END,
  last = EXCLUDED.last
"""
BACKOFF = f"""
SELECT GREATEST(0, last + {WAIT.format(n="failures")} - {NOW}) AS wait FROM auth_failures
WHERE client=%(client)s AND key_id=%(key)s AND failures >= %(limit)s
"""
PRUNE_EVERY = 256


class PgTokenBuckets:
    def __init__(self, url: str, rate_per_s: float, burst: int) -> None:
        self.db = Database(url)
        self.rate = rate_per_s
        self.burst = max(1, burst)

    def close(self) -> None:
        self.db.close()

    def take(self, key_id: str) -> float:
        """Spend one token of this key's bucket: 0.0, or the seconds until the next token."""
        row = self.db.run(TAKE, {"key": key_id, "burst": float(self.burst), "rate": self.rate}).one()
        assert row is not None
        return 0.0 if row["granted"] else (1 - row["tokens"]) / self.rate


class PgFailedAuths:
    """FailedAuths' back-off: after `limit` failures in a row a pair waits 1, 2, 4 … s, at most
    `window_s`; forgotten on success or `window_s` after its back-off without a failure."""

    def __init__(self, url: str, limit: int, window_s: float) -> None:
        self.db = Database(url)
        self.limit = limit
        self.window_s = window_s
        self._calls = itertools.count(1)

    def close(self) -> None:
        self.db.close()

    def _args(self, client: str, key_id: str) -> dict[str, object]:
        return {"client": client, "key": key_id, "limit": self.limit, "window": self.window_s}

    def backoff(self, client: str, key_id: str) -> float:
        """Seconds this pair must still wait before its next key is checked (0.0: none)."""
        row = self.db.run(BACKOFF, self._args(client, key_id)).one()
        return float(row["wait"]) if row else 0.0

    def failed(self, client: str, key_id: str) -> None:
        self.db.run(FAIL, self._args(client, key_id))
        if next(self._calls) % PRUNE_EVERY == 0:  # pairs are the client's choice: keep the table bounded
            self.db.run(f"DELETE FROM auth_failures WHERE last < {NOW} - 2 * %(window)s", {"window": self.window_s})

    def succeeded(self, client: str, key_id: str) -> None:
        self.db.run("DELETE FROM auth_failures WHERE client=%s AND key_id=%s", (client, key_id))
