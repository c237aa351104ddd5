"""The staff besides R&D (app/core/profile_answer._answer_complement): the headcount less the R&D staff and its
share, each with its inputs, cited to the facts the inputs were read from."""

from __future__ import annotations

from app.core.profile import build_profile
from app.core.profile_answer import answer_from_profile
from app.core.types import Fact

PAGE = "员工总数120人，其中研发人员47人。"


def _profile():
    facts = [Fact("employees", 120, "persons", "员工总数120人", "d1", 1, (0, 8)),
             Fact("rd_staff", 47, "persons", "研发人员47人", "d1", 1, (11, 18))]
    return build_profile("e1", facts)


def _context(f: Fact) -> tuple[str, str, int | None]:
    return ("plan.docx", PAGE, f.page) if f.doc_id else ("profile", f.quote, None)


def test_the_staff_outside_rd_are_the_headcount_less_the_rd_staff_with_their_share() -> None:
    answer = answer_from_profile("它非研发人员有多少？", _profile(), "zh", _context, ["rd_staff", "rd_staff_ratio"])
    assert answer is not None and answer.found
    assert answer.text.splitlines() == ["非研发人员：73人 = 员工人数 120人 − 研发人员 47人[1]",
                                        "非研发人员占比：60.83% = 非研发人员 73人 / 员工人数 120人[1]"]
    assert [c.title for c in answer.citations] == ["plan.docx"]  # the derived count is no source of its own
    en = answer_from_profile("What share of its people work outside R&D?", _profile(), "en", _context, ["rd_staff"])
    assert en is not None and "non-R&D staff share: 60.83%" in en.text
    rest = answer_from_profile("How many employees are not R&D engineers?", _profile(), "en", _context, ["rd_staff"])
    assert rest is not None and rest.text.startswith("non-R&D staff: 73")


def test_a_cost_that_is_not_rd_is_no_complement_of_the_staff() -> None:
    answer = answer_from_profile("Is the patent fee not R&D expense?", _profile(), "en", _context, ["rd_staff"])
    assert answer is None or "non-R&D" not in answer.text


def test_a_question_about_the_rd_staff_themselves_is_no_complement() -> None:
    answer = answer_from_profile("它的研发人员有多少？", _profile(), "zh", _context, ["rd_staff"])
    assert answer is not None and answer.text.startswith("研发人员：47人")
