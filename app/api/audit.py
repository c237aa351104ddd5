"""Audit trail: who asked or read what, from where, and which documents answered it.

One JSON line per request under /v1/ (reads and refusals too), under SME_DATA_DIR/audit/audit-<UTC
date>.jsonl: time, the presented API key's id (even when the key was refused; never its secret),
the client address, tenant, role, method, route, path parameters, status, the query (personal data
masked), the enterprise asked about, and the doc ids (and program ids) in the answer. A pure ASGI middleware
reads them off the request and response bytes as they pass, so streaming answers stay streamed
and the routes know nothing of it. Each line is one O_APPEND write: uvicorn workers share a file.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.client_address import Networks, client_address
from app.core.auth import key_id_prefix
from app.core.pii import mask

logger = logging.getLogger(__name__)
AUDITED_PREFIX = "/v1/"  # a finished ingest job adds a line of its own: files and doc ids
PARAM_CHARS = 200
MAX_PARAMS = 20
REQUEST_CAP = 256 * 1024  # enough for any query; uploads are not kept
RESPONSE_CAP = 8 * 1024 * 1024
QUERY_CHARS = 1000  # an identifier crossing the cut lies wholly past it: none is 64 characters long
_DOC_ID = re.compile(rb'"doc_id":\s*"([^"\\]{1,128})"')
_PROGRAM_ID = re.compile(rb'"program":\s*\{"id":\s*"([^"\\]{1,200})"')


class AuditLog:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, when: datetime) -> Path:
        return self.folder / f"audit-{when:%Y-%m-%d}.jsonl"

    def write(self, record: dict[str, Any]) -> None:
        now = datetime.now(UTC)
        line = json.dumps({"ts": now.isoformat(timespec="milliseconds"), **record}, ensure_ascii=False) + "\n"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path(now), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line.encode("utf-8", "replace"))  # lone surrogates from hostile JSON
            finally:
                os.close(fd)
        except OSError as exc:  # a full disk must not fail the request it records
            logger.error("could not write the audit record (%s)", exc)


class AuditMiddleware:
    def __init__(self, app: ASGIApp, log: AuditLog, trusted: Networks = ()) -> None:
        self.app = app
        self.log = log
        self.trusted = trusted

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(AUDITED_PREFIX):
            await self.app(scope, receive, send)
            return
        seen = _Seen(keep_request=not _header(scope, b"content-type").startswith(b"multipart/"))

        async def receive_seen() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                seen.request(message.get("body", b""))
            return message

        async def send_seen(message: Message) -> None:
            seen.response(message)
            await send(message)

        started = time.perf_counter()
        try:
            await self.app(scope, receive_seen, send_seen)
        finally:
            record = _record(scope, seen, time.perf_counter() - started)
            self.log.write({**record, "client": client_address(scope, self.trusted)})


class _Seen:
    def __init__(self, keep_request: bool) -> None:
        self.keep_request = keep_request
        self.request_body = bytearray()
        self.response_body = bytearray()
        self.status = 500  # until a response starts: an exception escaped

    def request(self, chunk: bytes) -> None:
        if self.keep_request and len(self.request_body) < REQUEST_CAP:
            self.request_body.extend(chunk[: REQUEST_CAP - len(self.request_body)])

    def response(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = int(message["status"])
        elif message["type"] == "http.response.body" and len(self.response_body) < RESPONSE_CAP:
            self.response_body.extend(message.get("body", b"")[: RESPONSE_CAP - len(self.response_body)])


def _header(scope: Scope, name: bytes) -> bytes:
    return next((v for k, v in scope.get("headers", []) if k.lower() == name), b"").lower()


def _record(scope: Scope, seen: _Seen, seconds: float) -> dict[str, Any]:
    state = scope.get("state") or {}
    principal = state.get("principal")
    route = _route(scope)
    body = _json(bytes(seen.request_body))
    query, enterprise_id = _query(route, body)
    params = _params(scope)
    return {
        "key_id": _presented_key_id(scope), "tenant": getattr(principal, "tenant", None),
        "role": getattr(principal, "role", None), "method": scope.get("method"), "route": route,
        "params": params, "status": seen.status,
        "query": mask(query[:QUERY_CHARS + 64])[:QUERY_CHARS] if query else None,  # masked before the cut
        "enterprise_id": enterprise_id or params.get("enterprise_id"),
        "doc_ids": _unique(_DOC_ID.findall(seen.response_body)),
        "program_ids": _unique(_PROGRAM_ID.findall(seen.response_body)),
        "ms": round(seconds * 1000, 1),
    }


def _route(scope: Scope) -> str:
    """The matched route's template without the /v1/ prefix ("search", "programs/{program_id}");
    the path itself (masked, capped) when no route matched."""
    template = getattr(scope.get("route"), "path", None)
    path = template if isinstance(template, str) else mask(str(scope.get("path", "")))[:PARAM_CHARS]
    return path.removeprefix(AUDITED_PREFIX)


def _params(scope: Scope) -> dict[str, str]:
    """Path and query-string parameters: which profile, conversation, job or program was read."""
    raw = scope.get("path_params") or {}
    pairs = [*((str(k), str(v)) for k, v in raw.items()),
             *parse_qsl(bytes(scope.get("query_string", b"")).decode("latin-1"))]
    return {k[:PARAM_CHARS]: mask(v)[:PARAM_CHARS] for k, v in pairs[:MAX_PARAMS]}


def _presented_key_id(scope: Scope) -> str | None:
    """The id part of the bearer key sent, accepted or refused; never its secret."""
    auth = next((v for k, v in scope.get("headers", []) if k.lower() == b"authorization"), b"")
    scheme, _, key = auth.decode("latin-1").strip().partition(" ")
    return key_id_prefix(key) if scheme.lower() == "bearer" else None


def _json(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw) if raw else {}
    except (ValueError, RecursionError):  # RecursionError: hostile nesting
        return {}
    return value if isinstance(value, dict) else {}


def _query(route: str, body: dict[str, Any]) -> tuple[str | None, str | None]:
    eid = body.get("enterprise_id") if isinstance(body.get("enterprise_id"), str) else None
    if route == "search":
        return _text(body.get("query")), eid
    if route == "chat":
        raw = body.get("messages")
        messages: list[Any] = raw if isinstance(raw, list) else []
        users = [m.get("content") for m in messages if isinstance(m, dict) and m.get("role") == "user"]
        return _text(users[-1] if users else None), eid
    return _text(body.get("text")), eid


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _unique(found: list[bytes]) -> list[str]:
    return list(dict.fromkeys(f.decode("utf-8", "replace") for f in found))
