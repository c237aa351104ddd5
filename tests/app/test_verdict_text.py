"""Verdict wording: every comparison operator against values below, equal to and above the
threshold, in English and Chinese; tiers, alternatives, sets, regions and unknowns. The sentence
must state the actual relation of the firm's value to the program's threshold."""

from __future__ import annotations

import pytest

from app.core.eligibility import evaluate
from app.core.match import Matcher
from app.core.match_text import explain
from app.core.profile import EnterpriseProfile, build_profile
from app.core.types import Criterion, Fact, Program
from app.core.verdict_text import COMPARE, amount, relation, verdict_text

C = Criterion
MILLION_50 = 50_000_000


def _firm(**values: object) -> EnterpriseProfile:
    units = {"revenue": "CNY", "employees": "persons", "rd_expense_ratio": "%", "patents.invention": "items"}
    return build_profile("e", [Fact(field=k, value=v, unit=units.get(k, ""), quote=f"{k}={v}") for k, v in values.items()])


# (op, firm revenue) → (verdict, English, Chinese)
NUMERIC = [
    (">=", 48_000_000, "unmet", "revenue 48,000,000 CNY is below the required 50,000,000 CNY", "营业收入4,800万元，低于要求的5,000万元"),
    (">=", 50_000_000, "met", "revenue 50,000,000 CNY meets the required 50,000,000 CNY", "营业收入5,000万元，达到要求的5,000万元"),
    (">=", 52_000_000, "met", "revenue 52,000,000 CNY is above the required 50,000,000 CNY", "营业收入5,200万元，高于要求的5,000万元"),
    (">", 48_000_000, "unmet", "revenue 48,000,000 CNY is below 50,000,000 CNY; more than 50,000,000 CNY is required",
     "营业收入4,800万元，低于5,000万元，要求超过5,000万元"),
    (">", 50_000_000, "unmet", "revenue 50,000,000 CNY equals 50,000,000 CNY; more than 50,000,000 CNY is required",
     "营业收入5,000万元，等于5,000万元，要求超过5,000万元"),
    (">", 52_000_000, "met", "revenue 52,000,000 CNY is above the required 50,000,000 CNY", "营业收入5,200万元，超过要求的5,000万元"),
    ("<=", 48_000_000, "met", "revenue 48,000,000 CNY is within the maximum of 50,000,000 CNY", "营业收入4,800万元，未超过上限5,000万元"),
    ("<=", 50_000_000, "met", "revenue 50,000,000 CNY is at the maximum of 50,000,000 CNY", "营业收入5,000万元，恰好达到上限5,000万元"),
    ("<=", 52_000_000, "unmet", "revenue 52,000,000 CNY is above the maximum of 50,000,000 CNY", "营业收入5,200万元，超过上限5,000万元"),
    ("<", 48_000_000, "met", "revenue 48,000,000 CNY is below the limit of 50,000,000 CNY", "营业收入4,800万元，低于上限5,000万元"),
    ("<", 50_000_000, "unmet", "revenue 50,000,000 CNY equals 50,000,000 CNY; less than 50,000,000 CNY is required",
     "营业收入5,000万元，等于5,000万元，要求低于5,000万元"),
    ("<", 52_000_000, "unmet", "revenue 52,000,000 CNY is above the limit of 50,000,000 CNY", "营业收入5,200万元，超过上限5,000万元"),
    ("==", 48_000_000, "unmet", "revenue 48,000,000 CNY is below the required 50,000,000 CNY", "营业收入4,800万元，低于要求的5,000万元"),
    ("==", 50_000_000, "met", "revenue 50,000,000 CNY equals the required 50,000,000 CNY", "营业收入5,000万元，等于要求的5,000万元"),
    ("==", 52_000_000, "unmet", "revenue 52,000,000 CNY is above the required 50,000,000 CNY", "营业收入5,200万元，高于要求的5,000万元"),
]


@pytest.mark.parametrize(("op", "revenue", "outcome", "en", "zh"), NUMERIC, ids=[f"{o}{r}" for o, r, *_ in NUMERIC])
def test_every_operator_states_the_actual_relation(op: str, revenue: int, outcome: str, en: str, zh: str) -> None:
    v = evaluate(C("revenue", op, MILLION_50, "CNY"), _firm(revenue=revenue))
    assert (v.verdict, verdict_text(v, "en"), verdict_text(v, "zh")) == (outcome, en, zh)
    assert v.reason == en  # the stored reason is the English sentence


def test_every_operator_has_a_template_per_relation_and_language() -> None:
    for op in (">=", ">", "<=", "<", "=="):
        for lang in ("en", "zh"):
            assert set(COMPARE[op][lang]) == {"below", "equal", "above"}


def test_relation_is_computed_from_the_numbers() -> None:
    assert [relation(48, 50), relation(50, 50), relation(52, 50)] == ["below", "equal", "above"]


def test_tier_that_does_not_apply_says_why_truthfully() -> None:
    tier = C("revenue", ">=", 5_000_000, "CNY", when=(C("revenue", ">", MILLION_50, "CNY"),))
    v = evaluate(tier, _firm(revenue=48_000_000))
    assert v.verdict == "not_applicable"
    assert verdict_text(v, "en") == ("tier does not apply: revenue 48,000,000 CNY is below 50,000,000 CNY; "
                                     "more than 50,000,000 CNY is required")
    assert verdict_text(v, "zh") == "不适用该档：营业收入4,800万元，低于5,000万元，要求超过5,000万元"


def test_tier_that_applies_is_judged_and_worded_as_its_own_criterion() -> None:
    tier = C("rd_expense_ratio", ">=", 5, "%", when=(C("revenue", "<=", MILLION_50, "CNY"),))
    v = evaluate(tier, _firm(revenue=48_000_000, rd_expense_ratio=4.2))
    assert (v.verdict, verdict_text(v, "en"), verdict_text(v, "zh")) == (
        "unmet", "R&D expense ratio 4.2% is below the required 5%", "研发费用占比4.2%，低于要求的5%")


def test_tier_that_cannot_be_decided_names_the_fields() -> None:
    v = evaluate(C("employees", ">=", 10, "persons", when=(C("revenue", ">=", MILLION_50, "CNY"),)), _firm(employees=20))
    assert (v.verdict, verdict_text(v, "en"), verdict_text(v, "zh")) == (
        "unknown", "which tier applies is unknown (revenue)", "无法确定适用哪一档（营业收入）")


def test_alternatives_quote_the_option_that_decided() -> None:
    c = C("revenue", "any_of", options=(C("revenue", ">=", MILLION_50, "CNY"), C("employees", ">=", 100, "persons")))
    met = evaluate(c, _firm(revenue=10_000_000, employees=120))
    assert (met.verdict, verdict_text(met, "en")) == ("met", "employees 120 persons is above the required 100 persons")
    assert verdict_text(met, "zh") == "员工人数120人，高于要求的100人"
    unknown = evaluate(c, _firm(revenue=10_000_000))
    assert (unknown.verdict, verdict_text(unknown, "en"), verdict_text(unknown, "zh")) == (
        "unknown", "no employees in the profile", "档案中没有员工人数")
    none = evaluate(c, _firm(revenue=10_000_000, employees=20))
    assert (none.verdict, verdict_text(none, "en"), verdict_text(none, "zh")) == (
        "unmet", "none of the alternatives holds", "所列条件均不满足")


def test_currency_conversion_is_said_in_both_languages() -> None:
    v = evaluate(C("revenue", ">=", 2_000_000, "USD"), _firm(revenue=8_000_000))
    assert v.verdict == "unmet"
    assert verdict_text(v, "en").startswith("revenue 8,000,000 CNY (≈ ")
    assert verdict_text(v, "en").endswith("USD at reference rates) is below the required 2,000,000 USD")
    assert verdict_text(v, "zh").startswith("营业收入800万元（按参考汇率约合") and "低于要求的2,000,000美元" in verdict_text(v, "zh")


SETS = [
    (C("certifications", "contains", "高新技术企业"), {"certifications": "高新技术企业"}, "met",
     "certifications: 高新技术企业, as required (高新技术企业)", "资质认定为高新技术企业，符合要求（高新技术企业）"),
    (C("certifications", "contains", "专精特新中小企业"), {"certifications": "高新技术企业"}, "unknown",
     "专精特新中小企业 not found among 高新技术企业", "高新技术企业中未见专精特新中小企业"),
    (C("funding_stage", "in", ("seed", "pre-A")), {"funding_stage": "B"}, "unmet",
     "funding stage: Series B, not among the required seed round, pre-Series A round", "融资轮次为B轮，不在要求的种子轮、Pre-A轮之列"),
    (C("risk_signals", "not_in", ("litigation", "default")), {"risk_signals": "default"}, "unmet",
     "risk signals: default, among the excluded litigation, default", "风险信号为default，属于排除的litigation、default"),
    (C("risk_signals", "not_in", ("litigation",)), {"risk_signals": "administrative_penalty"}, "met",
     "risk signals: administrative_penalty, none of the excluded litigation",
     "风险信号为administrative_penalty，不属于排除的litigation"),
    (C("region", "in", ("上海市",)), {"region": "中国>广东省>深圳市>南山区"}, "unmet",
     "located in 中国 > 广东省 > 深圳市 > 南山区, outside 上海市", "注册地广东省深圳市南山区，不在上海市范围内"),
    (C("region", "in", ("深圳市",)), {"region": "中国>广东省>深圳市>南山区"}, "met",
     "located in 中国 > 广东省 > 深圳市 > 南山区, inside 深圳市", "注册地广东省深圳市南山区，位于深圳市范围内"),
    (C("region", "not_in", ("上海市",)), {"region": "中国>广东省>深圳市"}, "met",
     "located in 中国 > 广东省 > 深圳市, outside the excluded 上海市", "注册地广东省深圳市，不在排除的上海市范围内"),
    (C("employees", ">=", 10, "persons"), {}, "unknown", "no employees in the profile", "档案中没有员工人数"),
    (C("patents.invention", "exists"), {"patents.invention": 3}, "met", "invention patents: 3 items", "发明专利3项"),
    (C("patents.invention", "exists"), {"patents.invention": 0}, "unmet", "no invention patents (0 items)", "没有发明专利（0项）"),
    (C("certifications", "exists"), {"certifications": "高新技术企业"}, "met", "certifications: 高新技术企业", "资质认定为高新技术企业"),
]


@pytest.mark.parametrize(("criterion", "values", "outcome", "en", "zh"), SETS, ids=[f"{c.field}{c.op}-{o}" for c, _, o, *_ in SETS])
def test_set_region_and_missing_wording(criterion: Criterion, values: dict[str, object], outcome: str, en: str, zh: str) -> None:
    v = evaluate(criterion, _firm(**values))
    assert (v.verdict, verdict_text(v, "en"), verdict_text(v, "zh")) == (outcome, en, zh)


def test_amounts_in_chinese_use_wan_and_yi() -> None:
    assert [amount(48_000_000, "CNY", "zh"), amount(150_000_000, "CNY", "zh"), amount(9_000, "CNY", "zh")] == [
        "4,800万元", "1.5亿元", "9,000元"]
    assert [amount(12.5, "%", "zh"), amount(3, "years", "zh"), amount(3, "years", "en")] == ["12.5%", "3年", "3 years"]


def test_a_chinese_program_is_explained_with_chinese_verdicts() -> None:
    p = Program(id="p", kind="policy", title="深圳市科技型企业资助", criteria=(C("revenue", ">=", MILLION_50, "CNY",
                source_text="上年度营业收入不低于5000万元"),))
    m = Matcher([p], today=None).match(_firm(revenue=48_000_000)).matches[0]
    assert m.status == "ineligible"
    assert "✗ 上年度营业收入不低于5000万元 → 营业收入4,800万元，低于要求的5,000万元" in explain(m.program, m.status, m.verdicts, 0.0)


def test_a_question_for_a_criterion_naming_no_value_asks_which_one_is_held() -> None:
    from app.core.match_text import question

    assert "None" not in question("certifications", None, "en") and question("certifications", None, "en").startswith("Which")
    assert question("certifications", "高新技术企业", "zh") == "企业是否已获得“高新技术企业”认定？认定时间是？"


def test_a_listed_value_is_shown_once_whatever_its_case() -> None:
    from app.core.verdict_text import listed

    assert listed(["AI", "semiconductors", "ai", "Semiconductors", "robotics"], "zh") == "AI、semiconductors、robotics"


def test_a_funding_stage_is_shown_as_the_rounds_name() -> None:
    from app.core.verdict_text import reason, render

    r = reason("set.in.met", field="funding_stage", have=("A",), want=("A", "B", "C", "growth"))
    assert render(r, "en") == "funding stage: Series A, as required (Series A, Series B, Series C, growth stage)"
    assert render(r, "zh") == "融资轮次为A轮，符合要求（A轮、B轮、C轮、成长期）"


def test_one_of_a_counted_unit_is_singular_in_english() -> None:
    assert (amount(1, "years", "en"), amount(2, "years", "en"), amount(1, "persons", "en")) == ("1 year", "2 years", "1 person")
    assert amount(1, "years", "zh") == "1年"
