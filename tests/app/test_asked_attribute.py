"""What a question about the client asks for (app/core/asked_attribute.py): the attribute named by
the question's form, its owner when that is another firm, and whether the answered fields hold it."""

from __future__ import annotations

import numpy as np
import pytest

from app.core.answer import content_terms
from app.core.asked_attribute import (
    HEAD_CLOSE,
    OWNER_CLOSE,
    asked,
    asking_clauses,
    asks,
    attribute_held,
    named_group,
    profile_vocabulary,
    sentences_not_held,
)
from app.core.field_aim import FieldAim
from app.core.intents import load_intents
from app.core.tokenize import tokens


def _terms(text: str) -> frozenset[str]:
    return frozenset(content_terms(text, tokens))


VOCABULARY = profile_vocabulary(load_intents(), _terms)


def _held(question: str, head: float = 0.0, owner: float = 0.0) -> bool:
    return attribute_held(question, VOCABULARY, _terms, lambda _: head, lambda _: owner)


def test_the_attribute_is_the_last_phrase_before_the_question_word() -> None:
    assert asked("销售团队的人均提成是多少？").head == ("人均", "提成")
    assert asked("这家企业2022年的总资产有多少？").head == ("总资产",)
    assert asked("What is the typical bonus of the company's sales staff?").head == ("typical", "bonus")


def test_including_is_no_part_of_what_is_asked() -> None:
    assert "包括" not in asked("它的经营范围包括软件开发吗？").head  # the scope's activity is asked, not "including"


def test_a_verb_question_names_no_attribute() -> None:
    assert asked("How much did the company invest in new plants in 2022?").head == ()
    assert asked("In what year was the firm set up?").head == ()  # a period word ends the phrase


def test_the_noun_after_which_is_the_kind_of_answer_not_the_attribute() -> None:
    assert asked("C轮是哪个基金牵头的？").head == ("牵头",)


def test_after_which_the_whole_phrase_is_a_second_reading() -> None:
    a = asked("它现在属于哪个发展阶段？")
    assert a.head == ("阶段",) and a.alt == ("发展", "阶段")


def test_an_english_head_ends_at_its_verb_and_a_measure_reads_through_of() -> None:
    assert asked("Which lenders funded the company?").head == ("lenders",)
    a = asked("What is the size of its patent portfolio?")
    assert a.head == ("size",) and a.alt == ("patent", "portfolio")


def test_a_possessive_before_the_attribute_names_its_owner() -> None:
    assert asked("比亚迪去年的净利润是多少？").owner[0] == "比亚迪"
    assert asked("它的最大股东今年营收多少？").owner == ("最大", "股东")
    assert asked("该公司的营收是多少？").owner == ()  # the client itself
    assert asked("公司2021年营收多少？").owner == ()


def test_a_character_jieba_leaves_alone_after_a_word_is_part_of_it() -> None:
    assert "".join(asked("台积电的员工有多少人？").owner) == "台积电"
    assert asked("它有多少人？").head == ()  # a measure word after 多少 stays a function word


def test_the_english_subject_after_an_auxiliary_owns_the_attribute() -> None:
    assert asked("What profit did its main supplier report in 2022?").owner == ("main", "supplier")
    assert asked("How many staff does Globex have?").owner == ("globex",)
    assert asked("What profit did the company report in 2022?").owner == ()
    assert asked("How many patents has the client been granted?").owner == ()


def test_how_much_reads_the_verb_as_what_is_measured() -> None:
    assert asked("How much money has the firm brought in this year?").alt == ("brought",)
    assert asked("How much stock does Initech hold?").alt == ("hold",)
    assert not _held("How much stock does the company have?")  # "have" names nothing the profile holds


def test_an_attribute_the_profile_vocabulary_names_is_held_without_the_model() -> None:
    assert _held("它的专利有多少项？")
    assert _held("How many employees does the company have?")


def test_an_attribute_outside_the_vocabulary_needs_a_close_field_name() -> None:
    assert not _held("这家公司的员工平均年龄是多少？", head=HEAD_CLOSE - 0.01)
    assert _held("这家公司的员工平均年龄是多少？", head=HEAD_CLOSE + 0.01)


def test_a_word_made_of_a_field_names_characters_is_held() -> None:
    assert _held("它B轮融了多少？")  # 融资轮次


def test_another_owner_is_declined_unless_it_is_part_of_a_firm() -> None:
    assert not _held("比亚迪去年的研发费用是多少？", owner=OWNER_CLOSE - 0.01)
    assert _held("研发团队里技术骨干的人数是多少？", head=1.0, owner=OWNER_CLOSE + 0.01)


def test_field_aim_gives_the_closest_name_of_the_fields_asked() -> None:
    vectors = {"revenue": [1.0, 0.0], "营业收入": [1.0, 0.0], "employees": [0.0, 1.0], "员工人数": [0.0, 1.0]}

    def embed(texts: list[str]) -> np.ndarray:
        return np.array([vectors.get(t, [0.6, 0.8]) for t in texts])

    aim = FieldAim([["revenue"], ["employees"]], embed)
    assert aim.closest("revenue", ["revenue"]) == 1.0
    assert aim.closest("revenue", ["employees"]) == 0.0
    assert aim.closest("revenue") == 1.0
    assert aim.closest("revenue", ["no_such_field"]) == 1.0  # nothing to hold it against


def test_a_share_asked_is_held_by_a_ratio_field_when_what_it_is_a_share_of_is_named() -> None:
    """'What percentage of its bookings goes to research?': the head only names a share, the noun
    after 'of' says of what, the words after it say how; a ratio among the answered fields holds it."""
    question = "What percentage of its bookings goes to research?"
    vocabulary = VOCABULARY | _terms("bookings")
    assert asked(question).alt == ("bookings", "goes")
    assert not attribute_held(question, vocabulary, _terms, lambda _: 0.0, lambda _: 0.0)  # no ratio answered
    assert attribute_held(question, vocabulary, _terms, lambda _: 0.0, lambda _: 0.0, shares_answered=True)
    assert not attribute_held(question, VOCABULARY, _terms, lambda _: 0.0, lambda _: 0.0,
                              shares_answered=True)  # a share of something no field names


def test_a_date_asked_is_of_the_thing_named_before_the_time_word() -> None:
    a = asked("它的高企证书什么时候核发的？")
    assert (a.head, a.alt, a.when) == (("高企", "证书"), ("核发",), True)
    assert asked("When was its high-tech enterprise certificate issued?").when
    assert not asked("它的高企证书编号是多少？").when


def test_a_date_asked_is_held_only_by_fields_holding_dates_of_that_thing() -> None:
    dated = profile_vocabulary(load_intents(), _terms, ["certificate.hnte"])
    question = "它的高企证书什么时候核发的？"
    assert attribute_held(question, VOCABULARY, _terms, lambda _: 0.0, lambda _: 0.0, dated=dated)
    assert not attribute_held(question, VOCABULARY, _terms, lambda _: 0.0, lambda _: 0.0)  # no dated field answered
    # a count of patents says nothing of when one was granted, even beside a dated certificate
    assert not attribute_held("它的发明专利是哪一年授权的？", VOCABULARY, _terms, lambda _: 0.0, lambda _: 0.0, dated=dated)


def test_words_saying_how_an_attribute_is_counted_or_when_are_no_part_of_it() -> None:
    assert asked("What's the firm's total headcount these days?").head == ("headcount",)  # "what's" is "what is"
    assert asked("這家公司的軟體著作權數量是多少？").head == ("软体", "著作权")
    assert asked("客戶有沒有涉訴記錄？").head == ("涉诉",)
    assert asked("研发人员的平均工资是多少").head == ("平均工资",)
    assert asked("它的记录是多少？").head == ("记录",)  # nothing else names it: kept


def test_the_subject_of_a_how_much_verb_question_is_read_as_its_owner_unless_it_is_the_client() -> None:
    assert asked("How much did total assets grow from 2022 to 2023?").owner == ("total", "assets")
    assert asked("How much did BYD spend on R&D last year?").owner == ("byd",)
    assert asked("How much did the company spend on R&D in 2023?").owner == ()
    assert asked("What was its total revenue over 2021-2023?").head == ("revenue",)  # a span ends the phrase


def test_the_group_whose_field_names_name_the_attribute_answers_it() -> None:
    groups = [s.fields for s in load_intents().specs if s.route == "profile"]
    revenue = next(g for g in groups if "revenue" in g)
    assets = next(g for g in groups if "total_assets" in g)
    # routed to revenue, the words name the assets: the assets' group, of its amounts the one named
    chosen = named_group("How much did total assets grow from 2022 to 2023?", revenue, groups, _terms)
    assert "total_assets" in chosen and "net_profit" not in chosen and "revenue" not in chosen
    assert named_group("What was its revenue in 2023?", revenue, groups, _terms) == tuple(revenue)
    assert named_group("這家公司研發費用佔收入的比例是多少？", revenue, groups, _terms) == tuple(revenue)  # a share word alone
    assert named_group("What is its customer churn?", assets, groups, _terms) == tuple(assets)  # named by no group
    # the routed field named outright beside another group's: both are asked
    code = next(g for g in groups if "unified_social_credit_code" in g)
    both = named_group("极光的统一社会信用代码和注册地址原文给我", code, groups, _terms)
    assert "unified_social_credit_code" in both and any(f != "unified_social_credit_code" and "address" in f for f in both)


def test_a_sum_or_a_difference_asked_of_an_attribute_is_no_other_attribute() -> None:
    assert asked("该公司2022和2023兩年的營收加起來一共多少？").head == ("营收",)
    assert asked("2023年的研發費用比2021年多出多少錢？").head == ("研发", "费用")
    assert asked("比亚迪去年的净利润是多少？").owner == ("比亚迪",)  # a name beginning with 比 is no comparison


def test_a_participle_after_have_is_the_verb_not_an_owner() -> None:
    assert asked("Which funds have backed the firm?").owner == ()
    assert asked("Which investors has Acme backed?").owner == ("acme",)


def test_a_round_named_by_its_letter_is_one_word_and_a_when_word_is_cut_whole() -> None:
    """"那轮A轮是哪年融的": the date of the A round (哪年 is the question word, not 哪 | 年融; 那轮 only points)."""
    a = asked("它那轮A轮是哪年融的？")
    assert a.when and a.head == ("a轮",)
    assert asked("它的B+轮是什么时候融的？").head == ("b+轮",)


def test_the_subject_of_you_duoshao_owns_what_is_counted() -> None:
    """"华为有多少项专利": Huawei's patents, not the client's; "它有多少员工" stays the client's."""
    assert asked("華為有多少項專利？").owner == ("华为",)
    assert asked("比亚迪有多少员工？").owner == ("比亚迪",) and asked("比亚迪有多少员工？").head == ("员工",)
    assert asked("它有多少员工？").owner == () and asked("该公司有几项发明专利？").owner == ()


def test_a_when_question_dates_its_object_or_its_subject() -> None:
    """"When did the company raise its Series A": the round; "when was its HNTE certificate issued": the
    certificate; "when was it set up": nothing besides the client (its founding)."""
    assert asked("When did the company raise its Series A?").head == ("series",)
    assert asked("When was its HNTE certificate issued, and who issued it?").head == ("hnte", "certificate")
    assert asked("When does the certificate expire?").head == ("certificate",)
    assert asked("When was it set up?").head == () and asked("When was the company founded?").head == ()
    assert all(asked(q).when for q in ("When was it set up?", "When does the certificate expire?"))


def test_a_word_is_met_by_its_glossary_concept_in_another_of_its_names() -> None:
    from app.core.asked_attribute import _met

    def terms(text: str) -> frozenset[str]:
        return frozenset(content_terms(text, tokens))

    vocabulary = set(terms("high-tech enterprise certificate 高新技术企业证书"))
    assert _met(("hnte", "certificate"), vocabulary, terms)
    assert not _met(("iso", "certificate"), vocabulary, terms)


def test_an_irregular_past_verb_ends_the_attribute_as_an_ed_verb_does() -> None:
    assert asked("Which investor took the lead in the client's 2022 A round?").head == ("investor",)
    assert asked("Which investors backed it?").head == ("investors",)


def test_question_words_and_measure_words_name_no_attribute() -> None:
    """"涨了百分之多少" asks a change as a percentage of 营收; "是谁领的？还有谁跟了？" asks who of the A round."""
    assert asked("21年到22年营收涨了百分之多少？").head == ("营收",)
    assert asked("它A轮是谁领的？还有谁跟了？").head == ("a轮",)
    assert asked("一起投的还有谁？").head == ()  # "together" says how, not what: who else invested


def test_each_sentence_that_asks_is_read_and_a_statement_beside_it_is_not() -> None:
    """"…是多少？我要填一张表。": the figure asked is held, the form to fill is no attribute asked; of two
    questions asked together, one the fields hold is answered and the other is said not to be held."""
    assert asking_clauses("这家公司的研发费用是多少？我要填一张表。") == ["这家公司的研发费用是多少？"]
    assert asking_clauses("它有多少项专利？它的员工平均年龄多大？") == ["它有多少项专利？", "它的员工平均年龄多大？"]
    assert asking_clauses("它的员工有多少？") == ["它的员工有多少？"]
    assert _held("这家公司的研发费用是多少？我要填一张表。")
    assert not _held("这家公司的员工平均年龄是多少？我要填一张表。")  # the question's own attribute still decides
    assert _held("它有多少项专利？它的员工平均年龄多大？")  # the patents are held …
    assert sentences_not_held("它有多少项专利？它的员工平均年龄多大？", VOCABULARY, _terms, lambda _: 0.0,
                              lambda _: 0.0) == ["它的员工平均年龄多大？"]  # … the average age is said not to be
    assert not _held("它的员工平均年龄多大？平均工资呢？")  # neither is held
    assert sentences_not_held("它有多少项专利？", VOCABULARY, _terms, lambda _: 0.0, lambda _: 0.0) == []


def test_a_sentence_naming_nothing_beside_another_leans_on_it() -> None:
    """"派了多少？", "具体几月份？" name no attribute of their own (only how it is counted or dated): they are read
    with the sentence before them, which decides."""
    assert not _held("公司2023年有没有向股东派发现金股利？派了多少？")
    def dated_held(question: str) -> bool:
        return attribute_held(question, VOCABULARY, _terms, lambda _: 0.0, lambda _: 0.0, dated=VOCABULARY)

    assert dated_held("它是哪一年成立的？具体几月份？")


def test_a_round_named_by_its_letter_is_a_funding_round_the_profile_holds() -> None:
    assert asked("它的C轮是谁领的？").head == ("c轮",)
    assert _held("它的C轮是谁领的？")  # no content word, yet a round: met by the funding fields' words


def test_a_verb_asked_for_an_amount_names_no_attribute_and_its_subject_owns_it() -> None:
    """"它B轮一共融到多少钱" asks an amount of raising, as "how much did it raise" does: no attribute is named
    (到 / 了 / 过 mark the verb); "比亚迪一共募到多少钱" asks another firm's."""
    a = asked("它B轮一共融到多少钱？")
    assert (a.head, a.owner) == ((), ("b轮",))
    assert _held("它去年一共募到多少钱？") and _held("它B轮一共融到多少钱？")
    assert asked("比亚迪一共募到多少钱？").owner == ("比亚迪",)
    assert not _held("比亚迪一共募到多少钱？", owner=OWNER_CLOSE - 0.01)
    assert asked("它的员工有多少？").head == ("员工",)  # a noun before 有多少 is still the attribute


def test_a_chinese_share_is_held_by_a_ratio_field_when_what_it_is_a_share_of_is_named() -> None:
    """"A在B里占几成": a share of A, as "what percentage of A" is; held by a ratio answered when A is named."""
    def held(question: str, shares: bool) -> bool:
        return attribute_held(question, VOCABULARY, _terms, lambda _: 0.0, lambda _: 0.0, shares_answered=shares)

    assert held("它的研发投入在总支出里占几成？", True)
    assert not held("它的研发投入在总支出里占几成？", False)  # no ratio answered
    assert not held("它的广告费在总支出里占几成？", True)  # a share of something no field names


def test_the_clients_own_verb_is_a_second_reading_of_which_thing_is_asked() -> None:
    """"What town is the company based in": the town it is based in (its location), read by the verb when the
    client is its subject and the verb's preposition is left at the end; not the verb of a thing of the client's
    ("did the company's Series B close at"), nor a verb of what it makes or pays."""
    a = asked("What town is the company based in?")
    assert (a.head, a.alt) == (("town",), ("based",))
    assert _held("What town is the company based in?")
    assert asked("What valuation did the company's Series B close at?").alt == ()
    assert not _held("What valuation did the company's Series B close at?")
    assert not _held("What dividend does the company pay?")  # a verb no field is asked in
    assert asked("What margin does it make?").alt == ()  # what it makes is no place or field it works in


def test_a_field_named_by_another_name_the_glossary_gives_it_keeps_its_group_among_two_routed() -> None:
    """"net income" is the net profit (净利润): routed with revenue's growth beside it, the net profit's group answers."""
    groups = [s.fields for s in load_intents().specs if s.route == "profile"]
    assert named_group("What was the company net income for 2023?", ("revenue_growth", "net_profit"), groups,
                       _terms) == ("net_profit",)
    assert named_group("What was its revenue growth and net profit?", ("revenue_growth", "net_profit"), groups,
                       _terms) == ("revenue_growth", "net_profit")  # both named: both asked


def test_the_group_named_is_read_from_the_sentence_that_asks() -> None:
    """A field named in a statement beside the question ("我待会要填资产总额。") does not re-aim the answer."""
    groups = [s.fields for s in load_intents().specs if s.route == "profile"]
    revenue = next(g for g in groups if "revenue" in g)
    assert named_group("它的营收是多少？我待会要填资产总额。", revenue, groups, _terms) == tuple(revenue)
    assert "total_assets" in named_group("它的资产总额是多少？", revenue, groups, _terms)


def test_a_sentence_with_almost_or_any_in_it_asks_nothing_and_english_sentences_are_read_one_by_one() -> None:
    from app.core.asked_attribute import asking_clauses

    assert asking_clauses("員工有多少人？我幾乎每天都要填表。") == ["員工有多少人？"]
    assert asking_clauses("它的全称是什么？任何时候都要填表。") == ["它的全称是什么？"]
    assert asking_clauses("I need to fill the loan form. What is the company's full name?") == ["What is the company's full name?"]
    assert asking_clauses("What was the revenue of Acme Inc. in 2023?") == ["What was the revenue of Acme Inc. in 2023?"]


def test_a_count_asked_with_its_classifier_names_nothing() -> None:
    from app.core.asked_attribute import asked

    assert asked("该公司的A轮是哪几家机构投的？").head == ("机构", "投")
    assert "多少位" not in asked("它有多少位研发人员？").head
    assert asked("R&D那边占多少个人？").head == ()  # 多少个人: how many people (个 the classifier), not 个人 (personal)
    assert asked("一共120个人，研发的到底有多少？").head == ("研发",)  # 到底: how insistent, not what


def test_the_source_to_go_by_and_a_period_written_as_one_word_are_no_part_of_the_attribute() -> None:
    from app.core.asked_attribute import asked

    assert asked("烦请告知该公司2022年度研发费用总额（以财务报表口径为准）。").head == ("研发", "费用", "总额")
    assert asked("按审计报告，2023年净利润多少").head == ("净利润",)
    assert asked("the company got how much short term borrowings end-2023").head == ("short", "term", "borrowings")


def test_a_place_asked_by_its_level_is_held_by_the_region_fields_only() -> None:
    assert asked("Northwind在美国哪个州？").head == ("州",)  # not 美国: the state is asked, in the US
    assert asked("它在哪个省哪个市？").head == ("市",)
    region = profile_vocabulary(load_intents(), _terms, only=("region",))
    revenue = profile_vocabulary(load_intents(), _terms, only=("revenue",))
    assert attribute_held("它在美国哪个州？", region, _terms, lambda _: 0.0, lambda _: 0.0)
    assert not attribute_held("它在美国哪个州？", revenue, _terms, lambda _: 0.0, lambda _: 0.0)


def test_a_colon_sets_off_what_is_asked_and_each_has_names_nothing() -> None:
    assert asking_clauses("看下它的IP家底：发明专利、实用新型、软著各有几项？") == ["发明专利、实用新型、软著各有几项？"]
    assert asking_clauses("Quick one: when was it founded?") == ["when was it founded?"]
    assert asked("发明专利、实用新型、软著各有几项？").head == ("软著",)  # not 软著 各有: 各有 says "each has"


def test_a_share_of_a_whole_is_named_by_what_comes_before_zhan() -> None:
    groups = [("revenue", "revenue_growth"), ("rd_expense", "rd_expense_ratio")]
    routed = ("rd_expense", "rd_expense_ratio")
    assert named_group("它2023年R&D费用占revenue多少%？", routed, groups, _terms) == routed  # the R&D share, not revenue
    assert named_group("它的营业收入增长了多少？", routed, groups, _terms) == ("revenue", "revenue_growth")  # still moves


def test_a_separable_verb_is_read_whole_and_a_time_adverb_names_nothing() -> None:
    assert asked("该公司之前融过资吗？").head == ("融资",)  # not 之前 融过资
    assert asked("它上过市吗？").head == ("上市",)
    assert _held("它之前融过资吗？")


def test_whether_two_sources_agree_is_no_attribute_and_the_basis_of_a_figure_is_no_owner() -> None:
    # the figure asked is the attribute; whether the plan and the statements agree is shown with it
    assert _held("BP里写2023年营收1.3亿，财务报表里2023年营业收入是多少？两份材料一致吗")
    # a sentence beside it that sets the figures out names none of its own: the figure agreement is asked of
    assert _held("商业计划书里写的2023年营收，和财务报表里的营业收入好像对不上？两个口径分别是多少")
    assert _held("商業計畫書寫2023年營收1.3億，跟財報上的營業收入對得起來嗎？財報是幾億元？")
    # another question beside it: the figure is answered, the other question said not to be held
    beside = "财务报表里2023年营业收入是多少？两家供应商的报价一致吗？供应商是谁？"
    assert _held(beside)
    assert sentences_not_held(beside, VOCABULARY, _terms, lambda _: 0.0, lambda _: 0.0) == ["供应商是谁？"]
    assert asked("财报口径的实际增速是多少？") == asked("增速是多少？")  # the basis says how it is stated, not whose
    assert asked("what % are we looking at?").head == ()  # the asker and a filler verb name nothing


def test_english_function_words_in_a_code_switched_question_name_nothing() -> None:
    # a question that mixes the languages is read in its Chinese form: its English question words and fillers
    # are no part of the attribute, its English content words are
    assert asked("how many 软著 (software copyrights) too").head == ("software", "copyrights")
    assert asked("what is the company's 研发费用 for 2023?").head == ("研发", "费用")
    assert asked("what about 营收 in 2022").head == ("营收",)



class _FarAim:
    """A field-name check that finds no phrase close: only the vocabulary decides."""

    def closest(self, phrase: str, fields: object = None) -> float:
        return 0.0


def test_a_change_asked_of_an_amount_is_held_by_the_amount() -> None:
    from app.chat import holds_attribute

    # the profile derives the change of any amount it holds for two years: the words asking it are the amount's
    question = "What was the percentage increase in R&D expense from 2022 to 2023?"
    assert holds_attribute(question, ("rd_expense", "rd_expense_ratio"), _FarAim())  # type: ignore[arg-type]
    assert holds_attribute("研发费用增幅多少", ("rd_expense",), _FarAim())  # type: ignore[arg-type]
    assert not holds_attribute("What was the increase in its tax rating?", ("tax_rating",), _FarAim())  # type: ignore[arg-type]


def test_a_negated_predicate_after_the_verb_is_no_owner() -> None:
    # "are not R&D engineers" says which of them, not whose: the employees asked are the client's
    assert asked("How many employees are not R&D engineers?").owner == ()
    assert asked("What revenue did its rival report?").owner != ()  # a subject after the verb still owns it


def test_colloquial_forms_of_which_and_year_and_a_share_read_as_the_question_words_they_are() -> None:
    assert asked("它的註冊地在深圳的哪一區？").head == ("区",)  # 哪一区: which district, not a word 一区
    assert asked("what yr did the company start").when  # yr: year
    assert asked("研发人员在全体员工里大概占多大比例？").head == ("比例",)  # 占多大: asks the share, names nothing
    assert asked("应用场景主要有哪些？").head == ("应用", "场景")  # 主要: which ones, not what


def test_a_plus_between_two_questions_splits_them() -> None:
    clauses = asking_clauses("what yr did the company start + where are they located?")
    assert clauses == ["what yr did the company start", "where are they located?"]


def test_a_verb_of_holding_before_de_is_no_owner_its_subject_is() -> None:
    assert asked("极光目前持有的发明专利有多少项？".replace("极光", "它")).owner == ()  # 持有的: held by the client
    assert asked("华为持有的专利有多少项").owner == ("华为",)  # another firm's, whatever the verb


def test_how_precise_the_answer_must_be_is_no_attribute() -> None:
    assert asked("麻烦查一下该公司的成立时间，要具体到年月").head == ("成立", "时间")  # 具体到年月: the precision
    assert asked("营收多少，精确到万元").head == ("营收",)


def test_a_question_typed_as_a_bare_noun_phrase_asks_that_phrase_when_it_is_all_that_was_asked() -> None:
    assert asked("the company reg capital?", terse=True).head == ("reg", "capital")
    assert asked("the company rev fy23?", terse=True).head == ("rev",)  # up to the period
    assert asked("nw fy23 rev growth yoy %?", terse=True).head == ("rev", "growth", "yoy")  # the longer part
    assert asked("net profit 2021+2022+2023 combined?", terse=True).head == ("net", "profit")
    assert asked("accel's stake in the company post series a?", terse=True).head == ("accel's", "stake")
    # a verb, a person or a question word: not a noun phrase, nothing read
    for question in ("could you round their R&D ratio up to 8%", "show me revenue", "whos leading its series A?"):
        assert asked(question, terse=True).head == ()
    assert asked("the company reg capital?").head == ()  # read only when asked for
    assert not _held("the company reg capital?", head=HEAD_CLOSE - 0.01)
    assert _held("the company headcount?", head=HEAD_CLOSE - 0.01)
    # beside a question that asks, a short sentence ("Texas somewhere?") asks nothing new
    assert not _held("Office lease terms?", head=HEAD_CLOSE - 0.01)
    assert _held("How many employees does the company have? Office lease terms?", head=HEAD_CLOSE - 0.01)


def test_a_bare_noun_phrase_names_the_amount_asked_among_those_answered_together() -> None:
    # "total net profit …" (the periods apart, a short phrase): the net profit, not the total assets beside it
    groups = [("total_assets", "net_profit"), ("revenue",)]
    assert named_group("total net profit 2021+2022+2023 for the company?", ("total_assets", "net_profit"), groups,
                       _terms) == ("net_profit",)


def test_where_a_thing_comes_from_and_a_modal_verb_name_neither_an_owner_nor_an_attribute() -> None:
    assert asked("他们之前有没有拿过外面的投资？").owner == ()  # outside investment: the client's
    assert asked("它手上到底有多少知识产权？").owner == ()  # in hand: the client's
    assert asked("比亚迪的研发费用是多少？").owner == ("比亚迪",)
    assert asked("能管几年").head == ()  # how long it lasts: a verb asked, no attribute named
    assert asked("证书能管几年").head == ("证书",)  # of the certificate


def test_the_word_for_a_sum_names_no_attribute() -> None:
    assert _held("把它2022年、2023年的营收相加，总数是多少？", head=HEAD_CLOSE - 0.01)
    assert asked("员工总数是多少？").head == ("员工",)


def test_a_clause_that_asks_nothing_stays_with_the_ask_it_is_the_topic_of() -> None:
    from app.core.asked_attribute import asking_clauses

    question = "极光的研发花费，2023年跟2021年比多了多少？翻了几倍"
    assert asking_clauses(question) == ["2023年跟2021年比多了多少？", "翻了几倍"]  # the topic lost
    assert asking_clauses(question, topics=True) == ["极光的研发花费，2023年跟2021年比多了多少？", "翻了几倍"]
    assert asking_clauses("For Aurora, what was revenue in 2023, and how many staff?", topics=True) == [
        "For Aurora, what was revenue in 2023", "how many staff?"]
    assert asking_clauses("哪年成立的，总部在哪", topics=True) == ["哪年成立的", "总部在哪"]



def test_the_document_a_figure_is_read_from_and_an_amount_asked_by_its_magnitude_name_no_attribute() -> None:
    from app.core.asked_attribute import _AGREE, asked

    # "财报上" says where the revenue is read (jieba alone cuts it 财 | 报上, an attribute no profile holds)
    assert asked("财报上2023年营业收入是多少？").head == ("营业", "收入")
    assert asked("利润表里的净利润是多少？").head == ("净利润",)
    # "是几亿元" asks how much, as 多少 does: it names nothing of its own
    assert asked("财报是几亿元？").head == ()
    assert asked("极光去年营收是几个亿？").head == ("营收",)
    assert _AGREE.search("跟财报上的营业收入对得起来吗")  # whether two sources agree


def test_conjuncts_joined_by_and_plus_or_he_each_name_an_attribute_or_only_a_period() -> None:
    from app.core.asked_attribute import coordinated, names_something

    assert coordinated("FY23 vs FY22 revenue and total headcount") == ["FY23 vs FY22 revenue", "total headcount"]
    assert coordinated("total employees + R&D staff?") == ["total employees", "R&D staff"]  # R&D's & joins nothing
    assert coordinated("2023年总资产和净利润") == ["2023年总资产", "净利润"]
    # code-switched: an English "and" joins too
    assert coordinated("Northwind 那家 - total employees and how many are R&D engineers?") == [
        "Northwind 那家 - total employees", "how many are R&D engineers"]
    assert coordinated("What is the R&D ratio?") == ["What is the R&D ratio?"]
    assert coordinated("revenue for 2022 and 2023 in total") == ["revenue for 2022 and 2023 in total"]  # years joined
    assert coordinated("total net profit 2021+2022+2023") == ["total net profit 2021+2022+2023"]
    assert not names_something("FY2022")
    assert names_something("FY23 vs FY22 revenue") and names_something("员工人数分别是多少")
    assert not names_something("2022年")


def test_the_amounts_joined_are_each_named_and_a_ratio_of_x_to_y_is_xs() -> None:
    groups = [s.fields for s in load_intents().specs if s.route == "profile"]
    assets = next(g for g in groups if "total_assets" in g)
    rd = next(g for g in groups if "rd_expense" in g)
    # each conjunct names one amount of the group (总资产 by the glossary's name for 资产总额): both are asked
    both = named_group("2023年总资产和净利润", assets, groups, _terms)
    assert "total_assets" in both and "net_profit" in both
    assert named_group("2023年净利润", assets, groups, _terms) == tuple(f for f in assets if f != "total_assets")
    # "the R&D-to-revenue ratio" is the R&D expense's ratio: the revenue it is taken of is not the attribute
    assert named_group("What was the R&D-to-revenue ratio in 2022?", rd, groups, _terms) == tuple(rd)


def test_a_word_for_the_client_counted_is_what_is_counted_and_no_field_is_asked_in_it() -> None:
    from app.core.asked_attribute import profile_vocabulary

    assert asked("有多少个客户？").head == ("客户",)  # its customers, not the client
    assert asked("有几个客户").head == ("客户",)
    assert asked("这个客户有多少员工").head == ("员工",)  # the client, whose employees are asked
    assert asked("客户的营收多少").head == ("营收",)
    vocabulary = profile_vocabulary(load_intents(), _terms)  # the exemplars call the client 客户: no attribute
    assert "客户" not in vocabulary and "员工" in vocabulary
    employees = profile_vocabulary(load_intents(), _terms, ["employees"])
    assert not attribute_held("有多少个客户？", employees, _terms, lambda _: 0.0, lambda _: 0.0)
    assert attribute_held("有多少个员工？", employees, _terms, lambda _: 0.0, lambda _: 0.0)


def test_a_document_that_shows_the_figure_is_where_it_is_not_whose() -> None:
    assert _held("What revenue does the income statement show for 2023?")
    assert _held("How much revenue does the BP report for 2023?")
    assert _held("What figure does the P&L actually show for 2023 revenue?", head=HEAD_CLOSE)  # (a figure: by meaning)
    assert not _held("What figure does Acme actually show for 2023 revenue?", head=HEAD_CLOSE)  # another firm's


def test_a_request_asks_and_the_clause_saying_why_beside_it_does_not() -> None:
    assert asking_clauses("pls pull the HNTE cert number for the company, client wants it for the loan form asap") == [
        "pls pull the HNTE cert number for the company"]
    assert asking_clauses("帮我查一下它的注册地址，明天拜访要用") == ["帮我查一下它的注册地址"]
    assert asking_clauses("麻烦发一下信用代码，我要填表") == ["麻烦发一下信用代码"]
    assert not asks("client wants it for the loan form asap") and not asks("明天拜访要用")
    # a courtesy naming nothing asked is no ask of its own
    assert asking_clauses("請問它目前員工數是多少？其中研發人員有幾位呢？麻煩幫我確認一下，我要填授信報告。", within=False) == [
        "請問它目前員工數是多少？", "其中研發人員有幾位呢？"]
    assert not asks("麻煩幫我確認一下") and not asks("pls confirm")


def test_a_generic_head_after_a_program_family_names_no_word_of_its_own_and_jishi_asks_when() -> None:
    from app.core.asked_attribute import names_something
    from app.core.program_names import text_units
    assert text_units("the STTR version") == text_units("the STTR one") == {"sttr"}
    assert not names_something("几时？") and names_something("几时成立的？")


def test_a_part_naming_nothing_joins_the_part_before_and_a_period_may_stand() -> None:
    from app.core.asked_attribute import leaning_joined
    assert leaning_joined(["who led its Series A", "how much was it?"]) == ["who led its Series A how much was it?"]
    assert leaning_joined(["Northwind 2023年 revenue 幾多？", "2022年又係幾多？"], periods_stand=True) == [
        "Northwind 2023年 revenue 幾多？", "2022年又係幾多？"]
    assert leaning_joined(["营收多少", "研发费用呢"]) == ["营收多少", "研发费用呢"]  # each names its own attribute


def test_a_number_written_in_chinese_and_what_the_asker_recalls_name_no_attribute() -> None:
    from app.core.asked_attribute import leaning_joined, names_something
    # "我记得是四十几个还是五十几个": how many the asker remembers, of what the part before asked
    assert not names_something("我记得是四十几个还是五十几个")
    assert leaning_joined(["然后研发的人有多少", "我记得是四十几个还是五十几个"]) == [
        "然后研发的人有多少 我记得是四十几个还是五十几个"]
    assert asked("A轮融了三千多万吗？研发人员多少").head == ("研发", "人员")
    assert names_something("研发人员五十几个")


def test_a_growth_asked_of_the_source_names_no_thing_of_its_own() -> None:
    from app.core.asked_attribute import names_something
    assert not names_something("按利潤表算出來增長率是多少")
    assert not names_something("growth rate per the P&L?")
    assert names_something("the R&D expense growth") and names_something("营收增长率")


def test_things_set_side_by_side_by_vs_are_each_asked_periods_are_one_attribute_s() -> None:
    from app.core.asked_attribute import coordinated
    assert coordinated("R&D ppl vs total headcount at Aurora?") == ["R&D ppl", "total headcount at Aurora"]
    assert coordinated("key numbers pls: FY23 vs FY22 revenue and total headcount") == [
        "key numbers pls: FY23 vs FY22 revenue", "total headcount"]
    assert coordinated("revenue 2022 versus 2023") == ["revenue 2022 versus 2023"]


def test_a_currency_after_how_much_is_the_unit_not_the_attribute() -> None:
    assert asked("2023年的研發費用是多少美金？").head == ("研发", "费用")
    assert asked("A轮融了多少人民币").head == ()


def test_which_document_says_so_asks_nothing_the_citations_do_not_give() -> None:
    assert asking_clauses("who led its series A, and how big was the round? which doc says so?", within=False) == [
        "who led its series A, and how big was the round?"]
    assert not asks("which doc says so?") and not asks("出处写清楚是商业计划书还是别的文件。")
    assert asks("哪份文件规定了加计扣除比例？") and asks("which document sets the 30% rule?")  # a document asked for


def test_than_before_a_direction_asked_and_a_request_to_compute_read_as_they_ask() -> None:
    # "2023跟2022比是升还是降": 比 is "than", the direction asked names no attribute (jieba would cut 比是)
    assert asked("2023跟2022比是升还是降？").head == ()
    assert asked("研发费用占营收比，2023跟2022比是升还是降？").head == ("研发", "费用", "占营收")
    assert asks("请用报表数字算一下实际增长率。") and asks("麻烦帮我对比一下两年的营收")


def test_whether_sources_agree_asked_alone_is_of_the_figure_the_sentences_beside_it_state() -> None:
    question = "BP说2023年营收1.3亿。这个说法跟财务报表对得上吗？"
    assert _held(question)  # the revenue stated beside the check is the attribute
    assert not _held("BP说2023年人均提成20万。这个说法跟财务报表对得上吗？")  # a figure no answered field holds
    # a request to set the figures out names none: the figure is the one the agreement is asked of
    assert _held("请问商业计划书所载2023年营业收入与财务报表所列数据是否一致？请分别列明。")
    assert not _held("请问商业计划书所载2023年人均提成与财务报表所列数据是否一致？请分别列明。")


def test_the_clients_business_asked_and_words_setting_figures_side_by_side_name_nothing() -> None:
    from app.core.asked_attribute import asking_clauses, leaning_joined, names_something
    assert names_something("what is its business?") and names_something("what's the firm's business")
    assert not names_something("is the business ok")  # the business: the client itself
    parts = asking_clauses("Where is the firm headquartered and what is its business?", topics=True)
    assert leaning_joined(parts) == ["Where is the firm headquartered", "what is its business?"]  # two asks
    assert not names_something("23年对比一下") and not names_something("2023 — both absolute figures")
    assert not names_something("the growth rate between them.") and names_something("对比营收")


def test_ji_joining_two_words_parts_them_and_inside_a_word_stays() -> None:
    from app.core.asked_attribute import asked, coordinated
    assert asked("请说明轮次、金额及领投机构。").head == ("领投", "机构")  # not 及领 | 投 | 机构
    assert coordinated("研发费用及员工人数") == ["研发费用", "员工人数"]
    assert coordinated("营收及时更新了吗") == ["营收及时更新了吗"]  # 及时: a word


def test_whether_sources_agree_in_one_sentence_is_of_the_figure_in_its_own_clause() -> None:
    # traditional script, the figure in a clause before the sources, and a request to set both figures out
    assert _held("請問該公司2023年營業收入，商業計劃書與財務報表所載是否一致？敬請分別列示兩處數字。")
    assert _held("该公司2023年营业收入，商业计划书与财务报表所载是否一致？")
    assert not _held("该公司2023年人均提成，商业计划书与财务报表所载是否一致？")


def test_a_question_listing_attributes_gives_its_heading_and_items() -> None:
    from app.core.asked_attribute import attribute_list

    assert attribute_list("Give me Northwind basics: HQ, founding year, what they sell") == \
        ("Give me Northwind basics", ["HQ", "founding year", "what they sell"])
    assert attribute_list("极光的基本情况：成立时间、总部、主营业务") == ("极光的基本情况", ["成立时间", "总部", "主营业务"])
    assert attribute_list("What are its revenue, headcount and R&D spend?") == \
        ("", ["What are its revenue", "headcount", "R&D spend"])
    assert attribute_list("KYC basics for Northwind pls — inc. date + HQ location") == \
        ("KYC basics for Northwind pls", ["inc. date", "HQ location"])
    # one attribute, clauses that ask, and long clauses are no list
    assert attribute_list("What was its revenue in 2023?") == ("", [])
    assert attribute_list("Revenue: how much was it? And growth?") == ("", [])
    assert attribute_list("As of 2023, what did the company report as revenue after all the adjustments were made") == ("", [])
    assert attribute_list("极光季度研发数据里，23Q4研发人头多少，主要在做啥项目") == ("", [])  # clauses asking, not items
    assert attribute_list("What was its net profit in 2022 and 2023?") == ("", [])  # two years of one attribute
    assert attribute_list("基本情况：成立时间，总部，主营业务") == ("基本情况", ["成立时间", "总部", "主营业务"])
    # items numbered or lettered, set apart by semicolons
    assert attribute_list("Please confirm: (a) total employees; (b) R&D engineers; (c) granted patents.") == \
        ("Please confirm", ["total employees", "R&D engineers", "granted patents"])


@pytest.mark.parametrize(("question", "head"), [
    ("公司之前拉过投资没有？", ("投资",)),  # a verb with its aspect marker, then what it acts on: the noun
    ("公司申请过专利吗", ("专利",)),
    ("公司的研发投入是多少", ("研发", "投入")),  # no verb marked: the run stands
])
def test_a_verb_marked_by_its_aspect_before_a_noun_is_not_the_attribute(question: str, head: tuple[str, ...]) -> None:
    assert asked(question, terse=True).head == head


def test_a_sentence_opening_on_its_reason_asks_nothing_unless_it_ends_on_a_question_mark() -> None:
    assert not asks("因为有几个南山区的scheme要check地域门槛")  # 几个: several, the reason for asking
    assert not asks("because we need it for the memo")
    assert asks("因为这个原因，它还能申请吗？")
    assert asking_clauses("它几时成立？注册地在哪个区？因为有几个南山区的scheme要check地域门槛", within=False) == [
        "它几时成立？", "注册地在哪个区？"]
