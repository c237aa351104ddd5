"""Profiles from real enterprise documents (DOCX, XLSX, CSV, a scanned PNG, Markdown): page
provenance, tables as facts, a kept conflict, a derived ratio with its inputs; CSV/Parquet output;
the Ray engine giving what the local engine gives."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from app.jobs.profile_batch import ProfileJob, run_batch
from app.settings import Settings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "enterprises"
JOB = ProfileJob(Settings(embedder="hashing"), taxonomy=None, tech_domains=False, today="2025-01-01")


@pytest.fixture(scope="module")
def profiles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    out = tmp_path_factory.mktemp("p") / "profiles.jsonl"
    report = run_batch([FIXTURES], out, JOB)
    assert (report.written, report.bad) == (2, [])
    return {r["enterprise_id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}


def test_financial_statement_table_wins_and_the_business_plan_conflict_is_kept(profiles: dict[str, dict]) -> None:
    revenue = profiles["aurora"]["fields"]["revenue"]
    assert (revenue["value"], revenue["unit"], revenue["as_of"]) == (120_800_000, "CNY", "2023")
    assert revenue["source"]["source_type"] == "financial_statement" and revenue["source"]["page"] == 1
    assert revenue["quote"].startswith("营业收入 Revenue | 52300000.00")
    assert revenue["conflict"] is True
    plan = [c for c in revenue["candidates"] if c["source"]["source_type"] == "business_plan"]
    assert [(c["value"], c["as_of"], c["source"]["quote"]) for c in plan] == [(130_000_000, "2023", "2023年实现营业收入1.3亿元")]


def test_balance_sheet_on_page_two_and_quarterly_sheet_summed(profiles: dict[str, dict]) -> None:
    fields = profiles["aurora"]["fields"]
    assert (fields["total_assets"]["value"], fields["total_assets"]["source"]["page"]) == (130_855_500.5, 2)
    sums = [c for c in fields["rd_expense"]["candidates"] if c["method"] == "rule:table_sum"]
    assert sorted((c["as_of"], c["value"]) for c in sums) == [("2021", 4_120_000), ("2022", 6_350_000), ("2023", 9_600_000)]


def test_derived_rd_ratio_cites_both_inputs(profiles: dict[str, dict]) -> None:
    ratio = profiles["aurora"]["fields"]["rd_expense_ratio"]
    assert (ratio["value"], ratio["method"], ratio["as_of"]) == (7.95, "derived", "2023")
    inputs = {i["field"]: i for i in ratio["inputs"]}
    assert inputs["revenue"]["value"] == 120_800_000 and inputs["revenue"]["source"]["doc_id"]
    assert inputs["rd_expense"]["value"] == 9_600_000 and inputs["rd_expense"]["source"]["page"] == 1


def test_scanned_certificate_is_read_by_ocr(profiles: dict[str, dict]) -> None:
    certs = profiles["aurora"]["fields"]["certifications"]
    assert "高新技术企业" in certs["value"]
    scanned = [c for c in certs["candidates"] if c["source"]["source_type"] == "certificate"]
    assert scanned and scanned[0]["source"]["quote"] == "高新技术企业"


def test_chinese_identity_fields(profiles: dict[str, dict]) -> None:
    p = profiles["aurora"]
    assert p["name"] == "深圳极光智能科技有限公司"
    assert p["fields"]["region"]["value"] == "中国>广东省>深圳市>南山区"
    code = p["fields"]["unified_social_credit_code"]
    assert code["value"] == "91440300MA5F8K2L74" and code["method"] == "rule"
    assert sorted(p["fields"]["investors"]["value"]) == ["深圳市创新投资集团有限公司", "高瓴创投"]  # 深创投 by its legal name
    assert p["fields"]["years_since_founding"]["value"] == 5.84


def test_english_enterprise_in_dollars(profiles: dict[str, dict]) -> None:
    f = profiles["northwind"]["fields"]
    assert (f["revenue"]["value"], f["revenue"]["unit"]) == (4_500_000, "USD")
    assert f["region"]["value"] == "United States>Texas>Austin"
    assert (f["employees"]["value"], f["rd_staff"]["value"], f["rd_staff_ratio"]["value"]) == (38, 14, 36.84)
    assert sorted(f["investors"]["value"]) == ["Accel", "Foundry Group"]


def _jsonl(tmp_path: Path, n: int) -> Path:
    path = tmp_path / "e.jsonl"
    path.write_text("".join(json.dumps({"id": f"e{i}", "text": f"公司成立于2018年，员工{20 + i}人，2023年营业收入{i + 1}亿元。"},
                                       ensure_ascii=False) + "\n" for i in range(n)), encoding="utf-8")
    return path


def test_csv_and_parquet_outputs_have_one_row_per_enterprise_with_sources(tmp_path: Path) -> None:
    src = _jsonl(tmp_path, 5)
    run_batch([src], tmp_path / "p.csv", JOB)
    run_batch([src], tmp_path / "p.parquet", JOB)
    with (tmp_path / "p.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["enterprise_id"] for r in rows] == [f"e{i}" for i in range(5)]
    assert (rows[2]["revenue"], rows[2]["revenue.as_of"], rows[2]["revenue.quote"]) == ("300000000.0", "2023", "2023年营业收入3亿元")
    table = pq.read_table(tmp_path / "p.parquet").to_pydict()
    assert table["employees"] == [20.0, 21.0, 22.0, 23.0, 24.0]
    assert table["revenue.source"] == ["text"] * 5


@pytest.mark.slow
def test_ray_engine_gives_what_the_local_engine_gives(tmp_path: Path) -> None:
    src = _jsonl(tmp_path, 150)
    run_batch([src], tmp_path / "local.jsonl", JOB, workers=1)
    report = run_batch([src], tmp_path / "ray.jsonl", JOB, workers=2, engine="ray")
    assert report.written == 150
    assert (tmp_path / "ray.jsonl").read_text(encoding="utf-8") == (tmp_path / "local.jsonl").read_text(encoding="utf-8")
