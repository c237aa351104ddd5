"""Formal written Chinese interrogatives read as plain Mandarin ones (app/core/formal_register.py)."""

from __future__ import annotations

from app.core.formal_register import plain_form


def test_formal_interrogatives_that_close_a_clause_are_read_as_plain_ones_in_the_script_written() -> None:
    assert plain_form("請問Northwind 2023年度之研發費用為若干？敬請註明幣別及單位。") == \
        "請問Northwind 2023年度之研發費用是多少？敬請註明幣別及單位。"
    assert plain_form("貸款金額區間為何？另質押率上限為若干？") == "貸款金額區間是什麼？另質押率上限是多少？"
    assert plain_form("该笔融资金额几何？") == "该笔融资金额多少？"
    assert plain_form("研发人员占比为何") == "研发人员占比是什么"


def test_the_same_words_inside_a_clause_keep_their_other_senses() -> None:
    for text in ("提出若干意见供参考", "為何未申報？", "如何申请？", "若干企业已入库，极光呢？", "解析几何课程"):
        assert plain_form(text) == text


def test_the_colloquial_sha_is_read_as_shenme_in_the_script_written() -> None:
    assert plain_form("啥时候发的证") == "什么时候发的证"
    assert plain_form("還差啥？") == "還差什麼？"
    assert plain_form("为啥不符合") == "为什么不符合"
