"""Funding history as events: rounds with stage, date, amount, currency, lead and co-investors
(whole legal names), completed vs planned; the profile derives the latest completed stage, the
total raised over completed rounds and the months since the last one. A planned round never
counts as raised and never makes a conflict."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.core.enterprise_facts import text_facts
from app.core.facts_categorical import extract_facts
from app.core.profile import EnterpriseProfile, build_profile

ZH = ("2019年3月，公司完成天使轮融资500万元，由深圳市南山创新投资有限公司投资。"
      "2021年8月完成A轮融资3,000万元，由深圳市创新投资集团有限公司领投，苏州元禾控股股份有限公司跟投。"
      "公司计划于2025年启动B轮融资，拟融资1亿元。")
EN = ("In April 2020 we raised a $1.5 million seed round led by Boston Seed Partners. In September 2022 we closed a "
      "$12 million Series A led by Longwood Health Ventures, with participation from Mass General Innovation Fund and "
      "Cambridge Angels. We plan to raise a $30 million Series B in 2025.")


def _rounds(text: str) -> list[dict[str, object]]:
    return [f.value for f in extract_facts(text) if f.field == "funding_rounds"]  # type: ignore[misc]


def _profile(text: str) -> EnterpriseProfile:
    return build_profile("e", text_facts(text), today=date(2025, 1, 1))


def _value(p: EnterpriseProfile, name: str) -> Any:
    return p.value(name)


def test_chinese_rounds_with_full_investor_names_and_a_planned_round() -> None:
    rounds = _rounds(ZH)
    assert [(r["stage"], r["status"], r["date"], r["amount"], r["currency"]) for r in rounds] == [
        ("angel", "completed", "2019-03", 5_000_000, "CNY"), ("A", "completed", "2021-08", 30_000_000, "CNY"),
        ("B", "planned", "2025", 100_000_000, "CNY")]
    assert rounds[1]["lead"] == ["深圳市创新投资集团有限公司"]  # never cut to "深圳市创新"
    assert rounds[1]["co_investors"] == ["苏州元禾控股股份有限公司"]


def test_english_rounds() -> None:
    rounds = _rounds(EN)
    assert [(r["stage"], r["status"], r["amount"], r["currency"]) for r in rounds] == [
        ("seed", "completed", 1_500_000, "USD"), ("A", "completed", 12_000_000, "USD"), ("B", "planned", 30_000_000, "USD")]
    assert rounds[1]["lead"] == ["Longwood Health Ventures"]
    assert rounds[1]["co_investors"] == ["Mass General Innovation Fund", "Cambridge Angels"]


def test_derived_stage_total_and_months_count_completed_rounds_only() -> None:
    p = _profile(ZH)
    assert p.value("funding_stage") == "A" and p.value("funding_planned_stage") == "B"
    assert p.value("funding_raised") == 35_000_000  # 500万 + 3,000万; the planned 1亿 is not raised
    assert p.value("months_since_last_round") == 41  # 2021-08 → 2025-01
    assert p.fields["funding_rounds"].conflict is False
    assert set(_value(p, "investors")) == {"深圳市南山创新投资有限公司", "深圳市创新投资集团有限公司", "苏州元禾控股股份有限公司"}
    raised = p.fields["funding_raised"].chosen
    assert raised.method == "derived" and [i.value["stage"] for i in raised.inputs] == ["angel", "A"]  # type: ignore[index]


def test_planned_rounds_are_never_raised_and_in_progress_words_count_as_planned() -> None:
    for text in ("公司正在进行A轮融资，目标金额5,000万元。", "The company is currently raising a $10M Series A.",
                 "公司拟于2025年申报科创板IPO。", "Series A (in progress): targeting USD 8 million."):
        p = _profile(text)
        assert p.value("funding_raised") is None and p.value("funding_stage") is None, text
        assert p.value("funding_planned_stage") in ("A", "IPO"), text


def test_the_same_round_told_twice_merges_and_differing_amounts_conflict() -> None:
    told_twice = _profile("2021年完成A轮融资3,000万元。公司于2021年完成A轮融资，由深圳市创新投资集团有限公司领投。")
    [a_round] = _value(told_twice, "funding_rounds")
    assert (a_round["amount"], a_round["lead"]) == (30_000_000, ["深圳市创新投资集团有限公司"])
    assert told_twice.fields["funding_rounds"].conflict is False
    disagree = _profile("2021年完成A轮融资3,000万元。2021年完成A轮融资4,000万元。")
    assert disagree.fields["funding_rounds"].conflict is True


def test_a_total_over_rounds_is_no_single_rounds_amount() -> None:
    text = "2022年Pre-A轮融资1,500万元。Helix has raised RMB 19 million to date across its angel and Pre-A rounds."
    p = _profile(text)
    assert [r["amount"] for r in _value(p, "funding_rounds") if r["stage"] == "pre-A"] == [15_000_000]
    assert p.fields["funding_rounds"].conflict is False


def test_vague_amounts_two_stages_in_one_clause_and_angel_investment() -> None:
    [vague] = _rounds("公司于2022年获得由红杉中国领投的数千万元A轮融资。")
    assert (vague["amount"], vague["lead"]) == (None, ["红杉中国"])  # "数千万元" is no amount
    a, b = _rounds("Acme closed its Series A round of $10M in 2021 and is now preparing a Series B.")
    assert (a["stage"], a["status"], a["amount"]) == ("A", "completed", 10_000_000)
    assert (b["stage"], b["status"], b["amount"]) == ("B", "planned", None)
    [angel] = _rounds("2018年获得某知名天使投资人300万元天使投资。")
    assert (angel["stage"], angel["amount"]) == ("angel", 3_000_000)


def test_a_known_short_name_is_recorded_by_its_legal_name() -> None:
    [a_round] = _rounds("2021年完成A轮融资3,000万元，由深创投领投，某某资本跟投。")
    assert (a_round["lead"], a_round["co_investors"]) == (["深圳市创新投资集团有限公司"], ["某某资本"])
    assert {f.value for f in extract_facts("2021年完成A轮融资，由深创投领投。") if f.field == "investors"} == {
        "深圳市创新投资集团有限公司"}


def test_words_about_markets_do_not_make_a_round_planned() -> None:
    [a_round] = _rounds("2021年完成A轮融资3,000万元，用于拓展目标市场。")
    assert a_round["status"] == "completed"
    [b_round] = _rounds("In 2023 we closed a $20M Series B to expand in our target markets.")
    assert b_round["status"] == "completed"


def test_a_plan_for_the_money_is_not_a_planned_round() -> None:
    [a_round] = _rounds("2021年完成A轮融资3,000万元，计划用于研发和产线建设。")
    assert a_round["status"] == "completed"
    [b_round] = _rounds("In 2023 we closed a $20M Series B, which we plan to use for hiring.")
    assert b_round["status"] == "completed"
    assert [r["status"] for r in _rounds("公司计划于2025年启动B轮融资，拟用于扩产。")] == ["planned"]


def test_a_planned_round_another_document_says_was_closed_is_no_longer_planned() -> None:
    plan = "2022年9月完成A轮融资6,000万元。本轮计划募集B轮1.5亿元，用于产线建设。"
    news = "2024年5月20日，公司宣布完成1.5亿元B轮融资，本轮由国投创合领投。"
    p = build_profile("e", [*text_facts(plan), *text_facts(news)], today=date(2025, 1, 1))
    rounds = [(r["stage"], r["status"]) for r in _value(p, "funding_rounds")]
    assert rounds == [("A", "completed"), ("B", "completed")]
    assert _value(p, "funding_stage") == "B" and _value(p, "funding_planned_stage") is None
    assert _value(p, "funding_raised") == 210_000_000
    alone = _profile(plan)  # without the news, the B round is still the plan's
    assert _value(alone, "funding_planned_stage") == "B" and _value(alone, "funding_raised") == 60_000_000
