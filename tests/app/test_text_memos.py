"""Per-process memos of pure text functions (answer content words, glossary term patterns): the
remembered answer is the computed one, and callers cannot change it through what they get back."""

from __future__ import annotations

import pytest

from app.core.answer import _content_terms, content_terms
from app.core.glossary import contains, load_glossary
from app.core.textnorm import index_form
from app.core.tokenize import tokens

SENTENCES = ["高新技术企业认定后可享受15%的企业所得税优惠税率。", "IP-pledge loans for first-time borrowers in Shenzhen.",
             "研发费用加计扣除比例提高到100%。", "The subsidy subsidises many R&D projects."]


@pytest.mark.parametrize("text", SENTENCES)
def test_content_terms_remembered_are_the_computed_ones(text: str) -> None:
    assert content_terms(text, tokens) == set(_content_terms.__wrapped__(text, tokens))
    assert content_terms(text, tokens) == set(_content_terms.__wrapped__(text, tokens))


def test_content_terms_are_a_fresh_set_on_every_call() -> None:
    first = content_terms(SENTENCES[0], tokens)
    first.add("planted")
    first.discard("高新")
    again = content_terms(SENTENCES[0], tokens)
    assert "planted" not in again and "高新" in again


def test_an_ascii_term_is_matched_as_a_whole_word_only() -> None:
    assert contains(index_form("IP pledge loan"), "ip")
    assert not contains(index_form("ship loans"), "ip")
    assert not contains(index_form("IP2 pledge"), "ip")
    assert contains("知识产权质押贷款", "质押")


def test_glossary_expansions_name_the_other_languages_of_a_concept_once() -> None:
    glossary = load_glossary()
    found = glossary.expansions("IP pledge loan in Shenzhen")
    assert found == glossary.expansions("IP pledge loan in Shenzhen")
    assert len(found) == len(set(found)) and found
    assert not any(contains(index_form("IP pledge loan in Shenzhen"), index_form(t)) for t in found)
