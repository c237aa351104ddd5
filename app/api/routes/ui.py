"""The relationship manager's chat UI: index.html at `/`, its scripts and styles under /static.

Plain files, no build step. The page only talks to this same origin, so a strict
Content-Security-Policy holds: no inline script or style, no third-party hosts.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from app.api.security_headers import CSP

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
router = APIRouter(include_in_schema=False)


@router.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
def index() -> FileResponse:
    return FileResponse(STATIC_DIR / "index.html", headers={
        "Cache-Control": "no-cache", "Content-Security-Policy": CSP,
        "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"})


def static_files() -> StaticFiles:
    return StaticFiles(directory=STATIC_DIR)
