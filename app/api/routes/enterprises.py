"""Enterprise profiles: POST /v1/profile (files or text in, profile out), GET /v1/enterprises[/{id}].

Uploaded files are ingested as the caller's tenant's enterprise documents (source
`upload:<enterprise_id>/<file name>`, so a new upload of the same name supersedes the old one),
then the enterprise is re-profiled from all its documents and the profile stored.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from app.api.deps import DepsDep, PrincipalDep
from app.api.responses import EnterpriseList, Profile
from app.api.schemas import ErrorResponse, ProfileRequest
from app.core.errors import DocumentError, InputError, NotFound
from app.core.server_paths import without_server_paths
from app.core.shown_names import shown_name
from app.core.types import Principal, RawFile
from app.enterprises import Enterprises
from app.wiring import Deps
from ingest.load import Failure
from ingest.pipeline import Ingestor, Target

router = APIRouter(prefix="/v1", tags=["enterprises"])
ENTERPRISE_ID = re.compile(r"^[\w.\-]{1,128}$")
MAX_FILES = 50
_BODY = {"requestBody": {"content": {
    "application/json": {"schema": ProfileRequest.model_json_schema()},
    "multipart/form-data": {"schema": {"type": "object", "properties": {
        "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
        "enterprise_id": {"type": "string"}, "name": {"type": "string"}, "text": {"type": "string"}}}}}}}
_ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": ErrorResponse}, 401: {"model": ErrorResponse},
                                            404: {"model": ErrorResponse}}


def _enterprises(request: Request) -> Enterprises:
    return request.app.state.enterprises


@router.post("/profile", response_model=Profile, response_model_exclude_unset=True, openapi_extra=_BODY, responses=_ERRORS)
async def profile(request: Request, deps: DepsDep, principal: PrincipalDep) -> dict[str, Any]:
    """Profile an enterprise from uploaded files (multipart `files`, with `enterprise_id`), from
    `text`, or from its documents already ingested (`enterprise_id` alone)."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        async with request.form(max_files=MAX_FILES) as form:  # closes the spooled uploads
            body = _validated({"enterprise_id": _str(form.get("enterprise_id")), "name": _str(form.get("name")) or "",
                               "text": _str(form.get("text")) or ""})
            files = [(f.filename or "", await f.read()) for f in form.getlist("files") if isinstance(f, UploadFile)]
    else:
        try:
            raw = await request.json()
        except ValueError as exc:
            raise InputError("the body must be JSON or multipart/form-data") from exc
        body = _validated(raw)
        files = []
    return await run_in_threadpool(_profile, deps, _enterprises(request), principal, body, files)


def _validated(raw: object) -> ProfileRequest:
    try:
        return ProfileRequest.model_validate(raw)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_url=False), body=raw) from exc


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _profile(deps: Deps, service: Enterprises, principal: Principal, body: ProfileRequest,
             files: list[tuple[str, bytes]]) -> dict[str, Any]:
    eid = body.enterprise_id
    if eid is not None and not ENTERPRISE_ID.match(eid):
        raise InputError("enterprise_id: letters, digits, '.', '_' or '-', at most 128")
    if not eid:
        if files:
            raise InputError("uploading files needs an 'enterprise_id' to file them under")
        return service.from_text(body.text, body.name)
    ingest: dict[str, Any] | None = None
    if files:
        report = Ingestor(deps.settings, deps.kb, deps.embedder).run_raw(
            [_raw(eid, name, data) for name, data in files], Target("enterprise", principal.tenant, eid))
        files_out = [{"source": o.source, "status": o.status, "reason": without_server_paths(o.reason), "doc_id": o.doc_id}
                     for o in report.outcomes]
        ingest = {"counts": report.counts, "files": files_out}
    try:
        row = service.refresh(principal.tenant, eid, body.name, body.text)
    except NotFound as exc:
        if ingest is None:
            raise
        reasons = "; ".join(f"{f['source'].rsplit('/', 1)[-1]}: {f['status']} ({f['reason']})" for f in ingest["files"])
        raise DocumentError(f"none of the uploaded files could be read: {reasons}", status="rejected") from exc
    return {**row, "ingest": ingest} if ingest else row


def upload_source(scope: str, filename: str) -> str:
    """The document source of an uploaded file: `upload:<scope>/<name>` (POST /v1/ingest too)."""
    name = shown_name(PurePosixPath(filename.replace("\\", "/")).name)  # no directories: "../../x" is "x"
    return f"upload:{scope}/{name or 'unnamed'}"


def _raw(eid: str, filename: str, data: bytes) -> RawFile | Failure:
    source = upload_source(eid, filename)
    if not data:
        return Failure(source, "rejected", "empty file (0 bytes)")
    return RawFile(source=source, data=data)


@router.get("/enterprises", response_model=EnterpriseList, response_model_exclude_unset=True, responses=_ERRORS)
async def list_enterprises(deps: DepsDep, principal: PrincipalDep,
                           limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict[str, Any]:
    rows = await run_in_threadpool(deps.profiles.list, principal.tenant, limit)
    return {"enterprises": [{"enterprise_id": e, "name": n} for e, n in rows]}


@router.get("/enterprises/{enterprise_id}", response_model=Profile, response_model_exclude_unset=True, responses=_ERRORS)
async def get_enterprise(enterprise_id: str, request: Request, principal: PrincipalDep,
                         tenant: Annotated[str | None, Query(max_length=64, description="admins only")] = None) -> dict[str, Any]:
    return await run_in_threadpool(_enterprises(request).get, principal, enterprise_id, tenant)
