"""A server process's ingest worker alone, over PostgreSQL: `python -m tests.pg.worker_main DATA_DIR URL`.
It recovers what is queued, works, and says `started`; the kill test SIGKILLs it mid-job."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from app.jobs.ingest_jobs import IngestJobs
from app.wiring import Deps
from tests.pg.jobs_setup import worker_settings


def main() -> None:
    settings = worker_settings(Path(sys.argv[1]), sys.argv[2])
    jobs = IngestJobs(Deps.build(settings), refresh=lambda tenant, enterprise_id: None)
    jobs.start()
    print("started", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
