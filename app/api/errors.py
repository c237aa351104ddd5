"""The one place domain errors become HTTP statuses; every error body is {"error": {code, message}}."""

from __future__ import annotations

import errno
import logging
import math
import sqlite3

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.api.ratelimit import RateLimited
from app.core import errors
from app.core.server_paths import without_server_paths

logger = logging.getLogger(__name__)
STATUS: dict[type[errors.SmeError], int] = {
    errors.UnreadableValue: 422,  # before its base class InputError: the first match wins
    errors.InputError: 400,
    errors.DocumentError: 422,
    errors.Unauthorized: 401,
    errors.Forbidden: 403,
    errors.NotFound: 404,
    errors.IndexCorrupt: 503,
    errors.WriterBusy: 503,
    errors.ConfigError: 500,
}
HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large", 415: "unsupported_media_type"}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    if status == 401:
        headers = {**(headers or {}), "WWW-Authenticate": "Bearer"}
    body = {"error": {"code": code, "message": without_server_paths(message)}}
    return JSONResponse(body, status_code=status, headers=headers)


def _disk_full(exc: BaseException | None) -> bool:
    """ENOSPC/EDQUOT from a file write, or SQLITE_FULL from the metadata database, anywhere in the chain."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if isinstance(exc, sqlite3.Error) and getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def install(app: FastAPI) -> None:
    @app.exception_handler(errors.SmeError)
    async def domain(request: Request, exc: errors.SmeError) -> JSONResponse:
        if _disk_full(exc.__cause__):  # the write failed cleanly and the previous state is intact: try later
            return error_response(507, "insufficient_storage", str(exc))
        status = next((s for t, s in STATUS.items() if isinstance(exc, t)), 500)
        retry = {"Retry-After": str(exc.retry_after_s)} if isinstance(exc, errors.WriterBusy) else None
        return error_response(status, exc.code, str(exc), retry)

    @app.exception_handler(RecursionError)
    async def too_deep(request: Request, exc: RecursionError) -> JSONResponse:
        # only hostile input nests this deep (JSON parsed outside pydantic, e.g. /v1/profile); still logged
        logger.warning("recursion limit on %s %s: %s", request.method, request.url.path, exc)
        return error_response(400, "bad_request", "the request is nested too deeply")

    @app.exception_handler(RateLimited)
    async def rate_limited(request: Request, exc: RateLimited) -> JSONResponse:
        return error_response(429, "rate_limited", str(exc), {"Retry-After": str(math.ceil(exc.retry_after_s))})

    @app.exception_handler(RequestValidationError)
    async def validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return error_response(422, "invalid_request", f"{where}: {first.get('msg', 'invalid request')}")

    @app.exception_handler(StarletteHTTPException)
    async def http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = HTTP_CODES.get(exc.status_code, "http_error")
        return error_response(exc.status_code, code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        logger.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, "internal_error", "internal error; it has been logged")

    @app.exception_handler(sqlite3.Error)
    async def database(request: Request, exc: sqlite3.Error) -> JSONResponse:
        if _disk_full(exc):  # one statement or transaction failed and was rolled back: nothing changed
            logger.error("storage full on %s %s: %s", request.method, request.url.path, exc)
            return error_response(507, "insufficient_storage",
                                  f"could not write the metadata database ({exc}); the previous state is intact")
        return await unexpected(request, exc)
