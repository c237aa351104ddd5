"""Credit and risk facts, zh and en: a stated absence is a fact (False / 0, quoting its clause),
negation reaches every item of a list but not past a Chinese comma, and look-alike words
(无锡, 无人机, 未决, 尚未了结) negate nothing."""

from __future__ import annotations

import pytest

from app.core.facts_categorical import extract_facts


def _facts(text: str) -> dict[str, list[object]]:
    out: dict[str, list[object]] = {}
    for f in extract_facts(text):
        out.setdefault(f.field, []).append(f.value)
    return out


@pytest.mark.parametrize(("text", "expected"), [
    ("公司近三年无诉讼、仲裁及行政处罚。", {"risk.litigation": [False], "risk.administrative_penalty": [False]}),
    ("未发生重大安全、质量、环境事故。", {"risk.major_safety_incident": [False], "risk.major_quality_incident": [False],
                                  "risk.serious_environmental_violation": [False]}),
    ("公司无逾期记录，2023年曾被处以罚款2万元。", {"risk.overdue_debt": [False], "risk.administrative_penalty": [True]}),
    ("There is no material litigation, arbitration or administrative penalty against the Company.",
     {"risk.litigation": [False], "risk.administrative_penalty": [False]}),
    ("The company was fined USD 12,000 in 2023.", {"risk.administrative_penalty": [True]}),
    ("公司存在一起尚未了结的专利侵权诉讼。", {"risk.litigation": [True]}),
    ("公司在无锡涉及一起买卖合同诉讼。", {"risk.litigation": [True]}),
    ("诉讼情况：无\n对外担保：无", {"risk.litigation": [False], "risk.guarantee": [False]}),
    ("诉讼情况：无行政处罚：无股权质押：无", {"risk.litigation": [False], "risk.administrative_penalty": [False],
                                "risk.pledge": [False]}),
    ("公司为关联方提供对外担保1笔。", {"risk.guarantee": [True]}),
    ("除上述事项外，公司无其他诉讼。", {}),  # "no other" adds nothing to the ones named before
    ("未被列入失信被执行人名单，未列入经营异常名录。", {"risk.serious_dishonesty": [False],
                                       "risk.abnormal_operations_list": [False]}),
    ("公司计划在明年申请贷款，以防发生违约风险。", {}),  # a plan or a hypothetical states no record
])
def test_risks_with_negation_and_scope(text: str, expected: dict[str, list[object]]) -> None:
    got = {k: v for k, v in _facts(text).items() if k.startswith("risk.")}
    assert got == expected


@pytest.mark.parametrize(("text", "grade"), [
    ("本公司纳税信用等级为A级。", "A"), ("2023年度纳税信用评价为 B 级", "B"), ("纳税信用等级：M级", "M"),
    ("公司是A级纳税人。", "A"), ("The company holds a tax credit rating of A.", "A"), ("Tax credit rating: B", "B"),
])
def test_tax_credit_rating(text: str, grade: str) -> None:
    assert _facts(text)["tax_rating"] == [grade]


def test_social_insurance_headcount_is_not_the_employee_count() -> None:
    facts = _facts("员工总数120人，参保职工86人。为52名员工缴纳社保。")
    assert facts["employees"] == [120] and sorted(facts["social_insurance_headcount"]) == [52, 86]  # type: ignore[type-var]
    assert _facts("Social insurance is paid for 45 employees.")["social_insurance_headcount"] == [45]


@pytest.mark.parametrize(("text", "loans", "first"), [
    ("公司目前无银行贷款，为首贷户。", [0.0], [True]),
    ("银行贷款：无", [0.0], [True]),
    ("The company has no bank loans.", [0.0], [True]),
    ("The company has no outstanding bank loans and has never taken a bank loan.", [0.0], [True]),
    ("截至2024年6月末，公司银行贷款余额为1,000万元。", [10_000_000.0], [False]),
    ("Outstanding bank borrowings were USD 2.5 million.", [2_500_000.0], [False]),
    ("公司目前没有未偿还的银行贷款余额。", [0.0], None),  # none outstanding says nothing of the past
])
def test_bank_loans_and_first_time_borrower(text: str, loans: list[float], first: list[bool] | None) -> None:
    facts = _facts(text)
    assert facts["bank_loans"] == loans
    assert facts.get("first_time_borrower") == first


def test_every_credit_fact_quotes_its_clause() -> None:
    text = "公司纳税信用等级为A级。公司近三年无诉讼，目前无银行贷款。"
    for f in extract_facts(text):
        start, end = f.span  # type: ignore[misc]
        assert text[start:end] == f.quote


def test_a_month_named_may_is_not_a_hypothetical() -> None:
    assert _facts("In May 2023 the company was fined RMB 20,000.")["risk.administrative_penalty"] == [True]
    assert "risk.default" not in _facts("A downturn could lead to a default on our loans.")


def test_a_loan_amount_in_the_next_clause_and_a_credit_line_is_no_loan() -> None:
    facts = _facts("公司拥有一笔招商银行贷款，余额300万元。")
    assert (facts["bank_loans"], facts["first_time_borrower"]) == ([3_000_000.0], [False])
    assert "bank_loans" not in _facts("公司获得银行授信2000万元。")


def test_a_negated_cause_is_not_a_denial() -> None:
    assert _facts("2022年因未按期申报被税务机关处以罚款500元。")["risk.administrative_penalty"] == [True]
    assert _facts("公司未被列入失信被执行人名单。")["risk.serious_dishonesty"] == [False]
    assert _facts("公司未受到行政处罚。")["risk.administrative_penalty"] == [False]


def test_traditional_chinese_statements() -> None:
    facts = _facts("本公司納稅信用等級為A級。近三年無訴訟及行政處罰。")
    assert facts["tax_rating"] == ["A"]
    assert (facts["risk.litigation"], facts["risk.administrative_penalty"]) == ([False], [False])


@pytest.mark.parametrize(("text", "loans"), [
    ("We have an outstanding loan of $2M from Silicon Valley Bank.", [2_000_000.0]),
    ("公司向杭州银行申请的300万元流动资金贷款已获批。", [3_000_000.0]),
    ("The company has no loans from any bank.", [0.0]),
])
def test_loans_named_with_their_bank(text: str, loans: list[float]) -> None:
    assert _facts(text)["bank_loans"] == loans


def test_a_minor_incident_neither_is_nor_denies_a_major_one() -> None:
    assert "risk.major_safety_incident" not in _facts("公司曾于2021年发生一起一般安全事故，未造成人员伤亡。")
    assert _facts("The company's social insurance headcount is 86.")["social_insurance_headcount"] == [86]
