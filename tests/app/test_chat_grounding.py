"""What the chat declines: a value of another period than the one asked, a forecast, a passage about another
organisation or place than the one named. Pure functions, a simple tokenizer."""

from __future__ import annotations

from app.core.answer import Passage, compose, joined, names_unsupported
from app.core.asked_period import facts_for, future_asked, sub_year_asked, years_asked
from app.core.intents import load_intents
from app.core.profile import FieldValue
from app.core.profile_answer import answer_from_profile
from app.core.profile_json import profile_from_json
from app.core.question_names import question_names
from app.core.sentences import sentences
from app.core.tokenize import tokens
from app.core.types import Fact

REV = {2021: 52_300_000.0, 2022: 81_450_000.0, 2023: 120_800_000.0}


def _revenue() -> FieldValue:
    facts = {y: Fact("revenue", v, "CNY", quote=f"营业收入 {v}", as_of=str(y)) for y, v in REV.items()}
    return FieldValue(facts[2023], tuple(facts.values()))


def test_years_are_read_from_the_question_but_not_amounts() -> None:
    assert years_asked("公司2022年和FY2023的营收") == ("2022", "2023")
    assert years_asked("2024年第一季度研发投入") == ("2024",)
    assert years_asked("注册资本2000万元，员工2019人") == ()
    assert years_asked("What was revenue last year?") == ()


def test_the_fact_of_the_year_asked_or_none_when_only_other_years_are_held() -> None:
    assert [f.value for f in facts_for(_revenue(), ("2022",))] == [REV[2022]]
    assert [f.value for f in facts_for(_revenue(), ())] == [REV[2023]]
    assert facts_for(_revenue(), ("2025",)) == []
    undated = FieldValue(Fact("founded_date", "2019-03"), ())
    assert [f.value for f in facts_for(undated, ("2025",))] == ["2019-03"]


def _profile() -> dict[str, object]:
    rows = [{"value": v, "unit": "CNY", "as_of": str(y), "quote": f"营业收入 {v}"} for y, v in REV.items()]
    return {"enterprise_id": "x", "fields": {"revenue": {**rows[2], "candidates": rows}}}


def _context(f: Fact) -> tuple[str, str, int | None]:
    return ("statements", f.quote, 1)


def test_a_profile_answer_gives_the_year_asked_and_declines_a_year_not_held() -> None:
    profile = profile_from_json(_profile())
    a = answer_from_profile("2022年营业收入是多少？", profile, "zh", _context, ["revenue"])
    assert a is not None and a.found and "8,145万元（2022年度）" in a.text and "1.208亿元" not in a.text
    declined = answer_from_profile("What revenue does it forecast for 2026?", profile, "en", _context, ["revenue"])
    assert declined is not None and not declined.found and declined.citations == ()
    assert "FY2026" in declined.text and "FY2021, FY2022, FY2023" in declined.text


def test_names_are_capitalised_words_after_the_first_and_chinese_places() -> None:
    assert question_names("What is the rate on Bank of America's small business loan?") == ["Bank", "America"]
    # a language asked for is no party: "as printed on the cert (in Chinese)"
    assert question_names("Who issued the HNTE certificate? Give it as printed, in Chinese") == ["HNTE"]
    assert question_names("SBIR Phase I: how long?") == ["SBIR", "Phase"]
    assert question_names("香港的企业支援计划资助多少？") == ["香港"]
    assert question_names("What is the loan's maximum amount?") == []
    assert question_names("What was the cash balance as of 31 Dec 2023, per the March filing?") == []  # calendar words
    # a period's code is no name: a year-end ("YE2023", "FYE23"), a half or a quarter written digit first ("1H22", "4Q23")
    assert question_names("What were short-term borrowings at YE2023, and revenue in 1H22 vs 4Q23? FYE23 too") == []
    # each sentence's first word, and a chat message's abbreviations, are no names
    assert question_names("Thanks! What is its revenue? And Acme's?") == ["Acme"]
    assert question_names("OK, and how many R&D engineers do they have? FYI: UK numbers") == ["R&D", "UK"]
    # a role is no party: "before I meet the Aurora CFO" asks of Aurora, not of someone called CFO
    assert question_names("Before I meet the Aurora CFO on Thursday: what were its borrowings?") == ["Aurora"]


LOAN = Passage(1, "d1", "Demo Bank SME loan", "The Demo Bank small business loan has an annual interest rate from 3.45%.")


def test_a_passage_about_another_organisation_does_not_answer() -> None:
    assert compose("What is the interest rate of the Demo Bank small business loan?", [LOAN], tokens).found
    declined = compose("What is the interest rate of the Bank of America small business loan?", [LOAN], tokens)
    assert not declined.found and declined.citations == ()


def test_a_place_named_in_the_question_must_be_in_the_passage() -> None:
    p = Passage(1, "d2", "深圳市知识产权质押融资贴息", "深圳市对知识产权质押贷款给予贴息，贴息比例为50%。")
    assert compose("深圳市知识产权质押贷款贴息比例是多少？", [p], tokens).found
    assert not compose("香港知识产权质押贷款贴息比例是多少？", [p], tokens).found


def test_a_forecast_is_not_answered_by_a_reported_figure() -> None:
    assert future_asked("公司明年的营收预测是多少？") and future_asked("What revenue does the firm expect to book?")
    assert future_asked("管理層預計的營收目標是多少？")
    assert future_asked("How many engineers is the firm planning to add?") and future_asked("公司打算明年融多少钱？")
    assert future_asked("下一阶段的融资计划是多少？") and not future_asked("How many staff does it have now?")
    assert not future_asked("What was its net profit last year?") and not future_asked("去年营收多少？")
    # the business plan named as a source is no plan to come
    assert not future_asked("注册地址原文给我，出处写清楚是商业计划书还是别的文件。")
    assert not future_asked("商業計劃書裡寫的營收是多少？") and future_asked("公司明年的招聘计划是多少人？")
    profile = profile_from_json(_profile())
    declined = answer_from_profile("公司明年的营收预测是多少？", profile, "zh", _context, ["revenue"])
    assert declined is not None and not declined.found and declined.citations == ()
    assert "没有预测" in declined.text and "2021、2022、2023年度" in declined.text and "1.208亿元" not in declined.text
    reported = answer_from_profile("What was its revenue last year?", profile, "en", _context, ["revenue"])
    assert reported is not None and reported.found and "120,800,000" in reported.text


def test_a_question_for_a_person_is_not_answered_by_fields_that_hold_no_names() -> None:
    profile = profile_from_json(_profile())
    assert answer_from_profile("这家公司的法定代表人是谁？", profile, "zh", _context, ["revenue"]) is None
    assert answer_from_profile("Who runs the company?", profile, "en", _context, ["revenue"]) is None
    named = answer_from_profile("公司融了几轮，投资方是谁？", profile, "zh", _context, ["funding_stage", "investors"])
    assert named is not None and not named.found  # the group that holds names is asked; this profile lacks it
    assert answer_from_profile("What was revenue in 2023?", profile, "en", _context, ["revenue"]) is not None


def test_a_profile_fact_does_not_answer_for_a_firm_the_question_names() -> None:
    sales = Passage(1, "financials", "statements.xlsx", "营业收入 Revenue 120800000")
    assert names_unsupported("How big were Contoso's sales last year?", [sales], tokens)
    assert not names_unsupported("How big were the company's sales last year?", [sales], tokens)
    funding = Passage(1, "plan", "overview", "The firm raised a Series A led by Initech Capital.")
    assert not names_unsupported("Who led its Series A?", [funding], tokens)
    assert names_unsupported("Who led Globex's Series A?", [funding], tokens)
    assert names_unsupported("香港分公司的营收是多少？", [sales], tokens)  # a place no cited fact names


def test_an_abbreviation_the_glossary_knows_is_no_name() -> None:
    from app.core.glossary import load_glossary

    growth = Passage(1, "overview", "overview.md", "Revenue for fiscal 2023 was $4.5M, up from $2.8M in 2022.")
    office = Passage(1, "overview", "overview.md", "Northwind is headquartered in Austin, Texas.")
    assert not names_unsupported("YoY revenue growth 2022 -> 2023?", [growth], tokens, load_glossary())
    assert not names_unsupported("where is it HQ'd?", [office], tokens, load_glossary())
    assert names_unsupported("where is Initech HQ'd?", [office], tokens, load_glossary())  # a firm still is one


def test_a_patent_count_of_no_stated_kind_answers_an_ip_question() -> None:
    profile = profile_from_json({"enterprise_id": "x", "fields": {
        "patents.any": {"value": 5, "unit": "items", "quote": "The firm holds 5 granted patents."}}})
    a = answer_from_profile("How many patents has it been granted?", profile, "en", _context,
                            load_intents().spec("profile.ip").fields)
    assert a is not None and a.found and "5" in a.text


def test_a_figure_stated_as_it_is_now_does_not_answer_a_question_about_later() -> None:
    assert future_asked("How many people will the firm have on its payroll in 2027?")
    assert future_asked("How much will it spend on research next year?") and not future_asked("How much did it spend?")
    profile = profile_from_json({"enterprise_id": "x", "fields": {
        "employees": {"value": 64, "unit": "persons", "quote": "The firm employs 64 people."}}})
    later = answer_from_profile("How many people will the firm have on its payroll in 2027?", profile, "en", _context,
                                ["employees"])
    assert later is not None and not later.found and later.citations == () and "not a projection" in later.text
    zh = answer_from_profile("公司明年预计会有多少员工？", profile, "zh", _context, ["employees"])
    assert zh is not None and not zh.found and "没有预测" in zh.text
    now = answer_from_profile("How many people does the firm employ?", profile, "en", _context, ["employees"])
    assert now is not None and now.found and "64" in now.text


def test_a_quarter_or_a_month_is_not_answered_by_a_yearly_or_current_figure() -> None:
    assert sub_year_asked("What did sales come to in the past quarter?") and sub_year_asked("2024Q2的营收？")
    assert sub_year_asked("上个月新招了多少人？") and sub_year_asked("Q1 2024 revenue")
    assert not sub_year_asked("Which month was the firm registered in?") and not sub_year_asked("ISO 9001 证书")
    profile = profile_from_json({"enterprise_id": "x", "fields": {
        "employees": {"value": 64, "unit": "persons", "quote": "The firm employs 64 people."}}})
    asked = answer_from_profile("How many people did it hire last month?", profile, "en", _context, ["employees"])
    assert asked is not None and not asked.found and "not by quarter or month" in asked.text
    zh = answer_from_profile("上季度员工有多少？", profile, "zh", _context, ["employees"])
    assert zh is not None and not zh.found and "没有季度或月度" in zh.text
    # a week named in a sentence that asks nothing is the asker's, not the period asked
    aside = answer_from_profile("Sorry for all the questions this week! How many people does it employ?", profile, "en",
                                _context, ["employees"])
    assert aside is not None and aside.found and "64" in aside.text
    asked_week = answer_from_profile("Sorry to ask again. How many people did it hire this week?", profile, "en",
                                     _context, ["employees"])
    assert asked_week is not None and not asked_week.found


def test_a_kind_of_place_asked_is_no_name() -> None:
    assert question_names("它在哪个城市？") == []
    assert question_names("它在深圳哪个区？") == ["深圳"]


def test_an_irregular_past_form_is_the_verb_asked() -> None:
    from app.core.answer import content_terms
    from app.core.tokenize import tokens

    assert "sell" in content_terms("The company's software is sold as SaaS.", tokens)
    assert content_terms("How fast did revenue grow?", tokens) & content_terms("Revenue grew 60%.", tokens) >= {"grow"}


def test_function_words_and_a_not_a_forms_are_no_concept() -> None:
    from app.core.answer import content_terms
    from app.core.tokenize import tokens

    # the words of the asking ("under the rules", "what does that clause mean") are not what a sentence must state
    assert content_terms("Under the HNTE rules, what does that clause mean exactly?", tokens) == {"hnte"}
    assert content_terms("香港註冊的公司可不可以做評價？", tokens) == content_terms("香港註冊的公司可以做評價？", tokens)
    assert content_terms("员工、收入上限各是多少", tokens) == {"员工", "收入", "上限"}
    # content words of the standard stop lists stay: a sentence must state them
    assert {"first", "own"} <= content_terms("Do first-time borrowers need to own property?", tokens)


def test_a_glossary_term_written_with_a_hyphen_or_as_a_plural_is_named_and_a_hyphenated_word_is_one_concept() -> None:
    from app.core.answer import Passage, _groups, compose
    from app.core.glossary import load_glossary
    from app.core.tokenize import tokens

    tsme = Passage(1, "d1", "科技型中小企业评价条件（摘要）", "申请企业职工总数不超过500人、年销售收入不超过2亿元。")
    answer = compose("What's the employee cap for the tech-SME evaluation?", [tsme], tokens, load_glossary())
    assert answer.found and "500" in answer.text  # "tech-SME" names "tech SME": its parts are no concepts of their own
    concepts = _groups("What CIT rate do HNTEs pay?", tokens, load_glossary())
    assert not any({"hntes"} in whole for whole, _ in concepts)  # "HNTEs" names HNTE
    # "debt-to-equity": one concept, met by the word or by its parts
    assert [whole for whole, _ in _groups("max debt-to-equity?", tokens, load_glossary())] == [[{"debt-t"}, {"debt", "equ"}]]
    # "loan-to-value" is the glossary's LTV: met by 质押率 or by the appraised value a sheet caps the loan at
    [(ltv, _)] = _groups("max loan-to-value?", tokens, load_glossary())
    assert {"ltv"} in ltv and {"质押"} in ltv and {"apprai", "valu"} in ltv


def test_a_table_header_row_is_never_quoted() -> None:
    from app.core.answer import Passage, compose
    from app.core.tokenize import tokens

    text = "quarter | rd_expense_rmb | main_project 主要项目\n2023Q3 | 2480000.00 | 车规级芯片预研\n公司主要产品是机器视觉芯片。"
    answer = compose("它的主要产品是什么？", [Passage(1, "d", "plan", text)], tokens)
    assert answer.found and "main_project" not in answer.text


def test_a_heading_or_a_name_alone_on_its_line_is_never_an_answer() -> None:
    from app.core.answer import Passage, compose
    from app.core.tokenize import tokens

    # a plan's title lines and numbered headings name the firm and the section; they state nothing of either
    text = "深圳极光智能科技有限公司\n深圳极光智能科技有限公司商业计划书\n一、公司概况\n三、融资情况"
    answer = compose("那极光符合吗", [Passage(1, "d", "深圳极光智能科技有限公司商业计划书", text)], tokens)
    assert not answer.found
    said = text + "\n2022年完成A轮融资5,000万元，由深创投领投，高瓴创投跟投。"
    answer = compose("A轮融资多少？", [Passage(1, "d", "plan", said)], tokens)
    assert answer.found and "5,000万元" in answer.text and "融资情况" not in answer.text
    clause = "申请企业须为在中国境内注册的公司"  # a clause ending in 公司 is no name: it still answers
    answer = compose("申请企业须在哪里注册？", [Passage(1, "d", "rules", clause)], tokens)
    assert answer.found


def test_a_place_asked_is_met_by_any_of_its_names_or_a_place_under_it() -> None:
    from app.core.answer import Passage, places_unsupported

    texas = [Passage(1, "d", "overview", "Northwind is headquartered in Austin, Texas.")]
    assert not places_unsupported("Northwind 总部在美国哪个州？", texas)  # 美国: United States, Texas is under it
    assert places_unsupported("它在上海的哪个区？", texas)


def test_a_period_code_is_no_name() -> None:
    """H1, Q4, FY2023 say when, not whom: an answer need not name them as it must name an organisation."""
    assert question_names("What was the team busy with in H1 2023 and in Q4?") == []
    assert question_names("Revenue in FY2023 at Acme?") == ["Acme"]


def test_a_records_dated_parts_name_a_date_it_holds() -> None:
    """"发证日期是哪天" of a certificate, "when was the round dated": the record's parts are asked in those words."""
    from app.chat import _dated_vocabulary
    from app.core.answer import content_terms
    from app.core.tokenize import tokens

    held = _dated_vocabulary(("certificate.hnte",))
    assert content_terms("发证日期", tokens) <= held and content_terms("expires", tokens) <= held
    assert not content_terms("发证日期", tokens) <= _dated_vocabulary(("founded_date",))
    # the words of the fields' phrasings too: "上一輪募資是哪一年完成的" asks the date of a round in the funding group's words
    assert "募资" in _dated_vocabulary(("funding_rounds",)) and "募资" not in _dated_vocabulary(("founded_date",))


def test_a_reminder_and_the_adjective_of_how_big_are_no_concepts_a_sentence_must_state() -> None:
    round_a = Passage(1, "nw", "Northwind overview", "In 2023 Northwind raised a $6 million Series A led by Accel and Foundry Group.")
    answer = compose("remind me who led Northwind's Series A and how big the round was", [round_a], tokens)
    assert answer.found and "$6 million" in answer.text, answer.text
    # still a question for a figure: a sentence stating none does not answer how big
    assert not compose("how big was the Series A round?", [Passage(1, "nw", "overview", "Accel led the Series A round.")],
                       tokens).found


def test_a_chatty_lead_in_and_a_range_of_amounts_are_no_concepts_a_sentence_must_state() -> None:
    from app.core.answer import Passage, compose
    from app.core.tokenize import tokens

    rule = ("最近一年销售收入小于5,000万元（含）的企业，比例不低于5%；最近一年销售收入在5,000万元至2亿元（含）的企业，"
            "研究开发费用总额占同期销售收入总额的比例不低于4%。")
    # 想问下 / 之间 / 达到 say nothing a rule states; "5000万至2亿" is two amounts, not a word 万至
    answer = compose("想问下，年销售收入在5000万至2亿之间的企业，研发费用比例最低要达到多少？", [Passage(1, "d", "高企认定", rule)], tokens)
    assert answer.found and "不低于4%" in answer.text


def test_amounts_are_read_from_running_text_in_either_notation() -> None:
    from app.core.quantities import amounts_in

    assert amounts_in("between 50m and 200m RMB") == [("50m", 5e7, ""), ("200m RMB", 2e8, "CNY")]
    assert amounts_in("销售收入在5,000万元至2亿元（含）的企业") == [("5,000万元", 5e7, "CNY"), ("2亿元", 2e8, "CNY")]
    assert amounts_in("US$1.5M, then 1,000,000 more") == [("US$1.5M", 1.5e6, "USD"), ("1,000,000", 1e6, "")]
    # a share, a count, a year or a duration is no amount
    assert amounts_in("50% of the value, 120 people in 2023, within 3 months") == []
    # a run of digits is read from its start only, and a number of more than 24 characters is no amount (a long run
    # once cost time quadratic in its length: a chat message of 8,000 zeros took 7 s)
    assert amounts_in("1" * 30 + "万") == [] and amounts_in("0" * 20_000) == []
    assert amounts_in("x" + " " * 20_000 + "5万") == [("5万", 5e4, "CNY")]  # spaces are read once too (16,000 took 17 s)
    assert amounts_in("x 25万, 3,000,000") == [("25万", 2.5e5, "CNY"), ("3,000,000", 3e6, "")]
    assert amounts_in("营收，500万元") == [("500万元", 5e6, "CNY")]  # after a full-width comma (NFKC: ",")


def test_an_amount_asked_is_met_by_the_same_value_in_the_other_notation_but_not_by_another_value() -> None:
    from app.core.answer import Passage, compose
    from app.core.glossary import load_glossary
    from app.core.tokenize import tokens

    tiers = Passage(1, "d1", "高新技术企业认定条件（摘要）",
                    "最近一年销售收入小于5,000万元（含）的企业，比例不低于5%；最近一年销售收入在5,000万元至2亿元（含）的企业，"
                    "比例不低于4%；最近一年销售收入在2亿元以上的企业，比例不低于3%。")
    asked = "HNTE: what is the floor for a company with sales between 50m and 200m RMB?"
    answer = compose(asked, [tiers], tokens, load_glossary())
    assert answer.found and "4%" in answer.text
    # an amount the passage does not state (300m) is a concept it lacks, as a number it lacks always was
    other = Passage(1, "d1", "高新技术企业认定条件（摘要）", "最近一年销售收入在3,000万元以下的企业，比例不低于6%。")
    assert not compose(asked, [other], tokens, load_glossary()).found
    # a dollar amount is met by the same figure in dollars, however written, not by that figure in yuan
    from app.core.answer import _groups, concept_credit, content_terms

    (amount, *_) = _groups("Is the award above $5M?", tokens, None)
    assert concept_credit(amount, content_terms("Awards do not exceed USD 5 million.", tokens)) == 1.0
    assert concept_credit(amount, content_terms("Awards do not exceed 5,000,000.", tokens)) == 1.0  # no currency written
    assert concept_credit(amount, content_terms("Awards do not exceed 500万元.", tokens)) == 0.0


def test_a_question_asking_two_things_of_one_passage_gets_the_sentence_stating_each() -> None:
    from app.core.answer import Passage, compose
    from app.core.glossary import load_glossary
    from app.core.tokenize import tokens

    sheet = Passage(1, "d1", "IP-Pledge Loan for Technology SMEs",
                    "Loan amount up to RMB 10 million, and no more than 50% of the appraised value of the pledged IP. "
                    "Borrowers must hold at least 1 invention patent. "
                    "Indicative annual interest rate from 3.45%.")
    answer = compose("what's the cap vs the appraised IP value, and the interest rate?", [sheet], tokens, load_glossary())
    assert answer.found and "50%" in answer.text and "3.45%" in answer.text
    assert "invention patent" not in answer.text  # a sentence stating nothing still unstated is not added
    # a question asking one thing gets the sentence that states it, nothing more
    one = compose("what's the cap vs the appraised IP value?", [sheet], tokens, load_glossary())
    assert one.found and "50%" in one.text and "3.45%" not in one.text
    # the rest may be stated by another passage of the same document, never by another document
    cap = Passage(1, "d1", "IP-Pledge Loan for Technology SMEs",
                  "Loan amount up to RMB 10 million, and no more than 50% of the appraised value of the pledged IP.")
    rate = Passage(2, "d1", "IP-Pledge Loan for Technology SMEs", "Indicative annual interest rate from 3.45%.")
    other = Passage(2, "d2", "Talent Loan", "Indicative annual interest rate from 3.2%.")
    asked = "what's the cap vs the appraised IP value, and the interest rate?"
    assert "3.45%" in compose(asked, [cap, rate], tokens, load_glossary()).text
    assert "3.2%" not in compose(asked, [cap, other], tokens, load_glossary()).text


def test_the_rest_of_an_answer_is_never_about_another_numbered_part_than_the_one_asked() -> None:
    from app.core.answer import Passage, compose
    from app.core.tokenize import tokens

    phases = Passage(1, "d1", "SBIR", "Phase II awards normally do not exceed $1,800,000. "
                                      "Phase I awards fund feasibility studies of about six months.")
    answer = compose("SBIR Phase II: what is the award cap, and how long is the study?", [phases], tokens)
    assert answer.found and "1,800,000" in answer.text and "six months" not in answer.text


def test_an_answer_from_the_clients_documents_must_state_the_attribute_asked() -> None:
    from app.chat import _states_what_is_asked
    from app.core.answer import Answer

    plan = Passage(1, "bp", "商业计划书", "公司2023年实现营业收入1.3亿元，同比增长约60%。")
    about_2023 = Answer("公司2023年实现营业收入1.3亿元，同比增长约60%[1]。", (plan,), True, "zh")
    assert not _states_what_is_asked("极光2023年应付账款是多少", about_2023)  # 2023 and the firm: no payables
    assert _states_what_is_asked("极光2023年营业收入是多少", about_2023)
    sheet = Passage(1, "fs", "financials.xlsx", "应付账款 Accounts Payable | 100 | 200")
    assert _states_what_is_asked("极光2023年应付账款是多少", Answer("应付账款 Accounts Payable | 100 | 200[1]", (sheet,), True, "zh"))
    assert _states_what_is_asked("How much did it raise in 2023?", about_2023)  # a verb asked: no attribute named


def test_an_exclusion_asked_is_answered_by_the_sentence_stating_one() -> None:
    card = Passage(1, "p", "研发费用税前加计扣除", "自2023年1月1日起，该政策适用于所有符合条件的行业企业。"
                   "烟草制造业、住宿和餐饮业企业不适用本政策。")
    assert compose("研发费用加计扣除哪些行业不适用", [card], tokens).text.startswith("烟草制造业")
    assert compose("研发费用加计扣除适用于哪些行业", [card], tokens).text.startswith("自2023年1月1日起")


def test_an_ownership_rule_asked_of_a_document_by_name_is_its_owned_and_controlled_clause() -> None:
    """"ownership" is what "owned and controlled" states (the glossary's concept), and the document the question names
    ("sbir doc") is where to look, not a word the answer must repeat."""
    from app.core.glossary import load_glossary

    owned = Passage(1, "sbir", "sbir_sttr_overview_en.md", "The business must be more than 50% owned and controlled by "
                    "one or more individuals who are citizens or permanent residents of the United States.")
    staff = Passage(2, "sbir", "sbir_sttr_overview_en.md", "The business must have no more than 500 employees, including affiliates.")
    a = compose("sbir doc - ownership rule?", [owned, staff], tokens, load_glossary())
    assert a.found and "50% owned" in a.text and "500" not in a.text, a.text


def test_a_sentence_guessing_a_named_value_is_left_out_beside_a_sentence_that_asks() -> None:
    from app.chat import without_guesses
    assert without_guesses("When was Northwind founded? Am I wrong in thinking it's Seattle?") == "When was Northwind founded?"
    assert without_guesses("Who led the Series A? It wasn't Sequoia, was it?") == "Who led the Series A?"
    # a guess naming only the client (or a concept) asks about a figure of its own
    assert without_guesses("Am I right that R&D people are under a third of Aurora's staff? And the headcount?",
                           ("Aurora",)) == "Am I right that R&D people are under a third of Aurora's staff? And the headcount?"
    # a guess asked alone is the question; one naming nothing asks about a term of its own
    assert without_guesses("It wasn't Sequoia, was it?") == "It wasn't Sequoia, was it?"
    assert without_guesses("What is the rate? Am I right that the loan needs no collateral?") == (
        "What is the rate? Am I right that the loan needs no collateral?")


def test_a_dotted_abbreviation_ends_no_sentence_so_a_quoted_sentence_keeps_its_words() -> None:
    text = "Joint project with a U.S. research institution. Partners, e.g. universities, do 30% of the work. Next one."
    assert sentences(text) == ["Joint project with a U.S. research institution.",
                               "Partners, e.g. universities, do 30% of the work.", "Next one."]
    # nor does one before a lower-case word: "Inc." there is the name's
    assert sentences("Northwind Robotics Inc. was founded in June 2020. It is in Austin.") == [
        "Northwind Robotics Inc. was founded in June 2020.", "It is in Austin."]
    # the sentence quoted whole, not cut at "U.S."
    card = Passage(1, "program:sttr", "STTR", text)
    answer = compose("What kind of research institution must the partner be?", [card], tokens)
    assert "U.S. research institution" in answer.text, answer.text


def test_sentences_meeting_in_latin_script_are_spaced_in_a_chinese_answer() -> None:
    said = ["STTR Phase I funds cooperative R&D [1].", "The small business does 40% of the work [1].", "说明：合作研究[1]。",
            "资助上限31.44万美元[1]。"]
    assert joined(said, "zh") == ("STTR Phase I funds cooperative R&D [1]. The small business does 40% of the work [1]."
                                  "说明：合作研究[1]。资助上限31.44万美元[1]。")
    assert joined(said[:2], "en") == "STTR Phase I funds cooperative R&D [1]. The small business does 40% of the work [1]."
