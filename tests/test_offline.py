"""Ingesting and searching with the real model and parsers attempt no outbound connection."""

from __future__ import annotations

import pytest

from app.adapters.kb import KnowledgeBase
from app.core.types import Principal
from app.settings import Settings
from app.wiring import Deps
from ingest.pipeline import Ingestor, Target
from tests.conftest import CORPUS, OUTBOUND

pytestmark = pytest.mark.slow


def test_ingest_and_search_make_no_outbound_connection(settings: Settings, real_embedder) -> None:  # type: ignore[no-untyped-def]
    OUTBOUND.clear()
    files = [CORPUS / n for n in ("news_page.html", "plan.docx", "report.pdf", "overview.md", "deck.pptx")]
    report = Ingestor(settings, KnowledgeBase(settings), real_embedder).run(files, Target(kind="general"))
    assert report.counts == {"indexed": 5}
    deps = Deps(settings=settings, kb=KnowledgeBase(settings), embedder=real_embedder)
    hits = deps.retriever().search("invention patents and software copyrights held", Principal("public", "admin"), k=3)
    assert any("12 invention patents and 30 software copyrights" in h.text for h in hits)
    assert OUTBOUND == [], f"outbound connection attempts: {OUTBOUND}"
