"""CPU seconds per request, route by route, for the load test's requests (by command, not in CI).

    python -m eval.route_cpu [--requests 30] [--warm 25] [--embedder sentence-transformers]

The load test (eval/load_test.py) is CPU-bound on two cores, so its outcome follows from the CPU
each request costs. This runs the same app on the same data (the demo knowledge base in a fresh
data dir, one model thread) in one process, sends requests drawn like eval/locustfile.py's (every
text unique), one at a time, and reads `time.process_time` around them: CPU seconds, not wall
seconds, so other work on the machine does not move the figures. The embedding model's share is
read around its forward passes (`time.thread_time` in the calling thread). It reports CPU ms per
request per route, the model's share and passes, the load test's mix (search 4, chat 2, match 2,
profile 1) and the requests per second two cores can serve at that mix.
Results: docs/benchmarks/route_cpu.json.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import json
import multiprocessing
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from app.adapters.kb import KnowledgeBase
from app.adapters.keys import KeyStore
from app.api.app import create_app
from app.demo import load_demo
from app.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "benchmarks" / "route_cpu.json"
MIX = {"search": 4, "chat": 2, "match": 2, "profile": 1}  # eval/locustfile.py's task weights


def _locust_pools() -> dict[str, list[str]]:
    """eval/locustfile.py's text pools, read from its source: importing it would load locust (gevent
    patches the interpreter)."""
    tree = ast.parse((ROOT / "eval" / "locustfile.py").read_text(encoding="utf-8"))
    return {node.targets[0].id: ast.literal_eval(node.value) for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id in ("QUERIES", "PLACES", "FIRMS")}


_POOLS = _locust_pools()
QUERIES, PLACES, FIRMS = _POOLS["QUERIES"], _POOLS["PLACES"], _POOLS["FIRMS"]


def query(rng: random.Random) -> str:
    return f"{rng.choice(QUERIES)} {rng.choice(PLACES)} {rng.randint(2015, 2026)}"


def firm(rng: random.Random) -> str:
    return rng.choice(FIRMS).format(place=rng.choice(PLACES), year=rng.randint(2008, 2024), n=rng.randint(1, 9999),
                                    staff=rng.randint(5, 900), rd=rng.randint(1, 200), last=2023,
                                    rev=rng.randint(100, 90000), pat=rng.randint(0, 40))


ROUTES: dict[str, Callable[[random.Random], tuple[str, dict[str, Any]]]] = {
    "search": lambda r: ("/v1/search", {"query": query(r), "k": 10}),
    "chat": lambda r: ("/v1/chat", {"messages": [{"role": "user", "content": query(r) + "?"}]}),
    "match": lambda r: ("/v1/match", {"text": firm(r), "k": 10}),
    "profile": lambda r: ("/v1/profile", {"text": firm(r)}),
}


class ModelClock:
    """CPU seconds and passes of the embedding model's forward passes (wraps the engine's encode)."""

    def __init__(self, embedder: Any) -> None:
        self.seconds, self.passes = 0.0, 0
        inner = getattr(embedder, "_encode", None)
        if inner is None:  # the hashing embedder: no model
            return

        def timed(items: list[Any]) -> Any:
            start = time.thread_time()
            try:
                return inner(items)
            finally:
                self.seconds += time.thread_time() - start
                self.passes += 1

        embedder._encode = timed
        if hasattr(embedder, "_coalesce"):
            embedder._coalesce._run = timed


async def _measure(settings: Settings, key: str, n: int, warm: int) -> dict[str, dict[str, float]]:
    app = create_app(settings)
    out: dict[str, dict[str, float]] = {}
    async with app.router.lifespan_context(app):
        clock = ModelClock(app.state.deps.embedder)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench", timeout=120) as client:
            headers = {"Authorization": f"Bearer {key}"}

            async def send(path: str, body: dict[str, Any]) -> None:
                r = await client.post(path, json=body, headers=headers)
                r.raise_for_status()

            rng = random.Random(1)  # warm: lazy paths, and the memo of fixed texts as after the load test's warm-up
            for name, make in ROUTES.items():
                for _ in range(warm):
                    await send(*make(rng))
            for seed, (name, make) in enumerate(ROUTES.items(), start=11):
                requests = [make(random.Random(seed * 1000 + i)) for i in range(n)]
                model0, passes0, cpu0 = clock.seconds, clock.passes, time.process_time()
                for path, body in requests:
                    await send(path, body)
                out[name] = {"cpu_ms": round((time.process_time() - cpu0) / n * 1000, 1),
                             "model_ms": round((clock.seconds - model0) / n * 1000, 1),
                             "model_passes": round((clock.passes - passes0) / n, 2)}
    return out


def _build(settings: Settings) -> None:
    load_demo(settings)
    KnowledgeBase(settings).sparse()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=30, help="measured requests per route")
    ap.add_argument("--warm", type=int, default=25, help="unmeasured requests per route first")
    ap.add_argument("--embedder", choices=("sentence-transformers", "hashing"), default="sentence-transformers")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sme-route-cpu-"))
    settings = Settings(data_dir=work / "data", embedder=args.embedder, rate_limit_per_s=0, torch_threads=1,
                        startup_warm_up="blocking")
    # the data dir is built in a child process: ingest loads libraries (torch's OpenMP runtime) that
    # would leave the model on two threads here, where a server worker runs it on one
    build = multiprocessing.get_context("spawn").Process(target=_build, args=(settings,))
    build.start()
    build.join()
    if build.exitcode != 0:
        raise SystemExit("building the demo data dir failed")
    key = KeyStore(settings.keys_path).create("bank-0", "rm")[0]
    routes = asyncio.run(_measure(settings, key, args.requests, args.warm))
    mix = sum(MIX[r] * routes[r]["cpu_ms"] for r in MIX) / sum(MIX.values())
    mix_model = sum(MIX[r] * routes[r]["model_ms"] for r in MIX) / sum(MIX.values())
    report = {"date": time.strftime("%Y-%m-%d"), "embedder": args.embedder, "model_threads": 1,
              "requests_per_route": args.requests, "routes": routes, "mix": MIX,
              "mix_cpu_ms": round(mix, 1), "mix_model_ms": round(mix_model, 1),
              "two_core_capacity_rps": round(2000 / mix, 1)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
