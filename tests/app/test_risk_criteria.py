"""Credit and risk criteria resolve from the facts a firm's documents state, each named risk on
its own: a stated absence meets "no ...", a stated record fails it, silence stays unknown."""

from __future__ import annotations

from datetime import date

import pytest

from app.core.eligibility import evaluate
from app.core.enterprise_facts import text_facts
from app.core.profile import build_profile
from app.core.types import Criterion

CLEAN_CREDIT = Criterion("credit_record", "not_in", ("overdue_debt", "default"), source_text="无逾期、无违约记录")
NO_PENALTY = Criterion("risk_signals", "not_in", ("administrative_penalty",), source_text="近三年内未受到行政处罚")
NO_INCIDENT = Criterion("risk_signals", "not_in", ("major_safety_incident", "serious_environmental_violation"))
TAX_B_UP = Criterion("tax_rating", "in", ("A", "B"), source_text="纳税信用等级为B级以上")


def _verdict(text: str, criterion: Criterion) -> str:
    profile = build_profile("e", text_facts(text), today=date(2025, 1, 1))
    return evaluate(criterion, profile).verdict


@pytest.mark.parametrize(("text", "criterion", "expected"), [
    ("公司征信记录良好，无逾期、无违约记录。", CLEAN_CREDIT, "met"),
    ("The company has no overdue loans and has never defaulted on any loan.", CLEAN_CREDIT, "met"),
    ("公司无逾期记录。", CLEAN_CREDIT, "unknown"),  # defaults not stated
    ("2023年公司一笔贷款逾期90天。", CLEAN_CREDIT, "unmet"),
    ("近三年无诉讼、行政处罚。", NO_PENALTY, "met"),
    ("2023年公司因消防问题被处以罚款2万元。", NO_PENALTY, "unmet"),
    ("公司近三年无诉讼。", NO_PENALTY, "unknown"),  # litigation says nothing of penalties
    ("No major safety, quality or environmental incidents occurred.", NO_INCIDENT, "met"),
    ("公司纳税信用等级为A级。", TAX_B_UP, "met"),
    ("2023年度纳税信用评价为C级。", TAX_B_UP, "unmet"),
])
def test_credit_and_risk_criteria_resolve_from_stated_facts(text: str, criterion: Criterion, expected: str) -> None:
    assert _verdict(text, criterion) == expected


def test_the_verdict_cites_the_clause_that_denies_the_risk() -> None:
    profile = build_profile("e", text_facts("公司近三年无诉讼、行政处罚及重大安全事故。"), today=date(2025, 1, 1))
    v = evaluate(NO_PENALTY, profile)
    assert v.verdict == "met" and v.fact is not None
    assert [(i.field, i.value, i.quote) for i in v.fact.inputs] == [
        ("risk.administrative_penalty", False, "公司近三年无诉讼、行政处罚及重大安全事故。")]
