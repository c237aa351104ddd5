"""POST /v1/ingest and GET /v1/jobs through the real app: uploads become background jobs that run
the ingest pipeline, per-file outcomes, who may write where, tenant-scoped jobs, recovery of jobs
a dead server left running, and the audit trail."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.adapters.embedder import HashingEmbedder
from app.adapters.jobs import JobSpec, JobStore
from app.adapters.kb import KnowledgeBase
from app.adapters.keys import KeyStore
from app.api.app import create_app
from app.settings import Settings
from app.wiring import Deps

AURORA = Path(__file__).resolve().parents[1] / "fixtures" / "enterprises" / "aurora"
NOTE = b"Quillfeather Robotics plans a bridge loan for its warehouse automation line in Suzhou."


@dataclass
class Api:
    c: TestClient
    settings: Settings
    auth: dict[str, dict[str, str]]


def _settings(tmp_path: Path, **overrides: Any) -> Settings:
    return Settings(data_dir=tmp_path / "data", embedder="hashing", rate_limit_per_s=0, **overrides)


def _open(settings: Settings) -> TestClient:
    return TestClient(create_app(settings, Deps(settings=settings, kb=KnowledgeBase(settings), embedder=HashingEmbedder())))


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    settings = _settings(tmp_path)
    keys = KeyStore(settings.keys_path)
    auth = {t: {"Authorization": f"Bearer {keys.create(t, role)[0]}"}
            for t, role in (("bank-a", "rm"), ("bank-b", "rm"), ("ops", "admin"))}
    with _open(settings) as c:
        yield Api(c, settings, auth)


def _post(api: Api, who: str, files: list[tuple[str, bytes]], **form: str) -> Any:
    return api.c.post("/v1/ingest", files=[("files", f) for f in files], data=form, headers=api.auth[who])


def _wait(api: Api, who: str, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = api.c.get(f"/v1/jobs/{job_id}", headers=api.auth[who]).json()
        if job["status"] not in ("queued", "running"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish: {job}")


def _ingested(api: Api, who: str, files: list[tuple[str, bytes]], **form: str) -> dict[str, Any]:
    r = _post(api, who, files, **form)
    assert r.status_code == 202, r.text
    return _wait(api, who, r.json()["job_id"])


def _search(api: Api, who: str, query: str) -> set[str]:
    return {h["doc_id"] for h in api.c.post("/v1/search", json={"query": query, "k": 20}, headers=api.auth[who]).json()["hits"]}


def test_an_upload_is_queued_then_indexed_into_the_callers_tenant(api: Api) -> None:
    r = _post(api, "bank-a", [("notes.txt", NOTE)], kind="general")
    assert r.status_code == 202
    queued = r.json()
    assert queued["status"] == "queued" and queued["tenant"] == "bank-a" and queued["kind"] == "general"
    assert [(f["name"], f["status"]) for f in queued["files"]] == [("notes.txt", "queued")]
    job = _wait(api, "bank-a", queued["job_id"])
    assert job["status"] == "succeeded" and job["error"] is None and job["attempts"] == 1
    assert job["counts"] == {"indexed": 1, "duplicate": 0, "unchanged": 0, "rejected": 0, "failed": 0}
    assert job["created_at"] <= job["started_at"] <= job["finished_at"]
    doc_id = job["files"][0]["doc_id"]
    assert job["files"][0]["source"] == "upload:general/notes.txt"
    assert doc_id in _search(api, "bank-a", "Quillfeather bridge loan warehouse")
    assert doc_id not in _search(api, "bank-b", "Quillfeather bridge loan warehouse")  # its own tenant, not public
    again = _ingested(api, "bank-a", [("notes.txt", NOTE)], kind="general")
    assert [(f["status"], f["doc_id"]) for f in again["files"]] == [("unchanged", doc_id)]


def test_enterprise_documents_re_profile_the_enterprise(api: Api) -> None:
    files = [(n, (AURORA / n).read_bytes()) for n in ("business_plan.docx", "financials.xlsx")]
    job = _ingested(api, "bank-a", files, kind="enterprise", enterprise_id="aurora")
    assert job["status"] == "succeeded" and job["counts"]["indexed"] == 2 and job["profile_updated"] is True
    profile = api.c.get("/v1/enterprises/aurora", headers=api.auth["bank-a"]).json()
    assert profile["name"] == "深圳极光智能科技有限公司" and profile["fields"]["revenue"]["value"] == 120_800_000
    assert api.c.get("/v1/enterprises/aurora", headers=api.auth["bank-b"]).status_code == 404


@pytest.mark.parametrize(("who", "form", "where"), [
    ("bank-a", {"kind": "memo"}, "body.kind"),
    ("bank-a", {}, "body.kind"),
    ("bank-a", {"kind": "enterprise"}, "body.enterprise_id: kind 'enterprise' needs"),
    ("bank-a", {"kind": "enterprise", "enterprise_id": "../etc"}, "body.enterprise_id: letters"),
    ("ops", {"kind": "general", "tenant": "no such/tenant"}, "body.tenant: invalid tenant"),
    ("ops", {"kind": "enterprise", "enterprise_id": "e1", "tenant": "public"}, "body.tenant: enterprise documents belong"),
])
def test_a_bad_form_is_a_422_json_error(api: Api, who: str, form: dict[str, str], where: str) -> None:
    r = _post(api, who, [("a.txt", NOTE)], **form)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "invalid_request" and r.json()["error"]["message"].startswith(where)


def test_no_files_is_a_422_and_a_json_body_a_415(api: Api) -> None:
    r = api.c.post("/v1/ingest", data={"kind": "general"}, files={"other": ("x", b"")}, headers=api.auth["bank-a"])
    assert r.status_code == 422 and r.json()["error"]["message"].startswith("body.files: at least one file")
    r = api.c.post("/v1/ingest", json={"kind": "general"}, headers=api.auth["bank-a"])
    assert r.status_code == 415 and r.json()["error"]["code"] == "unsupported_media_type"
    assert api.c.post("/v1/ingest", files=[("files", ("a.txt", NOTE))], data={"kind": "general"}).status_code == 401


def test_only_admins_write_into_public_or_another_tenant(api: Api) -> None:
    for tenant in ("public", "bank-b"):
        r = _post(api, "bank-a", [("p.txt", NOTE)], kind="general", tenant=tenant)
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden", r.text
    key, _ = KeyStore(api.settings.keys_path).create("public", "rm")  # a key whose own tenant is 'public'
    r = api.c.post("/v1/ingest", files=[("files", ("p.txt", NOTE))], data={"kind": "general"},
                   headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 403 and "only admins may ingest into 'public'" in r.json()["error"]["message"]
    assert _post(api, "bank-a", [("own.txt", b"own tenant named explicitly " * 5)], kind="general",
                 tenant="bank-a").status_code == 202
    job = _ingested(api, "ops", [("policy.txt", NOTE)], kind="policy", tenant="public")
    assert job["status"] == "succeeded" and job["tenant"] == "public"
    assert job["files"][0]["doc_id"] in _search(api, "bank-b", "Quillfeather bridge loan warehouse")  # public: all read it


def test_program_documents_are_the_ingesting_tenants_unless_an_admin_makes_them_public(api: Api) -> None:
    sheet = "蓝鲸科技贷产品说明\n申请条件：企业成立满2年，年营业收入不低于500万元，拥有发明专利。\n".encode()

    def titles(who: str) -> list[str]:
        return [p["title"] for p in api.c.get("/v1/programs?limit=50", headers=api.auth[who]).json()["programs"]]

    job = _ingested(api, "bank-a", [("蓝鲸科技贷.txt", sheet)], kind="credit")  # an RM, into its own tenant
    assert job["status"] == "succeeded" and job["tenant"] == "bank-a"
    # a text file is titled by its first line
    assert "蓝鲸科技贷产品说明" in titles("bank-a") and "蓝鲸科技贷产品说明" not in titles("bank-b")
    public = sheet.replace("产品说明".encode(), "公开版产品说明".encode())
    job = _ingested(api, "ops", [("蓝鲸科技贷公开版.txt", public)], kind="credit", tenant="public")
    assert job["status"] == "succeeded"
    assert "蓝鲸科技贷公开版产品说明" in titles("bank-b")


def test_another_tenants_job_is_a_404_like_a_missing_one(api: Api) -> None:
    job = _ingested(api, "bank-a", [("notes.txt", NOTE)], kind="general")
    theirs = api.c.get(f"/v1/jobs/{job['job_id']}", headers=api.auth["bank-b"])
    missing = api.c.get(f"/v1/jobs/{'0' * 32}", headers=api.auth["bank-b"])
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["error"]["message"] == f"no ingest job {job['job_id']!r}"
    assert api.c.get(f"/v1/jobs/{job['job_id']}", headers=api.auth["ops"]).json() == job  # admins read any
    listed = {t: [j["job_id"] for j in api.c.get("/v1/jobs", headers=api.auth[t]).json()["jobs"]]
              for t in ("bank-a", "bank-b", "ops")}
    assert listed == {"bank-a": [job["job_id"]], "bank-b": [], "ops": [job["job_id"]]}


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_files_that_fail_show_their_reasons_while_the_rest_are_indexed(api: Api) -> None:
    files = [("good.txt", NOTE), ("empty.txt", b""), ("broken.pdf", b"%PDF-1.4\nnot really a pdf\n%%EOF"),
             ("bundle.zip", _zip({"inner/plan.txt": b"Lumenfield Capital term sheet for a seed round. " * 6}))]
    job = _ingested(api, "bank-a", files, kind="general")
    assert job["status"] == "succeeded"
    by_name = {f["name"]: f for f in job["files"]}
    assert set(by_name) == {"good.txt", "empty.txt", "broken.pdf", "bundle.zip!/inner/plan.txt"}
    assert by_name["good.txt"]["status"] == by_name["bundle.zip!/inner/plan.txt"]["status"] == "indexed"
    assert (by_name["empty.txt"]["status"], by_name["empty.txt"]["reason"]) == ("rejected", "empty file (0 bytes)")
    assert by_name["broken.pdf"]["status"] in ("failed", "rejected") and by_name["broken.pdf"]["reason"]
    assert by_name["broken.pdf"]["doc_id"] is None
    assert job["counts"]["indexed"] == 2 and job["counts"]["rejected"] + job["counts"]["failed"] == 2


def test_listing_is_newest_first_and_bounded(api: Api) -> None:
    first = _ingested(api, "bank-a", [("one.txt", NOTE)], kind="general")["job_id"]
    second = _ingested(api, "bank-a", [("two.txt", b"Second upload about photonic sensors. " * 5)], kind="general")["job_id"]
    h = api.auth["bank-a"]
    jobs = api.c.get("/v1/jobs", headers=h).json()["jobs"]
    assert [j["job_id"] for j in jobs] == [second, first] and "files" not in jobs[0]
    assert [j["job_id"] for j in api.c.get("/v1/jobs?limit=1&offset=1", headers=h).json()["jobs"]] == [first]
    for query in ("limit=0", "limit=201", "offset=-1", "offset=100001"):
        r = api.c.get(f"/v1/jobs?{query}", headers=h)
        assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request", query


def test_the_openapi_schema_describes_the_endpoints(api: Api) -> None:
    paths = api.c.get("/openapi.json").json()["paths"]
    body = paths["/v1/ingest"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert body["required"] == ["files", "kind"] and body["properties"]["kind"]["enum"] == [
        "policy", "credit", "equity", "enterprise", "general"]
    assert "202" in paths["/v1/ingest"]["post"]["responses"]
    assert "get" in paths["/v1/jobs/{job_id}"] and "get" in paths["/v1/jobs"]


def test_uploads_stay_inside_the_job_folder_until_the_job_finishes(api: Api) -> None:
    job = _ingested(api, "bank-a", [("../../../evil.txt", NOTE), ("..\\..\\win.txt", b"windows path " * 9)],
                    kind="general")
    assert sorted(f["name"] for f in job["files"]) == ["evil.txt", "win.txt"]
    root = api.settings.data_dir.parent
    assert not [p for p in root.rglob("*") if p.name in ("evil.txt", "win.txt")]
    assert not (api.settings.uploads_dir / job["job_id"]).exists()


def test_the_audit_log_records_who_ingested_which_files_and_documents(api: Api) -> None:
    job = _ingested(api, "bank-a", [("notes.txt", NOTE)], kind="general")

    def audit() -> list[dict[str, Any]]:
        return [json.loads(x) for p in (api.settings.data_dir / "audit").glob("*.jsonl") for x in p.read_text().splitlines()]

    # the finish hook writes the job's line just after its status is stored: a poll may see the status first
    deadline = time.monotonic() + 10
    lines = audit()
    while not any(x["route"] == "ingest_job" for x in lines) and time.monotonic() < deadline:
        time.sleep(0.05)
        lines = audit()
    request = next(x for x in lines if x["route"] == "ingest")
    assert (request["tenant"], request["role"], request["status"]) == ("bank-a", "rm", 202) and request["key_id"]
    done = next(x for x in lines if x["route"] == "ingest_job")
    assert done["job_id"] == job["job_id"] and done["key_id"] == request["key_id"] and done["tenant"] == "bank-a"
    assert (done["files"], done["doc_ids"], done["status"]) == (["notes.txt"], [job["files"][0]["doc_id"]], "succeeded")


def test_a_job_waits_while_another_writer_holds_the_index(api: Api) -> None:
    other = KnowledgeBase(api.settings)  # e.g. `sme ingest` in another process
    with other.writer_lock():
        job_id = _post(api, "bank-a", [("notes.txt", NOTE)], kind="general").json()["job_id"]
        deadline = time.monotonic() + 30
        while (job := api.c.get(f"/v1/jobs/{job_id}", headers=api.auth["bank-a"]).json())["note"] is None:
            assert time.monotonic() < deadline, job
            time.sleep(0.05)
        assert job["status"] == "running" and job["note"] == "waiting for another ingest to finish writing"
    assert _wait(api, "bank-a", job_id)["counts"]["indexed"] == 1


def _chunk_counts(settings: Settings) -> tuple[int, int, int]:
    conn = sqlite3.connect(settings.db_path)
    chunks, distinct = conn.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM chunks").fetchone()
    index = KnowledgeBase(settings).index()
    return chunks, distinct, 0 if index is None else index.size


def test_a_profile_upload_after_a_job_keeps_the_jobs_vectors(api: Api) -> None:
    h = api.auth["bank-a"]
    plan = ("business_plan.docx", (AURORA / "business_plan.docx").read_bytes())
    assert api.c.post("/v1/profile", files=[("files", plan)], data={"enterprise_id": "aurora"},
                      headers=h).status_code == 200  # the API's own index is loaded now
    assert _ingested(api, "bank-a", [("notes.txt", NOTE)], kind="general")["counts"]["indexed"] == 1
    r = api.c.post("/v1/profile", files=[("files", ("rd.csv", (AURORA / "rd_quarterly.csv").read_bytes()))],
                   data={"enterprise_id": "aurora"}, headers=h)
    assert r.status_code == 200 and r.json()["ingest"]["counts"] == {"indexed": 1}
    chunks, distinct, vectors = _chunk_counts(api.settings)
    assert chunks == distinct == vectors


def _crashed_job(settings: Settings, store: JobStore, job_id: str, runs: int, keep_files: bool = True) -> None:
    """A job as a server killed mid-run leaves it: `running`, claimed by a process that is gone."""
    folder = settings.uploads_dir / job_id
    folder.mkdir(parents=True)
    if keep_files:
        (folder / "0000").write_bytes(NOTE + job_id.encode())
    spec = JobSpec("bank-a", "k1", "rm", "bank-a", "general", None)
    store.create(job_id, spec, [{"source": f"upload:general/{job_id}.txt", "stored": "0000"}],
                 [{"name": f"{job_id}.txt", "source": f"upload:general/{job_id}.txt", "status": "queued",
                   "doc_id": None, "reason": ""}])
    for run in range(runs):
        assert store.claim(job_id, "4194305:gone") is not None  # above the kernel's pid_max: no such process
        if run < runs - 1:
            assert store.requeue(job_id, "4194305:gone", "test")


def test_jobs_a_dead_server_left_running_are_requeued_or_marked_interrupted(tmp_path: Path) -> None:
    settings = _settings(tmp_path, ingest_job_attempts=3)
    store = JobStore(settings.db_path)
    _crashed_job(settings, store, "again", runs=1)
    _crashed_job(settings, store, "poison", runs=3)
    _crashed_job(settings, store, "gone", runs=1, keep_files=False)
    _crashed_job(settings, store, "alive", runs=0)
    assert store.claim("alive", f"{os.getppid()}:other-server")  # a live process is still running it
    key = KeyStore(settings.keys_path).create("bank-a", "rm")[0]
    with _open(settings) as c:
        api = Api(c, settings, {"bank-a": {"Authorization": f"Bearer {key}"}})
        again = _wait(api, "bank-a", "again")
        assert (again["status"], again["attempts"], again["counts"]["indexed"]) == ("succeeded", 2, 1)
        assert again["note"].startswith("re-queued at server start")
        poison, gone = (c.get(f"/v1/jobs/{j}", headers=api.auth["bank-a"]).json() for j in ("poison", "gone"))
        assert poison["status"] == "interrupted" and "stopped during this job 3 times" in poison["error"]
        assert gone["status"] == "interrupted" and gone["error"].startswith("1 uploaded file(s) are gone")
        assert c.get("/v1/jobs/alive", headers=api.auth["bank-a"]).json()["status"] == "running"
    assert sorted(p.name for p in settings.uploads_dir.iterdir()) == ["alive"]


def test_the_body_and_file_size_limits_apply(tmp_path: Path) -> None:
    settings = _settings(tmp_path, max_request_mb=0.05, max_file_mb=0.01)
    key = KeyStore(settings.keys_path).create("bank-a", "rm")[0]
    with _open(settings) as c:
        api = Api(c, settings, {"bank-a": {"Authorization": f"Bearer {key}"}})
        r = _post(api, "bank-a", [("big.txt", b"x" * 60_000)], kind="general")
        assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"
        assert not settings.uploads_dir.exists() or not list(settings.uploads_dir.iterdir())
        job = _ingested(api, "bank-a", [("small.txt", NOTE), ("over.txt", b"word " * 4000)], kind="general")
        over = next(f for f in job["files"] if f["name"] == "over.txt")
        assert over["status"] == "rejected" and "SME_MAX_FILE_MB" in over["reason"]
        assert job["counts"]["indexed"] == 1


def test_a_job_that_cannot_commit_fails_and_says_which_files_were_not_kept(
        api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.adapters import faiss_index

    def no_space(index: object, path: str) -> None:
        raise OSError(28, "No space left on device", path)

    monkeypatch.setattr(faiss_index.faiss, "write_index", no_space)
    job = _ingested(api, "bank-a", [("notes.txt", NOTE), ("empty.txt", b"")], kind="general")
    assert job["status"] == "failed" and "could not write the index" in job["error"]
    by_name = {f["name"]: f for f in job["files"]}
    assert by_name["notes.txt"]["status"] == "failed" and by_name["notes.txt"]["reason"].startswith("not committed")
    assert by_name["empty.txt"]["status"] == "rejected"
    assert not (api.settings.uploads_dir / job["job_id"]).exists()
    monkeypatch.undo()
    assert _ingested(api, "bank-a", [("notes.txt", NOTE)], kind="general")["counts"]["indexed"] == 1


def test_a_job_an_admin_ran_into_another_tenant_is_not_shown_to_the_admins_own_tenant(api: Api) -> None:
    keys = KeyStore(api.settings.keys_path)
    api.auth["ops-rm"] = {"Authorization": f"Bearer {keys.create('ops', 'rm')[0]}"}  # an RM of the admin's tenant
    job = _ingested(api, "ops", [("notes.txt", NOTE)], kind="general", tenant="bank-a")
    assert job["status"] == "succeeded" and job["tenant"] == "bank-a"
    assert api.c.get(f"/v1/jobs/{job['job_id']}", headers=api.auth["ops-rm"]).status_code == 404
    assert job["job_id"] not in {j["job_id"] for j in api.c.get("/v1/jobs", headers=api.auth["ops-rm"]).json()["jobs"]}
    mine = _ingested(api, "ops-rm", [("mine.txt", NOTE + b" ops")], kind="general")
    assert mine["job_id"] in {j["job_id"] for j in api.c.get("/v1/jobs", headers=api.auth["ops-rm"]).json()["jobs"]}
