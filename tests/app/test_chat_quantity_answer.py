"""A document answer to a question asking for a figure must state one: a sentence that only talks
about the thing asked is no answer to "how much", "多少" or "what percentage"."""

from __future__ import annotations

from app.core.answer import Passage, compose, quantity_asked, states_number
from app.core.tokenize import tokens


def test_questions_asking_for_a_figure_and_sentences_stating_one() -> None:
    assert quantity_asked("How long may the guarantee run?") and quantity_asked("贴息比例是多少？")
    assert quantity_asked("What share of the cost does the city cover?")
    assert not quantity_asked("Does the guarantee need a mortgage?") and not quantity_asked("这个政策由哪个部门负责？")
    assert states_number("期限最长三年") and states_number("up to 2.5 million") and states_number("within six months")
    assert not states_number("The guarantee term is agreed with the bank case by case.")


def test_a_sentence_without_a_figure_does_not_answer_a_question_asking_for_one() -> None:
    vague = Passage(1, "d1", "Harbour guarantee scheme", "The guarantee term of the Harbour scheme is agreed with the bank.")
    question = "How long is the guarantee term of the Harbour scheme?"
    assert compose(question, [vague], tokens).found is False
    stated = Passage(2, "d2", "Harbour guarantee scheme", "The guarantee term of the Harbour scheme is at most 36 months.")
    answer = compose(question, [vague, stated], tokens)
    assert answer.found and "36 months" in answer.text and [p.n for p in answer.citations] == [2]
    # no figure asked: the sentence that says it is an answer
    assert compose("Who agrees the guarantee term of the Harbour scheme?", [vague], tokens).found


def test_a_bound_asked_is_met_by_the_bound_the_passage_states_in_its_own_words() -> None:
    """"The longest term" is answered by "Term up to 3 years": the superlative asks for a figure, it is no
    word a sentence must repeat (最高额度 by 不超过500万元 alike)."""
    sheet = Passage(1, "d1", "Harbour IP-pledge loan", "Term up to 3 years. Rates follow the bank's pricing.")
    answer = compose("What's the longest term the Harbour IP-pledge loan has?", [sheet], tokens)
    assert answer.found and "3 years" in answer.text
    assert quantity_asked("What's the longest term of the loan?") and quantity_asked("贷款最高额度是多少？")
    zh = Passage(2, "d2", "港湾知识产权质押贷款", "单户贷款额度不超过500万元。贷款用途限于生产经营。")
    found = compose("港湾知识产权质押贷款单户最高额度是多少？", [zh], tokens)
    assert found.found and "500万元" in found.text
    # a bound of something the passage does not speak of is still not found
    assert compose("What's the longest term of the Harbour equipment lease?", [sheet], tokens).found is False


def test_a_question_asking_when_is_answered_only_by_a_sentence_stating_a_date() -> None:
    from app.core.answer import date_asked

    assert date_asked("When was its ISO 27001 certificate issued?") and date_asked("它是哪年成立的？")
    assert not date_asked("Who issued its ISO 27001 certificate?")
    undated = Passage(1, "d1", "Northwind overview", "Northwind is ISO 27001 certified.")
    assert compose("When was Northwind's ISO 27001 certificate issued?", [undated], tokens).found is False
    dated = Passage(2, "d2", "Northwind overview", "Northwind was ISO 27001 certified in March 2022.")
    answer = compose("When was Northwind's ISO 27001 certificate issued?", [undated, dated], tokens)
    assert answer.found and [p.n for p in answer.citations] == [2]


def test_a_superlative_of_no_figure_asks_for_no_number() -> None:
    """"The biggest advantage" and 最大的优势 ask for no figure; "the longest term" and 最高额度 do."""
    assert not quantity_asked("What is the biggest advantage of the talent loan?")
    assert not quantity_asked("人才贷最大的优势是什么？")
    assert quantity_asked("What is the longest term of the loan?") and quantity_asked("最多能贷多少？")
    why = Passage(1, "d1", "Talent loan", "The biggest advantage of the talent loan is that no collateral is required.")
    assert compose("What is the biggest advantage of the talent loan?", [why], tokens).found


def test_a_question_word_for_a_figure_is_no_concept_the_passage_must_state() -> None:
    rule = Passage(1, "d", "高新技术企业认定管理办法", "6. 企业申请认定前一年内未发生重大安全、重大质量事故或严重环境违法行为。")
    answer = compose("高企认定要求申请前多长时间内没出过重大安全或质量事故？", [rule], tokens)
    assert answer.found and "一年内" in answer.text  # 多长时间 asks for the figure; its parts (时间, 长时间) are no concepts
    other = Passage(1, "d", "知识产权质押贷款", "贷款期限最长不超过3年，利率按风险定价。")
    assert not compose("高企认定要求申请前多长时间内没出过重大安全或质量事故？", [other], tokens).found


def test_a_word_and_the_parts_jieba_cuts_from_it_are_one_concept() -> None:
    award = Passage(1, "d", "專精特新中小企業培育辦法", "對首次認定的專精特新中小企業，一次性給予20萬元獎勵。")
    answer = compose("專精特新第一次認定下來，政府有給什麼獎勵嗎？", [award], tokens)
    assert answer.found and "20萬元" in answer.text  # 第一次 / 第一 / 一次: one concept, met in part by 一次性
    founded = Passage(1, "d", "Northwind overview", "Northwind Analytics Inc. was founded in June 2020 in Austin.")
    assert not compose("该公司的创始人叫什么名字？", [founded], tokens).found  # 创始 is only part of 创始人 (a founder)
