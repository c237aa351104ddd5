"""/docs: Swagger UI from the assets the fastapi-offline package installs, never from a CDN (the
page works offline and runs no third-party code); its one inline script is allowed by hash."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from app.api.security_headers import csp_allowing_inline_scripts

ASSETS_URL = "/docs-assets"


def _assets_dir() -> Path:
    spec = find_spec("fastapi_offline")
    if spec is None or spec.origin is None:
        raise RuntimeError("the fastapi-offline package (Swagger UI assets) is not installed (make install)")
    return Path(spec.origin).parent / "static"


def install(app: FastAPI) -> None:
    """Serve /docs and its assets; create the app with docs_url=None and redoc_url=None."""
    app.mount(ASSETS_URL, StaticFiles(directory=_assets_dir()), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json", title=f"{app.title} - API",
            swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js", swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_URL}/favicon.png",
            swagger_ui_parameters={"validatorUrl": None})  # the default validator is a third-party host
        html = bytes(page.body).decode()
        page.headers["Content-Security-Policy"] = csp_allowing_inline_scripts(html)
        return page
