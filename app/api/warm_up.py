"""Readiness: the server answers at once, the models warm in a background thread.

`/healthz` (liveness) answers from the first moment; `/readyz` answers 200 once the warm-up is done
(program vectors, profile classifiers, the ingest worker) and 503 before. Until then every `/v1/`
request gets 503 with `Retry-After` instead of waiting behind the warm-up. What must stop a start
(a corrupted index, an index of another model) is still checked before serving, in the lifespan.
"""

from __future__ import annotations

import gc
import logging
import threading
import time

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from app.adapters.backends import conversation_store
from app.api.errors import error_response
from app.chat import Chat
from app.core.dictionary import load_dictionary
from app.enterprises import Enterprises
from app.jobs.ingest_jobs import Finished, IngestJobs
from app.matching import Matching
from app.wiring import Deps

logger = logging.getLogger(__name__)
RETRY_AFTER_S = 5
STOP_WAIT_S = 30.0


class Readiness:
    def __init__(self) -> None:
        self._ready = threading.Event()
        self.failure: str | None = None
        self.started = time.monotonic()

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    def reset(self) -> None:
        self._ready.clear()
        self.failure = None
        self.started = time.monotonic()

    def set_ready(self) -> None:
        self._ready.set()
        logger.info("ready: models warm after %.1f s", time.monotonic() - self.started)

    def not_ready(self) -> tuple[str, str]:
        """(code, message) of a 503 while not ready."""
        if self.failure:
            return "warm_up_failed", f"the server could not load its models ({self.failure}); see its log"
        return "warming_up", f"the server is loading its models ({time.monotonic() - self.started:.0f} s so far); retry shortly"


class WarmUp:
    """Builds the services that need the models and stores them on `app.state`, then marks ready."""

    def __init__(self, app: FastAPI, deps: Deps, readiness: Readiness, on_job_finish: Finished | None) -> None:
        self.app, self.deps, self.readiness, self.on_job_finish = app, deps, readiness, on_job_finish
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def run(self) -> None:
        state, deps = self.app.state, self.deps
        deps.embedder.warm_up()
        state.enterprises = Enterprises(deps)
        state.matching = Matching(deps, state.enterprises)
        state.matching.catalog()  # program vectors
        state.enterprises.warm_up()  # the profile classifiers
        state.chat = Chat(deps, state.enterprises, state.matching, conversation_store(deps.settings))
        # the intent exemplars and the injection exemplars: embedded on the first question otherwise
        # (~6 s on 2 cores with an empty vector cache, paid by whichever user asks first)
        router = state.chat.router()
        if router.classifier is not None:
            router.classifier.warm_up()
        if router.aim is not None:
            router.aim.label_vectors()  # the profile fields' names (app/core/field_aim.py)
        deps.injection.warm_up()
        if deps.retriever().fusion.dictionary:
            load_dictionary()  # the word translations a search and a grounded answer read (~3 s to parse)
        if self._stopping.is_set():
            return
        state.ingest_jobs = IngestJobs(deps, state.enterprises.refresh, self.on_job_finish)
        state.ingest_jobs.start()  # jobs a crash left running are queued again
        # what the warm-up built lives as long as the process: out of the collector's full passes (one
        # over it took ~70 ms on the demo knowledge base, a pause every request in flight shares)
        gc.collect()
        gc.freeze()
        self.readiness.set_ready()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run_logged, name="warm-up", daemon=True)
        self._thread.start()

    def _run_logged(self) -> None:
        try:
            self.run()
        except Exception as exc:  # the process stays alive (liveness) and says why it is not ready
            logger.exception("warm-up failed: the server stays unready")
            self.readiness.failure = type(exc).__name__

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(STOP_WAIT_S)
        jobs: IngestJobs | None = getattr(self.app.state, "ingest_jobs", None)
        if jobs is not None:
            jobs.stop()


class ReadinessGate:
    """503 + Retry-After for `/v1/` requests until the warm-up is done; probes, docs and the UI pass."""

    def __init__(self, app: ASGIApp, readiness: Readiness) -> None:
        self.app = app
        self.readiness = readiness

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/v1/") and not self.readiness.ready:
            code, message = self.readiness.not_ready()
            await error_response(503, code, message, {"Retry-After": str(RETRY_AFTER_S)})(scope, receive, send)
            return
        await self.app(scope, receive, send)
