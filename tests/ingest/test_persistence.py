"""Re-ingest, supersede and crash safety of the on-disk knowledge base."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.adapters.embedder import HashingEmbedder
from app.adapters.kb import KnowledgeBase
from app.adapters.store import Store
from app.core.types import Principal
from app.settings import Settings
from app.wiring import Deps
from ingest.pipeline import Ingestor, Target


def _write_docs(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        p = folder / f"doc{i:03d}.txt"
        p.write_text(
            f"Document {i} about topic {i * 7919 % 1000}. "
            + " ".join(f"term{i}_{j} value{(i * j) % 97}" for j in range(60))
            + f"\n\n第{i}条 企业编号{i}的研发费用占比为{i % 10}%。",
            encoding="utf-8",
        )
        paths.append(p)
    return paths


def _ingest(settings: Settings, paths: list[Path]):  # type: ignore[no-untyped-def]
    return Ingestor(settings, KnowledgeBase(settings), HashingEmbedder()).run(paths, Target())


def _chunk_state(settings: Settings) -> tuple[int, int, int]:
    conn = sqlite3.connect(settings.db_path)
    chunks, distinct = conn.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM chunks").fetchone()
    kb = KnowledgeBase(settings)
    index = kb.index()
    return chunks, distinct, 0 if index is None else index.size


def test_unchanged_reingest_does_no_work(settings: Settings, tmp_path: Path) -> None:
    paths = _write_docs(tmp_path / "in", 5)
    first = _ingest(settings, paths)
    assert first.counts == {"indexed": 5}
    second = _ingest(settings, paths)
    assert second.counts == {"unchanged": 5}
    assert second.chunks == 0 and second.embed_seconds == 0
    chunks, distinct, vectors = _chunk_state(settings)
    assert chunks == distinct == vectors == first.chunks


def test_changed_file_supersedes_its_previous_version(settings: Settings, tmp_path: Path) -> None:
    paths = _write_docs(tmp_path / "in", 3)
    first = _ingest(settings, paths)
    old_id = next(o.doc_id for o in first.outcomes if o.source.endswith("doc001.txt"))
    paths[1].write_text("A completely rewritten document about IP-pledge loans in Shenzhen.", encoding="utf-8")
    second = _ingest(settings, paths)
    changed = next(o for o in second.outcomes if o.source.endswith("doc001.txt"))
    assert changed.status == "indexed" and changed.supersedes == old_id
    store = Store(settings.db_path)
    assert store.document(old_id)["status"] == "superseded"
    assert store.chunk_rowids(old_id) == []
    chunks, distinct, vectors = _chunk_state(settings)
    assert chunks == distinct == vectors
    deps = Deps.build(settings.model_copy(update={"embedder": "hashing"}))
    hits = deps.retriever().search("IP-pledge loans Shenzhen", Principal("public", "admin"), k=20)
    assert {h.doc_id for h in hits} & {changed.doc_id}
    assert old_id not in {h.doc_id for h in hits}


def test_failed_commit_leaves_previous_index_usable_and_rerun_completes(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings.model_copy(update={"checkpoint_docs": 4})
    paths = _write_docs(tmp_path / "in", 12)
    calls = {"n": 0}
    real = Store.write_batch

    def crash_on_second(self, batch, meta):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt("simulated crash between index write and metadata commit")
        return real(self, batch, meta)

    monkeypatch.setattr(Store, "write_batch", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        _ingest(settings, paths)
    monkeypatch.setattr(Store, "write_batch", real)
    chunks, distinct, vectors = _chunk_state(settings)
    assert chunks == distinct == vectors > 0  # the first checkpoint, intact
    rerun = _ingest(settings, paths)
    assert rerun.counts == {"unchanged": 4, "indexed": 8}
    chunks, distinct, vectors = _chunk_state(settings)
    assert chunks == distinct == vectors
    assert sqlite3.connect(settings.db_path).execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 12


def test_killed_ingest_process_reruns_without_duplicates(tmp_path: Path) -> None:
    _write_docs(tmp_path / "in", 60)
    env = {**os.environ, "SME_DATA_DIR": str(tmp_path / "data"), "SME_EMBEDDER": "hashing", "SME_CHECKPOINT_DOCS": "5"}
    cmd = [sys.executable, "-m", "app.cli", "ingest", str(tmp_path / "in"), "--kind", "general", "-q"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = tmp_path / "data" / "meta.sqlite3"
    deadline = time.time() + 60
    while time.time() < deadline:  # kill once some, but not all, documents are committed
        if db.exists():
            n = sqlite3.connect(db).execute("SELECT COUNT(*) FROM documents").fetchone()[0] if _has_docs(db) else 0
            if n >= 10:
                break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    settings = Settings(data_dir=tmp_path / "data")
    chunks, distinct, vectors = _chunk_state(settings)
    assert chunks == distinct == vectors
    done = subprocess.run(cmd, check=False, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    chunks, distinct, vectors = _chunk_state(settings)
    assert chunks == distinct == vectors
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*), COUNT(DISTINCT source) FROM documents").fetchone() == (60, 60)
    assert not list((tmp_path / "data" / "index").glob("*.tmp"))
    shutil.rmtree(tmp_path / "in")


def _has_docs(db: Path) -> bool:
    try:
        sqlite3.connect(db).execute("SELECT 1 FROM documents LIMIT 1")
        return True
    except sqlite3.OperationalError:
        return False
