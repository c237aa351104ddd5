"""The runner of POST /v1/ingest jobs: uploads kept on disk, one worker thread per server process.

A job's files are written under SME_DATA_DIR/uploads/<job_id>/ (names are numbers, never the
caller's file name) before the job is recorded, and removed when it finishes. The worker runs the
same pipeline as `sme ingest` (Ingestor.run_raw, committing in checkpoints) and re-profiles the
enterprise afterwards, as the CLI does. A server killed mid-job leaves it `running`; at the next
start a job whose runner process is gone is re-queued (its files are still there, and ingestion
is idempotent by content hash: what was committed is `unchanged`, the rest is indexed), up to
`ingest_job_attempts` runs; after that, or with its files gone, it is marked `interrupted`.

The worker is shared fairly: a job runs in slices of `ingest_slice_files` files (each committed),
and tenants with queued jobs take turns slice by slice (`Turns`), so another tenant's big job
delays a small one by one slice at most; each file in a slice is bounded by the parse budget.
A file over a budget fails alone, named in the job with the setting that stopped it.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from app.adapters.jobs import FINISHED, JobSpec, JobStore
from app.adapters.kb import KnowledgeBase
from app.core.errors import DocumentError, NotFound, SmeError, WriterBusy
from app.core.types import RawFile
from app.jobs.ingest_run import Progress, Running, members, name_of
from app.jobs.turns import Turns
from app.wiring import Deps
from ingest.load import Failure, read_file
from ingest.pipeline import Ingestor, Target
from ingest.report import Outcome

if TYPE_CHECKING:
    from app.adapters.pg.jobs import PgJobStore

logger = logging.getLogger(__name__)
Refresh = Callable[[str, str], object]  # (tenant, enterprise_id): re-profile from its documents
Finished = Callable[[dict[str, Any]], None]
STALE_UPLOAD_S = 3600  # an upload folder with no job this old was left by a crash mid-upload
STOP_WAIT_S = 5.0
ADOPT_EVERY_S = 1.0  # PostgreSQL: how often a worker looks for other hosts' queued or orphaned jobs
REPROFILE_ON = ("indexed", "unchanged", "duplicate")
_LIVE: set[str] = set()  # tokens of this process's runners whose worker thread is alive


class IngestJobs:
    def __init__(self, deps: Deps, refresh: Refresh, on_finish: Finished | None = None) -> None:
        self.deps = deps
        self.store: JobStore | PgJobStore = deps.jobs
        self.refresh = refresh
        self.on_finish = on_finish
        self.token = uuid.uuid4().hex
        self.runner = f"{os.getpid()}:{self.token}"
        self._turns = Turns()
        self._running: dict[str, Running] = {}  # jobs between slices, by id
        self._local: set[str] = set()  # ids in this worker's turns or between its slices
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    @property
    def uploads(self) -> Path:
        return self.deps.settings.uploads_dir

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self) -> list[str]:
        """Recover jobs a crash left behind, then start the worker; returns the ids queued again."""
        queued = self.recover()
        self._remove_stale_uploads()
        _LIVE.add(self.token)
        self._thread = threading.Thread(target=self._work, name="ingest-jobs", daemon=True)
        self._thread.start()
        if hasattr(self.store, "claim_next"):  # PostgreSQL: one queue for every host
            threading.Thread(target=self._adopt, name="ingest-jobs-adopt", daemon=True).start()
        return queued

    def stop(self) -> None:
        """Stop after the job in hand; a job still running after a short wait is left to the daemon
        thread (and, if the process then exits, to recovery at the next start)."""
        self._stopping.set()
        self._turns.close()
        if self._thread is not None:
            self._thread.join(STOP_WAIT_S)

    def recover(self, adopting: bool = False) -> list[str]:
        """Queue this worker's share of the unfinished jobs (`adopting`: those it does not hold yet).
        With PostgreSQL only jobs whose uploaded files this host can read: other hosts' too when
        SME_DATA_DIR/uploads is a shared volume, else each host runs what was uploaded to it."""
        queued, shared = [], hasattr(self.store, "claim_next")
        for job in self.store.unfinished():
            if (adopting and job["job_id"] in self._local) or (shared and not (self.uploads / job["job_id"]).is_dir()):
                continue
            if job["status"] == "running" and not self._runner_gone(job):
                continue  # another live server process is running it
            if job["status"] == "running" and not self._resume(job):
                continue
            self._local.add(job["job_id"])
            self._turns.put(job["owner"], job["job_id"])
            queued.append(job["job_id"])
        return queued

    def _adopt(self) -> None:
        while not self._stopping.wait(ADOPT_EVERY_S):
            try:
                self.recover(adopting=True)
            except Exception:  # the database away for a moment: try again at the next round
                logger.exception("ingest jobs: could not look for other hosts' jobs")

    def _runner_gone(self, job: dict[str, Any]) -> bool:
        """In PostgreSQL the claiming worker's database session tells, whichever host it ran on;
        in SQLite (one host) its process id."""
        alive = getattr(self.store, "runner_alive", None)
        return not alive(job["job_id"]) if alive is not None else _orphaned(job["runner"])

    def _resume(self, job: dict[str, Any]) -> bool:
        missing = [i["stored"] for i in job["inputs"] if not (self.uploads / job["job_id"] / i["stored"]).is_file()]
        if job["attempts"] >= self.deps.settings.ingest_job_attempts or missing:
            why = (f"{len(missing)} uploaded file(s) are gone" if missing else
                   f"the server stopped during this job {job['attempts']} times")
            if self.store.interrupt(job["job_id"], job["runner"], f"{why}; not retried. Upload the files again: "
                                    "files already indexed are recognised and skipped"):
                self._finished(job["job_id"])
            return False
        note = (f"re-queued at server start: the server stopped during run {job['attempts']}; files already "
                "committed are recognised by content hash and skipped (status unchanged)")
        return self.store.requeue(job["job_id"], job["runner"], note)

    def _remove_stale_uploads(self) -> None:
        if not self.uploads.is_dir():
            return
        for folder in self.uploads.iterdir():
            try:  # another worker starting at the same time may remove the same folder
                job = self.store.get(folder.name)
                old = time.time() - folder.stat().st_mtime > STALE_UPLOAD_S
            except OSError:
                continue
            if (job is None and old) or (job is not None and job["status"] in FINISHED):
                shutil.rmtree(folder, ignore_errors=True)

    # -- submitting ----------------------------------------------------------------------------
    def submit(self, spec: JobSpec, uploads: list[tuple[str, BinaryIO]]) -> dict[str, Any]:
        """Store the uploaded files (document source, open file) and queue a job for them."""
        job_id = uuid.uuid4().hex
        folder = self.uploads / job_id
        try:
            inputs = _save(folder, uploads)
            files = [{"name": name_of(i["source"]), "source": i["source"], "status": "queued", "doc_id": None,
                      "reason": ""} for i in inputs]
            self._local.add(job_id)
            self.store.create(job_id, spec, inputs, files)
        except OSError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise SmeError(f"could not store the upload ({exc.strerror or exc})") from exc
        except BaseException:  # the job row was not written (database locked or full): keep no orphan files
            shutil.rmtree(folder, ignore_errors=True)
            raise
        self._turns.put(spec.owner, job_id)
        job = self.store.get(job_id)
        assert job is not None
        return job

    # -- running -------------------------------------------------------------------------------
    def _work(self) -> None:
        try:
            while not self._stopping.is_set() and (turn := self._turns.take()) is not None:
                tenant, job_id = turn
                try:
                    if self.run_slice(job_id):
                        self._turns.again(tenant, job_id)
                    else:
                        self._local.discard(job_id)
                except Exception:  # the worker must outlive any one job
                    logger.exception("ingest job %s: unexpected error", job_id)
                    self._running.pop(job_id, None)
                    self._local.discard(job_id)
        finally:
            _LIVE.discard(self.token)

    def run(self, job_id: str) -> None:
        """The whole job, slice after slice (the worker interleaves other tenants' slices instead)."""
        while self.run_slice(job_id):
            pass

    def run_slice(self, job_id: str) -> bool:
        """The job's next `ingest_slice_files` files, committed; True while files remain."""
        running = self._running.get(job_id) or self._claim(job_id)
        if running is None:
            return False  # already taken by another server process, or finished
        try:
            if self._slice(running):
                return True
            profiled = self._reprofile(running.target, running.outcomes)
        except SmeError as exc:
            logger.warning("ingest job %s failed: %s", job_id, exc)
            self._end(running, "failed", str(exc), None)
            return False
        except Exception as exc:
            logger.exception("ingest job %s failed", job_id)
            self._end(running, "failed", f"unexpected error ({type(exc).__name__}); it has been logged", None)
            return False
        self._end(running, "succeeded", None, profiled)
        return False

    def _claim(self, job_id: str) -> Running | None:
        job = self.store.claim(job_id, self.runner)
        if job is None:
            return None
        running = Running(job, Progress(self.store, job_id), self._inputs(job), self.deps.settings)
        self._running[job_id] = running
        return running

    def _slice(self, running: Running) -> bool:
        """One slice through the pipeline; True when the job has more files. Waits out another
        writer (a CLI ingest, an upload) up to `ingest_lock_wait_s`, then fails the job."""
        files = running.take(self.deps.settings.ingest_slice_files)
        # its own index and connection, as a CLI run would have: the API's searches reload the shared
        # one when a commit lands, which must not drop vectors this run has added but not committed
        kb = KnowledgeBase(self.deps.settings)
        try:
            report = Ingestor(self.deps.settings, kb, self.deps.embedder).run_raw(files, running.target,
                                                                                 running.progress)
        except WriterBusy:
            running.put_back(files)
            if time.monotonic() > running.lock_deadline or self._stopping.is_set():
                raise
            running.progress.note("waiting for another ingest to finish writing")
            self._stopping.wait(1.0)
            return True
        finally:
            kb.close()
        running.progress.flush()
        running.outcomes += report.outcomes
        return not running.done

    def _end(self, running: Running, status: str, error: str | None, profiled: bool | None) -> None:
        job_id = running.job["job_id"]
        self._running.pop(job_id, None)
        files = running.progress.files if status == "succeeded" else self._settled(running.job, running.progress.files,
                                                                                     error or "")
        if self.store.finish(job_id, self.runner, status, files, error, profiled):
            self._finished(job_id)
        else:
            logger.warning("ingest job %s: another runner holds it now; this run's outcome is dropped", job_id)

    def _settled(self, job: dict[str, Any], reported: list[dict[str, Any]], error: str) -> list[dict[str, Any]]:
        """After a failed run: outcomes the last commit did not keep, and files never reached, say so."""
        files = [f if f["status"] != "indexed" or self.deps.kb.store.document(f["doc_id"]) is not None
                 else {**f, "status": "failed", "reason": f"not committed: {error}"} for f in reported]
        seen = {f["source"].split("!/", 1)[0] for f in reported}
        files += [{**f, "status": "skipped", "reason": f"the job stopped before this file: {error}"}
                  for f in job["files"] if f["source"] not in seen]
        return files

    def _inputs(self, job: dict[str, Any]) -> Iterator[RawFile | Failure]:
        """Files read one at a time (the pipeline pulls them as it goes), within the file size limit;
        an archive's members one by one, so a slice counts them as files."""
        folder = self.uploads / job["job_id"]
        for item in job["inputs"]:
            try:
                raw = read_file(folder / item["stored"], self.deps.settings)
            except DocumentError as exc:
                yield Failure(item["source"], exc.status, str(exc))
                continue
            yield from members(RawFile(source=item["source"], data=raw.data), self.deps.settings)

    def _reprofile(self, target: Target, outcomes: list[Outcome]) -> bool | None:
        if not target.enterprise_id or not any(o.status in REPROFILE_ON for o in outcomes):
            return None
        try:
            self.refresh(target.tenant, target.enterprise_id)
        except NotFound:  # enterprise_id on a non-enterprise kind: no enterprise documents to profile
            return False
        return True

    def _finished(self, job_id: str) -> None:
        shutil.rmtree(self.uploads / job_id, ignore_errors=True)
        job = self.store.get(job_id)
        if self.on_finish is not None and job is not None:
            try:
                self.on_finish(job)
            except Exception:
                logger.exception("ingest job %s: the finish hook failed", job_id)


def _save(folder: Path, uploads: list[tuple[str, BinaryIO]]) -> list[dict[str, str]]:
    folder.mkdir(parents=True, mode=0o700)
    inputs = []
    for n, (source, stream) in enumerate(uploads):
        stored = f"{n:04d}"
        fd = os.open(folder / stored, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(stream, out, 1024 * 1024)
            out.flush()
            os.fsync(out.fileno())  # the job is recorded only once its files would survive a crash
        inputs.append({"source": source, "stored": stored})
    return inputs


def _orphaned(runner: str | None) -> bool:
    """True if the process (or, in this process, the runner) that claimed a job is gone."""
    pid, _, token = (runner or "").partition(":")
    if not pid.isdigit():
        return True
    if int(pid) == os.getpid():
        return token not in _LIVE
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False
