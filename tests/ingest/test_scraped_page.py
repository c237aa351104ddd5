"""A traditional-Chinese scraped page: its menus, notices, widgets and injected spam go; every
article paragraph stays searchable (real parser, cleaning, ingest and search; hashing embedder)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app import cli
from app.adapters.embedder import HashingEmbedder
from app.adapters.kb import KnowledgeBase
from app.adapters.parsers import parse
from app.core.types import Principal, RawFile
from app.settings import Settings, get_settings
from app.wiring import Deps
from ingest.clean import clean
from ingest.pipeline import Ingestor, Target
from tests.conftest import FIXTURES

PAGE = FIXTURES / "scraped" / "digital_bank_zh_hant.html"
ARTICLE = [
    "金融管理局週二宣布，新設立的純網路銀行已取得營業執照，將於下月正式對外營業。",
    "該行表示，首年將集中資源於科技型中小企業的信用貸款，並以稅務與專利數據建立風控模型。",
    "該行首席執行官指出，首貸戶的審批時間可由兩週縮短至兩天，額度最高為新台幣一千萬元。",
    "分析人士認為，數位銀行的加入將提升市場競爭，但仍需觀察其資產品質與存款來源。",
]
JUNK = ["移動端", "訪問手機端", "官微", "瀏覽器版本過低", "為你推薦", "猜你喜歡", "收藏成功", "成人视频", "另一家銀行推出新卡"]


def _cleaned_text(settings: Settings) -> str:
    parsed = parse(RawFile(str(PAGE), PAGE.read_bytes()), settings)
    return "\n".join(e.text for e in clean(parsed.elements).elements)


def test_page_keeps_article_and_drops_junk(settings: Settings) -> None:
    text = _cleaned_text(settings)
    for para in ARTICLE:
        assert para in text
    assert "純網路銀行獲准開業" in text  # the headline
    for junk in JUNK:
        assert junk not in text, junk


def test_page_metadata_is_kept(settings: Settings) -> None:
    parsed = parse(RawFile(str(PAGE), PAGE.read_bytes()), settings)
    meta = dict(parsed.meta)
    assert parsed.title == "純網路銀行獲准開業 首年聚焦中小企業貸款"
    assert meta["date"] == "2024-03-05"


def test_every_paragraph_searchable_and_junk_not(settings: Settings, fake_embedder: HashingEmbedder) -> None:
    report = Ingestor(settings, KnowledgeBase(settings), fake_embedder).run([PAGE], Target())
    outcome = report.outcomes[0]
    assert outcome.status == "indexed"
    assert outcome.meta["date"] == "2024-03-05"  # the page's metadata in the report and on the document
    stored = KnowledgeBase(settings).store.document(str(outcome.doc_id))
    assert stored is not None and json.loads(stored["meta"])["date"] == "2024-03-05"
    assert outcome.removed["spam"] == 1 and outcome.removed["browser_notice"] == 1
    retriever = Deps(settings=settings, kb=KnowledgeBase(settings), embedder=fake_embedder).retriever()
    who = Principal("public", "admin")
    for para in ARTICLE:
        hits = retriever.search(para[:20], who, k=3)
        assert any(para in h.text for h in hits), para
    for junk in ("成人视频", "瀏覽器版本過低", "猜你喜歡"):
        assert not any(junk in h.text for h in retriever.search(junk, who, k=10)), junk


def test_explain_prints_removals_with_reasons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SME_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    assert cli.main(["ingest", "--explain", str(PAGE)]) == 0  # no --kind: nothing is indexed
    out = capsys.readouterr().out
    assert "[spam] 最新成人视频网站，免费在线观看，点击进入" in out
    assert "[browser_notice] 溫馨提示" in out
    assert "meta date: 2024-03-05" in out
    assert "removed by reason:" in out
    get_settings.cache_clear()


FLAT = FIXTURES / "scraped" / "flat_page_zh_hant.html"  # no <article>: every block a child of <body>
FLAT_ARTICLE = [
    "金融管理局周五公布，本港虛擬銀行去年向中小企業批出的貸款總額按年增長約四成。",
    "金管局指出，虛擬銀行主要透過流動應用程式受理申請，並以交易數據評估企業的還款能力。",
    "有初創企業負責人表示，由遞交申請到獲批貸款最快只需三個工作天，明顯快於傳統銀行。",
    "金管局提醒，虛擬銀行須持續加強信貸風險管理，確保貸款質素維持穩健。",
]
FLAT_JUNK = ["下載App", "瀏覽器版本過低", "來源：某某財經網", "WhatsApp", "猜你喜歡", "周末好去處推介", "收藏成功",
             "新葡京", "版權所有"]


def test_flat_page_each_paragraph_searchable_and_junk_gone(settings: Settings, fake_embedder: HashingEmbedder) -> None:
    """A page without an article container (trafilatura merges it): the page's own blocks are
    judged, so the menu, notice, byline, share bar, widget, toast, spam and footer go, one by one."""
    parsed = parse(RawFile(str(FLAT), FLAT.read_bytes()), settings)
    assert parsed.title == "金管局：虛擬銀行中小企貸款按年增長四成" and dict(parsed.meta)["date"] == "2024-04-12"
    text = "\n".join(e.text for e in clean(parsed.elements).elements)
    assert [p for p in FLAT_ARTICLE if p not in text] == []
    assert [j for j in FLAT_JUNK if j in text] == []
    report = Ingestor(settings, KnowledgeBase(settings), fake_embedder).run([FLAT], Target())
    assert report.outcomes[0].status == "indexed" and report.outcomes[0].removed["spam"] == 1
    retriever = Deps(settings=settings, kb=KnowledgeBase(settings), embedder=fake_embedder).retriever()
    who = Principal("public", "admin")
    for para in FLAT_ARTICLE:
        assert any(para in h.text for h in retriever.search(para[:20], who, k=3)), para
    for junk in ("新葡京", "瀏覽器版本過低", "猜你喜歡"):
        assert not any(junk in h.text for h in retriever.search(junk, who, k=10)), junk
