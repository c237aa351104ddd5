"""Embed stage: words-free chunks and repeated passages cost no encoding, yet BM25 still finds them."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from app.adapters.embedder import HashingEmbedder
from app.adapters.kb import KnowledgeBase
from app.core.ports import Vectors
from app.core.types import Chunk, Principal
from app.settings import Settings
from app.wiring import Deps
from ingest.embed import encode, no_words, plan, vectors
from ingest.pipeline import Ingestor, Target

FIGURES = "\n".join(f"{2019 + i} {1204.5 + 37 * i:,.1f} {3118.0 + 91 * i:,.1f} ({95.2 + i:.1f}) 88{i}17" for i in range(8))
SHARED = "Applicants must hold at least one invention patent granted within the last three years."


class Spy(HashingEmbedder):
    """The hashing fake, remembering what it was asked to encode."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.seen.extend(texts)
        return super().embed(texts)


def _doc(folder: Path, name: str, intro: str) -> Path:
    path = folder / name
    path.write_text(f"# {name}\n\n## Overview\n\n{intro}\n\n## Eligibility\n\n{SHARED}\n\n## Table 7\n\n{FIGURES}\n",
                    encoding="utf-8")
    return path


def _ingest(settings: Settings, paths: list[Path], spy: Spy):  # type: ignore[no-untyped-def]
    return Ingestor(settings, KnowledgeBase(settings), spy).run(paths, Target())


def _search(settings: Settings, query: str) -> list[str]:
    deps = Deps.build(settings.model_copy(update={"embedder": "hashing"}))
    return [h.text for h in deps.retriever().search(query, Principal("public", "admin"), k=10)]


def test_no_words_means_figures_and_signs_only() -> None:
    assert no_words(FIGURES)
    assert no_words("第 3 页")
    assert not no_words("Revenue | 1,234 | 1,100 ; Cost of revenue | 400 | 380")
    assert not no_words("第一条 为了促进科技成果转化，制定本法。")


def test_figures_and_repeated_passages_are_not_encoded_but_bm25_finds_them(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    paths = [_doc(folder, "loans.md", "Shenzhen banks lend against pledged patents to young firms."),
             _doc(folder, "grants.md", "Hangzhou pays research grants to certified high-tech enterprises.")]
    spy = Spy()
    report = _ingest(settings, paths, spy)
    assert report.counts == {"indexed": 2}
    assert not any("1,241.5" in t for t in spy.seen)  # the table of figures went to BM25 only
    assert sum(SHARED in t for t in spy.seen) == 1  # the shared clause: encoded once for both files
    assert report.dense_skipped == 2 and report.dense_shared == 1
    assert report.texts_encoded == len(spy.seen) == report.chunks - 3
    conn = sqlite3.connect(settings.db_path)
    assert conn.execute("SELECT COUNT(*) FROM chunks WHERE dense=0").fetchone()[0] == 2
    index = KnowledgeBase(settings).index()
    assert index is not None and index.size == report.chunks - 2  # the shared clause has a vector in each file
    assert any("1,241.5" in t for t in _search(settings, "1,241.5"))
    assert sum(SHARED in t for t in _search(settings, "invention patent granted")) == 2


def test_reingest_encodes_nothing_and_an_edit_encodes_only_what_changed(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    path = _doc(folder, "loans.md", "Shenzhen banks lend against pledged patents to young firms.")
    _ingest(settings, [path], Spy())
    again = Spy()
    assert _ingest(settings, [path], again).counts == {"unchanged": 1}
    assert again.seen == []
    _doc(folder, "loans.md", "Shenzhen banks now also lend against pledged trademarks.")
    edited = Spy()
    report = _ingest(settings, [path], edited)
    assert report.counts == {"indexed": 1}
    assert len(edited.seen) == 1 and "trademarks" in edited.seen[0]  # the clause kept its vector
    index = KnowledgeBase(settings).index()
    assert index is not None and index.size == report.chunks - 1


def _chunk(i: int, text: str) -> Chunk:
    return Chunk(id=f"c{i}", doc_id="d", text=text, position=i, page=1, section="", element_types=("Text",),
                 span=(0, len(text)), embed_text=f"heading {i}\n{text}")


def test_batches_go_shortest_first_and_vectors_come_back_in_chunk_order() -> None:
    words = ["alpha beta gamma delta epsilon zeta eta", "tax credit", "patent pledge loan for a small firm",
             "tax credit", "12 345 678", "research grant"]
    chunks = [_chunk(i, w) for i, w in enumerate(words)]
    p = plan(chunks, {})
    assert [len(t) for t in p.texts] == sorted(len(t) for t in p.texts)
    calls: list[list[str]] = []
    fake = HashingEmbedder()

    def embed(texts: list[str]) -> Vectors:
        calls.append(texts)
        return fake.embed(texts)

    found = vectors(p, encode(embed, p.texts, batch=2), {})
    assert [len(c) for c in calls] == [2, 2]  # 4 distinct texts with words, 2 per call
    assert found[4] is None  # figures only
    assert found[3] is not None and found[1] is not None and np.array_equal(found[3], found[1])
    for i in (0, 1, 2, 5):
        assert np.allclose(found[i], fake.embed([chunks[i].embed_text])[0])
