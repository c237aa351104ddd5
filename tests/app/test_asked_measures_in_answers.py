"""A question asking for a share, a length of time, or of "the company" in English, answered from a passage that
states the figure in another language or without the question's word for the measure (app/core/answer.py)."""

from __future__ import annotations

from app.core.answer import Passage
from app.core.answer_parts import compose_parts
from app.core.glossary import load_glossary
from app.core.tokenize import tokens

STTR = Passage(1, "program:us-sttr-phase1", "STTR Phase I (Small Business Technology Transfer)",
               "STTR Phase I funds cooperative R&D between a small business and a nonprofit research institution.\n"
               "The applicant must be a for-profit business concern.\n"
               "The small business must perform at least 40% of the work and the partner research institution at least "
               "30% of the work.")
LOAN = Passage(1, "program:demo-credit-hnte-loan", "", "面向有效期内国家高新技术企业的中长期信用贷款，用于研发投入和日常经营。\n"
               "研发费用占营业收入比例不低于5%者优先。\n最高额度：2,000万元。\n利率：年化3.3%起。\n期限：36个月。")
HNTE = Passage(1, "d1", "高新技术企业认定管理办法（摘要）", "企业近三个会计年度的研究开发费用总额占同期销售收入总额的比例符合如下要求："
               "最近一年销售收入小于5,000万元（含）的企业，比例不低于5%；最近一年销售收入在5,000万元至2亿元（含）的企业，比例不低于4%；"
               "最近一年销售收入在2亿元以上的企业，比例不低于3%。")


def test_a_share_asked_in_chinese_is_answered_by_the_percentage_an_english_clause_states() -> None:
    for question in ("STTR Phase I：小企业承担工作的比例是多少？", "STTR Phase I：小企业至少要承担百分之多少的工作？",
                     "STTR Phase I (Small Business Technology Transfer)：那这个小企业自己至少要做多少比例的工作呀？"):
        answer = compose_parts(question, [STTR], tokens, load_glossary())
        assert answer.found and "40%" in answer.text, question


def test_a_length_of_time_asked_is_answered_by_the_term_the_card_states() -> None:
    for question in ("能贷几年", "最长能贷多少个月"):
        answer = compose_parts(question, [LOAN], tokens, load_glossary(), subject_given=True)
        assert answer.found and "36个月" in answer.text, question
    # recent years ("近几年") ask no length of time: nothing on the card states the client's revenue over them
    assert not compose_parts("近几年营收怎么样", [LOAN], tokens, load_glossary(), subject_given=True).found


def test_the_company_asked_about_in_english_is_no_word_a_chinese_clause_must_translate() -> None:
    question = "What R&D ratio must a company with sales of 5,000万 to 2亿 meet for HNTE recognition?"
    answer = compose_parts(question, [HNTE], tokens, load_glossary())
    assert answer.found and "不低于4%" in answer.text
