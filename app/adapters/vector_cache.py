"""Vectors of fixed texts (program descriptions, intent and taxonomy examples) keyed by the hash of
the text, in one .npz per embedding model: a restart reads them instead of encoding them again."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from pathlib import Path
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)


def cache_name(kind: str, model_id: str) -> str:
    """One cache file per kind of text and embedding model: vectors of two models never mix."""
    return f"{kind}-{hashlib.sha256(model_id.encode()).hexdigest()[:12]}.npz"


class VectorCache:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)

    def vectors(self, texts: list[str], embed: Any) -> np.ndarray:
        keys = [hashlib.sha256(t.encode("utf-8")).hexdigest()[:24] for t in texts]
        known: dict[str, np.ndarray] = {}
        if self.path.exists():
            with np.load(self.path) as data:
                known = dict(zip(data["keys"].tolist(), data["vectors"]))
        missing = [i for i, k in enumerate(keys) if k not in known]
        if missing:
            fresh = embed([texts[i] for i in missing])
            known.update({keys[i]: fresh[j] for j, i in enumerate(missing)})
            # a name of this process and thread: two server workers warming up at once each write
            # their own file, and the last rename wins (one shared name failed the slower worker)
            tmp = self.path.with_name(f"{self.path.stem}.tmp-{os.getpid()}-{threading.get_ident()}.npz")
            try:
                np.savez(tmp, keys=np.array(list(known)), vectors=np.stack(list(known.values())))
                tmp.chmod(0o600)
                tmp.replace(self.path)
            except OSError as exc:  # the cache saves time; failing to write it must not fail the caller
                tmp.unlink(missing_ok=True)
                logger.warning("could not write %s (%s): the vectors are recomputed at the next start",
                               self.path.name, exc)
            logger.info("embedded %d new texts for %s (%d cached)", len(missing), self.path.name, len(texts) - len(missing))
        return np.stack([known[k] for k in keys]).astype(np.float32) if keys else np.zeros((0, 1), np.float32)
