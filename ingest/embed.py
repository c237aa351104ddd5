"""Embed stage: which chunks get a dense vector, and each distinct text encoded once.

A chunk with no words (a numeric table row, a page of figures) adds nothing to dense search, and a
chunk whose passage an earlier chunk already carries (exactly, or but for case, width, spacing and
punctuation; under another heading too: a clause two laws share, a disclaimer every filing repeats)
takes that chunk's vector: the encoder sees each distinct passage once. Every chunk stays in BM25
with its own heading either way. The texts the encoder does see go in length order (less padding for a padded
model), and the vectors come back in the chunks' order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from app.core.ports import Vectors
from app.core.types import Chunk
from ingest.dedupe import content_key

_WORD_CHAR = re.compile(r"[^\W\d_]", re.UNICODE)  # a letter of any script (CJK included)
_VISIBLE = re.compile(r"\S")
MIN_WORD_CHARS = 3  # below this a chunk is a number, a date or a stray mark
MIN_WORD_SHARE = 0.2  # below this a chunk is figures with a stray label ("$ 1,234 (195) —")


def no_words(body: str) -> bool:
    """True for text that is (almost) only figures, signs and punctuation."""
    letters = len(_WORD_CHAR.findall(body))
    visible = len(_VISIBLE.findall(body))
    return letters < MIN_WORD_CHARS or letters < MIN_WORD_SHARE * visible


@dataclass(frozen=True)
class Plan:
    texts: tuple[str, ...]  # the distinct texts to encode, shortest first
    fresh: tuple[str, ...]  # their content keys, in the same order
    keys: tuple[str | None, ...]  # per chunk: the content key of its text; None: no vector
    skipped: int  # chunks left to BM25 alone
    duplicates: int  # chunks whose text was already encoded or is encoded once for several


def plan(chunks: Sequence[Chunk], known: Mapping[str, np.ndarray]) -> Plan:
    """`known`: vectors already made, by content key (earlier batches, a file's previous version)."""
    keys: list[str | None] = []
    fresh: dict[str, str] = {}  # content key -> the embed text of its first chunk
    skipped = duplicates = 0
    for chunk in chunks:
        if no_words(chunk.text):
            keys.append(None)
            skipped += 1
            continue
        key = content_key(chunk.text)
        if key in known or key in fresh:
            duplicates += 1
        else:
            fresh[key] = chunk.embed_text
        keys.append(key)
    order = sorted(fresh, key=lambda k: len(fresh[k]))
    return Plan(tuple(fresh[k] for k in order), tuple(order), tuple(keys), skipped, duplicates)


def vectors(p: Plan, encoded: Vectors, known: dict[str, np.ndarray]) -> list[np.ndarray | None]:
    """Each chunk's vector (None: no vector); the new ones are added to `known`."""
    known.update(zip(p.fresh, encoded))
    return [None if k is None else known[k] for k in p.keys]


def encode(embed: Callable[[list[str]], Vectors], texts: Sequence[str], batch: int = 256) -> Vectors:
    """The texts' vectors, in the given order, in calls of at most `batch` texts."""
    parts = [np.asarray(embed(list(texts[i : i + batch])), dtype=np.float32) for i in range(0, len(texts), batch)]
    return np.concatenate(parts) if parts else np.zeros((0, 0), dtype=np.float32)
