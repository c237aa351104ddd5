"""MemoEmbedder embeds each text once across calls (until its bound), with the inner embedder's vectors."""

from __future__ import annotations

import numpy as np
import pytest

from app.adapters.embedder import HashingEmbedder, MemoEmbedder


class _Counting(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def embed(self, texts):  # type: ignore[no-untyped-def]
        self.seen += list(texts)
        return super().embed(texts)


def test_each_text_is_embedded_once_and_vectors_match() -> None:
    inner = _Counting()
    memo = MemoEmbedder(inner, capacity=3)
    first = memo.embed(["a b", "c d"])
    second = memo.embed(["c d", "a b", "a b"])
    assert inner.seen == ["a b", "c d"]
    assert np.allclose(second[0], first[1]) and np.allclose(second[1], HashingEmbedder().embed(["a b"])[0])
    memo.embed(["e", "f"])  # over capacity: the memo starts again
    memo.embed(["a b"])
    assert inner.seen == ["a b", "c d", "e", "f", "a b"]


def test_threads_sharing_a_small_memo_always_get_their_own_vectors() -> None:
    from concurrent.futures import ThreadPoolExecutor

    memo = MemoEmbedder(HashingEmbedder(), capacity=4)  # tiny: the memo starts afresh under the readers
    texts = [[f"text {i} {j}" for j in range(3)] for i in range(200)]
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(memo.embed, texts))
    for batch, vectors in zip(texts, results):
        assert np.allclose(vectors, HashingEmbedder().embed(batch))


def test_concurrent_callers_share_model_calls_and_each_gets_its_own_vectors() -> None:
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    from app.adapters.embedder import Coalescer

    calls: list[int] = []
    first = threading.Event()

    def run(texts: list[str]) -> np.ndarray:
        calls.append(len(texts))
        if len(calls) == 1:
            first.set()
            time.sleep(0.2)  # the model is busy: the others queue behind this call
        return HashingEmbedder().embed(texts)

    coalesce = Coalescer(run)
    with ThreadPoolExecutor(9) as pool:
        lead = pool.submit(coalesce, ["lead"])
        first.wait()
        rest = [pool.submit(coalesce, [f"t{i}", f"u{i}"]) for i in range(8)]
        got = [f.result() for f in rest]
    assert np.allclose(lead.result(), HashingEmbedder().embed(["lead"]))
    for i, vectors in enumerate(got):
        assert np.allclose(vectors, HashingEmbedder().embed([f"t{i}", f"u{i}"]))
    assert calls[0] == 1 and sum(calls) == 17 and len(calls) < 9  # the 16 queued texts rode in fewer calls


def test_a_failed_model_call_fails_every_caller_of_its_batch_and_the_next_call_runs() -> None:
    from app.adapters.embedder import Coalescer

    state = {"fail": True}

    def run(texts: list[str]) -> np.ndarray:
        if state.pop("fail", False):
            raise ValueError("model failed")
        return HashingEmbedder().embed(texts)

    coalesce = Coalescer(run)
    with pytest.raises(ValueError, match="model failed"):
        coalesce(["a"])
    assert np.allclose(coalesce(["a"]), HashingEmbedder().embed(["a"]))


def test_a_big_call_goes_through_in_pieces_and_a_query_waits_for_one_piece_at_most() -> None:
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    from app.adapters.embedder import Coalescer

    passes: list[list[str]] = []
    first = threading.Event()

    def run(texts: list[str]) -> np.ndarray:
        passes.append(list(texts))
        first.set()
        time.sleep(0.05)
        return HashingEmbedder().embed(texts)

    coalesce = Coalescer(run, piece=16)
    chunks = [f"chunk {i}" for i in range(40)]
    with ThreadPoolExecutor(2) as pool:
        big = pool.submit(coalesce, chunks)
        first.wait()
        query = pool.submit(coalesce, ["the query"])
        assert np.allclose(query.result(), HashingEmbedder().embed(["the query"]))
        assert np.allclose(big.result(), HashingEmbedder().embed(chunks))
    assert all(len(p) <= 16 for p in passes) and sum(len(p) for p in passes) == 41
    served = next(i for i, p in enumerate(passes) if "the query" in p)
    assert served <= 1  # in the pass right after the one running when it arrived, not after all 40 chunks


def test_with_two_lanes_two_passes_run_at_once_never_more_and_every_caller_gets_its_own_vectors() -> None:
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    from app.adapters.embedder import Coalescer

    lock = threading.Lock()
    state = {"running": 0, "most": 0}
    passes: list[list[str]] = []

    def run(texts: list[str]) -> np.ndarray:
        with lock:
            state["running"] += 1
            state["most"] = max(state["most"], state["running"])
            passes.append(list(texts))
        time.sleep(0.05)
        with lock:
            state["running"] -= 1
        return HashingEmbedder().embed(texts)

    coalesce = Coalescer(run, piece=2, lanes=2)
    texts = [[f"q{i}", f"r{i}"] for i in range(12)]
    with ThreadPoolExecutor(12) as pool:
        got = list(pool.map(coalesce, texts))
    for sent, vectors in zip(texts, got):
        assert np.allclose(vectors, HashingEmbedder().embed(sent))
    assert state["most"] == 2  # a second lane was used, a third never
    assert sorted(t for p in passes for t in p) == sorted(t for pair in texts for t in pair)  # each text once


def test_embed_lanes_follow_the_cores_when_the_model_threads_are_capped() -> None:
    from app.adapters.cpus import usable_cpus
    from app.settings import Settings
    from app.wiring import embed_lanes

    cores = usable_cpus()
    assert embed_lanes(Settings(torch_threads=1)) == cores
    assert embed_lanes(Settings(torch_threads=0)) == 1  # one pass already using every core
    assert embed_lanes(Settings(torch_threads=1, embed_lanes=3)) == 3


def test_usable_cpus_are_capped_by_a_container_quota_v2_and_v1(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os

    from app.adapters.cpus import usable_cpus

    cores = len(os.sched_getaffinity(0))
    v2 = tmp_path / "v2"
    v2.mkdir()
    (v2 / "cpu.max").write_text("150000 100000\n")  # 1.5 CPUs: two threads may run
    assert usable_cpus(v2) == min(cores, 2)
    (v2 / "cpu.max").write_text("max 100000\n")
    assert usable_cpus(v2) == cores
    v1 = tmp_path / "v1"
    (v1 / "cpu").mkdir(parents=True)
    (v1 / "cpu" / "cpu.cfs_quota_us").write_text("100000\n")
    (v1 / "cpu" / "cpu.cfs_period_us").write_text("100000\n")
    assert usable_cpus(v1) == 1
    (v1 / "cpu" / "cpu.cfs_quota_us").write_text("-1\n")  # unlimited
    assert usable_cpus(v1) == cores
    assert usable_cpus(tmp_path / "none") == cores


def test_the_api_server_caps_the_blas_threads_it_was_told(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """One BLAS thread in a server process by default (its products are small; a team waits at its
    barrier on busy cores); 0 leaves the library's own count."""
    from fastapi.testclient import TestClient
    from threadpoolctl import threadpool_info, threadpool_limits

    from app.api.app import create_app
    from app.settings import Settings

    def blas() -> set[int]:
        return {int(i["num_threads"]) for i in threadpool_info() if i["user_api"] == "blas"}

    one = Settings(data_dir=tmp_path, embedder="hashing", startup_warm_up="blocking")
    with threadpool_limits(limits=2, user_api="blas"), TestClient(create_app(one)):  # restored on leaving
        assert blas() == {1}
    left = one.model_copy(update={"blas_threads": 0})
    with threadpool_limits(limits=2, user_api="blas"), TestClient(create_app(left)):
        assert blas() == {2}
