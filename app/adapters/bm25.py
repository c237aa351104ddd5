"""BM25 over chunk tokens with bm25s, one model per tenant, saved as numpy/JSON files (no pickle).

Each tenant's chunks (and the public ones) are a partition with its own document frequencies and
lengths, so what one bank indexes never changes another bank's scores or ranks (shared statistics
let a bank probe whether another bank holds a client's name). A search scores only the partitions
the principal may see and merges them by score (admins: all of them). Positions map to chunk
rowids. Each partition carries a signature of its chunks, so a rebuild after an ingest reuses the
partitions of the tenants it did not touch.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path

import bm25s
import numpy as np

from app.adapters.private_files import private_tree

logger = logging.getLogger(__name__)
logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG

MANIFEST = "partitions.json"
FORMAT = 2  # 1: one model over every tenant, masked at search (a folder without a manifest)
Key = tuple[int, str, str]  # (rowid, content key such as the chunk id, tenant) of one chunk
TokenSource = Callable[[set[str]], Iterable[tuple[int, list[str]]]]  # tenants → (rowid, tokens) of their chunks


def signature(keys: Iterable[tuple[int, str]]) -> str:
    """What a partition was built from: its (rowid, content key) pairs in order."""
    h = hashlib.sha256()
    for rowid, content in keys:
        h.update(f"{rowid}\x1f{content}\x1e".encode())
    return h.hexdigest()[:32]


class Bm25Partition:
    """One tenant's chunks, scored with that tenant's statistics only."""

    def __init__(self, model: bm25s.BM25 | None, rowids: np.ndarray, signature: str) -> None:
        self.model = model
        self.rowids = rowids
        self.signature = signature

    @classmethod
    def build(cls, rowids: Sequence[int], token_lists: Sequence[list[str]], sig: str) -> Bm25Partition:
        if not token_lists:
            return cls(None, np.zeros(0, np.int64), sig)
        model = bm25s.BM25(k1=1.2, b=0.75)
        model.index([t or ["\u2205"] for t in token_lists], show_progress=False)
        return cls(model, np.asarray(rowids, dtype=np.int64), sig)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if self.model is not None:
            self.model.save(str(folder))
        np.save(folder / "rowids.npy", self.rowids)

    @classmethod
    def load(cls, folder: Path, sig: str) -> Bm25Partition:
        rowids = np.load(folder / "rowids.npy")
        return cls(bm25s.BM25.load(str(folder)) if len(rowids) else None, rowids, sig)

    def search(self, by_weight: dict[float, list[str]], k: int,
               within: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Top-k (rowid, score); with `within` (sorted rowids), every chunk among those that scores."""
        if self.model is None:
            return []
        vocab = self.model.vocab_dict
        terms = {w: known for w, toks in by_weight.items() if (known := [t for t in toks if t in vocab])}
        if not terms:
            return []
        scores = sum(w * self.model.get_scores(toks) for w, toks in terms.items())
        if within is not None:
            chosen = np.nonzero(np.isin(self.rowids, within) & (scores > 0))[0]
            return [(int(self.rowids[i]), float(scores[i])) for i in chosen]
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        return [(int(self.rowids[i]), float(scores[i])) for i in top if scores[i] > 0]


class Bm25Index:
    def __init__(self, partitions: dict[str, Bm25Partition]) -> None:
        self.partitions = partitions  # tenant → its chunks

    @classmethod
    def build(cls, rowids: Sequence[int], token_lists: Sequence[list[str]], tenants: Sequence[str]) -> Bm25Index:
        """From every chunk at once (the tokens are the content key)."""
        tokens_of = dict(zip(rowids, token_lists))
        keys = [(r, " ".join(t), tenant) for r, t, tenant in zip(rowids, token_lists, tenants)]
        return cls.assemble(keys, lambda wanted: ((r, tokens_of[r]) for r, _, t in keys if t in wanted))

    @classmethod
    def assemble(cls, keys: Sequence[Key], tokens: TokenSource, seed: Bm25Index | None = None) -> Bm25Index:
        """A partition per tenant of `keys` (rowid order); a partition of `seed` built from the same
        chunks is reused as it is, and `tokens` is asked only for the tenants whose chunks changed."""
        by_tenant: dict[str, list[tuple[int, str]]] = {}
        for rowid, content, tenant in keys:
            by_tenant.setdefault(tenant, []).append((rowid, content))
        sigs = {t: signature(pairs) for t, pairs in by_tenant.items()}
        old = seed.partitions if seed is not None else {}
        parts = {t: old[t] for t, sig in sigs.items() if t in old and old[t].signature == sig}
        changed = set(sigs) - set(parts)
        if changed:
            grouped: dict[str, tuple[list[int], list[list[str]]]] = {t: ([], []) for t in changed}
            tenant_of = {rowid: t for t, pairs in by_tenant.items() if t in changed for rowid, _ in pairs}
            for rowid, toks in tokens(changed):
                if rowid not in tenant_of:  # committed after `keys` were read: the next generation's
                    continue
                rids, lists = grouped[tenant_of[rowid]]
                rids.append(rowid)
                lists.append(toks)
            parts.update({t: Bm25Partition.build(*grouped[t], sigs[t]) for t in changed})
        logger.info("BM25 partitions: %d rebuilt, %d reused", len(changed), len(parts) - len(changed))
        return cls(dict(sorted(parts.items())))

    def save(self, folder: Path) -> None:
        """Written beside and renamed into place; when another process (an API worker) got there
        first with the same generation, its copy stands and ours is dropped."""
        tmp = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        entries = []
        for i, (tenant, part) in enumerate(self.partitions.items()):
            part.save(tmp / f"p{i:05d}")
            entries.append({"tenant": tenant, "dir": f"p{i:05d}", "signature": part.signature, "size": len(part.rowids)})
        tmp.mkdir(parents=True, exist_ok=True)
        (tmp / MANIFEST).write_text(json.dumps({"format": FORMAT, "partitions": entries}), encoding="utf-8")
        private_tree(tmp)
        try:
            tmp.rename(folder)
        except OSError:
            if not folder.exists():
                raise
            shutil.rmtree(tmp, ignore_errors=True)

    @staticmethod
    def saved(folder: Path) -> bool:
        """A partitioned index is there (a folder of the old single-model format is not: rebuild it)."""
        return (folder / MANIFEST).is_file()

    @classmethod
    def load(cls, folder: Path) -> Bm25Index:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise ValueError(f"{folder}: BM25 format {manifest.get('format')!r}, expected {FORMAT}")
        return cls({e["tenant"]: Bm25Partition.load(folder / e["dir"], e["signature"]) for e in manifest["partitions"]})

    @property
    def size(self) -> int:
        return sum(len(p.rowids) for p in self.partitions.values())

    def search(self, query_tokens: list[str], k: int, tenants: set[str] | None,
               weights: Sequence[float] | None = None) -> list[tuple[int, float]]:
        """Top-k (rowid, score) over the partitions of `tenants` (None: all), each scored with its
        own statistics; `weights` scale each query token's contribution (glossary expansions count
        less than the user's words). Ties go to the lower rowid, so the order never depends on
        which other partitions exist."""
        return self._search(query_tokens, k, tenants, weights, None)

    def search_within(self, query_tokens: list[str], k: int, tenants: set[str] | None,
                      weights: Sequence[float] | None, within: Collection[int]) -> list[tuple[int, float]]:
        """`search` over the chunks `within` alone (a routed search's documents), each scored with its
        whole partition's statistics, as `search` scores it: the same hits as searching the whole
        partition and keeping those chunks, without turning every chunk's score into a pair."""
        wanted = np.unique(np.fromiter(within, dtype=np.int64, count=len(within)))
        return self._search(query_tokens, k, tenants, weights, wanted)

    def _search(self, query_tokens: list[str], k: int, tenants: set[str] | None,
                weights: Sequence[float] | None, within: np.ndarray | None) -> list[tuple[int, float]]:
        if not query_tokens or k <= 0:
            return []
        by_weight: dict[float, list[str]] = {}
        for token, w in zip(query_tokens, weights or [1.0] * len(query_tokens)):
            by_weight.setdefault(w, []).append(token)
        hits = [hit for tenant, part in self.partitions.items() if tenants is None or tenant in tenants
                for hit in part.search(by_weight, k, within)]
        hits.sort(key=lambda h: (-h[1], h[0]))
        return hits[:k]
