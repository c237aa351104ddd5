"""Hostile uploads and bodies at the HTTP level: each is refused with a clear 4xx or becomes a clean
per-file rejection in the ingest report, never a 500, and nothing escapes the data dir. (Loader-level
cases, e.g. ZIP ratio and size bombs, are in tests/ingest/test_load.py.)"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook

from app.adapters import parsers
from tests.ingest.spin_parser import spin_on_hostile
from tests.security.conftest import Api

LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE {root} [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
          + "]>\n")
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _zip(members: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def _replace_part(container: bytes, part: str, data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(container))
    return _zip({i.filename: data if i.filename == part else src.read(i) for i in src.infolist()})


def _docx(document_xml: str) -> bytes:
    buf = io.BytesIO()
    Document().save(buf)
    return _replace_part(buf.getvalue(), "word/document.xml", document_xml.encode())


def _xlsx_laughs() -> bytes:
    buf, wb = io.BytesIO(), Workbook()
    wb.active["A1"] = "x"
    wb.save(buf)
    sheet = (LAUGHS.format(root="worksheet") + '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
    return _replace_part(buf.getvalue(), "xl/worksheets/sheet1.xml", sheet.encode())


def _upload(api: Api, *files: tuple[str, bytes]) -> dict:
    r = api.client.post("/v1/profile", files=[("files", f) for f in files], data={"enterprise_id": "e1"},
                        headers=api.auth["bank-a"])
    assert r.status_code < 500, r.text
    return r.json()


GOOD = ("note.txt", "深圳某科技有限公司成立于2019年，员工30人，拥有发明专利5项。".encode())


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("laughs.docx", _docx(LAUGHS.format(root="w:document") + f"<w:document {W}><w:body><w:p><w:r><w:t>&lol9;</w:t>"
                          "</w:r></w:p></w:body></w:document>"), "amplification"),
    ("laughs.xlsx", _xlsx_laughs(), "amplification"),
    ("fake.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 100, ""),
    ("binary.txt", bytes(range(256)) * 40, ""),
])
def test_entity_expansion_and_broken_files_are_per_file_failures(api: Api, name: str, data: bytes, reason: str) -> None:
    body = _upload(api, (name, data), GOOD)
    outcomes = {f["source"]: f for f in body["ingest"]["files"]}
    bad = outcomes[f"upload:e1/{name}"]
    assert bad["status"] in ("failed", "rejected") and reason in bad["reason"]
    assert outcomes["upload:e1/note.txt"]["status"] == "indexed"  # the rest of the upload is kept


def test_html_entities_are_not_expanded(api: Api) -> None:
    html = (LAUGHS.format(root="html") + "<html><body><p>&lol9;</p><p>Loan terms for the firm.</p></body></html>").encode()
    outcome = _upload(api, ("laughs.html", html))["ingest"]["files"][0]
    doc = api.client.post("/v1/search", json={"query": "lol loan", "filters": {"doc_id": outcome["doc_id"]}},
                          headers=api.auth["bank-a"]).json()["hits"] if outcome["doc_id"] else []
    assert sum(h["text"].count("lol") for h in doc) < 100


def test_zip_slip_members_stay_inside_the_upload(api: Api, tmp_path: Path) -> None:
    archive = _zip({"../../../../tmp/evil.txt": "公司成立于2019年，员工30人，研发人员12人。",
                    "/etc/cron.d/x.txt": "Registered in 2020 with 45 employees and 3 patents.",
                    "C:\\Windows\\win.txt": "Registered in 2021 with 12 employees."})
    sources = sorted(f["source"] for f in _upload(api, ("bundle.zip", archive))["ingest"]["files"])
    assert sources == ["upload:e1/bundle.zip!/Windows/win.txt", "upload:e1/bundle.zip!/etc/cron.d/x.txt",
                       "upload:e1/bundle.zip!/tmp/evil.txt"]
    assert not Path("/tmp/evil.txt").exists() and not list(api.settings.data_dir.parent.rglob("evil.txt"))


def test_a_decompression_bomb_zip_is_rejected(api: Api) -> None:
    bomb = _zip({"zeros.txt": b"0" * (40 * 1024 * 1024)})  # 40 MB in ~40 KB
    outcome = _upload(api, ("bomb.zip", bomb), GOOD)["ingest"]["files"]
    assert outcome[0]["status"] == "rejected" and "decompression bomb" in outcome[0]["reason"]


def test_malformed_utf8_text_is_decoded_or_refused_cleanly(api: Api) -> None:
    data = b"Revenue grew in 2023 \xff\xfe\xfd and \xc3\x28 the team \xe2\x82 hired 40 engineers. " * 40
    outcome = _upload(api, ("bad.txt", data))["ingest"]["files"][0]
    assert outcome["status"] in ("indexed", "rejected", "failed")


@pytest.mark.parametrize("route", ["/v1/search", "/v1/chat", "/v1/match", "/v1/feedback", "/v1/profile"])
@pytest.mark.parametrize("body", [b"\xff\xfe\x00not json", b'{"query": "\xed\xa0\x80"}', b"[" * 100_000, b'{"a":' * 5000])
def test_malformed_json_bodies_get_a_json_4xx(api: Api, route: str, body: bytes) -> None:
    r = api.client.post(route, content=body, headers={**api.auth["bank-a"], "content-type": "application/json"})
    assert 400 <= r.status_code < 500 and set(r.json()["error"]) == {"code", "message"}


def test_an_upload_that_overruns_the_parse_budget_is_a_per_file_failure(
        api_factory, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(parsers, "parse_in_process", spin_on_hostile)  # stuck in CPU-bound code, in the child
    api: Api = api_factory(parse_timeout_s=1, parse_isolate_mb=0)
    outcomes = {f["source"]: f for f in _upload(api, ("hostile.txt", b"any content"), GOOD)["ingest"]["files"]}
    bad = outcomes["upload:e1/hostile.txt"]
    assert bad["status"] == "failed"
    assert bad["reason"] == "parsing took longer than the 1 s budget (SME_PARSE_TIMEOUT_S); the file was skipped"
    assert outcomes["upload:e1/note.txt"]["status"] == "indexed"


@pytest.mark.slow
@pytest.mark.parametrize(("name", "data"), [
    ("one_line.txt", b"wordy " * 1_800_000),  # 10 MB, no newline
    ("many_paragraphs.docx", _docx(f'<?xml version="1.0"?><w:document {W}><w:body>'
                                   + ("<w:p><w:r><w:t>" + "a" * 1000 + "</w:t></w:r></w:p>") * 5000
                                   + "</w:body></w:document>")),  # 5 MB of XML in a ~30 KB file
])
def test_pathological_files_are_bounded_in_time(tmp_path: Path, name: str, data: bytes) -> None:
    (tmp_path / name).write_bytes(data)
    env = {**os.environ, "SME_DATA_DIR": str(tmp_path / "data"), "SME_EMBEDDER": "hashing"}
    try:  # a hang detector, not a benchmark: unbounded, these took many minutes (the CLI starts in ~8 s here)
        done = subprocess.run([sys.executable, "-m", "app.cli", "ingest", str(tmp_path / name), "--kind", "general", "-q"],
                              env=env, timeout=120, capture_output=True, text=True, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"ingesting {name} took over 120 s")
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr[-2000:]
    report = json.loads(next((tmp_path / "data" / "reports").glob("ingest-*.json")).read_text())
    (outcome,) = report["outcomes"]
    assert outcome["status"] == "indexed" and outcome["chunks"] > 0  # bounded, and the content is kept
