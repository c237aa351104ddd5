"""The ingest job store's contract, on SQLite (the default) and on PostgreSQL: the same calls, the
same answers. Each state change happens once, guarded by the state and the runner it expects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.adapters.backends import job_store
from app.adapters.jobs import JobSpec
from app.core.errors import NotFound
from app.settings import Settings
from tests.pg.stores import BACKENDS, Opened, backend_settings

SPEC = JobSpec(owner="bank-a", key_id="k1", role="rm", tenant="bank-a", kind="enterprise", enterprise_id="acme")
INPUTS = [{"source": "upload:x/a.txt", "stored": "0000"}]
FILES = [{"name": "a.txt", "source": "upload:x/a.txt", "status": "queued", "doc_id": None, "reason": ""}]


@pytest.fixture(params=BACKENDS)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    return backend_settings(request, tmp_path)


@pytest.fixture
def jobs(settings: Settings, opened: Opened) -> Any:
    return opened(job_store(settings))


@pytest.fixture
def other(settings: Settings, opened: Opened) -> Any:
    """A second store over the same database: another process, or another host."""
    return opened(job_store(settings))


def test_a_created_job_reads_back_queued_with_its_spec_and_files(jobs: Any) -> None:
    jobs.create("j1", SPEC, INPUTS, FILES)
    job = jobs.get("j1")
    assert job is not None and job["status"] == "queued" and job["attempts"] == 0
    assert (job["owner"], job["tenant"], job["kind"], job["enterprise_id"]) == ("bank-a", "bank-a", "enterprise", "acme")
    assert job["inputs"] == INPUTS and job["files"] == FILES
    assert job["counts"] == {"indexed": 0, "duplicate": 0, "unchanged": 0, "rejected": 0, "failed": 0}
    assert job["created_at"].endswith("+00:00") and job["started_at"] is None and job["profile_updated"] is None
    assert jobs.get("nope") is None


def test_another_tenants_job_is_not_found_like_a_missing_one(jobs: Any) -> None:
    jobs.create("j1", SPEC, INPUTS, FILES)
    assert jobs.visible("j1", "bank-a")["job_id"] == "j1" and jobs.visible("j1", None)["job_id"] == "j1"
    with pytest.raises(NotFound, match="no ingest job 'j1'"):
        jobs.visible("j1", "bank-b")
    with pytest.raises(NotFound, match="no ingest job 'j2'"):
        jobs.visible("j2", "bank-a")


def test_recent_lists_the_owners_jobs_newest_first_in_pages(jobs: Any) -> None:
    for i in range(5):
        jobs.create(f"j{i}", SPEC, INPUTS, FILES)
    jobs.create("b0", JobSpec("bank-b", None, "rm", "bank-b", "general", None), INPUTS, FILES)
    assert [j["job_id"] for j in jobs.recent("bank-a", 3)] == ["j4", "j3", "j2"]
    assert [j["job_id"] for j in jobs.recent("bank-a", 3, offset=3)] == ["j1", "j0"]
    assert [j["job_id"] for j in jobs.recent(None, 2)] == ["b0", "j4"]


def test_a_job_is_claimed_once_and_only_its_runner_finishes_it(jobs: Any, other: Any) -> None:
    jobs.create("j1", SPEC, INPUTS, FILES)
    claimed = jobs.claim("j1", "r1")
    assert claimed is not None and claimed["status"] == "running" and claimed["runner"] == "r1"
    assert claimed["attempts"] == 1 and claimed["started_at"] is not None
    assert other.claim("j1", "r2") is None
    done = [{**FILES[0], "status": "indexed", "doc_id": "d1"}]
    assert other.finish("j1", "r2", "failed", [], "not mine", None) is False
    assert jobs.finish("j1", "r1", "succeeded", done, None, True) is True
    job = other.get("j1")
    assert job["status"] == "succeeded" and job["profile_updated"] is True and job["error"] is None
    assert job["counts"]["indexed"] == 1 and job["finished_at"] >= job["started_at"]
    assert jobs.finish("j1", "r1", "failed", [], "again", None) is False  # finished stays finished


def test_a_dead_runners_job_is_requeued_exactly_once_then_claimed_again(jobs: Any, other: Any) -> None:
    jobs.create("j1", SPEC, INPUTS, FILES)
    jobs.claim("j1", "r1")
    # two processes recovering at once: one wins
    assert [jobs.requeue("j1", "r1", "re-queued"), other.requeue("j1", "r1", "re-queued")] == [True, False]
    job = jobs.get("j1")
    assert job["status"] == "queued" and job["runner"] is None and job["note"] == "re-queued"
    assert other.requeue("j1", None, "again") is False  # a queued job is not re-queued
    again = other.claim("j1", "r2")
    assert again is not None and again["attempts"] == 2 and again["error"] is None
    assert jobs.requeue("j1", "r1", "stale") is False  # the old runner no longer holds it


def test_only_the_holder_interrupts_and_progress_lands_while_running(jobs: Any) -> None:
    jobs.create("j1", SPEC, INPUTS, FILES)
    jobs.progress("j1", [{**FILES[0], "status": "indexed"}], note="early")
    assert jobs.get("j1")["files"] == FILES and jobs.get("j1")["note"] is None  # not running: ignored
    jobs.claim("j1", "r1")
    jobs.progress("j1", [{**FILES[0], "status": "indexed"}], note="halfway")
    jobs.progress("j1", [{**FILES[0], "status": "failed"}])
    job = jobs.get("j1")
    assert job["files"][0]["status"] == "failed" and job["note"] == "halfway"
    assert jobs.interrupt("j1", "r2", "no") is False
    assert jobs.interrupt("j1", "r1", "gone") is True
    assert jobs.get("j1")["status"] == "interrupted" and jobs.get("j1")["error"] == "gone"


def test_unfinished_lists_queued_and_running_jobs_oldest_first(jobs: Any) -> None:
    for i in range(4):
        jobs.create(f"j{i}", SPEC, INPUTS, FILES)
    jobs.claim("j1", "r1")
    jobs.claim("j2", "r1")
    jobs.finish("j2", "r1", "succeeded", FILES, None, None)
    assert [(j["job_id"], j["status"]) for j in jobs.unfinished()] == [("j0", "queued"), ("j1", "running"),
                                                                       ("j3", "queued")]
