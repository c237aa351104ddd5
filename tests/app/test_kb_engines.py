"""The knowledge base on each vector index: FAISS files (the default) and a vector engine
(SME_VECTOR_STORE=milvus://…, Milvus Lite here). The same ingest, the same answers: a tenant's search
reaches only its own and public chunks (filtered inside the index), a changed file's old vectors
leave once its new version commits, a batch that fails to commit leaves the previous version
searchable, and a rebuild re-fills the index."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.adapters.embedder import HashingEmbedder
from app.adapters.engine_index import engine_uri
from app.adapters.kb import KnowledgeBase
from app.core.errors import ConfigError, SmeError
from app.core.types import Principal
from app.settings import Settings
from app.wiring import Deps
from ingest.pipeline import Ingestor, Target

ACME = "Acme builds solar inverters in Shenzhen and holds twelve invention patents. "
BETA = "Beta grows hybrid rice in Hunan and exports to Vietnam every autumn. "


@pytest.fixture(params=["faiss", "milvus"])
def engine_settings(request: pytest.FixtureRequest, settings: Settings, tmp_path: Path) -> Settings:
    if request.param == "faiss":
        return settings
    pytest.importorskip("pymilvus", reason="pip install -r requirements/milvus.txt")
    return settings.model_copy(update={"vector_store": f"milvus://{tmp_path / 'vectors.db'}"})


def _ingest(settings: Settings, kb: KnowledgeBase, folder: Path, name: str, text: str, tenant: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text * 20, encoding="utf-8")
    report = Ingestor(settings, kb, HashingEmbedder()).run([folder / name], Target("enterprise", tenant, name[:4]))
    assert report.counts == {"indexed": 1}


def _vector_ids(kb: KnowledgeBase, query: str, tenant: str) -> list[int]:
    index = kb.index()
    assert index is not None
    _, ids = index.search(HashingEmbedder().embed_query([query]), 10, tenants=[tenant, "public"])
    return [int(i) for i in ids[0] if i >= 0]


def test_each_tenant_finds_only_its_own_chunks(engine_settings: Settings, tmp_path: Path) -> None:
    kb = KnowledgeBase(engine_settings)
    _ingest(engine_settings, kb, tmp_path / "in", "acme.txt", ACME, "bank-a")
    _ingest(engine_settings, kb, tmp_path / "in", "beta.txt", BETA, "bank-b")
    reader = KnowledgeBase(engine_settings)  # another process
    acme, beta = (reader.store.chunk_rowids(str(d["id"])) for d in reader.store.documents("indexed"))
    assert set(_vector_ids(reader, "Beta hybrid rice Hunan", "bank-a")) == set(acme)  # never bank-b's, however close
    assert set(_vector_ids(reader, "Acme solar inverters", "bank-b")) == set(beta)
    assert reader.store.meta("index_kind") == ("milvus" if engine_settings.vector_store else "flat")
    hits = Deps(settings=engine_settings, kb=reader, embedder=HashingEmbedder()).retriever().search(
        "solar inverters patents", Principal("bank-a"), k=5)
    assert hits and {h.tenant for h in hits} == {"bank-a"} and "solar inverters" in hits[0].text


def test_a_changed_file_replaces_its_vectors_and_a_failed_commit_keeps_the_old(engine_settings: Settings,
                                                                              tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    kb = KnowledgeBase(engine_settings)
    _ingest(engine_settings, kb, tmp_path / "in", "acme.txt", ACME, "bank-a")
    first = kb.store.documents("indexed")[0]
    old = kb.store.chunk_rowids(str(first["id"]))
    index = kb.index()
    assert index is not None and set(index.vectors(old)) == set(old)

    def refuse(*_: object) -> None:
        raise kb.store.write_errors[0]("disk full")

    monkeypatch.setattr(kb.store, "write_batch", refuse)
    with pytest.raises(SmeError, match="could not write the metadata database"):
        _ingest(engine_settings, kb, tmp_path / "in", "acme.txt", ACME.replace("twelve", "thirty"), "bank-a")
    monkeypatch.undo()
    index = KnowledgeBase(engine_settings).index()
    assert index is not None and set(index.vectors(old)) == set(old)  # the old version is still searchable
    assert set(_vector_ids(KnowledgeBase(engine_settings), "Acme solar", "bank-a")) >= set(old)

    _ingest(engine_settings, kb, tmp_path / "in", "acme.txt", ACME.replace("twelve", "forty"), "bank-a")
    now = KnowledgeBase(engine_settings)
    new = now.store.chunk_rowids(str(now.store.documents("indexed")[0]["id"]))
    assert set(new).isdisjoint(old)
    assert set(_vector_ids(now, "Acme solar", "bank-a")) == set(new)
    index = now.index()
    assert index is not None and index.vectors(old) == {} and index.size == len(new)


def test_a_rebuild_refills_the_index(engine_settings: Settings, tmp_path: Path) -> None:
    kb = KnowledgeBase(engine_settings)
    _ingest(engine_settings, kb, tmp_path / "in", "acme.txt", ACME, "bank-a")
    _ingest(engine_settings, kb, tmp_path / "in", "beta.txt", BETA, "bank-b")
    before = int(kb.store.meta("index_generation") or 0)
    assert kb.rebuild(HashingEmbedder()) == 2 * len(kb.store.tenant_rowids("bank-a"))
    fresh = KnowledgeBase(engine_settings)
    assert int(fresh.store.meta("index_generation") or 0) == before + 1
    index = fresh.index()
    assert index is not None and index.size == 2 * len(kb.store.tenant_rowids("bank-a"))
    assert set(_vector_ids(fresh, "Beta rice", "bank-b")) == set(fresh.store.tenant_rowids("bank-b").tolist())


def test_switching_index_kinds_asks_for_a_rebuild(settings: Settings, tmp_path: Path) -> None:
    pytest.importorskip("pymilvus", reason="pip install -r requirements/milvus.txt")
    _ingest(settings, KnowledgeBase(settings), tmp_path / "in", "acme.txt", ACME, "bank-a")
    engine = settings.model_copy(update={"vector_store": f"milvus://{tmp_path / 'vectors.db'}"})
    with pytest.raises(ConfigError, match="the index is FAISS files but SME_VECTOR_STORE names a vector engine"):
        KnowledgeBase(engine).index()
    moved = KnowledgeBase(engine)
    assert moved.rebuild(HashingEmbedder()) > 0 and moved.index() is not None
    with pytest.raises(ConfigError, match="the index is in a vector engine"):
        KnowledgeBase(settings).index()


@pytest.mark.parametrize(("setting", "uri"), [
    ("milvus://milvus.internal:19530", "http://milvus.internal:19530"),
    ("milvus://https://zilliz.example:443", "https://zilliz.example:443"),
    ("milvus:///var/sme/vectors.db", "/var/sme/vectors.db"),
    ("milvus://./vectors.db", "./vectors.db"),
    ("milvus://vectors.db", "vectors.db"),
])
def test_the_setting_names_a_server_or_a_milvus_lite_file(setting: str, uri: str) -> None:
    assert engine_uri(setting) == uri


@pytest.mark.parametrize("setting", ["qdrant://localhost:6333", "milvus://", "/var/sme/vectors.db"])
def test_a_setting_naming_no_engine_is_a_configuration_error(setting: str) -> None:
    with pytest.raises(ConfigError, match="SME_VECTOR_STORE"):
        engine_uri(setting)
