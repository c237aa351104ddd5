"""Request limits: a token bucket per API key id (in this process's memory), failed key checks
per client address, and the body size.

Each key may burst `rate_limit_burst` requests, refilled at `rate_limit_per_s`. The buckets live
in the worker process, so with N uvicorn workers a key's ceiling is N times the setting (each
worker limits what reaches it); a shared store (Redis) would be the next step for a fleet.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
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


class FailedAuths:
    """Failed API-key checks per client address in a sliding window. An address at the limit is
    refused before its next key is even hashed (PBKDF2 is slow on purpose: each guess costs the
    server ~0.1 s of CPU), until its oldest failure leaves the window."""

    def __init__(self, limit: int, window_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window_s = window_s
        self.clock = clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def check(self, client: str) -> None:
        """Raise RateLimited while `client` has `limit` failures within the window; 0 turns this off."""
        if self.limit <= 0:
            return
        now = self.clock()
        with self._lock:
            failures = self._failures.get(client)
            if failures is None:
                return
            self._prune(failures, now)
            if len(failures) >= self.limit:
                raise RateLimited(failures[0] + self.window_s - now, "too many failed API key checks from this address")

    def failed(self, client: str) -> None:
        if self.limit <= 0:
            return
        now = self.clock()
        with self._lock:
            failures = self._failures.pop(client, None) or deque(maxlen=self.limit)
            self._prune(failures, now)
            failures.append(now)
            self._failures[client] = failures  # most recent last: the oldest address goes first
            if len(self._failures) > MAX_KEYS:
                self._failures.popitem(last=False)

    def _prune(self, failures: deque[float], now: float) -> None:
        while failures and failures[0] <= now - self.window_s:
            failures.popleft()


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
