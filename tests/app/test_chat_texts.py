"""Pure pieces of the chat's answers: certificates read from OCR'd scans, facts written in either
language with their inputs, and which program a question names by its title."""

from __future__ import annotations

from datetime import date

from app.chat_compare import comparison_form, pieces
from app.core.certificates import read_certificate
from app.core.fact_text import fact_text, period_text, value_text
from app.core.program_names import Candidate, named
from app.core.types import Fact

# OCR of a form: every label first, then every value
SCAN = "企业名称 :\n证书编号 :\n发证时间 :\n高新技术企业证书\n深圳某科技有限公司\nGR202344201234\n2023 年 12 月 12 日\n有效期 : 三年\n"


def test_a_scanned_certificate_gives_number_dates_and_renewal_window() -> None:
    c = read_certificate("高新技术企业", SCAN)
    assert (c.number, c.issued, c.valid_years, c.expires) == ("GR202344201234", date(2023, 12, 12), 3, date(2026, 12, 11))
    assert c.renewal_opens() == date(2026, 6, 11)
    assert [c.state(d) for d in (date(2025, 1, 1), date(2026, 7, 1), date(2027, 1, 1))] == ["valid", "renewal_window", "expired"]


def test_an_english_certificate_with_an_explicit_expiry() -> None:
    c = read_certificate("x", "Certificate No.: AB12345678. Issued on 2022-05-01, valid until 2025-04-30.")
    assert (c.number, c.issued, c.expires, c.valid_years) == ("AB12345678", date(2022, 5, 1), date(2025, 4, 30), None)


def test_a_certificate_without_dates_has_an_unknown_state() -> None:
    assert read_certificate("x", "no dates here").state(date(2026, 1, 1)) == "unknown"


RD = Fact("rd_expense", 6_200_000.0, "CNY", as_of="2023")
REVENUE = Fact("revenue", 48_000_000.0, "CNY", as_of="2023")
RATIO = Fact("rd_expense_ratio", 12.92, "%", quote="rd_expense / revenue", method="derived", as_of="2023", inputs=(RD, REVENUE))


def test_a_derived_ratio_shows_its_inputs_in_both_languages() -> None:
    assert fact_text(RATIO, "zh") == "12.92%（2023年度） = 研发费用 620万元 / 营业收入 4,800万元"
    assert fact_text(RATIO, "en") == "12.92% (FY2023) = R&D expense 6,200,000 CNY (6.2 million) / revenue 48,000,000 CNY (48 million)"


def test_units_are_localised() -> None:
    assert value_text(Fact("patents.invention", 6.0, "items"), "zh") == "6项"
    assert value_text(Fact("patents.invention", 6.0, "items"), "en") == "6"
    assert value_text(Fact("employees", 120.0, "persons"), "en") == "120 people"
    assert value_text(Fact("revenue", 120_800_000.0, "CNY"), "zh") == "1.208亿元"
    assert period_text("2023-12-31", "en") == "as of 31 December 2023"


def _c(pid: str, title: str, rel: float = 0.9, sim: float = 0.85) -> Candidate:
    return Candidate(pid, title, rel, sim)


def test_the_named_program_is_the_one_whose_title_the_question_covers() -> None:
    candidates = [_c("loan", "高企贷", 1.0), _c("award", "南山区高新技术企业认定奖励", 0.96), _c("hnte", "高新技术企业认定条件（摘要）", 0.9)]
    assert named(candidates, ["这家公司符合高新技术企业认定条件吗？"]) == "hnte"
    assert named(candidates, ["它能拿到高企贷吗？"]) == "loan"


def test_a_program_is_named_by_any_of_its_aliases_and_an_alias_does_not_name_what_it_only_half_covers() -> None:
    candidates = [Candidate("talent", "人才贷", 0.9, 0.8, ("Talent Loan",)),
                  Candidate("first", "首贷通（首贷户专享）", 0.9, 0.8, ("First Loan Express", "first-time borrower loan")),
                  Candidate("tax", "税易贷（按纳税信用授信）", 0.9, 0.8, ("Tax-Based Credit Loan",))]
    assert named(candidates, ["Is the talent loan right for this firm?"]) == "talent"
    assert named(candidates, ["Does it qualify for a first-time borrower loan?"]) == "first"
    assert named(candidates, ["它能申请人才贷吗？"]) == "talent"  # the title still names it
    assert named(candidates, ["Can it claim the R&D tax credit?"]) is None  # one word of three is no name
    assert named([_c("talent", "人才贷")], ["Is the talent loan right for this firm?"]) is None  # no alias, no name
    # an alias is covered by the question's own words, never by the glossary's expansions of them
    subsidy = [Candidate("sub", "深圳市中小微企业贷款贴息", 0.9, 0.8, ("Shenzhen SME Loan Interest Subsidy",))]
    assert named(subsidy, ["What kinds of subsidies could a young company obtain?", "loan interest subsidy", "subsidy"]) is None
    assert named(subsidy, ["Does it qualify for the Shenzhen SME loan interest subsidy?"]) == "sub"


def test_a_title_the_question_names_in_its_own_words_beats_one_named_through_the_glossary() -> None:
    candidates = [_c("hnte", "高新技术企业认定"), _c("loan", "高企贷")]
    assert named(candidates, ["它能拿到高企贷吗？", "高新技术企业认定"]) == "loan"  # '高企' expanded covers hnte too
    assert named(candidates, ["它符合高新技术企业认定吗？", "高企"]) == "hnte"


def test_of_two_titles_the_question_names_the_one_with_more_of_its_words_wins() -> None:
    candidates = [_c("loan", "知识产权质押贷"), _c("sh", "上海市知识产权质押融资贴息及风险补偿")]
    assert named(candidates, ["上海市知識產權質押融資貼息有什麼不同？", "知识产权质押贷款"]) == "sh"
    assert named(candidates, ["它能申请知识产权质押贷吗？", "知识产权质押贷款"]) == "loan"


def test_a_comparison_is_known_by_its_form_in_either_script_and_in_english() -> None:
    asked = ["比较一下A和B", "A和B有什么区别？", "A與B有什麼區別？", "A和B哪個更適合它？", "A 對比 B", "A和B有什么不同",
             "Compare A with B", "A vs. B", "A versus B", "What is the difference between A and B?", "Which is better, A or B?",
             "A和B，投资阶段和门槛各是什么？", "A跟B各有什麼要求"]  # each asked of the two, as "respectively"
    assert [q for q in asked if not comparison_form(q)] == []
    assert [q for q in ["它能拿到A和B吗？", "A的条件是什么？", "Is it eligible for A and B?", "合同同时签署"]
            if comparison_form(q)] == []


def test_a_comparison_is_also_a_contrast_or_a_choice_between_the_two() -> None:
    asked = ["甲贷款相较于乙贷款有哪些好处？", "甲貸款相較於乙貸款好在哪？", "甲贷款比起乙贷款怎么样？", "甲贷款与乙贷款相比如何？",
             "甲贷款和乙贷款，我们该推荐哪一个？", "甲貸款和乙貸款，客戶該選哪個？", "How does Alpha Loan differ from Beta Loan?",
             "In what way is Alpha Loan different from Beta Loan?", "Alpha Loan or Beta Loan: which one suits it?",
             "Which should we offer, Alpha Loan or Beta Loan?", "Weigh Alpha Fund against Beta Fund.",
             "Of Alpha Loan and Beta Loan, which would suit a chip designer?", "该给客户推甲贷款还是乙贷款？"]
    assert [q for q in asked if not comparison_form(q)] == []
    assert [q for q in ["它的营收是多少？", "What does Alpha Loan require?", "Is the firm eligible for Alpha Loan?"]
            if comparison_form(q)] == []
    assert pieces("甲贷款相较于乙贷款有哪些好处？") == ["甲贷款", "乙贷款有哪些好处？"]
    assert pieces("甲贷款比起乙贷款怎么样？") == ["甲贷款", "乙贷款怎么样？"]
    assert pieces("How does Alpha Loan differ from Beta Loan?") == ["How does Alpha Loan differ", "Beta Loan?"]
    assert pieces("Weigh Alpha Fund against Beta Fund.") == ["Weigh Alpha Fund", "Beta Fund."]


def test_a_comparison_is_cut_at_its_joining_words_not_inside_words() -> None:
    assert pieces("深圳市贴息和上海市贴息有什麼不同？") == ["深圳市贴息", "上海市贴息有什麼不同？"]
    assert pieces("SBIR Phase I vs. STTR Phase I") == ["SBIR Phase I", "STTR Phase I"]
    assert pieces("高企贷同专精特新贷") == ["高企贷", "专精特新贷"] and pieces("合同相同吗") == ["合同相同吗"]


def test_no_program_is_named_by_a_general_question() -> None:
    candidates = [_c("a", "科技信用贷"), _c("b", "高新技术企业认定"), _c("c", "Cedar Loop Ventures")]
    assert named(candidates, ["有哪些适合它的政策？"]) is None
    assert named([], ["anything"]) is None


def test_certificate_facts_of_the_profile_become_certificates() -> None:
    from app.chat_programs import profile_certificates
    from app.core.profile import EnterpriseProfile, FieldValue

    value = {"name": "高新技术企业", "number": "GR202344201234", "issued": "2023-12-12", "valid_years": 3,
             "expires": "2026-12-11", "renewal_opens": "2026-06-11"}
    fact = Fact("certificate.hnte", value, doc_id="d", page=1, source_type="certificate")
    profile = EnterpriseProfile("aurora", fields={"certificate.hnte": FieldValue(fact, (fact,))})
    [(cert, source)] = profile_certificates(profile)
    assert (cert.number, cert.issued, cert.expires, cert.valid_years) == ("GR202344201234", date(2023, 12, 12), date(2026, 12, 11), 3)
    assert source is fact


def test_a_hyphenated_name_is_named_with_or_without_its_hyphen() -> None:
    candidates = [Candidate("first", "首贷通", 0.9, 0.8, ("First Loan Express",)),
                  Candidate("hnte", "高企贷", 0.9, 0.8, ("High-Tech Enterprise Loan",))]
    assert named(candidates, ["Tell me about the first-loan express product."]) == "first"
    assert named(candidates, ["Would a high tech enterprise loan suit it?"]) == "hnte"


def test_an_english_question_naming_chinese_programs_is_answered_in_english() -> None:
    from app.core.answer import language_of

    assert language_of("Which is better for it, 高企贷 or 税易贷?") == "en"
    assert language_of("SBIR和STTR有什么区别？") == "zh"
    assert language_of("请问 SBIR Phase I 的申请条件是什么？") == "zh"


def test_a_rounds_amount_is_shown_in_its_currency() -> None:
    from app.core.fact_text import record_text

    rnd = {"stage": "A", "date": "2023", "amount": 6000000.0, "currency": "USD", "lead": "Accel"}
    assert record_text(rnd, "zh") == "轮次A，日期2023，金额600万美元，领投Accel"
    assert record_text(rnd, "en") == "round A, date 2023, amount 6,000,000 USD, led by Accel"
    assert record_text({"stage": "A", "amount": 50000000.0, "currency": "CNY"}, "zh") == "轮次A，金额5,000万元"


def test_a_rounds_investors_are_named_with_their_roles_and_the_short_name_the_cited_sentence_uses() -> None:
    from app.core.fact_text import record_text, value_text
    from app.core.types import Fact

    quote = "2022年完成A轮融资5,000万元，由深创投领投，高瓴创投跟投。"
    rnd = {"stage": "A", "date": "2022", "lead": ["深圳市创新投资集团有限公司"], "co_investors": ["高瓴创投"]}
    assert record_text(rnd, "zh", quote) == "轮次A，日期2022，领投深圳市创新投资集团有限公司（深创投），跟投高瓴创投"
    assert record_text(rnd, "en", quote) == "round A, date 2022, led by 深圳市创新投资集团有限公司 (深创投), with 高瓴创投"
    assert record_text(rnd, "zh") == "轮次A，日期2022，领投深圳市创新投资集团有限公司，跟投高瓴创投"  # no sentence: the legal name
    held = Fact(field="investors", value=("深圳市创新投资集团有限公司", "高瓴创投"), quote=quote)
    assert value_text(held, "zh") == "深圳市创新投资集团有限公司（深创投）、高瓴创投"
    written_in_full = Fact(field="investors", value="深圳市创新投资集团有限公司", quote="由深圳市创新投资集团有限公司领投")
    assert value_text(written_in_full, "zh") == "深圳市创新投资集团有限公司"


def test_a_legal_name_written_out_carries_no_short_name() -> None:
    from app.core.investor_names import as_written

    assert as_written("苏州元禾控股股份有限公司", "本轮由苏州元禾控股股份有限公司领投。", "zh") == "苏州元禾控股股份有限公司"
    assert as_written("苏州元禾控股股份有限公司", "本轮由元禾控股领投。", "zh") == "苏州元禾控股股份有限公司（元禾控股）"


def test_a_question_asks_a_programs_term_by_the_words_listed_for_it() -> None:
    from app.core.benefit_text import benefits_asked

    terms = {"max_amount_cny": 10000000, "rate": "年化3.2%起", "term_months": 12, "collateral": "信用"}
    assert benefits_asked("那最多能贷多少？", terms) == ["max_amount_cny"]
    assert benefits_asked("利息大概落在什麼區間？", terms) == ["rate"]  # traditional, read in index form
    assert benefits_asked("What's the tenor?", terms) == ["term_months"]
    assert benefits_asked("利率同tenor係幾多？", terms) == ["rate", "term_months"]  # English words touching Chinese
    assert benefits_asked("要不要抵押？", terms) == ["collateral"]
    assert benefits_asked("它的营收多少？", terms) == []
    assert benefits_asked("利率多少？", {"max_amount_cny": 1}) == []  # a term the program does not state
    assert benefits_asked("23年营业成本多少？", terms) == []  # the firm's cost of revenue, not the loan's cost
    assert benefits_asked("高企证书的有效期限是多久？", terms) == []  # a certificate's validity, not a loan term
    assert benefits_asked("利息费用是多少？", terms) == []  # a statement line
    # the amount asked is answered with the rule that sizes it, when the program states one
    sized = {"max_amount_cny": 50000000, "sizing": "一般不超过最近一轮股权融资额的30%", "rate": "年化4.0%–5.5%"}
    assert benefits_asked("那额度一般能批到多少？", sized) == ["max_amount_cny", "sizing"]
    assert benefits_asked("How is the loan size set?", sized) == ["max_amount_cny", "sizing"]
    # a tiered benefit is asked when one of its tiers is named
    tiered = {"max_amount_cny": 5000000, "tiers_cny": {"A": 5000000, "B": 3000000}, "rate": "年化3.6%起"}
    assert benefits_asked("A级能批多少", tiered) == ["max_amount_cny", "tiers_cny"]
    assert benefits_asked("What are the limits for an A-rated vs a B-rated taxpayer?", tiered) == ["tiers_cny"]
    assert benefits_asked("What are the limits?", tiered) == []
    # how much a subsidy stated as a share gives: the share and its cap
    capped = {"interest_subsidy": "按实际支付利息的50%给予贴息", "max_amount_cny": 1000000}
    assert benefits_asked("贴多少", capped) == ["interest_subsidy", "max_amount_cny"]
    assert benefits_asked("按什么比例贴息", capped) == ["interest_subsidy"]
    assert benefits_asked("贴息按多少比例给？", capped) == ["interest_subsidy"]  # the share alone asked
    assert benefits_asked("利率呢？", sized) == ["rate"]
    # a subsidy's share asked by its ratio ("按什么比例贴？"): the interest subsidy, beside the cap when both are asked
    subsidy = {"interest_subsidy": "按实际支付利息的50%给予贴息", "max_amount_cny": 1000000}
    assert benefits_asked("按什么比例贴？", subsidy) == ["interest_subsidy"]
    assert set(benefits_asked("一年最多能拿多少？按什么比例贴？", subsidy)) == {"max_amount_cny", "interest_subsidy"}


def test_a_term_is_asked_by_the_name_an_answer_gives_it_when_that_name_is_specific() -> None:
    from app.core.benefit_text import benefits_asked

    terms = {"max_amount_cny": 10000000, "guarantee_fee": "年化担保费率不超过1%", "rate": "年化3.5%起",
             "risk_sharing": "银行与担保体系按比例分担风险"}
    assert benefits_asked("What is the guarantee fee?", terms) == ["guarantee_fee"]
    assert benefits_asked("What is the guarantee fee the client has to bear, is there any cap?", terms) == \
        ["max_amount_cny", "guarantee_fee"]
    assert benefits_asked("how is risk sharing done?", terms) == ["risk_sharing"]
    # the name holds another term's word (费率 of 担保费率): that name only, unless the other is asked besides
    assert benefits_asked("担保费率多少", terms) == ["guarantee_fee"]
    assert benefits_asked("担保费率和利率分别多少", terms) == ["guarantee_fee", "rate"]
    # a short name asks nothing by itself ("amount", 跟投 are words of many questions)
    assert benefits_asked("谁跟投的？", {"follow_on": "可跟投", "amount_cny": 1}) == []


def test_an_english_amount_of_a_million_or_more_is_also_given_in_millions() -> None:
    revenue = Fact("revenue", 4_500_000, "USD", as_of="2023")
    assert fact_text(revenue, "en") == "4,500,000 USD (4.5 million, FY2023)"
    assert fact_text(Fact("revenue", 1_234_567_890, "USD"), "en") == "1,234,567,890 USD (1.235 billion)"
    assert fact_text(Fact("revenue", 950_000, "USD", as_of="2023"), "en") == "950,000 USD (FY2023)"
    assert fact_text(revenue, "zh") == "450万美元（2023年度）"  # Chinese amounts are already in 万 / 亿, the currency named
    assert fact_text(Fact("revenue", 2_000_000, "HKD"), "zh") == "200万港元"
    assert fact_text(Fact("revenue", 2_000_000, "CHF"), "zh") == "200万 CHF"  # no Chinese name here: its code


def test_an_amount_written_in_the_other_languages_notation_is_also_given_as_written() -> None:
    # so it is checked against its document at a glance: "$4.5M" beside 450万美元, "1.3亿元" beside 130,000,000 CNY
    stated = Fact("revenue", 4_500_000, "USD", "Revenue for fiscal 2023 was $4.5M", as_of="2023")
    assert fact_text(stated, "zh") == "450万美元（原文$4.5M，2023年度）"
    assert fact_text(stated, "en") == "4,500,000 USD (4.5 million, FY2023)"  # the answer's own notation: no note
    plan = Fact("revenue", 130_000_000, "CNY", "2023年实现营业收入1.3亿元", as_of="2023")
    assert fact_text(plan, "en") == "130,000,000 CNY (130 million, as written 1.3亿元, FY2023)"
    assert fact_text(plan, "zh") == "1.3亿元（2023年度）"
    row = Fact("revenue", 120_800_000, "CNY", "营业收入 Revenue | 81450000.00 | 120800000.00", as_of="2023")
    assert fact_text(row, "en") == "120,800,000 CNY (120.8 million, FY2023)"  # a table's bare digits: no note


def test_a_certificates_validity_reads_as_a_term() -> None:
    from app.core.fact_text import record_text

    cert = {"name": "高新技术企业", "number": "GR202344201234", "issued": "2023-12-12", "valid_years": 3}
    assert record_text(cert, "zh") == "高新技术企业，编号GR202344201234，发证日期2023年12月12日，有效期3年"
    assert record_text(cert, "en") == ("High and New Technology Enterprise (高新技术企业), no. GR202344201234, issued 12 December 2023, "
                                       "valid for 3 years")


def test_dates_in_a_chinese_answer_are_written_the_chinese_way() -> None:
    from app.core.fact_text import date_zh, period_text

    assert date_zh("发证日期2023-12-12，2026-12-11到期") == "发证日期2023年12月12日，2026年12月11日到期"
    assert date_zh("成立时间 2019-03") == "成立时间 2019年3月"
    assert date_zh("FY2023-2024 / 2023-12-1234") == "FY2023-2024 / 2023-12-1234"  # no date: left as it is
    assert period_text("2023-12-31", "zh") == "截至2023年12月31日" and period_text("2023-12-31", "en") == "as of 31 December 2023"
    founded = Fact("founded", "2019-03")
    assert fact_text(founded, "zh") == "2019年3月" and fact_text(founded, "en") == "March 2019"


def test_dates_in_an_english_answer_are_written_out() -> None:
    from app.core.fact_text import date_en

    assert date_en("issued 2023-12-12, expires 2026-12-11") == "issued 12 December 2023, expires 11 December 2026"
    assert date_en("founded 2020-06") == "founded June 2020"
    assert date_en("FY2023-2024 / 2023-13 / 2023-12-1234") == "FY2023-2024 / 2023-13 / 2023-12-1234"  # no date: as it is


def test_a_total_of_its_parts_shows_them_added() -> None:
    parts = (Fact("patents.invention", 12, "items", quote="发明专利12项"),
             Fact("patents.software_copyright", 15, "items", quote="软件著作权15项，2019-03起"))
    total = Fact("patents.any", 27.0, "items", quote=" + ".join(p.quote for p in parts), method="derived", inputs=parts)
    assert fact_text(total, "zh") == "27项 = 发明专利 12项 + 软件著作权 15项"
    assert fact_text(Fact("revenue", 3.0, "CNY", quote="sum", method="derived", inputs=parts), "en").count(" + ") == 1


def test_a_client_asked_to_enjoy_or_claim_a_benefit_is_applying_for_it() -> None:
    from app.chat import CLIENT_APPLIES
    from app.core.own_name import as_the_company

    named = as_the_company("極光能不能享受集成電路兩免三減半？", "深圳极光智能科技有限公司")  # its trade name: the company
    assert CLIENT_APPLIES.search(named)
    assert CLIENT_APPLIES.search("Can the client claim the R&D super-deduction?")
    assert not CLIENT_APPLIES.search("两免三减半是什么政策？")


def test_one_kind_named_with_a_fit_asked_is_a_match_question_of_that_kind() -> None:
    from app.chat import MATCH_ASKED
    from app.core.chat_route import kinds_named

    q = "Which VCs in the catalog match the company's profile?"
    assert MATCH_ASKED.search(q) and kinds_named(q) == ("equity",)
    assert MATCH_ASKED.search("哪些贷款产品跟它比较对口？") and kinds_named("哪些贷款产品跟它比较对口？") == ("credit",)
    from app.core.textnorm import index_form
    assert MATCH_ASKED.search(index_form("哪些貸款產品跟它比較對口？")) and kinds_named("哪些貸款產品跟它比較對口？") == ("credit",)
    assert not MATCH_ASKED.search("Which VCs invested in its Series A?")  # a fact of its funding, no fit asked


def test_a_short_follow_up_about_another_program_may_say_what_it_asks_of_it() -> None:
    from app.chat import ABOUT_ANOTHER

    assert ABOUT_ANOTHER.match("那投贷联动呢？额度一般按什么定？")
    assert ABOUT_ANOTHER.match("what about the other one, STTR? what would they need on top of that")
    assert not ABOUT_ANOTHER.match("那投贷联动呢？额度一般按什么定？期限多长？利率多少？还要什么材料？")  # a new question, not a follow-up


def test_what_a_program_brings_and_how_long_it_runs_are_asked_by_everyday_words() -> None:
    from app.core.benefit_text import benefits_asked

    tsme = {"benefit": "入库后可享受研发费用加计扣除等科技型中小企业政策", "registration_number": "年度入库登记编号"}
    assert benefits_asked("入库有什么好处", tsme) == ["benefit"]
    assert benefits_asked("what does it bring them?", tsme) == ["benefit"]
    sbir = {"award_usd_typical_max": 314363, "term_months": 6}
    assert benefits_asked("and how long does it run?", sbir) == ["term_months"]
    assert benefits_asked("how long is the certificate valid?", sbir) == []  # a validity, not the program's term
    assert benefits_asked("how big a cheque do they write?", {"ticket_size_usd": [500000, 2000000]}) == ["ticket_size_usd"]


def test_a_programs_preference_hurdle_or_minimum_names_one_of_its_criteria() -> None:
    from app.chat import CRITERION_NAMED
    for asked in ("And their preference on R&D staffing: how does Aurora compare?", "what's the hurdle on revenue?",
                  "is there a minimum headcount?", "研发人员占比有什么偏好？", "有没有红线"):
        assert CRITERION_NAMED.search(asked), asked
    assert not CRITERION_NAMED.search("What is its revenue?") and not CRITERION_NAMED.search("研发人员多少人？")


def test_public_funding_and_government_schemes_name_the_policy_kind() -> None:
    from app.core.chat_route import kinds_named
    assert kinds_named("Which public funding programmes could it apply for, given it is Austin-based?") == ("policy",)
    assert kinds_named("any government schemes for it?") == ("policy",)
    assert kinds_named("what funding could it raise?") == ()  # funding alone: equity or debt as readily
