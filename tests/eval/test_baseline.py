"""The LangChain baseline on a tiny generated dataset: it loads, splits, embeds with the bundled model
offline, and is scored by the same metric functions as the product."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval import baseline

pytestmark = pytest.mark.slow


def _write(path: Path, rows: list[dict[str, object]]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_baseline_retrieval_and_profile_on_a_tiny_dataset(tmp_path: Path) -> None:
    _write(tmp_path / "corpus.jsonl", [
        {"_id": "lidar", "title": "Aurora", "text": "Aurora builds solid-state LiDAR sensors for warehouse robots."},
        {"_id": "bank", "title": "Loans", "text": "The bank offers IP pledge loans to small technology firms."}])
    _write(tmp_path / "queries.jsonl", [{"_id": "q1", "text": "Which company makes LiDAR sensors for robots?"}])
    (tmp_path / "qrels.tsv").write_text("query-id\tcorpus-id\tscore\nq1\tlidar\t1\n", encoding="utf-8")
    result = baseline.retrieval(tmp_path, depth=2, curve_k=2)
    assert result["document"]["recall@1"] == 1.0 and result["chunks"] == 2
    assert result["recall_curve"] == {"document": [1.0, 1.0]} and len(result["search_latency_s"]) == 1

    (tmp_path / "taxonomy.json").write_text(json.dumps({"field": "industry", "labels": ["Healthcare", "Fintech"]}))
    _write(tmp_path / "enterprises.jsonl", [{"id": "a", "text": "A hospital software company for patients and doctors."},
                                            {"id": "b", "text": "Payments and lending app: a fintech for consumers."}])
    _write(tmp_path / "gold.jsonl", [{"id": "a", "industry": "Healthcare"}, {"id": "b", "industry": "Fintech"}])
    got = baseline.profile(tmp_path)
    assert got["industry"] == {"accuracy": 1.0, "macro_f1": 1.0, "n": 2}
