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
