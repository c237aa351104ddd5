"""Batch profiling keeps going past a bad file: the corrupt PDF and the empty file are listed in
the enterprise's `failed_files` and the rest is profiled. CSV and Parquet columns are fixed by
the field vocabulary: the same columns, with the same types, whatever the documents held."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from app.core.fields import FIELDS
from app.jobs.outputs import columns
from app.jobs.profile_batch import ProfileJob, run_batch
from app.settings import Settings

JOB = ProfileJob(Settings(embedder="hashing"), taxonomy=None, tech_domains=False, today="2025-01-01")


def _enterprise(root: Path, name: str, files: dict[str, bytes]) -> None:
    folder = root / name
    folder.mkdir(parents=True)
    for file, data in files.items():
        (folder / file).write_bytes(data)


def _rows(path: Path) -> dict[str, dict]:
    return {r["enterprise_id"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


def test_a_failed_file_is_listed_and_the_rest_profiled(tmp_path: Path) -> None:
    _enterprise(tmp_path / "in", "acme", {
        "letter.txt": "公司员工总数52人，纳税信用等级为A级，近三年无诉讼。".encode(),
        "report.pdf": b"%PDF-1.4\n1 0 obj garbled \x00\x01 trailer",
        "empty.txt": b"",
    })
    _enterprise(tmp_path / "in", "ghost", {"only.pdf": b"%PDF-1.4 broken"})
    out = tmp_path / "p.jsonl"
    report = run_batch([tmp_path / "in"], out, JOB)
    rows = _rows(out)
    assert report.written == 1 and list(rows) == ["acme"]
    assert [f.split(":")[:2] for f in report.failed_files] == [["acme", " empty.txt"], ["acme", " report.pdf"]]
    failed = rows["acme"]["failed_files"]
    assert [f.split(":")[0] for f in failed] == ["empty.txt", "report.pdf"]
    assert "empty file" in failed[0] and "PDF" in failed[1]
    fields = rows["acme"]["fields"]
    assert (fields["employees"]["value"], fields["tax_rating"]["value"], fields["risk.litigation"]["value"]) == (52, "A", False)
    # an enterprise with nothing readable is reported with the files that failed
    assert len(report.bad) == 1 and report.bad[0].startswith("ghost: no readable documents (only.pdf:")


def test_columns_and_types_are_the_same_every_run(tmp_path: Path) -> None:
    _enterprise(tmp_path / "a", "rich", {"plan.txt": (
        "公司员工总数52人。2023年营业收入4,800万元。2021年完成A轮融资3,000万元，由深圳市创新投资集团有限公司领投。"
        "近三年无诉讼。").encode()})
    _enterprise(tmp_path / "b", "sparse", {"note.txt": b"The company has no bank loans."})
    tables = []
    for run in ("a", "b"):
        out = tmp_path / f"{run}.parquet"
        run_batch([tmp_path / run], out, JOB)
        tables.append(pq.read_table(out))
        run_batch([tmp_path / run], tmp_path / f"{run}.csv", JOB)
    assert tables[0].schema == tables[1].schema == pa.schema(list(columns().items()))
    headers = [next(csv.reader((tmp_path / f"{run}.csv").read_text(encoding="utf-8").splitlines())) for run in ("a", "b")]
    assert headers[0] == headers[1] == list(columns())
    schema = tables[0].schema
    assert schema.field("employees").type == pa.float64() and schema.field("risk.litigation").type == pa.bool_()
    assert schema.field("funding_rounds").type == pa.string() and set(FIELDS) <= set(schema.names)
    rich = tables[0].to_pylist()[0]
    assert (rich["employees"], rich["revenue"], rich["risk.litigation"], rich["funding_stage"]) == (52.0, 48_000_000.0, False, "A")
    assert json.loads(rich["funding_rounds"])[0]["lead"] == ["深圳市创新投资集团有限公司"]
    sparse = tables[1].to_pylist()[0]
    assert (sparse["bank_loans"], sparse["first_time_borrower"], sparse["employees"]) == (0.0, True, None)
