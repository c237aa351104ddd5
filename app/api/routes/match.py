"""POST /v1/match: an enterprise (id, profile or text) in; ranked, explained matches out."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from starlette.concurrency import run_in_threadpool

from app.api.deps import DepsDep, PrincipalDep
from app.api.responses import MatchResponse
from app.api.schemas import ErrorResponse, FreeFormLimits, MatchRequest
from app.core.match_json import result_to_json
from app.core.types import Principal
from app.matching import Matching

router = APIRouter(prefix="/v1", tags=["match"])


@router.post("/match", response_model=MatchResponse, response_model_exclude_unset=True, responses={400: {"model": ErrorResponse}, 401: {"model": ErrorResponse},
                                  404: {"model": ErrorResponse}, 422: {"model": ErrorResponse}})
async def match(body: MatchRequest, request: Request, deps: DepsDep, principal: PrincipalDep) -> dict[str, Any]:
    """Programs of the requested kinds ranked by score, each with per-criterion verdicts (met / unmet /
    unknown, the clause and the firm's fact), the explanation and the questions to ask the client."""
    s = deps.settings
    problem = body.free_form_error(FreeFormLimits(s.max_object_keys, s.max_object_depth, s.max_object_string_chars))
    if problem:
        loc, reason = problem
        raise RequestValidationError([{"loc": ("body", *loc), "msg": reason, "type": "value_error"}])
    matching: Matching = request.app.state.matching
    return await run_in_threadpool(_run, matching, principal, body)


def _run(matching: Matching, principal: Principal, body: MatchRequest) -> dict[str, Any]:
    result = matching.match(principal, enterprise_id=body.enterprise_id, profile=body.profile, text=body.text,
                            kinds=list(body.kinds) if body.kinds else None, k=body.k, overrides=body.overrides, today=body.as_of)
    return result_to_json(result, body.include_excluded, matching.summaries(result))
