"""The UI's static files, without a browser: served at / and /static, and free of HTML injection sinks."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from app.api.app import create_app
from app.api.routes.ui import STATIC_DIR
from app.settings import Settings

SINKS = re.compile(r"\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval|new Function)\b")


def _client(tmp_path: Path) -> TestClient:
    return TestClient(create_app(Settings(data_dir=tmp_path / "data", embedder="hashing")))  # no lifespan needed


def test_root_serves_the_page_with_a_strict_content_security_policy(tmp_path: Path) -> None:
    r = _client(tmp_path).get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert '<script type="module" src="/static/js/app.js">' in r.text


def test_every_module_and_stylesheet_the_page_loads_is_served(tmp_path: Path) -> None:
    client = _client(tmp_path)
    page = client.get("/").text
    modules = {f"js/{m}" for p in STATIC_DIR.glob("js/*.js") for m in re.findall(r'from "\./([\w.]+)"', p.read_text())}
    paths = set(re.findall(r'(?:src|href)="/static/([\w./]+)"', page)) | modules
    assert {"style.css", "js/app.js", "js/i18n.js", "js/sse.js"} <= paths
    for path in sorted(paths):
        r = client.get(f"/static/{path}")
        assert r.status_code == 200, path
        assert r.headers["content-type"].split(";")[0] in {"text/javascript", "application/javascript", "text/css"}, path


def test_no_script_parses_html_and_the_page_has_no_inline_code() -> None:
    for path in STATIC_DIR.glob("js/*.js"):
        assert not SINKS.search(path.read_text(encoding="utf-8")), f"{path.name} uses an HTML/code sink"
    html = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "inline <script> breaks the CSP"
    assert not re.search(r"\son\w+=", html) and " style=" not in html


def test_both_languages_have_the_same_keys() -> None:
    text = (STATIC_DIR / "js" / "i18n.js").read_text(encoding="utf-8")
    blocks = re.findall(r"const (EN|ZH) = \{(.*?)\n\};", text, flags=re.DOTALL)
    keys = {name: set(re.findall(r"(\w+): \"", body)) for name, body in blocks}
    assert keys["EN"] and keys["EN"] == keys["ZH"], keys["EN"] ^ keys["ZH"]


def test_every_profile_field_has_a_label_in_both_languages() -> None:
    """The profile panel names each field in the reader's language, never as a raw key ("certificate hnte")."""
    from app.core.fields import FIELDS

    text = (STATIC_DIR / "js" / "i18n.js").read_text(encoding="utf-8")
    blocks = dict(re.findall(r"const (EN|ZH) = \{(.*?)\n\};", text, flags=re.DOTALL))
    for name, body in blocks.items():
        keys = set(re.findall(r"(\w+): \"", body))
        missing = sorted(f for f in FIELDS if f"field_{f.replace('.', '_')}" not in keys)
        assert not missing, (name, missing)
