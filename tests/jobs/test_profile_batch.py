"""Batch profiling: resumable, bad records skipped and counted, workers agree, a kill loses nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from app.jobs.profile_batch import ProfileJob, done_ids, run_batch
from app.settings import Settings

LABELS = ["B2B", "Consumer", "Education", "Fintech", "Government", "Healthcare", "Industrials",
          "Real Estate and Construction"]


def _records(path: Path, n: int, bad: bool = False) -> Path:
    lines = [json.dumps({"id": f"e{i:05d}", "name": f"Firm {i}",
                         "text": f"Firm {i} was founded in March 2019 and has {10 + i % 90} employees. "
                                 f"Revenue for fiscal 2023 was RMB {i % 50 + 1} million. 公司拥有发明专利{i % 7}项。"})
             for i in range(n)]
    if bad:
        lines[3] = "{not json"
        lines[5] = json.dumps({"name": "no id"})
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


FAKE = Settings(embedder="hashing")
CLASSIFY = ProfileJob(FAKE, today="2025-01-01")
NO_MODEL = ProfileJob(FAKE, taxonomy=None, tech_domains=False, today="2025-01-01")


def test_profiles_have_facts_with_quotes_and_industry(tmp_path: Path) -> None:
    out = tmp_path / "p.jsonl"
    report = run_batch([_records(tmp_path / "e.jsonl", 3)], out, CLASSIFY)
    assert report.written == 3
    row = json.loads(out.read_text(encoding="utf-8").splitlines()[1])
    assert row["enterprise_id"] == "e00001"
    assert row["fields"]["employees"]["value"] == 11 and row["fields"]["employees"]["quote"] == "11 employees"
    assert row["fields"]["revenue"]["value"] == 2_000_000 and row["fields"]["revenue"]["unit"] == "CNY"
    age = row["fields"]["years_since_founding"]
    assert age["value"] == 5.84 and [i["field"] for i in age["inputs"]] == ["founded_date"]
    assert age["inputs"][0]["source"]["quote"] == "founded in March 2019"
    assert row["industry"]["label"] in LABELS and len(row["industry"]["runners_up"]) == 2


def test_bad_records_are_reported_and_the_rest_written(tmp_path: Path) -> None:
    report = run_batch([_records(tmp_path / "e.jsonl", 10, bad=True)], tmp_path / "p.jsonl", NO_MODEL)
    assert report.written == 8
    assert [b.split(":")[1] for b in report.bad] == ["4", "6"]


def test_rerun_skips_finished_and_repairs_a_torn_line(tmp_path: Path) -> None:
    src, out = _records(tmp_path / "e.jsonl", 10), tmp_path / "p.jsonl"
    run_batch([src], out, NO_MODEL)
    lines = out.read_text(encoding="utf-8").splitlines()
    out.write_text("\n".join(lines[:4]) + "\n" + lines[4][:20], encoding="utf-8")  # killed mid-write
    assert len(done_ids(out)) == 4
    report = run_batch([src], out, NO_MODEL)
    assert (report.written, report.skipped_done) == (6, 4)
    ids = [json.loads(x)["enterprise_id"] for x in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(ids) == [f"e{i:05d}" for i in range(10)]


def test_two_workers_give_the_same_profiles(tmp_path: Path) -> None:
    src = _records(tmp_path / "e.jsonl", 40)
    run_batch([src], tmp_path / "one.jsonl", NO_MODEL, workers=1)
    run_batch([src], tmp_path / "two.jsonl", NO_MODEL, workers=2)
    assert (tmp_path / "one.jsonl").read_text() == (tmp_path / "two.jsonl").read_text()


def test_killed_batch_reruns_to_each_enterprise_exactly_once(tmp_path: Path) -> None:
    src, out = _records(tmp_path / "e.jsonl", 4000), tmp_path / "p.jsonl"
    env = {**os.environ, "SME_EMBEDDER": "hashing", "SME_DATA_DIR": str(tmp_path / "data")}
    cmd = [sys.executable, "-m", "app.cli", "profile", str(src), "--out", str(out)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and (not out.exists() or out.stat().st_size < 20_000):
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = len(done_ids(out))
    assert 0 < partial < 4000
    done = subprocess.run(cmd, check=False, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    ids = [json.loads(x)["enterprise_id"] for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(ids) == len(set(ids)) == 4000
