"""What three more new clients' documents showed, read as an RM needs them: a plan's 主要财务数据 sheet laid out a year a
row, a deck's financing slide (a seed round, a round being raised and what for), a licence-style name and place, the
client's own bank borrowing and legal form asked by name, each risk named answered as stated or not stated, and
taxonomy labels and certifications in the answer's language."""

from __future__ import annotations

from datetime import date

from app.core.chat_route import Router
from app.core.enterprise_facts import text_facts
from app.core.fact_text import record_text, value_text
from app.core.facts import founding, headcounts, patents
from app.core.facts_categorical import company_name, region
from app.core.facts_credit import risks
from app.core.facts_tables import statement_rows
from app.core.funding import funding_rounds
from app.core.intents import load_intents
from app.core.profile import EnterpriseProfile, build_profile
from app.core.profile_answer import answer_from_profile
from app.core.statement_lines import Line, answer_from_statements, client_lines, named_at_length
from app.core.types import Fact
from app.core.verdict_text import reason, render

SHEET = """深圳云图智联科技有限公司 主要财务数据（单位：万元）
年度 | 营业收入 | 营业成本 | 净利润 | 资产总额 | 负债总额 | 短期借款
2021年 | 2650 | 1590 | -310 | 4200 | 1800 | 300
2022年 | 4500 | 2610 | 180 | 6900 | 2900 | 500
2023年 | 6850 | 3840 | 720 | 9800 | 3600 | 800"""
CSV = """Fiscal year | Revenue (USD) | Cost of revenue (USD) | Cash (USD) | Total liabilities (USD) | Total assets (USD)
FY2022 | 5800000 | 3300000 | 6400000 | 4500000 | 12900000
FY2023 | 9400000 | 4900000 | 11200000 | 5800000 | 19600000"""


def _lines(text: str = SHEET) -> list[Line]:
    return client_lines([("doc-1", "financials.xlsx", "upload", {1: text})])


def _cite(fact: Fact) -> tuple[str, str, int | None]:
    return ("plan", fact.quote or str(fact.value), None)


def test_a_sheet_laid_out_a_year_a_row_gives_each_column_as_a_line_cited_with_its_year_cells() -> None:
    rows = list(statement_rows(SHEET))
    loans = next(r for r in rows if r.label == "短期借款")
    assert [(y, v) for y, _, v in loans.values] == [("2021", 3_000_000), ("2022", 5_000_000), ("2023", 8_000_000)]
    answer = answer_from_statements("2023年营业成本是多少？", _lines(), "zh")
    assert answer is not None and answer.text == "营业成本：3,840万元（2023年度）[1]"
    assert answer.citations[0].text == "年度 | 2021年 | 2022年 | 2023年\n营业成本 | 1590 | 2610 | 3840"
    ratio = answer_from_statements("资产负债率是多少？", _lines(), "zh")
    assert ratio is not None and ratio.text.startswith("资产负债率（2023年度）：36.73% = 负债总额 3,600万元 / 资产总额 9,800万元")


def test_a_quarterly_sheet_is_not_read_as_years() -> None:
    quarters = "Quarter | R&D expense\n2023 Q1 | 100\n2023 Q2 | 120"
    assert list(statement_rows(quarters)) == []


def test_the_present_asks_the_latest_year_and_these_three_years_the_latest_three() -> None:
    now = answer_from_statements("现在有多少银行借款？", _lines(), "zh")
    assert now is not None and now.text == "借款合计（短期借款）：800万元（2023年度） = 短期借款 800万元[1]"
    three = answer_from_statements("营业成本这三年怎么变化的？", _lines(), "zh")
    assert three is not None and three.text.startswith("营业成本2021–2023年变化：141.51%")
    every = answer_from_statements("短期借款多少？", _lines(), "zh")
    assert every is not None and len(every.text.splitlines()) == 3  # no period asked: each year held


def test_a_chinese_label_is_named_in_english_by_its_line_item_and_a_unit_in_a_label_is_no_part_of_its_name() -> None:
    margin = answer_from_statements("What is its net profit margin in 2023?", _lines(), "en")
    assert margin is not None and margin.text.startswith("Net profit margin (FY2023): 10.51% = Net profit 7,200,000 CNY")
    cash = answer_from_statements("How much cash does it have now?", _lines(CSV), "en")
    assert cash is not None and cash.text == "Cash: 11,200,000 USD (FY2023) [1]"
    short = next(x for x in _lines() if x.item.label == "短期借款")
    assert named_at_length("How much short-term debt does it have?", short)
    assert not named_at_length("借款呢？", short)


def test_a_decks_financing_slide_gives_a_seed_round_and_a_round_being_raised_with_its_use() -> None:
    slide = ("Series B investor presentation, April 2024\nSeed: $2.5 million in 2019, led by Lux Capital.\n"
             "We are now raising a $30 million Series B to expand manufacturing and enter the European market.")
    rounds = [f.value for f in funding_rounds(slide) if f.field == "funding_rounds"]
    assert [(r["stage"], r["status"], r["amount"]) for r in rounds] == [("seed", "completed", 2_500_000), ("B", "planned", 30_000_000)]
    assert rounds[1]["use"] == "to expand manufacturing and enter the European market"


def test_a_round_being_raised_and_the_last_round_are_answered_by_their_own_records() -> None:
    plan = ("2020年获天使轮投资800万元，投资方为深创投。2022年完成Pre-A轮3,000万元，由达晨创投领投。"
            "本次拟融资A轮8,000万元，用于新一代AI网关研发及华东市场拓展。")
    profile = build_profile("yuntu", text_facts(plan), today=date(2026, 12, 8))
    fields = ("funding_stage", "funding_raised", "investors", "funding_rounds")
    now = answer_from_profile("这轮融资用来干什么？", profile, "zh", _cite, fields)
    assert now is not None and now.text.startswith("融资记录：轮次A（计划中），金额8,000万元，用途：新一代AI网关研发") and "\n" not in now.text
    last = answer_from_profile("上一轮融了多少？", profile, "zh", _cite, fields)
    assert last is not None and last.text.startswith("融资记录：轮次pre-A，日期2022，金额3,000万元，领投达晨创投") and "\n" not in last.text
    angel = {"stage": "angel", "amount": 8_000_000.0, "currency": "CNY", "lead": [], "co_investors": ["深创投"]}
    assert "投资方深创投" in record_text(angel, "zh") and "跟投" not in record_text(angel, "zh")


def test_an_english_deck_states_its_founding_place_and_date_its_r_and_d_staff_and_its_name() -> None:
    text = ("Kestrel Robotics, Inc. was incorporated in Delaware in March 2018. "
            "Team: 64 full-time employees, 29 of them in engineering and R&D.")
    assert [f.value for f in founding(text)] == ["2018-03"]
    assert sorted((f.field, f.value) for f in headcounts(text)) == [("employees", 64), ("rd_staff", 29)]
    assert [f.value for f in headcounts("It invested 12 in research last year.")] == []
    assert [f.value for f in company_name(text)] == ["Kestrel Robotics, Inc."]
    assert [f.value for f in founding("成立日期 2018 年 05 月 16 日")] == ["2018-05-16"]  # as an OCR'd licence is spaced


def test_the_legal_form_comes_from_the_registered_name_and_is_answered_only_when_named() -> None:
    profile = build_profile("lanxin", text_facts("苏州蓝芯微电子有限公司专注于工业级MCU设计。"), today=date(2026, 12, 8))
    assert profile.value("entity_type") == ("for_profit", "independent_legal_person")
    fields = ("ownership.domestic_share", "ownership.us_persons_share", "entity_type")
    form = answer_from_profile("它是独立法人吗？", profile, "zh", _cite, fields)
    assert form is not None and form.text.startswith("企业类型：营利性企业、独立法人")
    assert answer_from_profile("外资持股比例多少？", profile, "zh", _cite, fields) is not None
    assert "企业类型" not in (answer_from_profile("外资持股比例多少？", profile, "zh", _cite, fields) or form).text
    partnership = build_profile("p", text_facts("深圳某某创业投资合伙企业（有限合伙）成立于2020年。"), today=date(2026, 12, 8))
    assert "entity_type" not in partnership.fields
    unmet = render(reason("set.in.met", field="entity_type", have=["for_profit"], want=["for_profit"]), "en")
    assert "for-profit company" in unmet and "for_profit" not in unmet


def test_a_chinese_name_gives_its_place_only_where_no_address_says_more() -> None:
    assert [f.value for f in region("苏州蓝芯微电子有限公司专注于MCU。")] == ["中国>江苏省>苏州市"]
    assert [f.value for f in region("蓝芯微电子（苏州）有限公司")] == ["中国>江苏省>苏州市"]
    assert [f.value for f in region("华为技术有限公司")] == []
    both = build_profile("y", text_facts("深圳云图智联科技有限公司成立于2019年6月，注册地址位于深圳市南山区西丽街道。"),
                         today=date(2026, 12, 8))
    assert both.value("region") == "中国>广东省>深圳市>南山区" and not both.fields["region"].conflict


def test_an_offered_collateral_is_no_pledge_and_a_loan_secured_by_a_pledge_is_no_guarantee_given() -> None:
    assert [(f.field, f.value) for f in risks("公司可提供12项发明专利作为知识产权质押。")] == []
    assert [(f.field, f.value) for f in risks("We can pledge our patents as collateral.")] == []
    secured = [(f.field, f.value) for f in risks("公司在苏州银行有流动资金贷款2,000万元，以应收账款质押担保。")]
    assert secured == [("risk.pledge", True)]
    assert [(f.field, f.value) for f in risks("公司为关联方提供担保3000万元。")] == [("risk.guarantee", True)]
    assert [(f.field, f.value) for f in risks("公司无对外担保。")] == [("risk.guarantee", False)]


def test_ic_layout_design_rights_are_intellectual_property_of_their_own() -> None:
    assert [(f.field, f.value) for f in patents("公司拥有集成电路布图设计专有权18项。")] == [("patents.ic_layout", 18)]


def _profile(text: str) -> EnterpriseProfile:
    return build_profile("c", text_facts(text), today=date(2026, 12, 8))


def test_bank_borrowing_and_first_time_borrowing_are_asked_by_name_and_never_answer_a_tax_question() -> None:
    router = Router(load_intents())
    loans = router.decide("现在有多少银行贷款？", has_enterprise=True)
    assert (loans.route, loans.fields) == ("profile", ("bank_loans",))
    assert router.decide("Does it have any bank debt?", has_enterprise=True).fields == ("bank_loans",)
    assert router.decide("目前借款餘額多少？", has_enterprise=True).fields == ("bank_loans",)  # traditional script too
    assert router.decide("它能申请银行贷款吗？", has_enterprise=True).fields != ("bank_loans",)  # what it could get
    assert router.decide("是首贷户吗？", has_enterprise=True).fields == ("first_time_borrower",)
    assert router.decide("can it use the first-time borrower loan?", has_enterprise=True).fields != ("first_time_borrower",)
    assert router.decide("企业类型是什么？", has_enterprise=True).fields == ("entity_type",)
    profile = _profile("公司2023年纳税信用等级为A级。目前公司在苏州银行有一年期流动资金贷款2,000万元。")
    group = ("tax_rating", "credit_record", "bank_loans", "first_time_borrower")
    owed = answer_from_profile("现在有多少银行贷款？", profile, "zh", _cite, group)
    assert owed is not None and owed.text.splitlines() == ["银行贷款余额：2,000万元[1]"]
    tax = answer_from_profile("纳税信用等级？", profile, "zh", _cite, group)
    assert tax is not None and "银行贷款" not in tax.text and tax.text.startswith("纳税信用等级：A")


def test_each_risk_named_is_answered_as_stated_or_as_not_stated() -> None:
    profile = _profile("No defaults or covenant breaches.")
    answer = answer_from_profile("Any lawsuits or defaults?", profile, "en", _cite, ("risk_signals",))
    assert answer is not None and answer.found
    assert answer.text.splitlines() == ["default record: no [1]",
                                        "litigation: not stated in the documents; confirm with the client"]


def test_taxonomy_labels_read_in_chinese_and_certifications_in_english_keep_their_official_name() -> None:
    labels = Fact(field="tech_domains", value=("IoT and Communications", "Cloud and Software"))
    assert value_text(labels, "zh") == "物联网与通信、云计算与软件"
    assert value_text(labels, "en") == "IoT and Communications, Cloud and Software"
    certs = Fact(field="certifications", value=("高新技术企业", "ISO 9001"))
    assert value_text(certs, "en") == "High and New Technology Enterprise (高新技术企业), ISO 9001"
    assert value_text(certs, "zh") == "高新技术企业、ISO 9001"
    met = render(reason("set.in.met", field="tech_domains", have=["Semiconductors"], want=["semiconductors", "SaaS"]), "zh")
    assert met == "技术领域为半导体，符合要求（半导体、SaaS）"


def test_a_profiles_json_carries_each_taxonomy_labels_chinese_name_for_a_chinese_screen() -> None:
    from app.core.profile_json import profile_row

    facts = [Fact(field="industry", value="Industrials", method="model", confidence=0.8),
             Fact(field="tech_domains", value="Semiconductors", method="model", confidence=0.8)]
    row = profile_row(build_profile("c", facts, today=date(2026, 12, 8)))
    assert row["label_names"] == {"Industrials": "工业与硬科技", "Semiconductors": "半导体"}


def test_a_bank_credit_facility_counts_by_the_amount_drawn_never_by_its_limit() -> None:
    from app.core.facts_credit import bank_loans

    drawn = ("Kestrel has a $3 million revolving credit facility with Silicon Valley Bank, "
             "of which $1.2 million was drawn at December 31, 2023.")
    assert [(f.field, f.value) for f in bank_loans(drawn)] == [("bank_loans", 1_200_000), ("first_time_borrower", False)]
    assert list(bank_loans("We have a $5 million credit line with HSBC Bank, undrawn.")) == []
