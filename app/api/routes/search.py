from __future__ import annotations

from pathlib import PurePosixPath

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from app.api.deps import DepsDep, PrincipalDep
from app.api.schemas import DocumentGroup, ErrorResponse, Routing, SearchHit, SearchRequest, SearchResponse
from app.core.errors import InputError
from app.core.retrieve import Filters, group_by_document
from app.core.routing import route_json
from app.core.types import DOC_KINDS, Hit

router = APIRouter(prefix="/v1", tags=["search"])


@router.post("/search", response_model=SearchResponse, responses={401: {"model": ErrorResponse}})
async def search(body: SearchRequest, deps: DepsDep, principal: PrincipalDep) -> SearchResponse:
    f = body.filters
    if f.kind is not None and f.kind not in DOC_KINDS:
        raise InputError(f"filters.kind must be one of {', '.join(DOC_KINDS)}")
    filters = Filters(**f.model_dump())
    hits, route = await run_in_threadpool(deps.retriever().search_routed, body.query, principal, body.k, filters)
    out = [_hit(h) for h in hits]
    groups = None
    if body.group_by_document:
        groups = [DocumentGroup(doc_id=g[0].doc_id, title=g[0].title, hits=[_hit(h) for h in g])
                  for g in group_by_document(hits)]
    return SearchResponse(hits=out, groups=groups, routing=Routing(**route_json(route)))


def _hit(h: Hit) -> SearchHit:
    fields = {k: getattr(h, k) for k in SearchHit.model_fields}  # a hit's fields are flat: no deep copy of it
    return SearchHit(**{**fields, "source": shown_source(h.source)})


def shown_source(source: str) -> str:
    """A document's source as callers see it: an upload (`upload:<scope>/<name>`) or a URL as is; a
    file ingested from a server path by its name (and archive member), never the server's folders."""
    if source.startswith(("upload:", "http://", "https://")):
        return source
    outer, bang, member = source.partition("!")
    return PurePosixPath(outer.replace("\\", "/")).name + bang + member
