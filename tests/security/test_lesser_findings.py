"""The red-team pass's lesser findings (issue 18, item 6): non-finite numbers and huge free-form
objects, absolute server paths in responses, open metrics, missing security headers, Swagger UI
from a CDN, world-readable data files, same-name files in one batch, control characters in names."""

from __future__ import annotations

import base64
import errno
import hashlib
import json
import os
import re
import sqlite3
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.adapters import faiss_index
from tests.security.conftest import Api

MATCH_TEXT = "A Shenzhen software company with 60 staff and 12 invention patents."


def _post_json(api: Api, path: str, body: str, tenant: str = "bank-a"):  # type: ignore[no-untyped-def]
    headers = {**api.auth[tenant], "content-type": "application/json"}
    return api.client.post(path, content=body.encode(), headers=headers)


# -- 1. finite numbers and bounded free-form objects ------------------------------------------------

@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
@pytest.mark.parametrize(("field", "template"), [
    ("profile.fields.revenue", '{"profile": {"fields": {"revenue": %s}}}'),
    ("overrides.revenue", '{"text": "' + MATCH_TEXT + '", "overrides": {"revenue": %s}}'),
    ("overrides.revenue.value", '{"text": "' + MATCH_TEXT + '", "overrides": {"revenue": {"value": %s, "unit": "CNY"}}}'),
])
def test_non_finite_numbers_in_match_get_422_naming_the_field(api: Api, number: str, field: str, template: str) -> None:
    r = _post_json(api, "/v1/match", template % number)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "invalid_request"
    assert error["message"].startswith(f"body.{field}: ") and "finite" in error["message"]


def test_free_form_objects_are_bounded_in_keys_depth_and_string_length(api_factory) -> None:  # type: ignore[no-untyped-def]
    api: Api = api_factory(max_object_keys=50, max_object_depth=4, max_object_string_chars=100)
    fine = {"text": MATCH_TEXT, "overrides": {f"f{i}": i for i in range(40)}}
    assert _post_json(api, "/v1/match", json.dumps(fine)).status_code == 200
    cases = {
        "overrides": {"text": MATCH_TEXT, "overrides": {f"f{i}": i for i in range(51)}},
        "profile.fields.a.b.c": {"profile": {"fields": {"a": {"b": {"c": {"d": 1}}}}}},
        "overrides.name": {"text": MATCH_TEXT, "overrides": {"name": "x" * 101}},
        "overrides.tags.1": {"text": MATCH_TEXT, "overrides": {"tags": ["ok", "y" * 101]}},
    }
    for where, body in cases.items():
        r = _post_json(api, "/v1/match", json.dumps(body))
        assert r.status_code == 422, (where, r.text)
        assert r.json()["error"]["message"].startswith(f"body.{where}: "), r.text


def test_a_huge_free_form_object_is_refused_quickly_by_default(api: Api) -> None:
    keys = ",".join(f'"k{i}":{i}' for i in range(300_000))  # ~4 MB, under the JSON body limit
    started = time.perf_counter()
    r = _post_json(api, "/v1/match", f'{{"text": "{MATCH_TEXT}", "overrides": {{{keys}}}}}')
    assert r.status_code == 422 and r.json()["error"]["message"].startswith("body.overrides: at most")
    assert time.perf_counter() - started < 5  # once tens of seconds of CPU


def test_a_json_body_over_its_own_limit_gets_413_before_it_is_parsed(api_factory) -> None:  # type: ignore[no-untyped-def]
    api: Api = api_factory(max_json_mb=0.5)
    big = json.dumps({"text": MATCH_TEXT, "overrides": {f"k{i}": i for i in range(60_000)}})  # ~0.9 MB
    r = _post_json(api, "/v1/match", big)
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"
    assert "SME_MAX_JSON_MB" in r.json()["error"]["message"]

    def chunks() -> Iterator[bytes]:  # no content-length: counted as read
        for start in range(0, len(big), 65536):
            yield big[start:start + 65536].encode()
    r = api.client.post("/v1/match", content=chunks(), headers={**api.auth["bank-a"], "content-type": "application/json"})
    assert r.status_code == 413
    # uploads keep the general limit (SME_MAX_REQUEST_MB)
    r = api.client.post("/v1/profile", files=[("files", ("big.txt", b"invention patents " * 50_000))],
                        data={"enterprise_id": "acme"}, headers=api.auth["bank-a"])
    assert r.status_code == 200, r.text


# -- 2. no absolute server paths -------------------------------------------------------------------

def test_search_results_carry_the_file_name_not_the_server_path(api: Api) -> None:
    r = api.client.post("/v1/search", json={"query": "IP pledge loan", "k": 5, "group_by_document": True},
                        headers=api.auth["bank-a"])
    hits = r.json()["hits"]
    assert hits and all(not h["source"].startswith("/") for h in hits)
    assert "ip_pledge_loan_en.md" in {h["source"] for h in hits}
    assert str(Path.cwd()) not in r.text and str(api.settings.data_dir) not in r.text


def test_error_messages_do_not_echo_server_paths(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_space(index: object, path: str) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path)

    monkeypatch.setattr(faiss_index.faiss, "write_index", no_space)
    r = api.client.post("/v1/profile", files=[("files", ("memo.txt", b"The firm filed 12 invention patents. " * 20))],
                        data={"enterprise_id": "acme"}, headers=api.auth["bank-a"])
    assert r.status_code == 507
    message = r.json()["error"]["message"]
    assert "No space left on device" in message and "index-" in message
    data_dir = str(api.settings.data_dir.resolve())
    assert data_dir not in message and not re.search(r"'/[^']*/", message), message


# -- 3. metrics behind a key, minimal health -------------------------------------------------------

def test_metrics_need_an_admin_key_and_healthz_tells_nothing_internal(api: Api) -> None:
    c = api.client
    assert c.get("/healthz").json() == {"status": "ok"}
    assert c.get("/metrics").status_code == 401
    assert c.get("/metrics", headers=api.auth["bank-a"]).status_code == 403
    r = c.get("/metrics", headers=api.auth["ops"])
    assert r.status_code == 200 and "sme_http_requests_total" in r.text
    assert re.search(r"^sme_index_vectors \d+", r.text, re.MULTILINE) and re.search(r"^sme_index_generation \d+", r.text, re.MULTILINE)


def test_metrics_can_be_opened_by_setting(api_factory) -> None:  # type: ignore[no-untyped-def]
    api: Api = api_factory(metrics_public=True)
    assert api.client.get("/metrics").status_code == 200


# -- 4. security headers on every response ---------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/static/js/app.js", "/static/style.css", "/healthz", "/v1/jobs", "/nope",
                                  "/openapi.json", "/docs"])
def test_every_response_carries_the_security_headers(api: Api, path: str) -> None:
    r = api.client.get(path)
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "no-referrer"
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp and "object-src 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "http" not in csp


def test_the_chat_ui_needs_no_inline_script_or_style() -> None:
    static = Path(__file__).resolve().parents[2] / "app" / "api" / "static"
    html = (static / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)", html) and "<style" not in html and " style=" not in html
    assert not re.search(r"\son[a-z]+=", html)
    for script in (static / "js").glob("*.js"):
        assert "eval(" not in script.read_text(encoding="utf-8")


# -- 5. Swagger UI from this server ----------------------------------------------------------------

def test_docs_load_swagger_ui_from_this_server(api: Api) -> None:
    r = api.client.get("/docs")
    assert r.status_code == 200 and "cdn" not in r.text and "https://" not in r.text
    assets = re.findall(r'(?:src|href)="([^"]+)"', r.text)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    for asset in assets:
        fetched = api.client.get(asset)
        assert fetched.status_code == 200 and len(fetched.content) > 1000, asset
    csp = r.headers["content-security-policy"]
    for inline in re.findall(r"<script>(.*?)</script>", r.text, re.DOTALL):  # allowed by hash, nothing else inline
        digest = base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert api.client.get("/redoc").status_code in (200, 404)
    if api.client.get("/redoc").status_code == 200:
        assert "https://" not in api.client.get("/redoc").text


# -- 6. private data files -------------------------------------------------------------------------

def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_data_files_are_private_whatever_the_umask(api_factory, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from app.adapters.kb import KnowledgeBase
    from app.settings import Settings

    old = os.umask(0o022)
    try:
        fresh = Settings(data_dir=tmp_path / "fresh" / "var", embedder="hashing")
        kb = KnowledgeBase(fresh)
        kb.store.conn.execute("INSERT INTO meta VALUES ('probe', '1')")
        assert _mode(fresh.data_dir) == 0o700 and _mode(fresh.index_dir) == 0o700
        assert _mode(fresh.db_path) == 0o600
        api: Api = api_factory()
        r = api.client.post("/v1/profile", files=[("files", ("memo.txt", b"The firm filed 12 invention patents. " * 20))],
                            data={"enterprise_id": "acme"}, headers=api.auth["bank-a"])
        assert r.status_code == 200
        data = api.settings.data_dir
        for name in ("meta.sqlite3", "meta.sqlite3-wal", "meta.sqlite3-shm"):
            assert _mode(data / name) == 0o600, name
        index_files = [p for p in api.settings.index_dir.rglob("*") if p.is_file()]
        assert index_files and {p.name: _mode(p) for p in index_files} == {p.name: 0o600 for p in index_files}
        assert {_mode(p) for p in api.settings.index_dir.rglob("*") if p.is_dir()} <= {0o700}
        assert _mode(api.settings.index_dir) == 0o700
    finally:
        os.umask(old)


# -- 7. same-name files in one batch ---------------------------------------------------------------

def test_same_name_files_in_one_upload_keep_the_last_as_the_live_version(api: Api) -> None:
    first = b"Version one: the firm holds 7 utility models and sells widgets in Hangzhou. " * 10
    second = b"Version two: the firm holds 9 invention patents and sells gadgets in Suzhou. " * 10
    r = api.client.post("/v1/profile", files=[("files", ("plan.txt", first)), ("files", ("plan.txt", second))],
                        data={"enterprise_id": "acme"}, headers=api.auth["bank-a"])
    assert r.status_code == 200, r.text
    outcomes = r.json()["ingest"]["files"]
    assert [f["status"] for f in outcomes] == ["indexed", "indexed"]
    conn = sqlite3.connect(api.settings.db_path)
    rows = conn.execute("SELECT id, status, supersedes FROM documents WHERE source='upload:acme/plan.txt'").fetchall()
    first, second = outcomes[0]["doc_id"], outcomes[1]["doc_id"]
    assert sorted(rows) == sorted([(first, "superseded", None), (second, "indexed", first)])
    found = api.client.post("/v1/search", json={"query": "utility models widgets Hangzhou", "k": 20,
                                               "filters": {"enterprise_id": "acme"}}, headers=api.auth["bank-a"]).json()
    assert {h["doc_id"] for h in found["hits"]} <= {outcomes[1]["doc_id"]}


# -- 8. control and bidi characters in names -------------------------------------------------------

def test_names_lose_control_and_bidi_override_characters(api: Api) -> None:
    h = api.auth["bank-a"]
    r = api.client.post("/v1/profile", json={"enterprise_id": "acme", "name": "Ac\x00me\u202e\u2066 Tech\x1b[31m Ltd\u200f",
                                             "text": "The firm filed 12 invention patents."}, headers=h)
    assert r.status_code == 200 and r.json()["name"] == "Acme Tech[31m Ltd"
    assert api.client.get("/v1/enterprises", headers=h).json()["enterprises"] == [{"enterprise_id": "acme",
                                                                                     "name": "Acme Tech[31m Ltd"}]
    boundary = "sme-test-boundary"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="enterprise_id"\r\n\r\nacme\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="inv\u202eoice\x07.txt"\r\n'
            f'Content-Type: text/plain\r\n\r\n{"12 invention patents. " * 20}\r\n--{boundary}--\r\n').encode()
    r = api.client.post("/v1/profile", content=body, headers={**h, "content-type": f"multipart/form-data; boundary={boundary}"})
    assert r.status_code == 200 and [f["source"] for f in r.json()["ingest"]["files"]] == ["upload:acme/invoice.txt"]
