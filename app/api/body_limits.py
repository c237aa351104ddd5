"""A tighter body limit for everything but multipart uploads: JSON is parsed whole in memory, so a
few megabytes of it can hold millions of keys. A declared length over the limit is refused before
a byte is read; a chunked body is cut off as it is read (the general limit's own counter)."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.errors import error_response
from app.api.ratelimit import BodyLimit


class JsonBodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.limited = BodyLimit(app, max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _header(scope, b"content-type").startswith(b"multipart/form-data"):
            await self.app(scope, receive, send)
            return
        length = _header(scope, b"content-length")
        if length.isdigit() and int(length) > self.max_bytes:
            mb = self.max_bytes / 1024 / 1024
            response = error_response(413, "payload_too_large",
                                      f"request body over {mb:.3g} MB (SME_MAX_JSON_MB; file uploads: multipart/form-data)")
            await response(scope, receive, send)
            return
        await self.limited(scope, receive, send)


def _header(scope: Scope, name: bytes) -> bytes:
    return next((v for k, v in scope.get("headers", ()) if k.lower() == name), b"").lower().strip()
