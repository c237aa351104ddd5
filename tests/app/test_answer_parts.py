"""A question asking two things in two sentences is answered part by part (app/core/answer_parts.py)."""

from __future__ import annotations

from app.core.answer import Passage, compose
from app.core.answer_parts import compose_parts
from app.core.glossary import load_glossary
from app.core.tokenize import tokens

HNTE = Passage(1, "d1", "高新技术企业认定条件", "企业从事研发和相关技术创新活动的科技人员占企业当年职工总数的比例不低于10%。"
               "企业申请认定时须注册成立一年以上。")
TAX = Passage(2, "d2", "高新技术企业优惠政策", "经认定的高新技术企业，减按15%的税率征收企业所得税。资格有效期为三年。")
TWO = "高企认定对科技人员占比的门槛是多少？认定后企业所得税按多少税率？"


def test_each_part_of_a_two_part_question_is_answered_in_the_order_asked() -> None:
    answer = compose_parts(TWO, [TAX, HNTE], tokens, load_glossary())
    assert answer.found
    assert answer.text.index("10%") < answer.text.index("15%")  # the staff share first, as asked
    assert {p.n for p in answer.citations} == {1, 2}


def test_the_whole_question_decides_when_a_part_is_not_in_the_passages() -> None:
    question = "高企认定对科技人员占比的门槛是多少？实际控制人是谁？"
    assert compose_parts(question, [TAX, HNTE], tokens, load_glossary()) == compose(question, [TAX, HNTE], tokens,
                                                                                     load_glossary())


def test_a_part_naming_nothing_is_read_with_the_sentence_before_it() -> None:
    term = Passage(3, "d3", "HNTE benefits", "Recognised high-tech enterprises pay corporate income tax at 15%. "
                   "The qualification is valid for three years from the date of issue.")
    answer = compose_parts("How long is the qualification valid? From when?", [term], tokens, load_glossary())
    assert answer.found and answer.text == "The qualification is valid for three years from the date of issue [3]."


def test_a_sentence_said_beside_the_one_that_asks_is_left_to_the_chat() -> None:
    # the chat decides the asking sentence alone, routing and all (tests/app/test_chat_conversation.py): composing it
    # alone here would answer from the passages the whole question's route found, before the chat could
    question = "高企认定对科技人员占比的门槛是多少？客户下个月准备提交申报材料，团队都很着急。"
    assert compose_parts(question, [HNTE], tokens, load_glossary()) == compose(question, [HNTE], tokens, load_glossary())


PLEDGE = Passage(1, "d", "Patent Pledge Loan (bank product sheet)", "Product\nA working-capital loan secured by a pledge "
                 "of granted patents.\nTerms\nLoan amount from RMB 2 million up to RMB 8 million, and no more than 40% of "
                 "the appraised value of the pledged patents.\nTerm up to 2 years.")


def test_two_clauses_asking_in_one_sentence_are_each_answered_with_the_clause_that_names_the_subject() -> None:
    question = ("Per our patent pledge product sheet, what's the minimum loan size, and how much of the appraised value "
                "can we lend against?")
    answer = compose_parts(question, [PLEDGE], tokens, load_glossary())
    assert answer.found and "RMB 2 million" in answer.text and "40%" in answer.text and answer.citations == (PLEDGE,)


LOANS = [Passage(1, "p1", "首贷通", "首贷通面向首次获得银行贷款的科技企业。最高额度：300万元。"),
         Passage(2, "p2", "高企贷", "高企贷面向有效期内的高新技术企业。最高额度：2,000万元。")]


def test_one_clause_asking_beside_clauses_saying_why_is_answered_unless_they_name_another_subject() -> None:
    question = "在帮客户准备申报材料，想确认一下，高企认定对科技人员占比的门槛是多少。"
    assert not compose(question, [HNTE], tokens, load_glossary()).found  # whole: the asker's doings are in no passage
    answer = compose_parts(question, [HNTE], tokens, load_glossary())
    assert answer.found and "10%" in answer.text
    # the clause beside names a subject a passage's title names: the answer must come from that passage
    asked = "在帮客户核对首贷通的申报材料，想确认一下，最高额度是多少"
    assert not compose(asked, LOANS, tokens, load_glossary()).found
    assert compose("最高额度是多少", LOANS, tokens, load_glossary()).citations == tuple(LOANS)  # the clause alone: both
    subject = compose_parts(asked, LOANS, tokens, load_glossary())
    assert not subject.found or all(p.n == 1 for p in subject.citations)
    # a clause beside that is no errand of the asker's is part of what is asked: a condition no passage states
    assert not compose_parts("首贷通如果提前还款，要付多少违约金？", LOANS, tokens, load_glossary()).found



SHEET = Passage(1, "d", "Patent Pledge Loan (bank product sheet)", "The borrower must have been registered for at least 3 "
                "years.\nLoan amount from RMB 2 million up to RMB 8 million, and no more than 40% of the appraised value "
                "of the pledged patents.\nTerm up to 2 years.")


def test_an_item_of_a_list_no_sentence_states_is_not_answered_by_the_subjects_words() -> None:
    # "…: the prepayment penalty" composed with the subject's words would meet half its concepts in any sentence
    missing = "Patent pledge product sheet: max % of appraised value, and the prepayment penalty?"
    assert compose_parts(missing, [SHEET], tokens, load_glossary()) == compose(missing, [SHEET], tokens, load_glossary())


def test_the_models_reading_orders_the_sentences_that_qualify_and_lets_no_other_one_in() -> None:
    question = "What does the patent pledge loan sheet say about the loan?"  # three sentences qualify by their words

    def near(_: str, sentences: list[str]) -> list[float]:  # a reader that finds the appraised value nearest
        return [0.9 if "appraised" in s else 0.8 for s in sentences]

    def far(_: str, sentences: list[str]) -> list[float]:  # one that finds it farthest
        return [0.7 if "appraised" in s else 0.9 for s in sentences]
    assert compose(question, [SHEET], tokens, load_glossary(), meaning=near).text.startswith("Loan amount from RMB 2 million")
    assert not compose(question, [SHEET], tokens, load_glossary(), meaning=far).text.startswith("Loan amount")

    def nowhere(_: str, sentences: list[str]) -> list[float]:
        return [0.99 for _ in sentences]
    unanswerable = "Patent pledge sheet: what is the prepayment penalty for an early repayment?"
    assert not compose(unanswerable, [SHEET], tokens, load_glossary(), meaning=nowhere).found


def test_two_sentences_asking_of_a_given_subject_are_each_answered_in_the_order_asked() -> None:
    # a follow-up about the program in focus: the card is the subject (its title speaks for no sentence)
    card = Passage(1, "program:x", "", "面向科技型中小企业的纯信用流动资金贷款。纳税信用等级为B级以上。企业须成立满2年。"
                                      "最高额度：1,000万元。利率：年化3.2%起。")
    both = compose_parts("纳税信用等级有何要求？最高额度是多少？", [card], tokens, load_glossary(), subject_given=True)
    assert both.found and both.text == "纳税信用等级为B级以上[1]。最高额度：1,000万元[1]。"
