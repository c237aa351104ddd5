"""The mixed-quality fixture corpus through the real parsers, cleaner, deduper and index."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from app.adapters.embedder import HashingEmbedder
from app.adapters.kb import KnowledgeBase
from app.settings import Settings
from ingest.pipeline import Ingestor, Target
from ingest.report import Report
from tests.conftest import CORPUS, CORPUS_BAD, FIXTURES

pytestmark = pytest.mark.slow
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))["corpus"]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Report, sqlite3.Connection, Settings]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("corpus") / "data")
    kb = KnowledgeBase(settings)
    report = Ingestor(settings, kb, HashingEmbedder()).run([CORPUS, CORPUS_BAD], Target(kind="general"))
    conn = sqlite3.connect(settings.db_path)
    conn.row_factory = sqlite3.Row
    return report, conn, settings


def _outcome(report: Report, name: str):  # type: ignore[no-untyped-def]
    found = [o for o in report.outcomes if o.source.endswith(name)]
    assert len(found) == 1, f"{name}: {[o.source for o in report.outcomes]}"
    return found[0]


def _doc_text(conn: sqlite3.Connection, name: str) -> str:
    rows = conn.execute(
        "SELECT p.text FROM pages p JOIN documents d ON d.id=p.doc_id WHERE d.source LIKE ? AND d.status='indexed' "
        "ORDER BY p.page",
        (f"%{name}",),
    ).fetchall()
    return re.sub(r"\s+", " ", "\n".join(r[0] for r in rows))


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize(
    "name",
    ["policy_gbk.txt", "notice_big5.txt", "notes_utf16.txt", "overview.md", "news_page.html", "plan.docx",
     "deck.pptx", "report.pdf", "mail.eml"],
)
def test_key_sentences_are_kept(ingested, name: str) -> None:  # type: ignore[no-untyped-def]
    report, conn, _ = ingested
    assert _outcome(report, name).status == "indexed"
    text = _doc_text(conn, name)
    for sentence in EXPECTED[name]["key_sentences"]:
        assert _flat(sentence) in text, f"{name}: missing {sentence!r}"


def test_web_page_boilerplate_and_spam_removed_and_counted(ingested) -> None:  # type: ignore[no-untyped-def]
    report, conn, _ = ingested
    text = _doc_text(conn, "news_page.html")
    for paragraph in EXPECTED["news_page.html"]["article_paragraphs"]:
        assert paragraph in text
    for line in EXPECTED["news_page.html"]["boilerplate"] + EXPECTED["news_page.html"]["spam"]:
        if len(line) > 4:  # single menu words like 政策 also occur inside the article
            assert line not in text, f"boilerplate kept: {line!r}"
    assert "博彩" not in text and "cookie" not in text.lower()
    removed = _outcome(report, "news_page.html").removed
    assert removed.get("spam", 0) >= 1
    assert removed.get("disclaimer", 0) >= 1
    assert removed.get("cookie", 0) >= 1
    assert removed.get("share_bar", 0) >= 1
    assert sum(removed.values()) >= 10  # nav, breadcrumb, app banner, share bar, related links, footer ...


def test_repost_is_linked_to_the_first_copy_and_not_indexed(ingested) -> None:  # type: ignore[no-untyped-def]
    report, conn, _ = ingested
    first, repost = _outcome(report, "news_page.html"), _outcome(report, "news_repost.html")
    assert repost.status == "duplicate"
    assert repost.duplicate_of == first.doc_id
    assert "near-duplicate" in repost.reason
    chunks = conn.execute("SELECT COUNT(*) FROM chunks WHERE doc_id=?", (repost.doc_id,)).fetchone()[0]
    assert chunks == 0


def test_pdf_pages_and_running_headers(ingested) -> None:  # type: ignore[no-untyped-def]
    report, conn, _ = ingested
    outcome = _outcome(report, "report.pdf")
    assert outcome.pages == 4
    assert outcome.removed.get("header_footer") == 4 and outcome.removed.get("page_number") == 4
    for sentence, page in EXPECTED["report.pdf"]["pages"].items():
        rows = conn.execute(
            "SELECT c.page, c.text FROM chunks c WHERE c.doc_id=?", (outcome.doc_id,)
        ).fetchall()
        pages = {r["page"] for r in rows if _flat(sentence) in _flat(r["text"])}
        assert pages == {page}, sentence
    all_text = " ".join(r[0] for r in conn.execute("SELECT text FROM chunks WHERE doc_id=?", (outcome.doc_id,)))
    assert "Annual Report 2023" not in all_text and "Page 2 of 4" not in all_text


def test_scanned_pdf_is_ocrd_with_page_numbers(ingested) -> None:  # type: ignore[no-untyped-def]
    report, conn, _ = ingested
    outcome = _outcome(report, "scanned.pdf")
    assert outcome.status == "indexed"
    assert any("OCR confidence" in r for r in outcome.quality_reasons)
    rows = conn.execute("SELECT page, text FROM pages WHERE doc_id=? ORDER BY page", (outcome.doc_id,)).fetchall()
    assert [r["page"] for r in rows] == [1, 2]
    assert "高新技术企业证书" in rows[0]["text"] and "GR202344201234" in rows[0]["text"]
    assert "Certificate of Registration" in rows[1]["text"]


def test_spreadsheet_rows_keep_header_and_numbers(ingested) -> None:  # type: ignore[no-untyped-def]
    report, conn, _ = ingested
    outcome = _outcome(report, "financials.xlsx")
    chunks = [r[0] for r in conn.execute("SELECT text FROM chunks WHERE doc_id=? ORDER BY position", (outcome.doc_id,))]
    income = [c for c in chunks if "Income" not in c and c.startswith("科目 Item")]
    assert len(income) >= 2, "the 40-row statement should span several chunks, each with the header"
    revenue = next(c for c in chunks if "营业收入 Revenue" in c)
    assert re.search(r"营业收入 Revenue \| 52,?300,?000(\.00)? \| 81,?450,?000(\.00)? \| 120,?800,?000", revenue)


def test_gbk_big5_utf16_and_mojibake_decoded(ingested) -> None:  # type: ignore[no-untyped-def]
    report, conn, _ = ingested
    assert _outcome(report, "notice_big5.txt").lang == "zh-Hant"
    assert _outcome(report, "policy_gbk.txt").lang == "zh-Hans"
    mojibake = _doc_text(conn, "mojibake.txt")
    assert EXPECTED["mojibake.txt"]["mojibake"]["original"] in mojibake
    assert _outcome(report, "mojibake.txt").removed.get("repaired_mojibake", 0) >= 1


def test_email_attachment_and_zip_members_become_documents(ingested) -> None:  # type: ignore[no-untyped-def]
    report, conn, _ = ingested
    attachment = _outcome(report, "mail.eml!/attachment_note.txt")
    assert attachment.status == "indexed"
    assert "附件：研发人员占职工总数的比例为25%。" in _doc_text(conn, "attachment_note.txt")
    body = _doc_text(conn, "mail.eml")
    assert "Sent from my iPhone" not in body and "confidential" not in body
    assert _outcome(report, "bundle.zip!/inner_a.txt").status == "indexed"
    assert _outcome(report, "bundle.zip!/nested.zip!/inner_b.md").status == "indexed"


@pytest.mark.parametrize(
    ("name", "status", "reason"),
    [
        ("empty.txt", "rejected", "empty file (0 bytes)"),
        ("truncated.pdf", "failed", "damaged or truncated"),
        ("encrypted.pdf", "failed", "password-protected"),
        ("random.docx", "failed", "not a valid .docx file"),
        ("bomb.zip", "rejected", "decompression bomb"),
    ],
)
def test_bad_files_are_reported_with_a_reason(ingested, name: str, status: str, reason: str) -> None:  # type: ignore[no-untyped-def]
    report, _, _ = ingested
    outcome = _outcome(report, name)
    assert outcome.status == status
    assert reason in outcome.reason
    assert report.failed


def test_every_good_file_is_indexed_despite_bad_ones(ingested) -> None:  # type: ignore[no-untyped-def]
    report, conn, _ = ingested
    indexed = {Path(o.source.split("!")[0]).name for o in report.outcomes if o.status == "indexed"}
    good = {p.name for p in CORPUS.iterdir()} - {"news_repost.html"}
    assert good <= indexed
    stored = conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
    assert stored == report.chunks > 0
