from __future__ import annotations

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from app.api.deps import DepsDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(deps: DepsDep) -> dict[str, object]:
    index = deps.kb.index()
    return {"status": "ok", "chunks": 0 if index is None else index.size,
            "index_generation": int(deps.kb.store.meta("index_generation") or 0)}


@router.get("/metrics", include_in_schema=False)
def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
