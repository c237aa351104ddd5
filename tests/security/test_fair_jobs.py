"""The shared ingest worker is fair: a job runs in slices of files and tenants take turns slice by
slice, so one tenant's big job delays another's small one by one slice; a file over its parse
budget fails alone, named with the setting that stopped it, and the job is not run again."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import pytest

from app.adapters.embedder import HashingEmbedder
from app.adapters.jobs import JobSpec
from app.adapters.kb import KnowledgeBase
from app.core.types import Parsed, RawFile
from app.jobs.ingest_jobs import IngestJobs
from app.jobs.turns import Turns
from app.settings import Settings
from app.wiring import Deps
from ingest import pipeline
from tests.ingest.test_parse_limits import blank_pdf

TOPICS = ["export credit", "patent pledge", "payroll", "warehouse lease", "solar panels", "chip design",
          "cold chain", "battery recycling"]


def _spec(tenant: str) -> JobSpec:
    return JobSpec(owner=tenant, key_id=None, role="rm", tenant=tenant, kind="general", enterprise_id=None)


def _uploads(prefix: str, n: int) -> list[tuple[str, Any]]:
    return [(f"upload:general/{prefix}{i}.txt",
             io.BytesIO(f"{prefix} memo {i}: the firm asks about {TOPICS[i % len(TOPICS)]} in {2010 + i}.".encode()))
            for i in range(n)]


def _wait(jobs: IngestJobs, job_ids: list[str], seconds: float = 60) -> list[dict[str, Any]]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = [jobs.store.get(j) for j in job_ids]
        if all(j is not None and j["status"] not in ("queued", "running") for j in found):
            return [j for j in found if j is not None]
        time.sleep(0.05)
    raise AssertionError(f"jobs did not finish: {[jobs.store.get(j) for j in job_ids]}")


@pytest.fixture
def jobs(tmp_path: Path) -> Any:
    settings = Settings(data_dir=tmp_path / "data", embedder="hashing")
    deps = Deps(settings=settings, kb=KnowledgeBase(settings), embedder=HashingEmbedder())
    runner = IngestJobs(deps, refresh=lambda tenant, enterprise: None)
    runner.start()
    yield runner
    runner.stop()


def test_a_small_job_of_another_tenant_runs_between_the_slices_of_a_big_one(
        jobs: IngestJobs, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []
    real_parse = pipeline.parse

    def slow_parse(raw: RawFile, settings: Settings) -> Parsed:
        parsed.append(raw.source.rsplit("/", 1)[-1])
        time.sleep(0.1)
        return real_parse(raw, settings)

    monkeypatch.setattr(pipeline, "parse", slow_parse)
    big = jobs.submit(_spec("bank-a"), _uploads("a", 10))["job_id"]
    small = jobs.submit(_spec("bank-b"), _uploads("b", 1))["job_id"]
    done_big, done_small = _wait(jobs, [big, small])
    assert jobs.deps.settings.ingest_slice_files == 4
    assert parsed == ["a0.txt", "a1.txt", "a2.txt", "a3.txt", "b0.txt", *(f"a{i}.txt" for i in range(4, 10))]
    assert done_small["finished_at"] < done_big["finished_at"]  # it waited behind all of bank-a's job before
    assert (done_big["status"], done_big["counts"]["indexed"], done_big["attempts"]) == ("succeeded", 10, 1)
    assert (done_small["status"], done_small["counts"]["indexed"]) == ("succeeded", 1)


def test_a_file_over_its_budget_fails_alone_and_the_job_runs_once(jobs: IngestJobs) -> None:
    uploads = [("upload:general/blank.pdf", io.BytesIO(blank_pdf(300))), *_uploads("c", 2)]
    job = _wait(jobs, [jobs.submit(_spec("bank-a"), uploads)["job_id"]])[0]
    assert (job["status"], job["attempts"], job["error"]) == ("succeeded", 1, None)
    by_name = {f["name"]: f for f in job["files"]}
    assert by_name["blank.pdf"]["status"] == "rejected"
    assert "(SME_PARSE_MAX_OCR_PAGES)" in by_name["blank.pdf"]["reason"]
    assert [by_name[f"c{i}.txt"]["status"] for i in range(2)] == ["indexed", "indexed"]


def test_tenants_take_turns_and_each_tenants_jobs_keep_their_order() -> None:
    turns = Turns()
    for tenant, job in (("a", "a1"), ("a", "a2"), ("b", "b1"), ("c", "c1")):
        turns.put(tenant, job)
    order = []
    for _ in range(5):
        turn = turns.take()
        assert turn is not None
        order.append(turn[1])
        if turn[1] == "a1" and order.count("a1") == 1:
            turns.again("a", "a1")  # a1 has another slice: a's next turn, after b and c
    assert order == ["a1", "b1", "c1", "a1", "a2"]
    turns.close()
    assert turns.take() is None
