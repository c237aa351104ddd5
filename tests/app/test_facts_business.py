"""The sentence saying what the company does (app/core/facts_business.py) is a cited profile fact, in
Chinese and English; sentences about figures, dates or others' business are not."""

from __future__ import annotations

from app.core.enterprise_facts import text_facts
from app.core.facts_business import business
from app.core.profile import build_profile

PLAN_ZH = ("一、公司概况\n星河微电子有限公司成立于2018年5月，注册地址：江苏省苏州市工业园区。\n"
           "公司专注于车规级功率半导体的设计与封测，产品用于新能源汽车电控系统。公司2023年营业收入9,800万元。")
OVERVIEW_EN = ("Lumen Robotics Ltd. was founded in 2019 in Leeds. Lumen Robotics Ltd. designs autonomous inspection "
               "drones for offshore wind farms. Revenue for 2023 was $3.1M. Its largest customer operates wind farms.")


def test_the_sentence_stating_the_business_is_found_with_its_span() -> None:
    zh = list(business(PLAN_ZH))
    assert [f.value for f in zh] == ["公司专注于车规级功率半导体的设计与封测，产品用于新能源汽车电控系统"]
    start, end = zh[0].span  # type: ignore[misc]
    assert PLAN_ZH[start:end].startswith("公司专注于") and PLAN_ZH[start:end].endswith("。")
    en = list(business(OVERVIEW_EN))
    assert [f.value for f in en] == ["Lumen Robotics Ltd. designs autonomous inspection drones for offshore wind farms"]


def test_sentences_of_figures_founding_or_another_firm_are_not_the_business() -> None:
    assert not list(business("公司2023年营业收入9,800万元，同比增长40%。公司成立于2018年。"))
    assert not list(business("The company raised $6 million in 2023. It was founded in 2020."))
    assert not list(business("Its largest customer operates wind farms."))  # not the company as subject


def test_the_profile_holds_the_business_and_two_wordings_are_no_conflict() -> None:
    facts = text_facts(PLAN_ZH + "\n我们提供车规级功率模块的定制设计服务。")
    profile = build_profile("e1", facts)
    held = profile.fields["business"]
    assert held.chosen.value.startswith("公司专注于车规级功率半导体") and not held.conflict
    assert len(held.candidates) == 2


def test_a_sentence_where_the_company_provides_data_or_papers_or_is_asked_to_is_no_business() -> None:
    for text in ("公司提供的数据显示营收增长。", "我们提供以下材料供参考：营业执照、审计报告。",
                 "客户要求公司提供近三年财务报表和纳税证明。", "The Board provides oversight of audit matters."):
        assert not list(business(text)), text
    assert [f.value for f in business("我们提供工业质检的AI解决方案与设备。")] == ["我们提供工业质检的AI解决方案与设备"]
