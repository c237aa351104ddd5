"""The runner of POST /v1/ingest jobs: uploads kept on disk, one worker thread per server process.

A job's files are written under SME_DATA_DIR/uploads/<job_id>/ (names are numbers, never the
caller's file name) before the job is recorded, and removed when it finishes. The worker runs the
same pipeline as `sme ingest` (Ingestor.run_raw, committing in checkpoints) and re-profiles the
enterprise afterwards, as the CLI does. A server killed mid-job leaves it `running`; at the next
start a job whose runner process is gone is re-queued (its files are still there, and ingestion
is idempotent by content hash: what was committed is `unchanged`, the rest is indexed), up to
`ingest_job_attempts` runs; after that, or with its files gone, it is marked `interrupted`.
"""

from __future__ import annotations

import logging
import os
import queue
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from app.adapters.jobs import FINISHED, JobSpec, JobStore
from app.adapters.kb import KnowledgeBase
from app.core.errors import DocumentError, NotFound, SmeError, WriterBusy
from app.core.types import RawFile
from app.wiring import Deps
from ingest.load import Failure, read_file
from ingest.pipeline import Ingestor, Target
from ingest.report import Outcome

logger = logging.getLogger(__name__)
Refresh = Callable[[str, str], object]  # (tenant, enterprise_id): re-profile from its documents
Finished = Callable[[dict[str, Any]], None]
PROGRESS_EVERY_S = 0.25
STALE_UPLOAD_S = 3600  # an upload folder with no job this old was left by a crash mid-upload
STOP_WAIT_S = 5.0
REPROFILE_ON = ("indexed", "unchanged", "duplicate")
_LIVE: set[str] = set()  # tokens of this process's runners whose worker thread is alive


class IngestJobs:
    def __init__(self, deps: Deps, refresh: Refresh, on_finish: Finished | None = None) -> None:
        self.deps = deps
        self.store: JobStore = deps.jobs
        self.refresh = refresh
        self.on_finish = on_finish
        self.token = uuid.uuid4().hex
        self.runner = f"{os.getpid()}:{self.token}"
        self._queue: queue.Queue[str | None] = queue.Queue()
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
        return queued

    def stop(self) -> None:
        """Stop after the job in hand; a job still running after a short wait is left to the daemon
        thread (and, if the process then exits, to recovery at the next start)."""
        self._stopping.set()
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join(STOP_WAIT_S)

    def recover(self) -> list[str]:
        queued = []
        for job in self.store.unfinished():
            if job["status"] == "running" and not _orphaned(job["runner"]):
                continue  # another live server process is running it
            if job["status"] == "running" and not self._resume(job):
                continue
            self._queue.put(job["job_id"])
            queued.append(job["job_id"])
        return queued

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
            files = [{"name": _name(i["source"]), "source": i["source"], "status": "queued", "doc_id": None,
                      "reason": ""} for i in inputs]
            self.store.create(job_id, spec, inputs, files)
        except OSError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise SmeError(f"could not store the upload ({exc.strerror or exc})") from exc
        except BaseException:  # the job row was not written (database locked or full): keep no orphan files
            shutil.rmtree(folder, ignore_errors=True)
            raise
        self._queue.put(job_id)
        job = self.store.get(job_id)
        assert job is not None
        return job

    # -- running -------------------------------------------------------------------------------
    def _work(self) -> None:
        try:
            while (job_id := self._queue.get()) is not None and not self._stopping.is_set():
                try:
                    self.run(job_id)
                except Exception:  # the worker must outlive any one job
                    logger.exception("ingest job %s: unexpected error", job_id)
        finally:
            _LIVE.discard(self.token)

    def run(self, job_id: str) -> None:
        job = self.store.claim(job_id, self.runner)
        if job is None:
            return  # already taken by another server process, or finished
        progress = _Progress(self.store, job_id)
        status, error, profiled = "succeeded", None, None
        try:
            target = Target(job["kind"], job["tenant"], job["enterprise_id"])
            outcomes = self._ingest(job, target, progress)
            profiled = self._reprofile(target, outcomes)
        except SmeError as exc:
            status, error = "failed", str(exc)
            logger.warning("ingest job %s failed: %s", job_id, exc)
        except Exception as exc:
            status, error = "failed", f"unexpected error ({type(exc).__name__}); it has been logged"
            logger.exception("ingest job %s failed", job_id)
        files = progress.files if status == "succeeded" else self._settled(job, progress.files, error or "")
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

    def _ingest(self, job: dict[str, Any], target: Target, progress: _Progress) -> list[Outcome]:
        deadline = time.monotonic() + self.deps.settings.ingest_lock_wait_s
        # its own index and connection, as a CLI run would have: the API's searches reload the shared
        # one when a commit lands, which must not drop vectors this run has added but not committed
        kb = KnowledgeBase(self.deps.settings)
        try:
            while True:
                try:
                    report = Ingestor(self.deps.settings, kb, self.deps.embedder).run_raw(self._inputs(job), target,
                                                                                        progress)
                    progress.flush()
                    return report.outcomes
                except WriterBusy:  # a CLI ingest or an upload is writing
                    if time.monotonic() > deadline or self._stopping.is_set():
                        raise
                    progress.note("waiting for another ingest to finish writing")
                    self._stopping.wait(1.0)
        finally:
            kb.store.close()

    def _inputs(self, job: dict[str, Any]) -> Iterator[RawFile | Failure]:
        """Files read one at a time (the pipeline pulls them as it goes), within the file size limit."""
        folder = self.uploads / job["job_id"]
        for item in job["inputs"]:
            try:
                raw = read_file(folder / item["stored"], self.deps.settings)
            except DocumentError as exc:
                yield Failure(item["source"], exc.status, str(exc))
                continue
            yield RawFile(source=item["source"], data=raw.data)

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


class _Progress:
    """Per-file outcomes as the pipeline reports them, written to the job at most every 0.25 s."""

    def __init__(self, store: JobStore, job_id: str) -> None:
        self.store, self.job_id = store, job_id
        self.files: list[dict[str, Any]] = []
        self._written = 0.0

    def __call__(self, o: Outcome) -> None:
        self.files.append({"name": _name(o.source), "source": o.source, "status": o.status, "doc_id": o.doc_id,
                           "reason": o.reason, "duplicate_of": o.duplicate_of})
        if time.monotonic() - self._written >= PROGRESS_EVERY_S:
            self.flush()

    def flush(self) -> None:
        self.store.progress(self.job_id, self.files)
        self._written = time.monotonic()

    def note(self, text: str) -> None:
        self.store.progress(self.job_id, self.files, note=text)


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


def _name(source: str) -> str:
    """`upload:<scope>/<file>[!/<member>]` as the caller knows it: the file (and archive member)."""
    return source.split("/", 1)[1] if source.startswith("upload:") and "/" in source else source


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
