"""The report is built from stage results only: ratios name both sides, thresholds are checked,
failed stages are listed, and the markdown and plots come from the same dict."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from eval import all_run, report, report_md


def _results() -> dict[str, Any]:
    curve = {"document": [1.0] * 20, "page": [0.5, 0.7] + [0.9] * 18}
    return {
        "fb:product": {"wall_s": 60.0, "peak_rss_mib": 900.0, "result": {
            "queries": 2, "documents": 5, "chunks": 300, "ingest_s": 10.0, "recall_curve": curve,
            "document": {"recall@5": 1.0}, "page": {"recall@5": 0.9},
            "search_latency_s": [0.02, 0.04], "floor_latency_s": [0.01, 0.01]}},
        "fb:baseline": {"wall_s": 90.0, "peak_rss_mib": 1200.0, "result": {
            "queries": 2, "documents": 5, "chunks": 500, "ingest_s": 40.0, "recall_curve": curve,
            "document": {"recall@5": 1.0}, "page": {"recall@5": 0.4}, "search_latency_s": [0.01, 0.03]}},
        "yc:product": {"wall_s": 5.0, "peak_rss_mib": 800.0, "result": {
            "enterprises": 10, "seconds": 2.0, "industry": {"accuracy": 0.7, "macro_f1": 0.5, "n": 10}}},
        "yc:baseline": {"wall_s": 5.0, "peak_rss_mib": 700.0, "error": "exit code 1: boom"},
        "bench_profile:bench": {"wall_s": 30.0, "peak_rss_mib": 500.0, "result": {"enterprises": 40, "runs": [
            {"workers": 1, "profiles_per_s": 10.0, "seconds": 4.0}, {"workers": 2, "profiles_per_s": 15.0, "seconds": 2.7}]}},
    }


def test_quality_rows_carry_both_sides_and_thresholds(monkeypatch: Any) -> None:
    monkeypatch.setattr(report, "THRESHOLDS", [("fb", "page recall@5", 0.8), ("yc", "industry accuracy", 0.75)])
    data = report.build(_results(), {"fb": "retrieval", "yc": "profile"}, 120.0, False, {}, {})
    row = next(r for r in data["quality"] if r["dataset"] == "fb" and r["metric"] == "page recall@5")
    assert row["ratio"] == {"of": "product / baseline", "numerator": 0.9, "denominator": 0.4, "value": 2.25}
    assert row["passes"] is True
    yc = next(r for r in data["quality"] if r["metric"] == "industry accuracy")
    assert (yc["baseline"], yc["ratio"]["value"], yc["passes"]) == (None, None, False)
    assert data["failed_stages"] == ["yc:baseline"] and data["threshold_failures"] == ["yc industry accuracy"]
    search = data["dev_set_speed"][0]
    assert search["ingest_ratio"]["value"] == 0.25
    assert [r["of"] for r in search["search_p50_ms_ratios"]] == ["product p50_ms / baseline p50_ms", "product p50_ms / floor p50_ms"]
    assert search["search_p50_ms_ratios"][1]["value"] == 3.0  # 30 ms / 10 ms
    assert data["benchmarks"]["profile"]["ratios"][0]["value"] == 1.5


def test_markdown_and_plots_come_from_the_data(tmp_path: Path) -> None:
    data = report.build(_results(), {"fb": "retrieval", "yc": "profile"}, 120.0, False, {}, {})
    report.write(data, tmp_path)
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "0.9 / 0.4 = **2.25×** (product / baseline)" in md
    assert "exit code 1: boom" in md and "Failures: yc:baseline" in md
    assert set(data["plots"]) == {"quality.png", "recall_at_k.png", "latency.png", "throughput_workers.png"}
    assert all((tmp_path / p).stat().st_size > 1000 for p in data["plots"])
    assert json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["total_wall_s"] == 120.0
    assert report_md._r(None) == "—"


def test_task_of_reads_the_spec_formats(tmp_path: Path) -> None:
    for name, files in {"r": ["qrels.tsv"], "m": ["programs.jsonl", "gold.jsonl"], "p": ["gold.jsonl", "enterprises.jsonl"],
                        "x": ["notes.txt"]}.items():
        (tmp_path / name).mkdir()
        for f in files:
            (tmp_path / name / f).write_text("", encoding="utf-8")
    assert [all_run.task_of(tmp_path / n) for n in "rmpx"] == ["retrieval", "match", "profile", None]


def test_a_failing_stage_is_reported_not_raised(tmp_path: Path) -> None:
    stage = all_run.Stage("bad:product", "bad", "product",
                          (sys.executable, "-c", "import sys; print('no model'); sys.exit(3)", "--out", str(tmp_path / "x.json")))
    (tmp_path / "logs").mkdir()
    got = all_run.run_stage(stage, tmp_path / "logs")
    assert got["error"].startswith("exit code 3") and "no model" in got["error"]
    assert got["peak_rss_mib"] > 0 and "result" not in got


def test_eval_all_exits_1_when_a_metric_falls_below_its_threshold(monkeypatch: Any, tmp_path: Path,
                                                                   capsys: Any) -> None:
    monkeypatch.setattr(report, "THRESHOLDS", [("yc", "industry accuracy", 0.75)])
    data = report.build({k: v for k, v in _results().items() if k != "yc:baseline"}, {"yc": "profile"}, 1.0, False, {}, {})
    assert data["failed_stages"] == [] and data["threshold_failures"] == ["yc industry accuracy"]
    monkeypatch.setattr(all_run, "run_all", lambda *a, **k: data)
    assert all_run.cli([], tmp_path) == 1
    assert "FAILED: yc industry accuracy" in capsys.readouterr().err
    monkeypatch.setattr(report, "THRESHOLDS", [("yc", "industry accuracy", 0.7)])
    passing = report.build({k: v for k, v in _results().items() if k != "yc:baseline"}, {"yc": "profile"}, 1.0, False, {}, {})
    monkeypatch.setattr(all_run, "run_all", lambda *a, **k: passing)
    assert all_run.cli([], tmp_path) == 0


def test_the_chat_set_is_a_chat_task_with_a_product_stage_only(tmp_path: Path) -> None:
    assert all_run.task_of(all_run.CHAT_SET) == "chat" and all_run.CHAT_SET in all_run.datasets([])
    stages = all_run.plan([all_run.CHAT_SET], tmp_path, quick=True, benches=False)
    assert [s.name for s in stages] == ["chat:product"]


def test_the_cleaning_set_reports_each_script_and_half_against_the_issue_goal(tmp_path: Path) -> None:
    assert all_run.task_of(all_run.CLEANING_SET) == "cleaning" and all_run.CLEANING_SET in all_run.datasets([])
    stages = all_run.plan([all_run.CLEANING_SET], tmp_path, quick=True, benches=False)
    assert [s.name for s in stages] == ["cleaning:product"]
    half = {s: {"precision": 0.99, "recall": 0.95} for s in ("zh-Hans", "en")} | {"zh-Hant": {"precision": 0.97, "recall": 0.95}}
    result = {"documents": 63, "by_split": {"tune": 29, "held_out": 34}, "tune": half, "held_out": half, "seconds": 9.0}
    data = report.build({"cleaning:product": {"wall_s": 10.0, "peak_rss_mib": 400.0, "result": result}},
                        {"cleaning": "cleaning"}, 10.0, False, {}, {})
    rows = {r["metric"]: r for r in data["quality"]}
    assert len(rows) == 12 and rows["tune zh-Hant removal precision"]["threshold"] is None
    assert (rows["held_out zh-Hans removal precision"]["threshold"], rows["held_out en removal recall"]["threshold"]) == (0.98, 0.90)
    assert data["threshold_failures"] == ["cleaning held_out zh-Hant removal precision"]
    assert "63 documents (29 tune, 34 held-out)" in report_md.render(data)


def test_the_criteria_sets_report_both_halves_with_thresholds_on_the_held_out(tmp_path: Path) -> None:
    from eval import criteria

    assert all_run.task_of(all_run.CRITERIA_SET) == "criteria" and all_run.CRITERIA_SET in all_run.datasets([])
    stages = all_run.plan([all_run.CRITERIA_SET], tmp_path, quick=True, benches=False)
    assert [s.name for s in stages] == ["criteria:product"]
    result = criteria.run(all_run.CRITERIA_SET)
    data = report.build({"criteria:product": {"wall_s": 2.0, "peak_rss_mib": 300.0, "result": result | {"seconds": 1.0}}},
                        {"criteria": "criteria"}, 2.0, False, {}, {})
    rows = {r["metric"]: r for r in data["quality"]}
    for name in (f"criteria_clauses_{n}" for n in range(2, 11)):
        assert {f"{name} tune precision", f"{name} held_out recall"} <= set(rows)
    assert rows["held_out_blind recall"]["product"] == result["held_out_blind"]["recall"]
    thresholds = {m: r["threshold"] for m, r in rows.items() if r["threshold"] is not None}
    assert set(thresholds) == {"held_out precision", "held_out recall", "held_out_blind precision", "held_out_blind recall"}
    assert all(rows[m]["product"] >= t for m, t in thresholds.items()) and data["threshold_failures"] == []
    assert f"{result['clauses']} clauses" in report_md.render(data)
    low = result | {"held_out_blind": result["held_out_blind"] | {"recall": 0.5}}
    data = report.build({"criteria:product": {"wall_s": 2.0, "peak_rss_mib": 300.0, "result": low}},
                        {"criteria": "criteria"}, 2.0, False, {}, {})
    assert data["threshold_failures"] == ["criteria held_out_blind recall"]


def test_sme_eval_criteria_needs_no_dataset_and_prints_both_halves(capsys: Any) -> None:
    from app import cli

    assert cli.main(["eval", "criteria"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(out["files"]) == {"criteria_clauses.yaml", *(f"criteria_clauses_{n}.yaml" for n in range(2, 15))}
    assert {"tune", "held_out"} <= set(out["files"]["criteria_clauses_3.yaml"]) and "held_out_blind" in out
