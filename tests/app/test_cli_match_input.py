"""`sme match --profile FILE` reads profile values like POST /v1/match: a district firm inside its
city's program, amounts with units, and an unreadable value is a usage error naming it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import cli
from app.core.types import Criterion, Program
from app.settings import get_settings
from app.wiring import Deps


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("SME_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SME_EMBEDDER", "hashing")
    get_settings.cache_clear()
    Deps.build(get_settings()).programs.upsert([Program(
        id="sz", kind="policy", title="深圳市科技企业资助", jurisdiction=("中国", "广东省", "深圳市"),
        criteria=(Criterion("revenue", ">=", 50_000_000, "CNY", source_text="营业收入不低于5000万元"),))])
    yield tmp_path / "data"
    get_settings.cache_clear()


def _profile(tmp_path: Path, fields: dict[str, object]) -> str:
    path = tmp_path / "firm.json"
    path.write_text(json.dumps({"fields": fields}, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_a_nanshan_profile_with_an_amount_in_wan(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["match", "--profile", _profile(tmp_path, {"region": "深圳市南山区", "revenue": "4800万元"}), "--json"])
    assert code == 0
    body = json.loads(capsys.readouterr().out)
    [match] = body["matches"]
    revenue = next(v for v in match["verdicts"] if v["criterion"]["field"] == "revenue")
    assert (match["program"]["id"], body["excluded"]) == ("sz", [])
    assert revenue["reasons"]["zh"] == "营业收入4,800万元，低于要求的5,000万元"


def test_an_unreadable_value_is_a_usage_error(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["match", "--profile", _profile(tmp_path, {"revenue": "lots"})]) == 2
    assert "revenue: cannot read 'lots'" in capsys.readouterr().err
