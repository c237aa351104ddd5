"""The CPUs this process may really use: its affinity mask, capped by a container's CPU quota
(cgroup v2 `cpu.max`, or v1 `cpu.cfs_quota_us` / `cpu.cfs_period_us`). `os.cpu_count()` reports the
host's cores, so a pod limited to 4 CPUs on a 64-core node would otherwise size itself for 64.
And the BLAS thread team of a server process (`limit_blas_threads`)."""

from __future__ import annotations

import math
import os
from pathlib import Path

CGROUP = Path("/sys/fs/cgroup")


def usable_cpus(cgroup: Path = CGROUP) -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cores = os.cpu_count() or 1
    quota = _quota(cgroup)
    return max(1, min(cores, math.ceil(quota)) if quota else cores)


def _quota(cgroup: Path) -> float | None:
    """CPUs the quota allows (1.5 for 150000/100000), None when unlimited or unknown."""
    try:
        limit, _, period = (cgroup / "cpu.max").read_text().strip().partition(" ")
        if limit != "max" and period:
            return int(limit) / int(period)
        return None
    except (OSError, ValueError):
        pass
    try:
        quota_us = int((cgroup / "cpu" / "cpu.cfs_quota_us").read_text())
        period_us = int((cgroup / "cpu" / "cpu.cfs_period_us").read_text())
        return quota_us / period_us if quota_us > 0 and period_us > 0 else None
    except (OSError, ValueError):
        return None


def limit_blas_threads(threads: int) -> None:
    """Cap the BLAS library's threads for the whole process (0: leave its default). A server's matrix
    products are small (a question's vector against a few thousand chunks or programs): on one
    thread one took 0.16 ms, while a team of two waited ~8 ms at its barrier whenever the cores were
    busy with other requests (measured on 2 cores). threadpoolctl finds the BLAS numpy loaded."""
    if threads <= 0:
        return
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=threads, user_api="blas")
