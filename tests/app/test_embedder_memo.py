"""MemoEmbedder embeds each text once across calls (until its bound), with the inner embedder's vectors."""

from __future__ import annotations

import numpy as np

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
