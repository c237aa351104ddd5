"""The shared rate limit under real concurrency: many threads on several connections (processes,
hosts) spend from one bucket, and exactly the burst is granted: each take is one atomic upsert."""

from __future__ import annotations

import threading

from app.adapters.pg.limits import PgFailedAuths, PgTokenBuckets
from tests.pg.stores import Opened


def test_racing_takes_on_four_connections_grant_exactly_the_burst(pg_url: str, opened: Opened) -> None:
    limiters = [opened(PgTokenBuckets(pg_url, rate_per_s=0.001, burst=25)) for _ in range(4)]
    granted = [0] * 4

    def spend(n: int) -> None:
        for _ in range(15):
            if limiters[n].take("k1") == 0.0:
                granted[n] += 1

    threads = [threading.Thread(target=spend, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sum(granted) == 25  # of 60 requests
    assert limiters[0].take("k1") > 900  # the next token is ~1,000 s away at 0.001/s


def test_racing_failures_on_four_connections_are_all_counted(pg_url: str, opened: Opened) -> None:
    guards = [opened(PgFailedAuths(pg_url, limit=40, window_s=300.0)) for _ in range(4)]
    threads = [threading.Thread(target=lambda g=g: [g.failed("10.0.0.1", "k1") for _ in range(10)]) for g in guards]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert 0.5 < guards[0].backoff("10.0.0.1", "k1") <= 1.0  # 40 failures: the limit reached, 1 s back-off
    assert guards[0].backoff("10.0.0.2", "k1") == 0.0
