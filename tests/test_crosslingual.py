"""Bilingual search with the real model: scripts and languages find each other."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from app import cli
from app.adapters.kb import KnowledgeBase
from app.adapters.keys import KeyStore
from app.api.app import create_app
from app.core.retrieve import Retriever
from app.core.types import Principal
from app.demo import DOCS
from app.settings import Settings
from app.wiring import Deps
from ingest.pipeline import Ingestor, Target

pytestmark = pytest.mark.slow
ADMIN = Principal("public", "admin")


@pytest.fixture(scope="module")
def deps(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Deps:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path_factory.mktemp("xl") / "data", rate_limit_per_s=0)
    Ingestor(settings, KnowledgeBase(settings), real_embedder).run([DOCS], Target(kind="policy"))
    return Deps(settings=settings, kb=KnowledgeBase(settings), embedder=real_embedder)


@pytest.fixture(scope="module")
def retriever(deps: Deps) -> Retriever:
    return deps.retriever()


def test_simplified_query_finds_traditional_text(retriever: Retriever) -> None:
    hits = retriever.search("专精特新 研发费用 营业收入 比重", ADMIN, k=3)
    assert "專精特新" in hits[0].title
    assert "研發費用" in hits[0].text
    assert "**研發費用**" in hits[0].snippet  # marked in the script it is written in


def test_traditional_query_finds_simplified_text(retriever: Retriever) -> None:
    hits = retriever.search("科技型中小企業 職工總數 資產總額", ADMIN, k=3)
    assert "科技型中小企业" in hits[0].title
    assert "职工总数不超过500人" in hits[0].text


def test_english_query_about_zhuanjingtexin_finds_chinese_passages(retriever: Retriever) -> None:
    hits = retriever.search("specialised and innovative SME support measures", ADMIN, k=3)
    assert any("專精特新" in h.text for h in hits)


def test_chinese_query_finds_english_product_sheet(retriever: Retriever) -> None:
    hits = retriever.search("知识产权质押贷款 利率", ADMIN, k=3)
    assert "IP-Pledge Loan" in hits[0].title


def test_high_tech_enterprise_rd_tiers(retriever: Retriever) -> None:
    hits = retriever.search("高新技术企业 研发费用 比例 销售收入", ADMIN, k=3)
    assert "不低于4%" in hits[0].text


def test_english_question_finds_the_chinese_hnte_clause(retriever: Retriever) -> None:
    hits = retriever.search("What share of sales must R&D spending reach for high-tech enterprise recognition?",
                            ADMIN, k=3)
    assert any("研究开发费用总额占同期销售收入总额的比例" in h.text for h in hits)


def test_chinese_question_finds_the_english_sbir_passage(retriever: Retriever) -> None:
    hits = retriever.search("美国小企业创新研究计划第一阶段资助金额是多少？", ADMIN, k=3)
    assert any("SBIR" in h.title or "SBIR" in h.text for h in hits)


def test_the_default_model_reads_chinese_offline(real_embedder) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import OUTBOUND

    OUTBOUND.clear()
    assert real_embedder.multilingual and "e5" in real_embedder.model_id
    q = real_embedder.embed_query(["科技型中小企业评价条件"])[0]
    near, far = real_embedder.embed(["科技型中小企业须职工总数不超过500人、年销售收入不超过2亿元。",
                                     "The cafeteria opens at noon on weekdays."])
    assert q @ near > q @ far + 0.05
    assert OUTBOUND == []


def test_cross_language_search_over_http_and_the_cli(deps: Deps, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    question = "What share of sales must R&D spending reach for high-tech enterprise recognition?"
    key, _ = KeyStore(deps.settings.keys_path).create("bank-a", "rm")
    with TestClient(create_app(deps.settings, deps)) as client:
        r = client.post("/v1/search", json={"query": question, "k": 3}, headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 200
    assert any("研究开发费用总额占同期销售收入总额的比例" in h["text"] for h in r.json()["hits"])

    from app.settings import get_settings

    monkeypatch.setenv("SME_DATA_DIR", str(deps.settings.data_dir))
    get_settings.cache_clear()
    try:
        assert cli.main(["search", "知识产权质押贷款的额度是多少", "--json", "-k", "3"]) == 0
    finally:
        get_settings.cache_clear()
    hits = json.loads(capsys.readouterr().out)["hits"]
    assert any("IP-Pledge Loan" in h["title"] for h in hits)
