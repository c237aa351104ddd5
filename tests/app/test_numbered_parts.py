"""A numbered part of a program ("SBIR Phase II", "第二阶段") is not another part's: its figures are not
answered from another part's passage, nor is the question about it another part's program verdict."""

from __future__ import annotations

from app.core.answer import Passage, compose, parts_unsupported
from app.core.numbered_parts import numbered_parts, parts_conflict
from app.core.program_names import Candidate, named
from app.core.tokenize import tokens

PHASE_ONE = Passage(1, "d", "SBIR and STTR overview",
                    "Phase I awards typically fund feasibility studies of six to twelve months. Typical maximum award: 314,363 USD.")


def test_parts_are_read_in_both_languages_and_numbered_alike() -> None:
    assert numbered_parts("the award ceiling for an SBIR Phase II grant") == {("phase", 2)}
    assert numbered_parts("SBIR的第二阶段") == {("phase", 2)}
    assert numbered_parts("二期项目") == {("phase", 2)}
    assert numbered_parts("phase one and stage 3") == {("phase", 1), ("stage", 3)}
    assert numbered_parts("the first phase") == set()


def test_a_part_of_a_kind_named_otherwise_is_a_conflict_a_kind_not_named_is_not() -> None:
    assert parts_conflict({("phase", 2)}, {("phase", 1)})
    assert not parts_conflict({("phase", 1)}, {("phase", 1), ("phase", 2)})
    assert not parts_conflict({("phase", 2)}, set())  # the text names no phase: nothing to contradict


def test_another_phase_s_passage_does_not_answer() -> None:
    assert parts_unsupported("What's the award ceiling for an SBIR Phase II grant?", [PHASE_ONE])
    assert not parts_unsupported("What's the award ceiling for an SBIR Phase I grant?", [PHASE_ONE])
    asked = compose("What's the maximum award for Phase II?", [PHASE_ONE], tokens)
    assert not asked.found
    assert compose("What's the maximum award for Phase I?", [PHASE_ONE], tokens).found
    both = Passage(2, "d", "Awards", "Phase I awards fund feasibility studies; the typical maximum award is 314,363 USD. "
                   "Phase II awards fund full research and development.")
    assert not compose("What's the maximum award for Phase II?", [both], tokens).found  # Phase I's figure is no answer


def test_a_question_about_phase_two_names_no_phase_one_program() -> None:
    one = Candidate("sbir1", "SBIR Phase I (Small Business Innovation Research)", 0.9, 0.9)
    assert named([one], ["Can it apply for SBIR Phase II?"]) is None
    assert named([one], ["Can it apply for SBIR Phase I?"]) == "sbir1"
