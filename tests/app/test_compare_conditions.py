"""A comparison lists first the conditions the programs do not share (app/chat_compare.py)."""

from __future__ import annotations

from app.chat_compare import MAX_CONDITIONS, _conditions
from app.core.types import Criterion, Program

SHARED = ("The applicant must be a for-profit business concern. The business must have no more than 500 employees. "
          "The company must be located in the United States. ")
SBIR = Program("sbir", "policy", "SBIR Phase I", text="SBIR Phase I funds feasibility work. " + SHARED +
               "The principal investigator must be primarily employed by the small business.",
               criteria=(Criterion("employees", "<=", 500, source_text="The business must have no more than 500 employees."),))
STTR = Program("sttr", "policy", "STTR Phase I", text="STTR Phase I funds cooperative R&D. " + SHARED +
               "The partner research institution must perform at least 30% of the work.",
               criteria=(Criterion("employees", "<=", 500, source_text="The business must have no more than 500 employees."),))


def test_the_condition_only_one_program_states_comes_first() -> None:
    sttr = _conditions(STTR, [SBIR])
    assert sttr[0] == "The partner research institution must perform at least 30% of the work"
    assert _conditions(SBIR, [STTR])[0].startswith("The principal investigator must")
    assert len(sttr) == MAX_CONDITIONS and "The business must have no more than 500 employees" in sttr


def test_the_same_words_to_another_bound_are_a_difference_and_a_preference_is_no_condition() -> None:
    a = Program("a", "credit", "A", text="A loan. 企业成立满2年。上年度营业收入不低于1000万元。研发费用占比不低于5%者优先。")
    b = Program("b", "credit", "B", text="B loan. 企业成立满2年。上年度营业收入不低于500万元。")
    assert _conditions(a, [b]) == ["上年度营业收入不低于1000万元", "企业成立满2年"]
