"""CI smoke evaluation: the product on financebench-pages through `sme eval all`'s own stage runner
and report writer; fails when page recall@5 drops below the level an earlier issue reached (the one
test in CI that ingests these filings with the real model: it is the costliest of the suite).
Skipped, with the reason, when ../shared is absent (a user's machine has none)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval import all_run, report
from tests.conftest import SHARED

pytestmark = [pytest.mark.eval, pytest.mark.slow]
FINANCEBENCH = SHARED / "data" / "eval" / "financebench-pages"


@pytest.mark.skipif(not FINANCEBENCH.is_dir(), reason="../shared/data/eval/financebench-pages not present: smoke eval skipped")
def test_smoke_eval_financebench_product_meets_threshold(tmp_path: Path) -> None:
    (tmp_path / "logs").mkdir()
    stage = all_run._stage("product_retrieval", FINANCEBENCH.name, "product", tmp_path / "fb.json", FINANCEBENCH)
    results = {stage.name: all_run.run_stage(stage, tmp_path / "logs") | {"group": stage.group, "side": stage.side}}
    assert "error" not in results[stage.name], results[stage.name]
    data = report.build(results, {FINANCEBENCH.name: "retrieval"}, 0.0, True, {}, {})
    report.write(data, tmp_path)

    row = next(r for r in data["quality"] if r["metric"] == "page recall@5")
    assert row["threshold"] == 0.8
    assert row["product"] >= 0.8, row
    assert data["threshold_failures"] == [] and data["failed_stages"] == []
    assert results[stage.name]["peak_rss_mib"] > 100  # the model alone is larger: the measurement is real
    written = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert written["quality"] == json.loads(json.dumps(data["quality"]))
    assert "| financebench-pages | page recall@5 |" in (tmp_path / "report.md").read_text(encoding="utf-8")
    assert (tmp_path / "recall_at_k.png").stat().st_size > 1000
