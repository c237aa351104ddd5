"""Load test (by command, not in CI): the real server under 50 concurrent users for 60 s.

    python -m eval.load_test [--users 50] [--duration 60] [--workers N] [--embedder hashing]

Loads the demo knowledge base into a fresh temporary data dir, starts `uvicorn --factory
app.api.app:create_app --workers N` (N = all cores by default) on 127.0.0.1, measures a single
user first (the baseline, after a discarded 10-s warm-up), then N users arriving 10 per second,
measured for the duration once all have arrived with eval/locustfile.py. It samples the resident memory
of the server's process tree each second and reports throughput, p50/p95/p99, errors, peak memory
against the budget, and whether p95 stays within 3x the single-user p95. Per-key rate limiting
is off for the run (it measures capacity; tests/security/test_limits.py tests the limiter).
Results: docs/benchmarks/load_test.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from app.adapters.kb import KnowledgeBase
from app.adapters.keys import KeyStore
from app.demo import load_demo
from app.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "benchmarks" / "load_test.json"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (uvicorn's workers), from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            rss_pages = int(Path(f"/proc/{p}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        total += rss_pages * os.sysconf("SC_PAGE_SIZE")
    return total / 1024 / 1024


class MemorySampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self.stop.wait(1.0):
            self.peak = max(self.peak, _tree_rss_mb(self.pid))


def _start_server(data: Path, port: int, workers: int, embedder: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SME_DATA_DIR": str(data), "SME_EMBEDDER": embedder, "SME_RATE_LIMIT_PER_S": "0",
           "SME_TORCH_THREADS": "1"}  # one thread per worker: the workers, not torch, use the cores
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "app.api.app:create_app", "--host", "127.0.0.1",
                             "--port", str(port), "--workers", str(workers), "--log-level", "warning"], env=env)
    deadline = time.time() + 300
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("the server did not start within 300 s")


def _locust(url: str, keys: Path, users: int, seconds: int, prefix: Path, spawn_rate: float = 10.0) -> dict[str, dict[str, float]]:
    # users arrive at spawn_rate per second; the statistics restart once all have arrived (--reset-stats),
    # so the figures are the steady state of `users` clients (each new key's first check is a PBKDF2 hash)
    cmd = [sys.executable, "-m", "locust", "-f", str(ROOT / "eval" / "locustfile.py"), "--headless", "--only-summary",
           "-u", str(users), "-r", str(spawn_rate), "--reset-stats", "-t", f"{seconds + users / spawn_rate:.0f}s",
           "--host", url, "--csv", str(prefix),
           "--keys-file", str(keys), "--loglevel", "WARNING", "--exit-code-on-error", "0"]
    subprocess.run(cmd, check=True, cwd=ROOT)
    rows = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rows[row["Name"]] = {"requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                                 "rps": round(float(row["Requests/s"]), 2), "p50_ms": float(row["50%"]),
                                 "p95_ms": float(row["95%"]), "p99_ms": float(row["99%"])}
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--out", type=Path, default=OUT, help="where the JSON report goes")
    ap.add_argument("--duration", type=int, default=60)
    # ~0.5 req/s from one user: 60 s gave ~30 requests, whose p95 (the ratio's denominator) moved 47-160 ms
    ap.add_argument("--baseline", type=int, default=180, help="seconds of the single-user run")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--embedder", choices=("sentence-transformers", "hashing"), default="sentence-transformers")
    ap.add_argument("--memory-budget-mb", type=float, default=0.0,
                    help="peak RSS of all server processes; default 300 + 1000 per worker (docs/security.md)")
    args = ap.parse_args()
    budget = args.memory_budget_mb or 300 + 1000 * args.workers
    work = Path(tempfile.mkdtemp(prefix="sme-load-"))
    settings = Settings(data_dir=work / "data", embedder=args.embedder)
    load_demo(settings)
    # build the per-generation BM25 cache once: N workers starting together race to write it
    KnowledgeBase(settings).sparse()
    keys = work / "keys.txt"
    store = KeyStore(settings.keys_path)
    keys.write_text("\n".join(store.create(f"bank-{i % 5}", "rm")[0] for i in range(args.users)) + "\n")
    port = _free_port()
    server = _start_server(settings.data_dir, port, args.workers, args.embedder)
    sampler = MemorySampler(server.pid)
    sampler.start()
    url = f"http://127.0.0.1:{port}"
    try:
        _locust(url, keys, 4, 10, work / "warm")  # discarded: lazy paths (first chat, first profile) in every worker
        single = _locust(url, keys, 1, args.baseline, work / "single")
        loaded = _locust(url, keys, args.users, args.duration, work / "load")
    finally:
        sampler.stop.set()
        server.terminate()
        server.wait(timeout=30)
    total, base = loaded["Aggregated"], single["Aggregated"]
    report = {
        "users": args.users, "duration_s": args.duration, "workers": args.workers, "embedder": args.embedder,
        "cpus": os.cpu_count(), "single_user": single, "load": loaded,
        "errors": total["failures"], "throughput_rps": total["rps"],
        "p95_ratio_to_single_user": round(total["p95_ms"] / max(base["p95_ms"], 1.0), 2),
        "peak_rss_mb": round(sampler.peak), "memory_budget_mb": budget,
        "ok": total["failures"] == 0 and total["p95_ms"] <= 3 * base["p95_ms"] and sampler.peak <= budget,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
