"""A Chinese word crosses into English by one of its senses whole: 办公室 is "office" or "business premises",
so a row labelled "Main Business Revenue" does not answer where its office is or how large."""

from __future__ import annotations

from app.core.answer import Passage, compose
from app.core.dictionary import load_dictionary
from app.core.tokenize import tokens


def test_a_sense_of_several_words_is_kept_whole() -> None:
    senses = load_dictionary().sense_alternatives("办公室")
    assert ("offic",) in senses and ("busi", "premis") in senses
    assert ("busi",) not in senses


def test_one_word_of_a_sense_does_not_meet_the_chinese_word() -> None:
    row = Passage(1, "fin", "financials.xlsx", "主营业务收入 Main Business Revenue | 897716.31 | 1206703.37 | 1529293.54")
    assert not compose("该公司的办公室有多大？", [row], tokens).found
    office = Passage(2, "bp", "plan.docx", "The company's office in Nanshan covers 1,200 square metres.")
    assert compose("该公司的办公室有多大？", [office], tokens).found
