"""Ray engine for batch jobs: the same work function on Ray actors, local or on a cluster.

Each actor builds its work function once (the embedding model loads once per actor). Batches are
submitted in a bounded window, so a million-record input is never read into memory, and results
come back in input order, so the caller's journal (and resumability) behaves as with the local
engine. A Ray started here (no address) is local, telemetry-free, and shut down at the end.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from app.adapters.offline import set_offline_env

Batch = list[dict[str, Any]]


def _actor_class() -> Any:
    import ray

    @ray.remote
    class Worker:
        def __init__(self, factory: Callable[[], Callable[[Batch], Batch]]) -> None:
            self.work = factory()

        def run(self, batch: Batch) -> Batch:
            return self.work(batch)

    return Worker


def ray_map(factory: Callable[[], Callable[[Batch], Batch]], batches: Iterable[Batch], workers: int,
            address: str | None = None) -> Iterator[Batch]:
    set_offline_env()
    import ray

    started = not ray.is_initialized()
    if started:
        if address:
            ray.init(address=address, log_to_driver=False)
        else:
            ray.init(num_cpus=max(workers, 1), include_dashboard=False, log_to_driver=False)
    try:
        worker = _actor_class()
        actors = [worker.remote(factory) for _ in range(max(workers, 1))]
        window: deque[Any] = deque()
        for i, batch in enumerate(batches):
            window.append(actors[i % len(actors)].run.remote(batch))
            if len(window) >= 2 * len(actors):
                yield ray.get(window.popleft())
        while window:
            yield ray.get(window.popleft())
    finally:
        if started:
            ray.shutdown()
