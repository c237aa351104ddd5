"""The ingest report: one outcome per file, counts by status, throughput."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class Outcome:
    source: str
    status: str  # indexed | duplicate | unchanged | rejected | failed
    reason: str = ""
    doc_id: str | None = None
    title: str = ""
    lang: str = ""
    pages: int = 0
    chunks: int = 0
    quality: float | None = None
    quality_reasons: list[str] = field(default_factory=list)
    flagged: bool = False
    removed: dict[str, int] = field(default_factory=dict)
    duplicate_of: str | None = None
    supersedes: str | None = None
    injection_chunks: int = 0  # chunks holding a sentence flagged as an instruction to the assistant
    meta: dict[str, str] = field(default_factory=dict)  # a web page's date, author, site, url


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    chunks: int = 0
    tokens: int = 0
    embed_seconds: float = 0.0
    texts_encoded: int = 0  # distinct texts the encoder saw
    dense_skipped: int = 0  # chunks without words: BM25 only
    dense_shared: int = 0  # chunks that took an earlier chunk's vector instead of being encoded
    injection_chunks: int = 0  # chunks flagged as holding instructions to the assistant (never quoted)

    @property
    def counts(self) -> dict[str, int]:
        return dict(Counter(o.status for o in self.outcomes))

    @property
    def failed(self) -> bool:
        return any(o.status == "failed" or o.status == "rejected" for o in self.outcomes)

    def to_dict(self) -> dict[str, object]:
        docs = sum(1 for o in self.outcomes if o.status == "indexed")
        return {
            "counts": self.counts,
            "seconds": round(self.seconds, 3),
            "documents_per_s": round(docs / self.seconds, 3) if self.seconds else None,
            "chunks": self.chunks,
            "chunks_per_s": round(self.chunks / self.seconds, 2) if self.seconds else None,
            "embedding_tokens": self.tokens,
            "embedding_tokens_per_s": round(self.tokens / self.seconds, 1) if self.seconds else None,
            "embed_seconds": round(self.embed_seconds, 3),
            "texts_encoded": self.texts_encoded,
            "dense_skipped": self.dense_skipped,
            "dense_shared": self.dense_shared,
            "injection_chunks": self.injection_chunks,
            "outcomes": [asdict(o) for o in self.outcomes],
        }

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
