"""`sme eval profile` scores every gold field through the profiler's own path."""

from __future__ import annotations

import json
from pathlib import Path

from app.settings import Settings
from eval import profile


def _write(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def test_fact_fields_are_scored_per_field(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "b.md").write_text("Beta Labs Inc. was founded in 2015 and has 40 employees.", encoding="utf-8")
    _write(tmp_path / "enterprises.jsonl", [
        {"id": "a", "text": "公司成立于2019年，员工总数120人，注册地址：上海市浦东新区张江路。"},
        {"id": "b", "docs": ["docs/b.md"]},
        {"id": "c", "text": "No numbers here."},
    ])
    _write(tmp_path / "gold.jsonl", [
        {"id": "a", "employees": 120, "region": "中国>上海市>浦东新区", "founded_date": "2019"},
        {"id": "b", "employees": 41, "founded_date": "2015"},
        {"id": "c", "employees": 7},
    ])
    result = profile.run(tmp_path, Settings(embedder="hashing"))
    assert result["enterprises"] == 3
    assert result["employees"] == {"accuracy": round(1 / 3, 4), "n": 3}  # a right, b off by one, c unknown
    assert result["founded_date"] == {"accuracy": 1.0, "n": 2}
    assert result["region"] == {"accuracy": 1.0, "n": 1}
