"""Acceptance checks on the shared dev sets; skipped (with a message) when ../shared is absent."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest

from app.adapters.kb import KnowledgeBase
from app.core.ports import Embedder
from app.core.types import Principal
from app.settings import Settings
from app.wiring import Deps
from ingest.pipeline import Ingestor, Target
from tests.conftest import SHARED

pytestmark = [pytest.mark.eval, pytest.mark.slow]
LAWS = SHARED / "data" / "corpus" / "cn-laws"


def _naming(term: str) -> list[Path]:
    return [p for p in sorted(LAWS.iterdir()) if term in p.read_text(encoding="utf-8")]


@pytest.mark.skipif(not LAWS.is_dir(), reason="../shared/data/corpus/cn-laws not present")
def test_the_high_tech_article_is_found_among_every_law_naming_high_tech(settings: Settings,
                                                                         real_embedder: Embedder) -> None:
    """The default model ranks 实施条例 第九十三条 near the top against every law that names 高新技术
    (7 of the 16: the ones that compete for the query's words); the other 9 name none of it and cost
    most of the real model's encoding time, so the whole set is ingested with hashing vectors below."""
    laws = _naming("高新技术")
    assert len(laws) >= 5 and any("实施条例" in p.name for p in laws)
    report = Ingestor(settings, KnowledgeBase(settings), real_embedder).run(laws, Target(kind="policy"))
    assert report.counts == {"indexed": len(laws)}
    hits = Deps(settings=settings, kb=KnowledgeBase(settings), embedder=real_embedder).retriever().search(
        "高新技术企业 条件", Principal("public", "admin"), k=5)
    article = [i for i, h in enumerate(hits) if "第九十三条" in h.text and "实施条例" in h.title]
    assert article and article[0] < 3, [h.text[:40] for h in hits]


@pytest.mark.skipif(not LAWS.is_dir(), reason="../shared/data/corpus/cn-laws not present")
def test_cn_laws_ingest_and_yield_the_programs_they_state_with_spans(settings: Settings) -> None:
    from app.adapters.embedder import HashingEmbedder
    from app.adapters.programs import ProgramQuery, ProgramStore
    from app.core.criteria import grounded
    from app.core.retrieve import Filters

    report = Ingestor(settings, KnowledgeBase(settings), HashingEmbedder()).run([LAWS], Target(kind="policy"))
    assert report.counts == {"indexed": 16}
    programs = ProgramStore(settings.db_path).list(ProgramQuery(limit=500))
    by_title = {p.title: p for p in programs}
    hnte = by_title["中华人民共和国企业所得税法实施条例 第九十三条"]
    assert [(c.field, c.op) for c in hnte.criteria] == [("patents.any", "exists")]
    small = by_title["中华人民共和国企业所得税法实施条例 第九十二条"]
    assert {(c.field, c.value) for c in small.criteria} >= {("employees", 100), ("total_assets", 30_000_000)}
    for p in programs:
        assert p.criteria and all(grounded(c) for c in p.criteria)
        start, end = cast("tuple[int, int]", p.source["span"])
        assert end > start and p.source["doc_id"]
        assert all(c.source_text.replace(" ", "") in p.text.replace(" ", "") for c in p.criteria)
    assert len(programs) < 40  # only articles that state checkable conditions
    shanghai = Deps(settings=settings, kb=KnowledgeBase(settings), embedder=HashingEmbedder()).retriever().search(
        "科技创新", Principal("public", "admin"), k=20, filters=Filters(jurisdiction="上海市"))
    assert shanghai and all(h.title.startswith("上海市") for h in shanghai)


CN_SECTOR = SHARED / "data" / "eval" / "cn-sector"


@pytest.mark.skipif(not CN_SECTOR.is_dir(), reason="../shared/data/eval/cn-sector not present")
def test_cn_sector_industry_accuracy_does_not_regress() -> None:
    from eval import profile

    result = profile.run(CN_SECTOR, Settings(embedder="hashing"))  # Chinese texts are judged on keywords only
    # measured 0.7264 with Shenwan's company directory (0.7015 before it): this guards what was reached, less a margin
    assert result["industry"]["accuracy"] >= 0.71, result  # type: ignore[index]
