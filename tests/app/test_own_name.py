"""The client's own name read as "the company" before routing: its English distinguishing words
written capitalised (legal form and possessive with them), its Chinese name or a distinctive run of
it; common words and generic trade words are left alone."""

from __future__ import annotations

from app.core.own_name import as_the_company, own_names

NW = "Northwind Analytics Inc."
AURORA = "深圳极光智能科技有限公司"


def test_an_english_name_in_any_of_its_forms_reads_as_the_company() -> None:
    assert as_the_company("Is Northwind eligible for SBIR Phase I?", NW) == "Is the company eligible for SBIR Phase I?"
    assert as_the_company("Who leads Northwind's sales team?", NW) == "Who leads the company's sales team?"
    assert as_the_company("Did Northwind Analytics, Inc. raise a round?", NW) == "Did the company raise a round?"


def test_a_common_word_of_the_name_in_lower_case_is_not_the_name() -> None:
    assert as_the_company("a northwind blows", NW) == "a northwind blows"
    assert as_the_company("What about Aurora?", "") == "What about Aurora?"


def test_a_chinese_name_its_short_form_or_a_distinctive_run_reads_as_the_company() -> None:
    assert as_the_company("深圳极光智能科技有限公司的专利有几项？", AURORA) == "该公司的专利有几项？"
    assert as_the_company("极光智能去年营收多少？", AURORA) == "该公司去年营收多少？"
    assert as_the_company("極光智能去年營收多少？", AURORA) == "该公司去年營收多少？"


def test_generic_trade_words_shared_with_the_name_are_left_alone() -> None:
    assert as_the_company("智能科技公司有哪些补贴？", AURORA) == "智能科技公司有哪些补贴？"
    assert as_the_company("光智能呢？", AURORA) == "光智能呢？"


def test_an_english_name_run_on_into_chinese_reads_as_the_company_in_chinese() -> None:
    assert as_the_company("Northwind手上有几项授权专利？", "Northwind Analytics Inc.") == "该公司手上有几项授权专利？"
    assert as_the_company("给Northwind Analytics的额度有多少", "Northwind Analytics Inc.") == "给该公司的额度有多少"
    assert as_the_company("whos leading Northwind's series A?", "Northwind Analytics Inc.") == "whos leading the company's series A?"


def test_the_banks_handle_for_the_client_is_one_of_its_names_when_it_is_a_word() -> None:
    names = own_names("深圳极光智能科技有限公司", "aurora")
    assert as_the_company("Does Aurora have overdue loans with other banks?", *names) == \
        "Does the company have overdue loans with other banks?"
    assert own_names("深圳极光智能科技有限公司", "ent-00123") == ("深圳极光智能科技有限公司",)  # a code is no name
    assert as_the_company("Is the aurora borealis visible?", *names) == "Is the aurora borealis visible?"  # lower case
    assert own_names("某某科技有限公司", "credit", {"credit", "loan"}) == ("某某科技有限公司",)  # a word questions use


def test_a_chinese_client_called_by_its_two_character_trade_name_reads_as_the_company() -> None:
    from app.core.own_name import trade_name

    name = "深圳极光智能科技有限公司"
    assert trade_name(name) == "极光" and trade_name("广东省深圳市星河智能科技有限公司") == "星河"
    assert as_the_company("极光2023年研发费用多少？", name) == "该公司2023年研发费用多少？"
    assert as_the_company("極光2023年研發費用多少？", name) == "该公司2023年研發費用多少？"  # either script
    assert as_the_company("星河科技2023年研发费用多少？", name) == "星河科技2023年研发费用多少？"  # another firm


def test_a_lower_case_name_owning_something_is_the_name() -> None:
    assert as_the_company("roughly what share of northwind's team is R&D?", NW) == \
        "roughly what share of the company's team is R&D?"


def test_the_name_set_before_an_english_question_as_its_topic_is_dropped() -> None:
    assert as_the_company("Northwind - who led their Series A?", NW) == "Who led their Series A?"
    assert as_the_company("Northwind: revenue in 2023?", NW) == "Revenue in 2023?"
    assert as_the_company("Is Northwind: the company eligible?", NW).startswith("Is the company")


def test_the_handle_in_lower_case_is_the_name_when_the_asker_capitalises_nothing() -> None:
    names = own_names(AURORA, "aurora")
    assert as_the_company("aurora研发人数 23Q4是多少", *names) == "该公司研发人数 23Q4是多少"
    assert as_the_company("when was aurora founded, n where r they based", *names) == \
        "when was the company founded, n where r they based"
    assert as_the_company("Is the aurora borealis visible?", *names) == "Is the aurora borealis visible?"


def test_a_long_name_typed_with_one_slip_is_still_the_name_and_a_short_one_is_not_read_loosely() -> None:
    assert as_the_company("Nortwind's total revenue for 2023?", NW) == "the company's total revenue for 2023?"
    assert as_the_company("How many staff does Northwnd have?", NW) == "How many staff does the company have?"
    assert as_the_company("Does Norhtwind hold patents?", NW) == "Does the company hold patents?"
    assert as_the_company("Northward expansion plans?", NW) == "Northward expansion plans?"  # two letters off
    assert as_the_company("Does Acmee hold patents?", "Acme Ltd") == "Does Acmee hold patents?"
    # a compound name heard as two words and typed so
    assert as_the_company("How big is North Wind now?", NW) == "How big is the company now?"
    assert as_the_company("north wind二三年收入跟二二年比涨了多少", NW, "northwind") == "该公司二三年收入跟二二年比涨了多少"
    assert as_the_company("Where does the North Sea wind farm stand?", NW) == "Where does the North Sea wind farm stand?"


def test_an_abbreviation_of_the_name_in_capitals_reads_as_the_company() -> None:
    assert as_the_company("hey whats NW revenue fy2023", NW) == "hey whats the company revenue fy2023"  # north|wind
    assert as_the_company("who led NW's series A", NW) == "who led the company's series A"
    assert as_the_company("does NA have HNTE", NW) == "does the company have HNTE"  # its words' initials
    assert as_the_company("AUR 23年研发费用多少", AURORA, "aurora") == "该公司 23年研发费用多少"  # its first letters
    # two letters of one word that part no compound, a vowel, a known term, lower case: left as typed
    assert as_the_company("what is the AR balance", AURORA, "aurora") == "what is the AR balance"
    assert as_the_company("NI margin in 2023", NW) == "NI margin in 2023"
    assert as_the_company("nw revenue", NW) == "nw revenue"
    assert as_the_company("what is the ISO status", "Isometric Labs Ltd") == "what is the ISO status"


def test_the_clients_name_in_another_form_in_brackets_after_it_is_the_client() -> None:
    assert as_the_company("Quick one on Aurora (Jiguang) - when was their cert issued?", AURORA, "aurora") == \
        "Quick one on the company - when was their cert issued?"
    assert as_the_company("极光（Aurora）的营收多少", AURORA, "aurora") == "该公司的营收多少"
    assert as_the_company("Does Aurora work with Hillhouse (HCM)?", AURORA, "aurora") == \
        "Does the company work with Hillhouse (HCM)?"  # a name in brackets after another party's stays


def test_a_chinese_clients_trade_name_spelled_in_pinyin_is_the_client() -> None:
    assert as_the_company("When was Jiguang's HNTE cert issued?", AURORA, "aurora") == \
        "When was the company's HNTE cert issued?"
    assert as_the_company("How many patents does Ji Guang hold?", AURORA, "aurora") == "How many patents does the company hold?"
    assert as_the_company("jiguang员工多少", AURORA, "aurora") == "该公司员工多少"
    assert as_the_company("What is a jig?", AURORA, "aurora") == "What is a jig?"
