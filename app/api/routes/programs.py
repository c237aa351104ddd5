from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from app.adapters.programs import ProgramQuery
from app.api.deps import DepsDep, PrincipalDep
from app.api.responses import Program, ProgramList
from app.core.program_json import program_to_json
from app.core.retrieve import allowed_tenants

router = APIRouter(prefix="/v1", tags=["programs"])


@router.get("/programs", response_model=ProgramList, response_model_exclude_unset=True)
async def list_programs(
    deps: DepsDep,
    principal: PrincipalDep,
    kind: Literal["policy", "credit", "equity"] | None = None,
    issuer: Annotated[str | None, Query(max_length=200)] = None,
    jurisdiction: Annotated[str | None, Query(max_length=100)] = None,
    valid_on: date | None = None,
    q: Annotated[str | None, Query(max_length=200, description="words in title, issuer, tags or text")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    query = ProgramQuery(kind=kind, issuer=issuer, jurisdiction=jurisdiction, valid_on=valid_on, text=q,
                         tenants=allowed_tenants(principal), limit=limit, offset=offset)
    programs = await run_in_threadpool(deps.programs.list, query)
    return {"programs": [program_to_json(p) for p in programs]}


@router.get("/programs/{program_id}", response_model=Program, response_model_exclude_unset=True)
async def get_program(program_id: str, deps: DepsDep, principal: PrincipalDep) -> dict[str, Any]:
    return program_to_json(await run_in_threadpool(deps.programs.get, program_id, allowed_tenants(principal)))

