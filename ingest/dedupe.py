"""Dedupe stage: exact content hashes and MinHash signatures for near-duplicates.

Signatures are split into LSH bands whose hashes the metadata store indexes, so finding
candidates is an indexed lookup rather than a scan of every earlier document.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
from datasketch import MinHash

from app.core.textnorm import index_form

NUM_PERM = 128
BANDS = 32  # 32 bands x 4 rows: candidates from Jaccard ~0.4 up; verified against the threshold
_ROWS = NUM_PERM // BANDS
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def sha(data: bytes | str) -> str:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()


def content_key(text: str) -> str:
    """Hash of the text with case, script, width, spacing and punctuation folded away."""
    return sha(_NOISE.sub("", index_form(text)))


def shingles(text: str, size: int = 5) -> set[bytes]:
    norm = _NOISE.sub("", index_form(text))
    if len(norm) <= size:
        return {norm.encode("utf-8")}
    return {norm[i : i + size].encode("utf-8") for i in range(len(norm) - size + 1)}


def signature(text: str) -> np.ndarray:
    mh = MinHash(num_perm=NUM_PERM, seed=7)
    mh.update_batch(list(shingles(text)))
    return mh.hashvalues.astype(np.uint64)


def band_keys(sig: np.ndarray) -> list[int]:
    """One 63-bit key per band, for an SQLite integer index."""
    keys = []
    for band in range(BANDS):
        digest = hashlib.blake2b(sig[band * _ROWS : (band + 1) * _ROWS].tobytes(), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big") >> 1)
    return keys


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a == b))
