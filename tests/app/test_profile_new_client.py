"""What a new client's own plan states, read as an RM needs it: the licence's legal representative and registered
capital, an invalid credit code shown flagged, a certificate dated to the month with its expiry, a round still
planned (and what it is for), ISO certifications by number, and yes/no facts in words, never True / False."""

from __future__ import annotations

from datetime import date

from app.core.certificates import read_certificate
from app.core.enterprise_facts import text_facts
from app.core.fact_text import fact_text, value_text
from app.core.profile import EnterpriseProfile, build_profile
from app.core.profile_answer import answer_from_profile
from app.core.program_answer import certificate_line
from app.core.types import Fact
from app.core.uscc import check_char

CODE = "91330106MA2CD7QX5"
INVALID = CODE + ("0" if check_char(CODE) != "0" else "1")
PLAN = (f"杭州青蓝生物材料科技有限公司成立于2018年6月12日，注册资本1,200万元人民币，统一社会信用代码{INVALID}。"
        "法定代表人：林佩瑶。2022年12月，公司通过高新技术企业认定，证书编号GR202233004417，有效期三年。"
        "公司通过ISO 13485医疗器械质量管理体系认证。2022年9月完成A轮融资6,000万元，由启明医疗健康基金领投。"
        "本轮计划募集B轮1.5亿元，用于年产200吨医用PLA产线建设。公司目前在杭州银行有短期流动资金贷款800万元，无逾期记录。")
LICENCE = ("unified_social_credit_code", "company_name", "legal_representative", "registered_capital")


def _profile() -> EnterpriseProfile:
    return build_profile("qinglan", text_facts(PLAN), today=date(2026, 12, 8))


def _cite(fact: Fact) -> tuple[str, str, int | None]:
    return ("plan", fact.quote or str(fact.value), None)


def test_the_licence_s_legal_representative_and_registered_capital_are_facts() -> None:
    profile = _profile()
    assert profile.value("legal_representative") == "林佩瑶"
    capital = profile.fields["registered_capital"].chosen
    assert (capital.value, capital.unit) == (12_000_000, "CNY")
    english = [f for f in text_facts("Its legal representative is Mr. Wang Wei; registered capital of RMB 12 million.")
               if f.field in ("legal_representative", "registered_capital")]
    assert [(f.field, f.value) for f in english] == [("legal_representative", "Mr. Wang Wei"),
                                                     ("registered_capital", 12_000_000)]


def test_the_licence_s_other_items_are_answered_when_named_and_its_code_and_name_otherwise() -> None:
    profile = _profile()
    capital = answer_from_profile("注册资本多少？", profile, "zh", _cite, LICENCE)
    assert capital is not None and capital.text.splitlines() == ["注册资本：1,200万元[1]"]
    who = answer_from_profile("法定代表人是谁？", profile, "zh", _cite, LICENCE)
    assert who is not None and who.text.startswith("法定代表人：林佩瑶") and len(who.text.splitlines()) == 1
    boss = answer_from_profile("法人是谁？", profile, "zh", _cite, LICENCE)
    assert boss is not None and boss.text.startswith("法定代表人：林佩瑶")
    # the firm's legal form is no person: the licence's code and name are what the group answers, not its representative
    form = answer_from_profile("它的法人类型和信用代码？", profile, "zh", _cite, LICENCE)
    assert form is not None and "法定代表人" not in form.text
    code = answer_from_profile("统一社会信用代码是多少？", profile, "zh", _cite, LICENCE)
    assert code is not None and "法定代表人" not in code.text and "注册资本" not in code.text


def test_an_invalid_credit_code_asked_is_shown_flagged_not_declined() -> None:
    profile = _profile()
    assert "unified_social_credit_code" not in profile.fields  # never the identifier
    answer = answer_from_profile("统一社会信用代码是多少？", profile, "zh", _cite, ("unified_social_credit_code",))
    assert answer is not None and answer.found
    assert answer.text.startswith(f"统一社会信用代码：{INVALID}[1]（校验位不符")
    en = answer_from_profile("What is its USCC?", profile, "en", _cite, ("unified_social_credit_code",))
    assert en is not None and "check digit does not match" in en.text


def test_a_certificate_dated_to_the_month_before_its_name_gets_its_expiry_month_and_state() -> None:
    cert = _profile().fields["certificate.hnte"].chosen.value
    assert cert == {"name": "高新技术企业", "number": "GR202233004417", "issued": "2022-12", "valid_years": 3,
                    "expires": "2025-12", "renewal_opens": "2025-05"}
    read = read_certificate("高新技术企业", "高新技术企业认定，证书编号GR202233004417，有效期三年。", lead="2022年12月，公司通过")
    assert read.month_only and read.state(date(2026, 12, 8)) == "expired" and read.state(date(2025, 1, 1)) == "valid"
    line = certificate_line(read, 2, "zh", date(2026, 12, 8))
    assert "发证日期2022年12月" in line and "约2025年12月到期" in line and "证书已过期，需重新认定" in line
    # a month after the certificate's own words that is not its issue date is not read as one
    later = read_certificate("高新技术企业", "高新技术企业，证书编号GR202233004417，有效期三年；2023年6月完成A轮融资。")
    assert later.issued is None and later.expires is None


def test_a_planned_round_is_shown_as_planned_with_its_use_and_answers_a_question_of_the_next_round() -> None:
    profile = _profile()
    rounds = profile.fields["funding_rounds"].chosen
    shown = value_text(rounds, "zh")
    assert "轮次B（计划中），金额1.5亿元，用途：年产200吨医用PLA产线建设" in shown
    assert "round B (planned)" in value_text(rounds, "en")
    answer = answer_from_profile("B轮打算融多少钱？", profile, "zh", _cite,
                                 ("funding_stage", "funding_raised", "investors", "funding_rounds"))
    assert answer is not None and answer.found
    assert answer.text.splitlines() == ["融资记录：轮次B（计划中），金额1.5亿元，用途：年产200吨医用PLA产线建设[1]"]


def test_an_iso_standard_certified_is_a_certification_by_its_number() -> None:
    assert "ISO 13485" in _profile().value("certifications")  # type: ignore[operator]
    cited = [f.value for f in text_facts("Timestamps follow ISO 8601.") if f.field == "certifications"]
    assert cited == []  # a standard cited is no certification


def test_yes_no_facts_and_risk_summaries_read_in_words() -> None:
    profile = _profile()
    credit = profile.fields["credit_record"].chosen
    assert fact_text(credit, "zh") == "无，依据：逾期欠款 否、首贷户 否"
    assert fact_text(credit, "en") == "none; from: overdue debt no, first-time borrower no"
    assert value_text(Fact(field="risk.litigation", value=True), "en") == "yes"
    happened = Fact(field="risk_signals", value=("litigation",), method="derived",
                    inputs=(Fact(field="risk.litigation", value=True),))
    assert fact_text(happened, "zh") == "涉诉记录，依据：涉诉记录 是"


def test_an_english_overview_s_patents_loss_r_and_d_team_and_business_are_read() -> None:
    overview = ("Lumen Grid, Inc. is a Delaware corporation founded in April 2020. We build battery-management software "
                "for commercial buildings. Team: 34 full-time employees, of whom 21 are engineers working on R&D. "
                "Intellectual property: 3 granted US patents and 5 pending applications. Net loss was $4.2M in FY2023.")
    facts = {f.field: f.value for f in text_facts(overview)}
    assert facts["patents.any"] == 3 and facts["rd_staff"] == 21 and facts["employees"] == 34
    assert facts["net_profit"] == -4_200_000
    assert facts["business"] == "We build battery-management software for commercial buildings"
    assert {f.field: f.value for f in text_facts("2023年净亏损300万元。")}["net_profit"] == -3_000_000


def test_a_pdf_text_layer_statement_with_fiscal_year_and_year_end_heads_is_read() -> None:
    from app.core.facts_tables import statement_rows, table_facts
    from app.core.statement_lines import answer_from_statements, client_lines

    page = ("Statements of Operations (USD)\nFY2022 FY2023\nRevenue 900,000 2,100,000\nNet loss (3,310,000) (4,200,000)\n"
            "Balance Sheets (USD)\nDec 31, 2022 Dec 31, 2023\nCash and cash equivalents 3,100,000 9,800,000\n"
            "Total assets 4,050,000 11,900,000")
    facts = {(f.field, f.as_of): f.value for f in table_facts(page)}
    assert facts[("revenue", "2022")] == 900_000 and facts[("net_profit", "2023")] == -4_200_000
    assert facts[("total_assets", "2023")] == 11_900_000
    assert [r.label for r in statement_rows(page)][-1] == "Total assets"
    cash = answer_from_statements("How much cash at the end of 2023?", client_lines([("d", "fs.pdf", "upload", {1: page})]), "en")
    assert cash is not None and cash.text.startswith("Cash and cash equivalents: 9,800,000 USD (as of 31 December 2023)")
    # a loss stated unsigned is the net profit, negative
    assert [f.value for f in table_facts("Item | 2022 | 2023\nNet loss | 3,310,000 | 4,200,000")] == [-3_310_000, -4_200_000]


def test_a_traditional_chinese_plan_is_read_as_written_with_its_currency() -> None:
    plan = ("六角雲端科技股份有限公司成立於2019年3月8日，總部位於台北市內湖區瑞光路513巷22號。本公司專注於製造業的AI瑕疵檢測軟體。"
            "截至2023年底，本公司共有員工62人，其中研發人員38人。本公司已取得發明專利4件、新型專利6件。"
            "2023年營業收入新台幣1億2,000萬元，較2022年的8,000萬元成長50%。2021年完成A輪募資新台幣1.5億元，由中華開發資本領投。")
    facts = text_facts(plan)
    by = {(f.field, f.as_of): f for f in facts}
    assert by[("employees", None)].value == 62 and by[("rd_staff", None)].value == 38
    assert by[("patents.invention", None)].value == 4 and by[("patents.utility_model", None)].value == 6
    revenue, earlier = by[("revenue", "2023")], by[("revenue", "2022")]
    assert (revenue.value, revenue.unit, revenue.quote) == (120_000_000, "TWD", "2023年營業收入新台幣1億2,000萬元")
    assert (earlier.value, earlier.unit) == (80_000_000, "TWD")  # the amount set beside it, in its currency
    assert by[("business", None)].value == "本公司專注於製造業的AI瑕疵檢測軟體"  # as written, not in simplified form
    assert by[("investors", None)].value == "中華開發資本"
    assert by[("region", None)].value == "中国>台湾省>台北市>内湖区"
    (round_,) = [f for f in facts if f.field == "funding_rounds"]
    assert round_.value["currency"] == "TWD" and round_.unit == "TWD"  # type: ignore[index]
    # a span points into the text as written
    assert all(f.span is None or plan[f.span[0]:f.span[1]] == f.quote for f in facts if f.field != "funding_rounds")


def test_an_amount_in_yi_and_wan_and_another_currency_named_before_it_in_simplified_text() -> None:
    by = {(f.field, f.as_of): f for f in text_facts("2023年营业收入1亿2,000万元，较2022年的8,000万元增长50%。注册资本港币1,000万元。")}
    assert by[("revenue", "2023")].value == 120_000_000 and by[("revenue", "2022")].value == 80_000_000
    assert (by[("registered_capital", None)].value, by[("registered_capital", None)].unit) == (10_000_000, "HKD")


def test_a_certificate_record_says_when_it_has_expired_or_its_renewal_window_is_open() -> None:
    from app.core.fact_text import record_text

    expired = {"name": "高新技术企业", "number": "GR202233004417", "issued": "2022-12", "valid_years": 3, "expires": "2025-12",
               "renewal_opens": "2025-05"}
    assert record_text(expired, "zh").endswith("已过期，需重新认定")  # today is after December 2025
    assert record_text(expired, "en").endswith("expired: re-recognition needed")
    far = {**expired, "issued": "2099-01-01", "expires": "2102-12-31", "renewal_opens": "2102-07-01"}
    assert not record_text(far, "zh").endswith(("已过期，需重新认定", "已进入重新认定窗口期"))
