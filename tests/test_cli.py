"""The `sme` command line end to end: exit codes, summary, JSON report, search output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app import cli
from app.settings import get_settings
from tests.conftest import CORPUS, CORPUS_BAD

pytestmark = pytest.mark.slow


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SME_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SME_EMBEDDER", "hashing")
    get_settings.cache_clear()
    yield tmp_path / "data"
    get_settings.cache_clear()


def test_ingest_all_good_exits_0_and_writes_report(data_dir: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    report = tmp_path / "r.json"
    code = cli.main(["ingest", str(CORPUS / "overview.md"), str(CORPUS / "plan.docx"), "--kind", "general",
                     "--report", str(report), "-q"])
    assert code == 0
    out = capsys.readouterr().out
    assert "indexed" in out and "      2" in out
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["counts"] == {"indexed": 2}
    assert {Path(o["source"]).name for o in data["outcomes"]} == {"overview.md", "plan.docx"}


def test_ingest_with_bad_files_exits_1_and_names_reasons(data_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code = cli.main(["ingest", str(CORPUS / "overview.md"), str(CORPUS_BAD), "--kind", "policy", "-q"])
    assert code == 1
    out = capsys.readouterr().out
    assert "password-protected" in out and "empty file (0 bytes)" in out and "decompression bomb" in out
    reports = list((data_dir / "reports").glob("ingest-*.json"))
    assert len(reports) == 1
    assert json.loads(reports[0].read_text())["counts"]["indexed"] == 1


def test_usage_errors_exit_2(data_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as bad_kind:
        cli.main(["ingest", str(CORPUS), "--kind", "nonsense"])
    assert bad_kind.value.code == 2
    assert cli.main(["ingest", str(CORPUS / "overview.md"), "--kind", "enterprise"]) == 2
    assert "enterprise id" in capsys.readouterr().err


def test_search_json_returns_cited_hits(data_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert cli.main(["ingest", str(CORPUS / "report.pdf"), "--kind", "general", "-q"]) == 0
    capsys.readouterr()
    assert cli.main(["search", "research and development expense", "--json", "-k", "3"]) == 0
    hits = json.loads(capsys.readouterr().out)["hits"]
    assert hits[0]["page"] == 3
    assert "Research and development expense" in hits[0]["text"]
    assert "**" in hits[0]["snippet"]
    start, end = hits[0]["span"]
    assert end > start


def test_ingesting_enterprise_documents_stores_its_profile(data_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    aurora = CORPUS.parent / "enterprises" / "aurora"
    code = cli.main(["ingest", str(aurora / "business_plan.docx"), str(aurora / "financials.xlsx"), "--kind", "enterprise",
                     "--enterprise-id", "aurora", "--tenant", "bank-a", "-q"])
    assert code == 0
    assert "profile of aurora:" in capsys.readouterr().out
    from app.adapters.profiles import ProfileStore

    stored = ProfileStore(get_settings().db_path).get("bank-a", "aurora")
    assert stored is not None and stored["fields"]["revenue"]["conflict"] is True
    assert ProfileStore(get_settings().db_path).get("public", "aurora") is None


def test_profile_command_writes_parquet_from_folders(data_dir: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "p.parquet"
    assert cli.main(["profile", str(CORPUS.parent / "enterprises" / "northwind"), "--out", str(out)]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["written"] == 1
    import pyarrow.parquet as pq

    table = pq.read_table(out).to_pydict()
    assert table["enterprise_id"] == ["northwind"] and table["revenue"] == [4_500_000.0]
    assert cli.main(["profile", str(out), "--out", str(tmp_path / "x.txt")]) == 2


def test_criteria_reads_a_long_clause_as_text_not_a_path(data_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    clause = "申请企业须在本市注册成立满一年以上，" * 12 + "上年度营业收入不低于2000万元，研发人员占职工总数的比例不低于10%。"
    assert len(clause.encode()) > 255  # longer than a file name may be: asking the file system fails
    assert cli.main(["criteria", "--json", clause]) == 0
    fields = {c["field"] for c in json.loads(capsys.readouterr().out)}
    assert {"revenue", "rd_staff_ratio"} <= fields
