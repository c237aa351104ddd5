"""Bounded parsing: big files parse in a child process that is killed after its time budget, long
lines become bounded paragraphs, huge texts skip the per-element tagger, office files are bounded
by their uncompressed size, and unstructured's backtracking address pattern is defused."""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document

from app.adapters import parse_sandbox, parsers
from app.adapters.embedder import HashingEmbedder
from app.adapters.kb import KnowledgeBase
from app.adapters.parse_sandbox import isolated_parse
from app.adapters.unstructured_parse import FAST_TEXT_CHARS, MAX_LINE_CHARS, bounded_lines
from app.core.errors import DocumentError
from app.core.types import Parsed, RawFile
from app.settings import Settings
from ingest.pipeline import Ingestor, Target
from tests.ingest.spin_parser import serving_pid, spin_on_hostile

REAL_PARSE = parsers.parse_in_process


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_parser_over_its_budget_is_killed_and_the_next_file_gets_a_fresh_child(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", embedder="hashing", parse_timeout_s=1)
    hostile = RawFile(source=str(tmp_path / "hostile.txt"), data=b"x")
    with pytest.raises(DocumentError) as caught:
        isolated_parse(spin_on_hostile, hostile, settings)
    assert caught.value.status == "failed"
    assert str(caught.value) == ("parsing took longer than the 1 s budget (SME_PARSE_TIMEOUT_S); the file was skipped")
    pid = int(next(tmp_path.glob("child-*.pid")).read_text())
    assert not _alive(pid)  # killed and reaped, not left spinning
    good = RawFile(source=str(tmp_path / "good.txt"), data=b"The firm hired 40 engineers in 2023.")
    parsed = isolated_parse(spin_on_hostile, good, settings)
    assert [e.text for e in parsed.elements] == ["The firm hired 40 engineers in 2023."]


def test_parse_errors_come_back_from_the_child_with_their_status(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", embedder="hashing")
    with pytest.raises(DocumentError) as caught:
        isolated_parse(REAL_PARSE, RawFile(source="empty.docx", data=b"PK\x03\x04 not a zip"), settings)
    assert caught.value.status == "failed" and "DOCX" in str(caught.value)


def test_ingest_records_the_slow_file_as_failed_and_keeps_the_rest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parsers, "parse_in_process", spin_on_hostile)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "hostile.txt").write_text("anything")
    (folder / "memo.txt").write_text("The company filed 12 invention patents and hired 40 engineers in Shenzhen.")
    settings = Settings(data_dir=tmp_path / "data", embedder="hashing", parse_timeout_s=1, parse_isolate_mb=0)
    report = Ingestor(settings, KnowledgeBase(settings), HashingEmbedder()).run([folder], Target())
    outcomes = {Path(o.source).name: o for o in report.outcomes}
    assert outcomes["hostile.txt"].status == "failed" and "SME_PARSE_TIMEOUT_S" in outcomes["hostile.txt"].reason
    assert outcomes["memo.txt"].status == "indexed" and outcomes["memo.txt"].chunks == 1


def test_small_files_parse_in_process_and_big_ones_in_the_child(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def recorded(fn: Callable[[RawFile, Settings], Parsed], raw: RawFile, settings: Settings) -> Parsed:
        calls.append(raw.source)
        return fn(raw, settings)

    monkeypatch.setattr(parsers, "isolated_parse", recorded)
    settings = Settings(embedder="hashing", parse_isolate_mb=0.01)
    parsers.parse(RawFile(source="small.txt", data=b"Revenue grew 30% in 2023."), settings)
    parsers.parse(RawFile(source="big.txt", data=b"Revenue grew 30% in 2023.\n\n" * 1000), settings)
    parsers.parse(RawFile(source="off.txt", data=b"Revenue grew.\n\n" * 2000), Settings(parse_timeout_s=0, parse_isolate_mb=0))
    assert calls == ["big.txt"]


def _docx_with(part: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    Document().save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        dst.writestr(part, data)
    return out.getvalue()


def test_an_office_file_that_expands_past_the_limit_is_rejected_before_parsing() -> None:
    bomb = _docx_with("word/media/zeros.bin", b"\0" * (8 * 1024 * 1024))  # 8 MB in ~8 KB
    with pytest.raises(DocumentError) as caught:
        parsers.parse(RawFile(source="bomb.docx", data=bomb), Settings(zip_max_total_mb=2))
    assert caught.value.status == "rejected"
    assert re.fullmatch(r"the \.docx file expands to \d+ MB, over the 2 MB limit \(possible decompression bomb\)",
                        str(caught.value))


def test_long_lines_become_bounded_paragraphs_cut_at_sentence_ends_or_spaces() -> None:
    english = " ".join(f"Sentence {i} says the firm grew." for i in range(800))  # ~26,000 chars, one line
    chinese = "公司成立于2019年，员工30人。" * 600  # no spaces at all
    pieces = [p for p in bounded_lines(f"Title\n{english}\n{chinese}").split("\n") if p]
    assert pieces[0] == "Title" and all(len(p) <= MAX_LINE_CHARS for p in pieces)
    english_pieces = [p for p in pieces[1:] if p.startswith("Sentence")]
    assert all(p.endswith("grew.") for p in english_pieces)  # cut after a sentence, never inside a word
    assert " ".join(english_pieces) == english
    chinese_pieces = [p for p in pieces if p.startswith("公司")]
    assert all(p.endswith("。") for p in chinese_pieces) and "".join(chinese_pieces) == chinese
    assert bounded_lines("short\nlines\n") == "short\nlines\n"


def test_a_huge_text_is_split_by_blank_lines_with_cheap_titles() -> None:
    body = "The company filed invention patents and hired engineers in Shenzhen last year. " * 20
    text = "Annual Report 2023\n\n" + "\n\n".join(f"Section {i}\n\n{body}" for i in range(700))
    assert len(text) > FAST_TEXT_CHARS
    parsed = parsers.parse(RawFile(source="big.txt", data=text.encode()), Settings(parse_timeout_s=0))
    assert parsed.title == "Annual Report 2023"
    assert [(e.type, e.text[:9]) for e in parsed.elements[:4]] == [
        ("Title", "Annual Re"), ("Title", "Section 0"), ("NarrativeText", "The compa"), ("Title", "Section 1")]
    assert len(parsed.elements) == 1 + 2 * 700


def test_the_address_pattern_still_finds_addresses_but_not_in_runs_of_letters() -> None:
    from unstructured.partition.text_type import is_us_city_state_zip

    parsers.parse(RawFile(source="warm.txt", data=b"Warm up."), Settings(parse_timeout_s=0))  # applies the guard
    for address in ("Doylestown, PA 18901", "New York, NY 10001", "St. Louis, MO 63101", "Winston-Salem, NC 27101"):
        assert is_us_city_state_zip(address), address
    assert not any(is_us_city_state_zip("a" * n + ", PA 18901") for n in (17, 100, 5000))


def test_a_forked_process_does_not_share_the_parents_children(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", embedder="hashing")
    raw = RawFile(source="memo.txt", data=b"x")

    def served_by() -> str:
        return isolated_parse(serving_pid, raw, settings).elements[0].text

    parents_child = served_by()  # the parent now has an idle child
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # as in a process pool worker forked from here
        parse_sandbox.close_all()  # what its exit does: it must not kill the parent's children
        os.write(write, served_by().encode())
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    forked_child = os.read(read, 64).decode()
    os.close(read)
    assert forked_child and forked_child != parents_child  # the fork started its own child
    assert served_by() == parents_child  # the parent's child survived the fork's exit and still answers
