"""A claimed ingest job between its slices: the files still to come (read one ahead, an archive's
members one by one) and the per-file outcomes so far, written to the job as they come."""

from __future__ import annotations

import time
from collections.abc import Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any

from app.adapters.jobs import JobStore
from app.core.errors import DocumentError
from app.core.types import RawFile
from app.settings import Settings
from ingest.load import Failure, expand_zip
from ingest.pipeline import Target
from ingest.report import Outcome

if TYPE_CHECKING:
    from app.adapters.pg.jobs import PgJobStore

PROGRESS_EVERY_S = 0.25


def name_of(source: str) -> str:
    """`upload:<scope>/<file>[!/<member>]` as the caller knows it: the file (and archive member)."""
    return source.split("/", 1)[1] if source.startswith("upload:") and "/" in source else source


def members(raw: RawFile, settings: Settings) -> Iterator[RawFile | Failure]:
    if raw.extension != "zip":
        yield raw
        return
    try:
        yield from expand_zip(raw, settings)
    except DocumentError as exc:
        yield Failure(raw.source, exc.status, str(exc))


class Running:
    """A claimed job between its slices: the files still to come and the outcomes so far."""

    def __init__(self, job: dict[str, Any], progress: Progress, inputs: Iterator[RawFile | Failure],
                 settings: Settings) -> None:
        self.job, self.progress = job, progress
        self.target = Target(job["kind"], job["tenant"], job["enterprise_id"])
        self.outcomes: list[Outcome] = []
        self.lock_deadline = time.monotonic() + settings.ingest_lock_wait_s
        self._inputs = inputs
        self._ahead: list[RawFile | Failure] = []  # read one file ahead, to know whether a slice is the last

    def take(self, n: int) -> list[RawFile | Failure]:
        files = self._ahead + list(islice(self._inputs, n + 1 - len(self._ahead)))
        self._ahead = files[n:]
        return files[:n]

    def put_back(self, files: list[RawFile | Failure]) -> None:
        self._ahead = files + self._ahead

    @property
    def done(self) -> bool:
        return not self._ahead


class Progress:
    """Per-file outcomes as the pipeline reports them, written to the job at most every 0.25 s."""

    def __init__(self, store: JobStore | PgJobStore, job_id: str) -> None:
        self.store, self.job_id = store, job_id
        self.files: list[dict[str, Any]] = []
        self._written = 0.0

    def __call__(self, o: Outcome) -> None:
        self.files.append({"name": name_of(o.source), "source": o.source, "status": o.status, "doc_id": o.doc_id,
                           "reason": o.reason, "duplicate_of": o.duplicate_of})
        if time.monotonic() - self._written >= PROGRESS_EVERY_S:
            self.flush()

    def flush(self) -> None:
        self.store.progress(self.job_id, self.files)
        self._written = time.monotonic()

    def note(self, text: str) -> None:
        self.store.progress(self.job_id, self.files, note=text)
