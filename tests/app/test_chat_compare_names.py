"""Naming two programs to compare (app/chat_compare.py, app/core/program_names.py): a clause that only
asks is cut off, a bilingual title is named by either of its parts, and a short form made only of
a name's own words names that program when no other shares it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from app import chat_compare
from app.chat_compare import (
    comparison_form,
    head_before,
    name_part,
    pieces,
    places_coordinated,
    programs_compared,
    shared_head,
)
from app.core.program_names import (
    Candidate,
    abbreviation,
    acronyms_of,
    coverage,
    last_phrase,
    named,
    text_units,
    within,
)


def test_a_clause_asking_is_cut_off_from_the_names() -> None:
    assert pieces("Which one fits better, the green bond or the blue loan?") == [
        "Which one fits better", "the green bond", "the blue loan?"]
    assert pieces("哪个更划算：绿色贷还是蓝海贷？") == ["哪个更划算", "绿色贷", "蓝海贷？"]


def test_an_enumeration_comma_separates_two_names() -> None:
    assert pieces("绿色贷、蓝海贷，选哪个？") == ["绿色贷", "蓝海贷", "选哪个？"]


def test_this_or_that_and_better_than_are_the_forms_of_a_choice() -> None:
    assert comparison_form("Should we offer the green bond or the blue loan?")
    assert comparison_form("Is the green bond cheaper than the blue loan?")
    assert pieces("Is the green bond cheaper than the blue loan?") == ["Is the green bond cheaper", "the blue loan?"]


def test_asking_what_each_is_or_where_they_differ_is_the_form_of_a_comparison() -> None:
    assert comparison_form("绿色贷和蓝海贷，额度和利率分别是多少？")
    assert comparison_form("綠色貸跟藍海貸，申請條件差在哪？")
    assert comparison_form("What do the green bond and the blue loan each require?")
    assert not comparison_form("绿色贷的额度是多少？")


def test_putting_two_side_by_side_is_the_form_of_a_comparison() -> None:
    assert comparison_form("the green bond and the blue loan - can you put them side by side?")
    assert comparison_form("Green bond vs blue loan, head-to-head?")
    assert comparison_form("把绿色贷和蓝海贷放在一起看看")
    assert not comparison_form("What does the green bond offer on the side?")


def test_a_title_in_two_scripts_is_named_by_either_part() -> None:
    title = "Maple Bridge Growth Fund 枫桥成长基金"
    assert coverage(title, text_units("Tell me about the Maple Bridge Growth Fund")) == 1.0
    assert coverage(title, text_units("枫桥成长基金投什么")) == 1.0
    assert coverage("Maple Bridge Growth Fund", text_units("Maple")) < 0.6  # one script: the whole title


def test_a_short_form_is_the_name_s_own_words_only() -> None:
    assert within("Export-Backed Working Capital Loan", text_units("the export loan"))
    assert not within("Export-Backed Working Capital Loan", text_units("the export loan rate"))
    assert not within("Export-Backed Working Capital Loan", text_units("the loan"))  # one word names nothing
    assert within("Export-Backed Working Capital Loan", text_units("the export loan for this client"))


def test_a_short_form_names_a_program_only_when_it_fits_one() -> None:
    export = Candidate("export", "出口贷", 0.4, 0.80, ("Export-Backed Working Capital Loan",))
    imports = Candidate("import", "进口贷", 0.3, 0.78, ("Import-Backed Working Capital Loan",))
    assert named([export, imports], ["the export loan"]) == "export"
    assert named([export, imports], ["the capital loan"]) is None  # both are so called


def test_a_coordinated_modifier_shares_the_head_of_the_next_piece() -> None:
    assert shared_head("Lisbon export loans differ?") == "export loans differ?"
    assert shared_head("Porto") == ""
    assert shared_head("广州的出口贷款有何不同？").startswith("的出口")


def test_an_acronym_alone_names_the_program_whose_name_it_heads() -> None:
    assert acronyms_of("ABCD or EFGH?") == frozenset({"abcd", "efgh"})
    assert within("ABCD Stage One (Alpha Beta Capital Development)", {"abcd"}, acronyms_of("ABCD"))
    assert not within("ABCD Stage One", {"stage"}, acronyms_of("stage"))  # a lower-case word alone names nothing
    abcd = Candidate("abcd", "ABCD Stage One", 0.3, 0.8)
    overview = Candidate("overview", "ABCD and EFGH programmes: an overview of eligibility", 0.3, 0.8)
    assert named([overview, abcd], ["ABCD"]) == "abcd"  # the name it covers most
    assert named([overview, abcd], ["abcd"]) == "abcd"  # typed in lower case: the acronym a name writes in capitals
    assert named([overview, abcd], ["stage"]) is None  # a lower-case word of a name is no acronym


def test_a_question_ending_on_a_short_form_names_it() -> None:
    assert last_phrase("Would they qualify for the export loan for this client?") == "export loan"
    assert last_phrase("What does it sell?") == ""
    export = Candidate("export", "出口贷", 0.4, 0.80, ("Export-Backed Working Capital Loan",))
    other = Candidate("other", "绿色贷", 0.3, 0.78, ("Green Bond",))
    assert named([export, other], ["Does the client qualify for the export loan?"]) == "export"


def test_a_name_s_span_ends_at_what_is_said_of_it() -> None:
    assert name_part("蓝海贷的审批速度哪个快？") == "蓝海贷"
    assert name_part("Green Bond for a Danish startup?") == "Green Bond"
    assert name_part("the blue loan") == "the blue loan"


def test_measured_against_the_one_named_is_a_comparison_form() -> None:
    assert comparison_form("那跟蓝海贷比呢？")
    assert comparison_form("和绿色贷比起来怎么样")
    assert not comparison_form("它的研发费用占比是多少？")  # 占比 is a share, not a comparison


def test_a_dash_ends_a_clause() -> None:
    assert pieces("And the blue loan — which suits it?") == ["the blue loan", "which suits it?"]
    assert pieces("HNTE vs tech SME status - what does each get?") == ["HNTE", "tech SME status", "what does each get?"]


def test_a_sentence_end_inside_the_question_ends_a_piece() -> None:
    assert pieces("the difference between SBIR and STTR? they look the same") == [
        "the difference between SBIR", "STTR", "they look the same"]


def test_every_name_a_program_goes_by_counts_for_how_much_of_it_is_named() -> None:
    # "小巨人" is the set-off short name of the recognition: the question names eight words of the full title
    giant = Candidate("giant", "国家级专精特新“小巨人”企业认定", 0.90, 0.95, ("小巨人",))
    loan = Candidate("loan", "专精特新贷", 0.94, 0.91)
    assert named([loan, giant], ["国家级专精特新小巨人能报吗"]) == "giant"
    assert named([loan, giant], ["专精特新贷能做吗"]) == "loan"


def test_a_chinese_name_cut_short_keeps_its_head_and_whole_words() -> None:
    q = "那深圳市的质押贴息他们申请得到吗？"
    assert abbreviation(q, "深圳市知识产权质押融资贴息") == 7  # 深圳市 · 质押 · 贴息
    assert abbreviation(q, "上海市知识产权质押融资贴息及风险补偿") == 0  # its head (补偿) is not named
    assert abbreviation("它的研发费用有多少", "研发费用税前加计扣除") == 0  # words of a title, not its head
    sz = Candidate("sz", "深圳市知识产权质押融资贴息", 0.5, 0.85)
    sh = Candidate("sh", "上海市知识产权质押融资贴息及风险补偿", 0.5, 0.85)
    assert named([sh, sz], [q]) == "sz"
    first = Candidate("first", "南山区首贷户贷款贴息", 0.5, 0.85)
    sme = Candidate("sme", "深圳市中小微企业贷款贴息", 0.5, 0.85)
    assert named([first, sme], ["那个贷款贴息能申请吗"]) is None  # both so cut: neither is named


TITLES = {"绿色贷": "green", "蓝海贷": "blue", "the green loan": "green", "the blue loan": "blue"}


@pytest.fixture
def titles(monkeypatch: pytest.MonkeyPatch) -> None:
    def named_by_title(_chat: Any, _principal: Any, text: str) -> str | None:
        return next((pid for title, pid in TITLES.items() if title in text), None)

    monkeypatch.setattr(chat_compare, "program_named", named_by_title)


@pytest.mark.usefixtures("titles")
def test_one_program_named_is_compared_with_the_one_an_earlier_turn_named() -> None:
    assert programs_compared(None, None, "那跟蓝海贷比呢？", ["它能申请绿色贷吗？"]) == ["green", "blue"]  # type: ignore[arg-type]
    assert programs_compared(None, None, "那跟蓝海贷比呢？", []) == []  # type: ignore[arg-type]
    assert programs_compared(None, None, "How does it compare with the blue loan?",  # type: ignore[arg-type]
                             ["What is the weather?", "Tell me about the blue loan."]) == []  # the same program


def test_an_acronym_spells_out_its_concept_when_two_more_words_of_the_name_are_asked() -> None:
    award = Candidate("award", "南山区高新技术企业认定奖励", 0.9, 0.92, ("Nanshan District High-Tech Enterprise Recognition Award",))
    loan = Candidate("loan", "高企贷", 0.6, 0.88, ("High-Tech Enterprise Loan",))
    asked = "would they qualify for the Nanshan district HNTE recognition award?"
    assert named([award, loan], [asked, "high-tech enterprise", "高新技术企业"]) == "award"
    assert named([award, loan], ["Is it an HNTE?", "high-tech enterprise", "高新技术企业"]) is None  # the acronym alone


def _by_city(_chat: Any, _principal: Any, text: str) -> str | None:
    """Titles as the demo catalog has them: two cities' IP-pledge subsidies, and a loan the topic alone reads as."""
    if "贴息" in text or "subsidy" in text:
        for city, pid in (("深圳", "sz"), ("Shenzhen", "sz"), ("上海", "sh"), ("Shanghai", "sh")):
            if city in text:
                return pid
    return "loan" if "质押" in text or "pledge" in text else None


def test_a_topic_and_the_pieces_that_tell_its_programs_apart_name_two_programs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chat_compare, "program_named", _by_city)
    assert programs_compared(None, None, "知识产权质押贴息，深圳跟上海的比，哪个每年封顶高？") == ["sz", "sh"]  # type: ignore[arg-type]
    assert programs_compared(None, None, "Shenzhen's IP-pledge interest subsidy vs Shanghai's: how do they stack up?") == [  # type: ignore[arg-type]
        "sz", "sh"]  # the topic's own program is one of the two
    assert programs_compared(None, None, "知识产权质押贴息，哪个每年封顶高？") == []  # type: ignore[arg-type]  # nothing tells two apart


def test_vs_between_chinese_words_parts_them_and_a_head_before_the_first_is_the_seconds_too(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert pieces("知识产权质押贴息 深圳vs上海 各封顶多少") == ["知识产权质押贴息 深圳", "上海 各封顶多少"]
    assert head_before("知识产权质押贴息 深圳") == "知识产权质押贴息"
    assert places_coordinated("IP质押贴息 深圳", "上海 各封顶多少")  # a Chinese piece opening on a Latin word
    assert places_coordinated("Shenzhen's IP-pledge subsidy", "Shanghai's")
    assert not places_coordinated("专精特新小巨人", "科技小巨人")
    assert head_before("Shenzhen's IP-pledge subsidy") == "IP-pledge subsidy"
    assert head_before("Porto") == ""
    monkeypatch.setattr(chat_compare, "program_named", _by_city)
    assert chat_compare.named_in(None, None, "知识产权质押贴息 深圳vs上海 各封顶多少") == ["sz", "sh"]  # type: ignore[arg-type]


def test_a_name_in_the_question_s_own_language_is_named_by_its_words_not_by_meaning_alone() -> None:
    # an attribute a title holds (纳税信用等级 of "按纳税信用授信") is as close in meaning as a name, in the same language
    tax = Candidate("tax", "税易贷（按纳税信用授信）", 1.0, 0.948, ("Tax Credit Loan",), across=0.80)
    assert named([tax], ["纳税信用等级"]) is None
    assert named([replace(tax, similarity=0.98)], ["那个靠税务信用批的产品"]) == "tax"  # closer still: named
    assert named([replace(tax, across=0.95)], ["那个按税务信用放款的产品"]) == "tax"  # close across languages: named
    assert named([replace(tax, across=None)], ["纳税信用等级"]) == "tax"  # the closeness of every name, when not told


def test_an_acronym_typed_first_in_a_piece_names_its_program(monkeypatch: pytest.MonkeyPatch) -> None:
    acronyms = {"sbir": "sbir", "sttr": "sttr"}  # a program named only when its acronym is all the text
    monkeypatch.setattr(chat_compare, "program_named", lambda _c, _p, text: acronyms.get(text.strip().lower()))
    asked = "sbir and sttr sound the same to me lol, what's actually different between them?"
    assert chat_compare.named_in(None, None, asked) == ["sbir", "sttr"]  # type: ignore[arg-type]
    assert chat_compare.named_in(None, None, "what about the loan rate?") == []  # type: ignore[arg-type]
