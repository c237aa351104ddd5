"""Parse risky files in a child process with a wall-clock budget.

A parser stuck in CPU-bound code (a pathological regex, a huge XML part) cannot be interrupted in
its own thread, but its process can be killed. A child is a plain `python -m` of this module (no
multiprocessing: nothing re-runs the caller's main script), is reused from file to file, and leads
its own process group, so a killed child takes any helper it started (tesseract) with it. While
it works, the parent checks its resident memory every POLL_S and kills it past
SME_PARSE_MAX_MEMORY_MB, so a file that inflates in memory fails alone.
"""

from __future__ import annotations

import atexit
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from app.adapters.parse_budget import over_time
from app.core.errors import DocumentError
from app.core.types import Parsed, RawFile
from app.settings import Settings

logger = logging.getLogger(__name__)
Parse = Callable[[RawFile, Settings], Parsed]
START_TIMEOUT_S = 120.0  # a new child imports the parsers first; not part of a file's budget
POLL_S = 0.1  # how often a busy child's memory is read
MB = 1024 * 1024


class _Child:
    def __init__(self) -> None:
        to_child, self._to_child = os.pipe()
        self._from_child, from_child = os.pipe()
        self.process = subprocess.Popen(
            [sys.executable, "-m", __name__, str(to_child), str(from_child)], pass_fds=(to_child, from_child),
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, start_new_session=True)
        os.close(to_child)
        os.close(from_child)
        self.send = Connection(self._to_child, readable=False)
        self.recv = Connection(self._from_child, writable=False)
        try:
            started = self.recv.poll(START_TIMEOUT_S) and self.recv.recv() == ("ready",)
        except (EOFError, OSError):
            started = False
        if not started:
            self.kill()
            raise DocumentError(f"the parser process could not start (exit code {self.process.returncode})")

    def run(self, fn: Parse, raw: RawFile, settings: Settings, timeout_s: float) -> Parsed:
        try:
            self.send.send((fn, raw, settings))
        except OSError as exc:
            self.kill()
            raise DocumentError(f"the parser process had died (exit code {self.process.returncode})") from exc
        self._wait(timeout_s, settings.parse_max_memory_mb)
        answer = self._answer()
        if answer[0] == "ok":
            parsed: Parsed = answer[1]
            return parsed
        raise DocumentError(answer[2], status=answer[1])

    def _wait(self, timeout_s: float, memory_mb: float) -> None:
        """Until the child answers; killed when over its time or memory budget."""
        deadline = time.monotonic() + timeout_s
        while not self.recv.poll(max(0.0, min(POLL_S, deadline - time.monotonic()))):
            if time.monotonic() >= deadline:
                self.kill()
                raise over_time(timeout_s)
            if memory_mb and _resident(self.process.pid) > memory_mb * MB:
                self.kill()
                raise DocumentError(f"parsing used more than the {memory_mb:g} MB memory budget "
                                    "(SME_PARSE_MAX_MEMORY_MB); the file was skipped")

    def _answer(self) -> tuple[Any, ...]:
        try:
            answer: tuple[Any, ...] = self.recv.recv()
        except (EOFError, OSError) as exc:
            self.kill()
            raise DocumentError(f"the parser process died on this file (exit code {self.process.returncode})") from exc
        return answer

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.process.returncode is None:  # not reaped yet, so its group id cannot have been reused
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(10)
        self.send.close()
        self.recv.close()


def _resident(pid: int) -> int:
    """Resident bytes of a process (Linux /proc); 0 where that cannot be read."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class ParseSandbox:
    """Idle children, at most `parse_workers` kept; a caller takes one, or starts one when none is idle."""

    def __init__(self) -> None:
        self._idle: list[_Child] = []
        self._all: set[_Child] = set()
        self._lock = threading.Lock()

    def parse(self, fn: Parse, raw: RawFile, settings: Settings, timeout_s: float) -> Parsed:
        child = self._take()
        try:
            parsed = child.run(fn, raw, settings, timeout_s)
        except DocumentError:
            if child.alive:  # the child answered with this file's error: it can take the next one
                self._give_back(child, settings.parse_workers)
            else:
                self._discard(child)
            raise
        except BaseException:  # interrupted mid-exchange: the pipe may hold half a message
            self._discard(child)
            raise
        self._give_back(child, settings.parse_workers)
        return parsed

    def _take(self) -> _Child:
        with self._lock:
            while self._idle:
                child = self._idle.pop()
                if child.alive:
                    return child
                self._all.discard(child)
        child = _Child()
        with self._lock:
            self._all.add(child)
        return child

    def _give_back(self, child: _Child, slots: int) -> None:
        with self._lock:
            if len(self._idle) < slots:
                self._idle.append(child)
                return
        self._discard(child)

    def _discard(self, child: _Child) -> None:
        with self._lock:
            self._all.discard(child)
        child.kill()

    def close(self) -> None:
        """Kill every child, busy ones too (at exit: a child must not outlive its parent's work)."""
        with self._lock:
            children, self._all, self._idle = self._all, set(), []
        for child in children:
            child.kill()

    def forget(self) -> None:
        """In a forked copy of the parent (a process pool worker): the children are the parent's, so
        drop this copy's ends of their pipes without killing them, and start afresh."""
        self._lock = threading.Lock()  # another thread may have held it at the fork
        for child in self._all:
            child.send.close()
            child.recv.close()
        self._all, self._idle = set(), []


_SANDBOX = ParseSandbox()
os.register_at_fork(after_in_child=_SANDBOX.forget)


@atexit.register
def close_all() -> None:
    _SANDBOX.close()


def isolated_parse(fn: Parse, raw: RawFile, settings: Settings) -> Parsed:
    """`fn(raw, settings)` in a child process, stopped after `settings.parse_timeout_s`."""
    return _SANDBOX.parse(fn, raw, settings, settings.parse_timeout_s)


def _serve(recv: Connection, send: Connection) -> None:
    """Child loop: parse what arrives, answer ("ok", Parsed) or ("error", status, message)."""
    from app.adapters.parsers import parse_in_process

    try:  # imports and the tagger model load before "ready", so they are not charged to a file's budget
        parse_in_process(RawFile(source="warm-up.txt", data=b"The firm grew.\n\nWarm up"), Settings())
    except Exception:  # a real file will meet the same error and report it
        logger.exception("parser warm-up failed")
    send.send(("ready",))
    while True:
        try:
            fn, raw, settings = recv.recv()
        except EOFError:  # the parent closed the pipe or exited
            return
        try:
            send.send(("ok", fn(raw, settings)))
        except DocumentError as exc:
            send.send(("error", exc.status, str(exc)))
        except Exception as exc:  # noqa: BLE001  # a parser bug is this file's failure, not the child's end
            send.send(("error", "failed", f"unexpected parser error: {type(exc).__name__}: {exc}"))


if __name__ == "__main__":
    _serve(Connection(int(sys.argv[1]), writable=False), Connection(int(sys.argv[2]), readable=False))
