"""Probes and metrics. /healthz: the process answers (liveness, nothing internal); /readyz: the
models are warm (readiness); /metrics: Prometheus text, for an admin key unless SME_METRICS_PUBLIC."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from prometheus_client import CONTENT_TYPE_LATEST, Gauge, generate_latest

from app.api.deps import get_principal
from app.api.errors import error_response
from app.api.responses import Status
from app.api.shared_limits import database_problem
from app.api.warm_up import RETRY_AFTER_S, Readiness
from app.core.errors import Forbidden
from app.wiring import Deps

router = APIRouter(tags=["health"])
_bearer = HTTPBearer(auto_error=False, description="an admin API key")
INDEX_VECTORS = Gauge("sme_index_vectors", "vectors in the committed index")
INDEX_GENERATION = Gauge("sme_index_generation", "the committed index generation")


@router.get("/healthz", response_model=Status)
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", response_model=Status, responses={503: {"description": "still warming up (Retry-After), or the warm-up failed"}})
def readyz(request: Request) -> JSONResponse:
    readiness: Readiness = request.app.state.readiness
    if readiness.ready and (problem := database_problem(getattr(request.app.state, "keys", None))) is not None:
        return error_response(503, "database_unavailable", problem, {"Retry-After": str(RETRY_AFTER_S)})
    if readiness.ready:
        return JSONResponse({"status": "ready"})
    code, message = readiness.not_ready()
    return error_response(503, code, message, {"Retry-After": str(RETRY_AFTER_S)})


def metrics_reader(request: Request,
                   credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
    deps: Deps = request.app.state.deps
    if deps.settings.metrics_public:
        return
    if not get_principal(request, credentials).is_admin:
        raise Forbidden("/metrics needs an admin key (or SME_METRICS_PUBLIC=true)")


@router.get("/metrics", include_in_schema=False, dependencies=[Depends(metrics_reader)])
def metrics(request: Request) -> Response:
    deps: Deps = request.app.state.deps
    INDEX_GENERATION.set(int(deps.kb.store.meta("index_generation") or 0))
    if request.app.state.readiness.ready:  # the retriever reloads what another process committed
        deps.retriever()
        index = deps.kb.index()
        INDEX_VECTORS.set(0 if index is None else index.size)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
