"""POST /v1/ingest (files in, a background job out) and GET /v1/jobs[/{job_id}] (its state).

Where documents go: into the caller's own tenant unless `tenant` names another one, which only
admins may do. `public` is special: its policy, credit, equity and general documents are read by
every tenant, so only admins may write there, even a key whose own tenant is called `public`;
enterprise documents always belong to a tenant, never to `public`. Policy, credit and equity
documents also become programs, owned like their documents: a tenant's own programs are matched
and listed for that tenant only (public ones for all). A job is visible to the tenant
that submitted it (and to admins); any other tenant gets 404, as for an id that does not exist.
Uploads get the same handling as POST /v1/profile: its file count cap, its name sanitising
(`upload:<enterprise_id or kind>/<name>`, so a new upload of a name supersedes the old one), the
body size limit, and the pipeline's per-file limits (size, archives) when the job reads them.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from app.adapters.jobs import JobSpec, public_view
from app.api.audit import AuditLog
from app.api.deps import PrincipalDep
from app.api.routes.enterprises import ENTERPRISE_ID, MAX_FILES, upload_source
from app.api.schemas import ErrorResponse, IngestForm, JobList, JobResponse
from app.core.auth import validate_tenant
from app.core.errors import Forbidden, InputError
from app.core.pii import mask
from app.core.types import DOC_KINDS, PUBLIC_TENANT, Principal
from app.jobs.ingest_jobs import Finished, IngestJobs

router = APIRouter(prefix="/v1", tags=["ingest"])
_FIELDS = ("kind", "enterprise_id", "tenant")
_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["files", "kind"], "properties": {
        "files": {"type": "array", "items": {"type": "string", "format": "binary"}, "maxItems": MAX_FILES},
        "kind": {"type": "string", "enum": list(DOC_KINDS)},
        "enterprise_id": {"type": "string", "maxLength": 128, "description": "required for kind 'enterprise'"},
        "tenant": {"type": "string", "maxLength": 64, "description": "admins only: another tenant, or 'public'"}}}}}}}
_ERRORS: dict[int | str, dict[str, Any]] = {s: {"model": ErrorResponse} for s in (400, 401, 403, 404, 413, 415, 422, 429)}
KEPT = ("indexed", "duplicate", "unchanged")


def _jobs(request: Request) -> IngestJobs:
    return request.app.state.ingest_jobs


@router.post("/ingest", status_code=202, response_model=JobResponse, openapi_extra=_BODY, responses=_ERRORS)
async def ingest(request: Request, principal: PrincipalDep) -> dict[str, Any]:
    """Upload files (multipart `files`, up to 50) with `kind`, and `enterprise_id` for enterprise
    documents; 202 with the queued job. Poll GET /v1/jobs/{job_id} for each file's outcome."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise HTTPException(415, "the body must be multipart/form-data: files, kind, enterprise_id, tenant")
    async with request.form(max_files=MAX_FILES) as form:  # closes the spooled uploads
        body = _validated({k: v for k in _FIELDS if (v := _text(form.get(k)))})
        spec = _spec(request, principal, body)
        scope = body.enterprise_id if body.kind == "enterprise" and body.enterprise_id else body.kind
        uploads = [(upload_source(scope, f.filename or ""), f.file) for f in form.getlist("files")
                   if isinstance(f, UploadFile)]
        if not uploads:
            raise _invalid("files", "at least one file is required")
        job = await run_in_threadpool(_jobs(request).submit, spec, uploads)
    return public_view(job)


@router.get("/jobs", response_model=JobList, responses=_ERRORS)
async def list_jobs(request: Request, principal: PrincipalDep,
                    limit: Annotated[int, Query(ge=1, le=200)] = 50,
                    offset: Annotated[int, Query(ge=0, le=100_000)] = 0) -> dict[str, Any]:
    """The caller's tenant's ingest jobs, newest first (admins: every tenant's)."""
    owner = None if principal.is_admin else principal.tenant
    jobs = await run_in_threadpool(_jobs(request).store.recent, owner, limit, offset)
    return {"jobs": [public_view(j) for j in jobs], "limit": limit, "offset": offset}


@router.get("/jobs/{job_id}", response_model=JobResponse, responses=_ERRORS)
async def get_job(request: Request, principal: PrincipalDep,
                  job_id: Annotated[str, Path(max_length=64)]) -> dict[str, Any]:
    owner = None if principal.is_admin else principal.tenant
    return public_view(await run_in_threadpool(_jobs(request).store.visible, job_id, owner))


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _validated(raw: dict[str, str]) -> IngestForm:
    try:
        return IngestForm.model_validate(raw)
    except ValidationError as exc:
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)],
                                     body=raw) from exc


def _invalid(field: str, message: str) -> RequestValidationError:
    return RequestValidationError([{"loc": ("body", field), "msg": message, "type": "value_error"}])


def _spec(request: Request, principal: Principal, body: IngestForm) -> JobSpec:
    """Where the job's documents go, and whether this caller may put them there."""
    if body.kind == "enterprise" and not body.enterprise_id:
        raise _invalid("enterprise_id", "kind 'enterprise' needs the enterprise_id to file the documents under")
    if body.enterprise_id and not ENTERPRISE_ID.match(body.enterprise_id):
        raise _invalid("enterprise_id", "letters, digits, '.', '_' or '-', at most 128")
    try:
        tenant = validate_tenant(body.tenant) if body.tenant else principal.tenant
    except InputError as exc:
        raise _invalid("tenant", str(exc)) from exc
    if body.kind == "enterprise" and tenant == PUBLIC_TENANT:
        raise _invalid("tenant", "enterprise documents belong to a tenant, not to 'public'")
    if tenant != principal.tenant and not principal.is_admin:
        raise Forbidden("only admins may ingest into another tenant or into 'public'")
    if tenant == PUBLIC_TENANT and not principal.is_admin:
        raise Forbidden("only admins may ingest into 'public', which every tenant reads")
    return JobSpec(owner=principal.tenant, key_id=getattr(request.state, "key_id", None), role=principal.role,
                   tenant=tenant, kind=body.kind, enterprise_id=body.enterprise_id)


def audit_finished(log: AuditLog) -> Finished:
    """A finished job's audit line: who submitted it, where it wrote, which files, which documents."""
    def write(job: dict[str, Any]) -> None:
        log.write({"key_id": job["key_id"], "tenant": job["owner"], "role": job["role"], "route": "ingest_job",
                   "status": job["status"], "job_id": job["job_id"], "target_tenant": job["tenant"],
                   "kind": job["kind"], "enterprise_id": job["enterprise_id"],
                   "files": [mask(f["name"]) for f in job["files"]], "counts": job["counts"],
                   "doc_ids": list(dict.fromkeys(f["doc_id"] for f in job["files"]
                                                 if f["status"] in KEPT and f["doc_id"]))})
    return write
