"""The ingest queue in PostgreSQL across processes: SKIP LOCKED claims, a dead worker told by its
database session, and the kill test (SIGKILL a worker mid-job: the job is re-queued exactly once
and finishes with every document once)."""

from __future__ import annotations

import io
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest

from app.adapters.jobs import JobSpec
from app.adapters.pg.jobs import PgJobStore
from app.jobs import ingest_jobs
from app.jobs.ingest_jobs import IngestJobs
from app.wiring import Deps
from tests.pg.jobs_setup import memo, worker_settings
from tests.pg.stores import Opened

ROOT = Path(__file__).resolve().parents[2]
SPEC = JobSpec(owner="bank-a", key_id=None, role="rm", tenant="bank-a", kind="general", enterprise_id=None)


def _queue(store: PgJobStore, n: int) -> list[str]:
    ids = [f"j{i:02d}" for i in range(n)]
    for job_id in ids:
        store.create(job_id, SPEC, [], [])
    return ids


def test_claim_next_takes_the_oldest_queued_job_and_skips_one_another_worker_has_locked(
        pg_url: str, opened: Opened) -> None:
    store = opened(PgJobStore(pg_url))
    _queue(store, 3)
    with psycopg.connect(pg_url) as holder, holder.transaction():
        holder.execute("SELECT id FROM ingest_jobs WHERE id='j00' FOR UPDATE")  # a worker mid-claim
        started = time.monotonic()
        job = store.claim_next("r1")
        assert job is not None and job["job_id"] == "j01" and job["runner"] == "r1" and job["attempts"] == 1
        assert time.monotonic() - started < 2  # skipped, not waited for
    job = store.claim_next("r2")
    assert job is not None and job["job_id"] == "j00"
    assert store.claim_next("r3")["job_id"] == "j02" and store.claim_next("r4") is None


def test_workers_racing_on_the_queue_take_each_job_exactly_once(pg_url: str, opened: Opened) -> None:
    ids = _queue(opened(PgJobStore(pg_url)), 40)
    taken: list[list[str]] = [[] for _ in range(6)]

    def work(n: int) -> None:
        store = opened(PgJobStore(pg_url))  # a connection each: six workers
        while (job := store.claim_next(f"r{n}")) is not None:
            taken[n].append(job["job_id"])

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    every = [job_id for mine in taken for job_id in mine]
    assert sorted(every) == ids  # none twice, none left
    assert sum(1 for mine in taken if mine) >= 2  # they did share the work


def _worker(data_dir: Path, url: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-m", "tests.pg.worker_main", str(data_dir), url], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "started"
    return proc


def _processed(store: PgJobStore, job_id: str) -> int:
    job = store.get(job_id)
    return sum(f["status"] != "queued" for f in job["files"]) if job else 0


def _wait_for(check: Any, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def test_a_worker_killed_mid_job_leaves_it_requeued_exactly_once_and_every_document_kept_once(
        pg_url: str, tmp_path: Path, opened: Opened) -> None:
    n, data = 32, tmp_path / "data"  # ~70 ms a document here: the kill lands after 4, long before 32
    submitter = IngestJobs(Deps.build(worker_settings(data, pg_url)), refresh=lambda tenant, enterprise_id: None)
    opened(submitter.store)
    job_id = submitter.submit(SPEC, [memo_file(i) for i in range(n)])["job_id"]
    store = opened(PgJobStore(pg_url))
    proc = _worker(data, pg_url)  # another process's worker takes the queued job
    try:
        _wait_for(lambda: _processed(store, job_id) >= 4, "the worker to index some files")
        assert store.get(job_id)["status"] == "running" and store.runner_alive(job_id)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        proc.kill()
        proc.stdout.close()  # type: ignore[union-attr]
    _wait_for(lambda: not store.runner_alive(job_id), "the dead worker's session to end", 10)
    killed = store.get(job_id)
    assert killed is not None and killed["status"] == "running" and killed["attempts"] == 1
    assert 4 <= _processed(store, job_id) < n  # killed mid-job

    hosts = [IngestJobs(Deps.build(worker_settings(data, pg_url)), refresh=lambda t, e: None) for _ in range(2)]
    for host in hosts:
        opened(host.store)
    recovered = [host.recover() for host in hosts]  # two processes restart at once
    assert recovered == [[job_id], [job_id]]  # both queue it locally; the database holds one re-queue
    job = store.get(job_id)
    assert job is not None and job["status"] == "queued" and job["note"].startswith("re-queued at server start")
    assert job["attempts"] == 1 and job["runner"] is None
    hosts[0].run(job_id)
    hosts[1].run(job_id)  # the second finds it taken: nothing happens
    done = store.get(job_id)
    assert done is not None and done["status"] == "succeeded" and done["attempts"] == 2
    assert done["counts"]["indexed"] + done["counts"]["unchanged"] == n
    assert done["counts"]["unchanged"] >= 1 and done["counts"]["failed"] == 0
    assert hosts[1].recover() == []  # finished: nothing left to re-queue


def memo_file(i: int) -> tuple[str, io.BytesIO]:
    name, data = memo(i)
    return f"upload:bank-a/{name}", io.BytesIO(data)


def test_a_running_worker_adopts_a_job_queued_through_another_host(pg_url: str, tmp_path: Path, opened: Opened,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest_jobs, "ADOPT_EVERY_S", 0.1)
    data = tmp_path / "data"  # SME_DATA_DIR/uploads shared by both hosts
    worker = IngestJobs(Deps.build(worker_settings(data, pg_url)), refresh=lambda t, e: None)
    opened(worker.store)
    assert worker.start() == []
    try:
        submitter = IngestJobs(Deps.build(worker_settings(data, pg_url)), refresh=lambda t, e: None)
        opened(submitter.store)  # never started: its worker is busy, or it only serves
        job_id = submitter.submit(SPEC, [memo_file(i) for i in range(3)])["job_id"]
        _wait_for(lambda: submitter.store.get(job_id)["status"] == "succeeded", "the other host to run it", 30)  # type: ignore[index]
        job = submitter.store.get(job_id)
        assert job is not None and job["attempts"] == 1 and job["counts"]["indexed"] == 3
    finally:
        worker.stop()


def test_a_host_leaves_alone_a_job_whose_files_it_cannot_read(pg_url: str, tmp_path: Path, opened: Opened) -> None:
    host_a = IngestJobs(Deps.build(worker_settings(tmp_path / "a", pg_url)), refresh=lambda t, e: None)
    host_b = IngestJobs(Deps.build(worker_settings(tmp_path / "b", pg_url)), refresh=lambda t, e: None)
    opened(host_a.store)
    opened(host_b.store)
    job_id = host_a.submit(SPEC, [memo_file(0)])["job_id"]
    assert host_b.recover() == [] and host_b.recover(adopting=True) == []  # uploads not shared: A's to run
    assert host_a.recover(adopting=True) == []  # A holds it already
    host_a.run(job_id)
    assert host_a.store.get(job_id)["status"] == "succeeded"  # type: ignore[index]
