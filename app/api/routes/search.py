from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from app.api.deps import DepsDep, PrincipalDep
from app.api.schemas import ErrorResponse, SearchHit, SearchRequest, SearchResponse
from app.core.errors import InputError
from app.core.retrieve import Filters
from app.core.types import DOC_KINDS

router = APIRouter(prefix="/v1", tags=["search"])


@router.post("/search", response_model=SearchResponse, responses={401: {"model": ErrorResponse}})
async def search(body: SearchRequest, deps: DepsDep, principal: PrincipalDep) -> SearchResponse:
    f = body.filters
    if f.kind is not None and f.kind not in DOC_KINDS:
        raise InputError(f"filters.kind must be one of {', '.join(DOC_KINDS)}")
    filters = Filters(kind=f.kind, enterprise_id=f.enterprise_id, doc_id=f.doc_id, lang=f.lang)
    hits = await run_in_threadpool(deps.retriever().search, body.query, principal, body.k, filters)
    return SearchResponse(hits=[SearchHit(**{k: v for k, v in asdict(h).items() if k in SearchHit.model_fields})
                                for h in hits])
