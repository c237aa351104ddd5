"""Queued work taken in turns across tenants: round robin over the tenants with something queued,
each tenant's own jobs in the order they came. A job runs one slice per turn and, unfinished,
goes back to the head of its tenant's line, so a tenant with one big job and a tenant with a small
one alternate slice by slice, instead of the small one waiting for the whole big one.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque


class Turns:
    def __init__(self) -> None:
        self._lines: OrderedDict[str, deque[str]] = OrderedDict()  # tenant -> its job ids; dict order: whose turn
        self._ready = threading.Condition()
        self._closed = False

    def put(self, tenant: str, job_id: str) -> None:
        """A new job, at the back of its tenant's line."""
        with self._ready:
            self._lines.setdefault(tenant, deque()).append(job_id)
            self._ready.notify()

    def again(self, tenant: str, job_id: str) -> None:
        """A job that ran a slice and has more: first in its tenant's line, the tenant last in turn."""
        with self._ready:
            line = self._lines.pop(tenant, deque())
            line.appendleft(job_id)
            self._lines[tenant] = line
            self._ready.notify()

    def take(self) -> tuple[str, str] | None:
        """(tenant, job id) of the next turn, waiting for one; None once closed."""
        with self._ready:
            while not self._lines and not self._closed:
                self._ready.wait()
            if self._closed:
                return None
            tenant, line = self._lines.popitem(last=False)
            job_id = line.popleft()
            if line:
                self._lines[tenant] = line  # the tenant's next job waits for its next turn
            return tenant, job_id

    def close(self) -> None:
        with self._ready:
            self._closed = True
            self._ready.notify_all()
