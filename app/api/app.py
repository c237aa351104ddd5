"""create_app(settings): the FastAPI application with its lifespan."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from prometheus_client import Counter, Histogram
from starlette.concurrency import run_in_threadpool

from app.adapters.backends import key_store
from app.adapters.cpus import limit_blas_threads
from app.api import errors
from app.api.audit import AuditMiddleware
from app.api.body_limits import JsonBodyLimit
from app.api.client_address import parse_networks
from app.api.ratelimit import BodyLimit
from app.api.routes import chat, docs, enterprises, health, ingest, match, programs, search, ui
from app.api.security_headers import SecurityHeaders
from app.api.shared_limits import audit_log, failed_auths, rate_limiter
from app.api.warm_up import Readiness, ReadinessGate, WarmUp
from app.core.errors import IndexCorrupt
from app.core.pii import install_log_masking
from app.settings import Settings, get_settings
from app.wiring import Deps

logger = logging.getLogger(__name__)
REQUESTS = Counter("sme_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram("sme_http_request_seconds", "HTTP request latency", ["route"])


def create_app(settings: Settings | None = None, deps: Deps | None = None) -> FastAPI:
    """The app; without arguments it reads the environment (`uvicorn --factory --workers N`)."""
    settings = settings or get_settings()
    install_log_masking()
    limit_blas_threads(settings.blas_threads)  # requests' small matrix products: one core each
    readiness = Readiness()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        readiness.reset()
        built = deps or Deps.build(settings)
        try:
            await run_in_threadpool(built.retriever)  # index and BM25 load once; a corrupt index stops the start
        except IndexCorrupt as exc:
            logger.critical("cannot start: %s", exc)
            raise
        app.state.deps = built
        app.state.keys = key_store(settings)  # these four in PostgreSQL when SME_DATABASE_URL is set
        app.state.rate_limiter = rate_limiter(settings)
        app.state.failed_auths = failed_auths(settings)
        audit = ingest.audit_finished(audit_log(settings)) if settings.audit_log else None
        warm_up = WarmUp(app, built, readiness, audit)  # the models, the services over them, the ingest worker
        if settings.startup_warm_up == "blocking":
            await run_in_threadpool(warm_up.run)
        else:
            warm_up.start()
        yield
        await run_in_threadpool(warm_up.stop)

    app = FastAPI(title="SME assistant", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Cited knowledge base, enterprise profiles and program matching for tech SMEs.")
    app.state.readiness = readiness
    errors.install(app)
    app.state.trusted_proxies = parse_networks(settings.trusted_proxies)
    app.include_router(health.router)
    app.include_router(search.router)
    app.include_router(programs.router)
    app.include_router(enterprises.router)
    app.include_router(ingest.router)
    app.include_router(match.router)
    app.include_router(chat.router)

    app.include_router(ui.router)
    app.mount("/static", ui.static_files(), name="static")
    docs.install(app)

    app.add_middleware(BodyLimit, max_bytes=int(settings.max_request_mb * 1024 * 1024))  # chunked too
    app.add_middleware(JsonBodyLimit, max_bytes=int(settings.max_json_mb * 1024 * 1024))

    @app.middleware("http")  # added after BodyLimit so it wraps it: its task group would hide the 413
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > settings.max_request_mb * 1024 * 1024:
            return errors.error_response(413, "payload_too_large", f"request body over {settings.max_request_mb:g} MB")
        started = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        path = getattr(route, "path", "unmatched")
        REQUESTS.labels(request.method, path, str(response.status_code)).inc()
        LATENCY.labels(path).observe(time.perf_counter() - started)
        return response

    app.add_middleware(ReadinessGate, readiness=readiness)

    if settings.audit_log:
        app.add_middleware(AuditMiddleware, log=audit_log(settings), trusted=app.state.trusted_proxies)
    app.add_middleware(SecurityHeaders)  # outermost: every response, errors and refusals included
    return app
