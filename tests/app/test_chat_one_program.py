"""Which one program a chat turn's answer is about (app/chat.py `_one_program`): a question asking two things of one
program is answered part by part only when each part is about that program."""

from __future__ import annotations

from typing import Any

from app.chat import Turn, _one_program
from app.core.answer import Answer, Passage


def _turn(matches: list[dict[str, Any]], cited: list[str]) -> Turn:
    citations = tuple(Passage(i + 1, doc_id, "title", "text") for i, doc_id in enumerate(cited))
    return Turn(None, None, "c", "q", "match", [], Answer("x", citations, True, "en"), matches=matches)  # type: ignore[arg-type]


def test_the_one_card_shown_names_the_program() -> None:
    assert _one_program(_turn([{"program": {"id": "demo-credit-tax-loan"}}], ["doc-1"])) == "demo-credit-tax-loan"


def test_with_no_card_shown_the_one_program_card_cited_names_it() -> None:
    # a term of a program closed to the client: its card cited, no verdict shown
    assert _one_program(_turn([], ["program:eu-eic-accelerator"])) == "eu-eic-accelerator"
    assert _one_program(_turn([], ["program:eu-eic-accelerator", "program:eu-eic-accelerator"])) == "eu-eic-accelerator"


def test_a_list_or_other_sources_name_no_one_program() -> None:
    assert _one_program(_turn([{"program": {"id": "a"}}, {"program": {"id": "b"}}], [])) is None
    assert _one_program(_turn([], ["program:a", "doc-1"])) is None
    assert _one_program(_turn([], ["doc-1"])) is None
    assert _one_program(_turn([], [])) is None
