"""The startup dossiers (tests/fixtures/dossiers: plans, statements, scanned letters, a broken PDF,
zh and en) are profiled with ≥ 95% of their gold facts right, on the tuning and the held-out half;
the conflicting headcounts, the invalid credit code and the failed files show as such."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from app.core.profile import EnterpriseProfile
from app.core.profiler import ProfileInput, Profiler
from app.jobs.enterprise_input import jsonl_records, read_input
from app.settings import Settings
from eval.metrics import split_of
from eval.profile import pooled_facts

pytestmark = pytest.mark.slow  # OCR of four scanned letters
DOSSIERS = Path(__file__).resolve().parents[1] / "fixtures" / "dossiers"
SETTINGS = Settings(embedder="hashing", ocr_languages="chi_sim+eng", ocr_dpi=150)


@pytest.fixture(scope="module")
def read() -> list[tuple[ProfileInput, EnterpriseProfile]]:
    inputs = [read_input(r, SETTINGS) for r in jsonl_records(DOSSIERS / "enterprises.jsonl", [])]
    return list(zip(inputs, Profiler(today=date(2025, 1, 1)).profile_many(inputs)))


def _gold() -> dict[str, dict]:
    return {g["id"]: g for g in map(json.loads, (DOSSIERS / "gold.jsonl").read_text(encoding="utf-8").splitlines())}


def test_at_least_95_percent_of_gold_facts_on_both_halves(read: list[tuple[ProfileInput, EnterpriseProfile]]) -> None:
    profiles = [p for _, p in read]
    assert len(profiles) >= 10
    for half in ("tune", "held_out"):
        subset = [p for p in profiles if split_of(p.enterprise_id) == half]
        score = pooled_facts(_gold(), subset)
        assert len(subset) >= 5 and score["n"] >= 60 and score["accuracy"] >= 0.95, (half, score)


def test_conflicting_headcounts_are_flagged_and_the_statement_wins(read: list[tuple[ProfileInput, EnterpriseProfile]]) -> None:
    by_id = {p.enterprise_id: p for _, p in read}
    employees = by_id["hexin-robotics"].fields["employees"]
    assert employees.conflict and employees.chosen.value == 138 and employees.chosen.source_type == "audit_report"
    assert sorted(c.value for c in employees.candidates) == [121, 138, 150]  # type: ignore[type-var]


def test_the_invalid_credit_code_is_never_the_identifier(read: list[tuple[ProfileInput, EnterpriseProfile]]) -> None:
    yunfan = {p.enterprise_id: p for _, p in read}["yunfan-data"]
    code = yunfan.fields.get("unified_social_credit_code")
    assert code is None or code.chosen.value != "91110108MA01TR5X4J" or "invalid" in code.chosen.method


def test_the_broken_and_empty_files_are_listed_and_the_rest_profiled(read: list[tuple[ProfileInput, EnterpriseProfile]]) -> None:
    item, profile = next((i, p) for i, p in read if p.enterprise_id == "zhuoyue-materials")
    assert [f.split(":")[0] for f in item.failed_files] == ["年度报告.pdf", "补充说明.txt"]
    assert profile.value("funding_stage") == "B" and profile.value("tax_rating") == "A"
