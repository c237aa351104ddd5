"""`sme eval profile` scores every gold field through the profiler's own path."""

from __future__ import annotations

import hashlib
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
    assert result["facts"] == {"accuracy": round(4 / 6, 4), "right": 4, "n": 6}  # every gold fact pooled


def test_metrics_are_reported_for_all_and_for_the_tuning_and_held_out_halves(tmp_path: Path) -> None:
    ids = [f"e{i}" for i in range(12)]
    _write(tmp_path / "enterprises.jsonl", [{"id": i, "text": f"Founded in {2000 + n}."} for n, i in enumerate(ids)])
    _write(tmp_path / "gold.jsonl", [{"id": i, "founded_date": str(2000 + n)} for n, i in enumerate(ids)])
    result = profile.run(tmp_path, Settings(embedder="hashing"))
    tune = [i for i in ids if profile.split_of(i) == "tune"]
    assert profile.split_of("e0") == ("tune" if int(hashlib.md5(b"e0").hexdigest()[-1], 16) % 2 == 0
                                      else "held_out")
    assert result["founded_date"] == {"accuracy": 1.0, "n": 12}
    n_held = 12 - len(tune)
    assert result["tune"] == {"enterprises": len(tune), "founded_date": {"accuracy": 1.0, "n": len(tune)},
                              "facts": {"accuracy": 1.0, "right": len(tune), "n": len(tune)}}
    assert result["held_out"] == {"enterprises": n_held, "founded_date": {"accuracy": 1.0, "n": n_held},
                                  "facts": {"accuracy": 1.0, "right": n_held, "n": n_held}}
    assert 0 < len(tune) < 12
