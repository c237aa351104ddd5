"""Every parse is bounded whatever the file's size: a small PDF of blank pages fails before any OCR,
a big spreadsheet is summarised with its cap reported, a slow in-process parse stops at its
deadline, a child over its memory budget is killed; the other files of the batch are kept."""

from __future__ import annotations

import io
import time
from pathlib import Path

import openpyxl
import pypdfium2 as pdfium
import pytest

from app.adapters import parsers, sheets
from app.adapters.embedder import HashingEmbedder
from app.adapters.kb import KnowledgeBase
from app.adapters.parse_budget import cap_text, check, deadline
from app.adapters.parse_sandbox import isolated_parse
from app.core.errors import DocumentError
from app.core.types import Element, Parsed, RawFile
from app.settings import Settings
from ingest.pipeline import Ingestor, Target
from tests.ingest.spin_parser import spin_on_hostile

MEMO = "The company filed 12 invention patents and hired 40 engineers in Shenzhen in 2023."


def blank_pdf(pages: int) -> bytes:
    pdf = pdfium.PdfDocument.new()
    for _ in range(pages):
        pdf.new_page(595, 842)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def big_xlsx(path: Path, rows: int) -> None:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Ledger")
    sheet.append(["date", "account", "amount"])
    for n in range(rows):
        sheet.append([f"2023-{n % 12 + 1:02d}-01", f"acct {n % 97}", n * 3])
    book.save(path)


def _ingest(tmp_path: Path, files: dict[str, bytes], **limits: object) -> dict[str, object]:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    settings = Settings(data_dir=tmp_path / "data", embedder="hashing", **limits)  # type: ignore[arg-type]
    kb = KnowledgeBase(settings)
    report = Ingestor(settings, kb, HashingEmbedder()).run([folder], Target())
    return {"outcomes": {Path(o.source).name: o for o in report.outcomes}, "kb": kb}


def test_a_small_pdf_of_blank_pages_fails_before_any_ocr_and_the_batch_keeps_its_other_files(tmp_path: Path) -> None:
    data = blank_pdf(300)
    assert len(data) < 64 * 1024  # small: under the size that used to send a file to the child
    started = time.monotonic()
    run = _ingest(tmp_path, {"blank.pdf": data, "memo.txt": MEMO.encode()})
    outcomes = run["outcomes"]
    assert isinstance(outcomes, dict)
    assert time.monotonic() - started < 5  # it ran 167 s: 300 pages rendered and OCR'd in the ingest worker
    assert outcomes["blank.pdf"].status == "rejected"
    assert outcomes["blank.pdf"].reason == ("300 of the PDF's 300 pages have no text layer and would need OCR, over "
                                            "the limit of 100 (SME_PARSE_MAX_OCR_PAGES); the file was skipped")
    assert outcomes["memo.txt"].status == "indexed"


def test_a_pdf_over_the_page_limit_is_rejected_before_its_pages_are_read() -> None:
    with pytest.raises(DocumentError) as caught:
        parsers.parse(RawFile(source="long.pdf", data=blank_pdf(30)), Settings(parse_max_pages=20))
    assert caught.value.status == "rejected"
    assert str(caught.value) == ("the PDF has 30 pages, over the 20-page limit (SME_PARSE_MAX_PAGES); "
                                 "the file was skipped")


def test_a_pdf_that_needs_ocr_goes_to_the_child(monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[str] = []

    def child(fn: object, raw: RawFile, settings: Settings) -> Parsed:
        sent.append(raw.source)
        return Parsed((), pages=2)

    monkeypatch.setattr(parsers, "isolated_parse", child)
    parsers.parse(RawFile(source="scan.pdf", data=blank_pdf(2)), Settings())
    assert sent == ["scan.pdf"]


def test_a_big_spreadsheet_is_summarised_with_its_cap_in_the_report_and_the_document(tmp_path: Path) -> None:
    path = tmp_path / "ledger.xlsx"
    big_xlsx(path, 50_000)
    run = _ingest(tmp_path, {"ledger.xlsx": path.read_bytes(), "memo.txt": MEMO.encode()},
                  parse_max_rows_per_sheet=300)
    outcomes, kb = run["outcomes"], run["kb"]
    assert isinstance(outcomes, dict) and isinstance(kb, KnowledgeBase)
    ledger = outcomes["ledger.xlsx"]
    note = ("sheet 'Ledger': summarised, the header row and the first 300 data rows of about 50,000 kept "
            "(SME_PARSE_MAX_ROWS_PER_SHEET=300); the rest was not indexed")
    assert ledger.status == "indexed" and ledger.reason == note
    document = kb.store.document(ledger.doc_id)
    assert document is not None and document["reason"] == note
    texts = [t for _, t in kb.store.chunk_texts(ledger.doc_id)]
    rows = [line for t in texts for line in t.splitlines() if line.startswith("2023-")]
    assert len(rows) == 300 and rows[-1] == "2023-12-01 | acct 8 | 897"  # row 299: the last one kept
    assert all("date | account | amount" in t for t in texts)  # each row group carries the header
    assert outcomes["memo.txt"].status == "indexed"


def test_a_spreadsheet_within_the_limits_parses_whole_as_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "small.xlsx"
    big_xlsx(path, 40)
    whole: list[str] = []

    def unstructured(f: RawFile, settings: Settings) -> Parsed:
        whole.append(f.source)
        return Parsed(())

    monkeypatch.setattr(sheets, "parse_xlsx_whole", unstructured)
    parsers.parse(RawFile(source="small.xlsx", data=path.read_bytes()), Settings())
    assert whole == ["small.xlsx"]  # unstructured, as before: the cap changes nothing under it
    assert sheets.xlsx_sizes(path.read_bytes()) == {"xl/worksheets/sheet1.xml": sheets.Size(rows=41, cells=123)}


def test_a_big_csv_is_summarised_too() -> None:
    data = "quarter,revenue\n" + "".join(f"Q{n % 4 + 1},{n}\n" for n in range(5000))
    parsed = parsers.parse(RawFile(source="rev.csv", data=data.encode()), Settings(parse_max_rows_per_sheet=10))
    assert [len(e.rows or ()) for e in parsed.elements] == [11]
    assert parsed.notes == (("the file: summarised, the header row and the first 10 data rows of about 5,001 kept "
                             "(SME_PARSE_MAX_ROWS_PER_SHEET=10); the rest was not indexed"),)


def test_an_in_process_parse_stops_at_its_deadline() -> None:
    with deadline(0.05), pytest.raises(DocumentError) as caught:
        for _ in range(1000):
            time.sleep(0.01)
            check()
    assert str(caught.value) == "parsing took longer than the 0.05 s budget (SME_PARSE_TIMEOUT_S); the file was skipped"
    check()  # outside the block: no deadline


def test_text_over_the_character_limit_is_cut_and_noted() -> None:
    parsed = Parsed(tuple(Element(text="x" * 400, type="NarrativeText") for _ in range(5)))
    cut = cap_text(parsed, 1000)
    assert len(cut.elements) == 2
    assert cut.notes == ("text cut at 800 of 2,000 characters (SME_PARSE_MAX_CHARS=1,000); the rest was not indexed",)


def test_a_child_over_its_memory_budget_is_killed(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", embedder="hashing", parse_timeout_s=30, parse_max_memory_mb=1)
    with pytest.raises(DocumentError) as caught:
        isolated_parse(spin_on_hostile, RawFile(source=str(tmp_path / "hostile.txt"), data=b"x"), settings)
    assert str(caught.value) == ("parsing used more than the 1 MB memory budget (SME_PARSE_MAX_MEMORY_MB); "
                                 "the file was skipped")
