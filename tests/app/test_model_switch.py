"""Changing the embedding model: the index says which model made it, refuses another, and
`sme index rebuild` re-embeds every chunk with no document lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.adapters.embedder import HashingEmbedder
from app.adapters.kb import KnowledgeBase
from app.cli import main
from app.core.errors import ConfigError
from app.core.types import Principal
from app.settings import Settings
from app.wiring import Deps
from ingest.pipeline import Ingestor, Target

ADMIN = Principal("public", "admin")


class ModelA(HashingEmbedder):
    model_id = "fake-model-a"


class ModelB(HashingEmbedder):
    model_id = "fake-model-b"

    def __init__(self) -> None:
        super().__init__(dim=64)


def _ingest(settings: Settings, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# Grants\n\nInnovation vouchers cover 50% of testing fees for small firms.\n",
                                   encoding="utf-8")
    (tmp_path / "b.md").write_text("# 贷款\n\n首贷户可申请信用贷款，额度最高500万元。\n", encoding="utf-8")
    Ingestor(settings, KnowledgeBase(settings), ModelA()).run([tmp_path / "a.md", tmp_path / "b.md"], Target())


def test_the_index_records_its_model_and_refuses_another(settings: Settings, tmp_path: Path) -> None:
    _ingest(settings, tmp_path)
    kb = KnowledgeBase(settings)
    assert kb.store.meta("index_model") == "fake-model-a"
    with pytest.raises(ConfigError, match=r"fake-model-a.*fake-model-b.*sme index rebuild"):
        Deps(settings=settings, kb=kb, embedder=ModelB()).retriever().search("innovation vouchers", ADMIN)


def test_rebuild_re_embeds_every_chunk_with_the_new_model(settings: Settings, tmp_path: Path) -> None:
    _ingest(settings, tmp_path)
    before = len(list(KnowledgeBase(settings).store.all_chunks()))
    kb = KnowledgeBase(settings)
    with kb.writer_lock():
        count = kb.rebuild(ModelB())
    assert count == before and count >= 2
    kb = KnowledgeBase(settings)
    assert kb.store.meta("index_model") == "fake-model-b"
    hits = Deps(settings=settings, kb=kb, embedder=ModelB()).retriever().search("innovation vouchers", ADMIN)
    assert "Innovation vouchers" in hits[0].text
    assert "首贷户" in Deps(settings=settings, kb=kb, embedder=ModelB()).retriever().search("首贷户 信用贷款", ADMIN)[0].text


def test_cli_rebuild_switches_to_the_configured_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    _ingest(settings, tmp_path)
    monkeypatch.setenv("SME_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SME_EMBEDDER", "hashing")
    from app.settings import get_settings
    get_settings.cache_clear()
    try:
        assert main(["index", "rebuild"]) == 0
    finally:
        get_settings.cache_clear()
    assert KnowledgeBase(settings).store.meta("index_model") == "hashing"
    assert "2" in capsys.readouterr().out
