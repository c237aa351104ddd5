"""Request limits: a token bucket per API key id (in this process's memory), back-off on failed key
checks per client address and key id, and the body size.

Each key may burst `rate_limit_burst` requests, refilled at `rate_limit_per_s`. The buckets live
in the worker process, so with N uvicorn workers a key's ceiling is N times the setting (each
worker limits what reaches it); a shared store (Redis) would be the next step for a fleet.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import (
    HTTPException,  # fastapi re-raises its own kind from body parsing (starlette's becomes a 400)
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_KEYS = 100_000  # least recently used buckets are dropped beyond this: memory stays bounded


class RateLimited(Exception):
    def __init__(self, retry_after_s: float, what: str = "rate limit exceeded for this API key") -> None:
        super().__init__(f"{what}; retry after {math.ceil(retry_after_s)} s")
        self.retry_after_s = retry_after_s


@dataclass
class _Bucket:
    tokens: float
    updated: float


class TokenBuckets:
    def __init__(self, rate_per_s: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate_per_s
        self.burst = max(1, burst)
        self._clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def take(self, key_id: str) -> None:
        """Spend one token of this key's bucket, or raise RateLimited with the wait until the next."""
        if not self.enabled:
            return
        now = self._clock()
        with self._lock:
            bucket = self._buckets.pop(key_id, None) or _Bucket(float(self.burst), now)
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
            self._buckets[key_id] = bucket
            if len(self._buckets) > MAX_KEYS:
                self._buckets.popitem(last=False)
            if bucket.tokens < 1:
                raise RateLimited((1 - bucket.tokens) / self.rate)
            bucket.tokens -= 1


@dataclass
class _Failures:
    count: int
    last: float


class FailedAuths:
    """Failed API-key checks per (client address, key id), with exponential back-off: after `limit`
    failures in a row the pair waits 1 s before its next key is hashed, then 2, 4, 8 … s per further
    failure, at most `window_s`. A blocked pair is refused before hashing (PBKDF2 is slow on
    purpose: each guess costs the server ~0.1 s of CPU). Keyed on the pair, bad keys never refuse
    a key of another id or from another address; a success, or `window_s` past the back-off
    without a failure, forgets the pair."""

    def __init__(self, limit: int, window_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window_s = window_s
        self.clock = clock
        self._failures: OrderedDict[tuple[str, str], _Failures] = OrderedDict()
        self._lock = threading.Lock()

    def check(self, client: str, key_id: str) -> None:
        """Raise RateLimited while this pair is backing off; a limit of 0 turns this off."""
        if self.limit <= 0:
            return
        now = self.clock()
        with self._lock:
            failures = self._current((client, key_id), now)
            if failures is not None and failures.count >= self.limit and now < failures.last + self._wait(failures):
                raise RateLimited(failures.last + self._wait(failures) - now,
                                  "too many failed API key checks for this key id from this address")

    def failed(self, client: str, key_id: str) -> None:
        if self.limit <= 0:
            return
        now = self.clock()
        with self._lock:
            pair = (client, key_id)
            failures = self._current(pair, now) or _Failures(0, now)
            self._failures.pop(pair, None)
            self._failures[pair] = _Failures(failures.count + 1, now)  # most recent last: the oldest goes first
            if len(self._failures) > MAX_KEYS:
                self._failures.popitem(last=False)

    def succeeded(self, client: str, key_id: str) -> None:
        with self._lock:
            self._failures.pop((client, key_id), None)

    def _wait(self, failures: _Failures) -> float:
        return float(min(self.window_s, 2.0 ** min(failures.count - self.limit, 64)))

    def _current(self, pair: tuple[str, str], now: float) -> _Failures | None:
        failures = self._failures.get(pair)
        if failures is not None and now >= failures.last + self._wait(failures) + self.window_s:
            del self._failures[pair]
            return None
        return failures


class BodyTooLarge(HTTPException):
    def __init__(self, limit_bytes: int) -> None:
        super().__init__(413, f"request body over {limit_bytes / 1024 / 1024:.3g} MB")


class BodyLimit:
    """Counts body bytes as the app reads them, so chunked uploads without a content-length are
    cut off at the limit too; the error surfaces where the route reads, as a JSON 413."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        total = 0

        async def limited() -> Message:
            nonlocal total
            message = await receive()
            if message["type"] == "http.request":
                total += len(message.get("body", b""))
                if total > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        await self.app(scope, limited, send)
