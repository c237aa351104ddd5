"""Settings and files for the ingest worker tests over PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from app.settings import Settings


def worker_settings(data_dir: Path, url: str) -> Settings:
    """The hashing embedder, a commit every 2 documents and slices of 2 files: a kill lands mid-job."""
    return Settings(data_dir=data_dir, database_url=url, embedder="hashing", checkpoint_docs=2,
                    ingest_slice_files=2, rate_limit_per_s=0)


def memo(i: int) -> tuple[str, bytes]:
    text = f"Memo {i}: the company filed {i * 3 + 1} invention patents and hired {i + 20} engineers in Shenzhen. " * 8
    return f"memo{i:02d}.txt", text.encode()
