"""A short name a program's title or alias sets off in brackets or quotes names the program."""

from __future__ import annotations

from app.chat_programs import short_names
from app.core.types import Program


def _program(title: str, *aliases: str) -> Program:
    return Program(id="p", kind="policy", title=title, aliases=tuple(aliases))


def test_bracketed_and_quoted_short_names_are_names_of_the_program() -> None:
    p = _program("宁波市科技型企业成长计划（甬苗计划）", "Ningbo Tech Firm Growth (Seedling Scheme)")
    assert short_names(p) == ("甬苗计划", "Seedling Scheme")
    assert short_names(_program("苏州市“姑苏英才”计划")) == ("姑苏英才",)


def test_notes_places_figures_and_single_words_are_not_short_names() -> None:
    assert short_names(_program("成都市高新区研发补贴（成都市）", "Chengdu R&D Grant (2024)", "Loan (secured)")) == ()
    assert short_names(_program("某某贷")) == ()


def test_an_investor_is_also_named_by_its_firms_brand() -> None:
    from app.chat_programs import brands

    fund = Program(id="f", kind="equity", title="Boreal Deep Tech Growth Fund 北境硬科技成长基金", issuer="Boreal Capital 北境资本（虚构）")
    assert brands(fund) == ("Boreal", "北境") and set(brands(fund)) <= set(short_names(fund))
    assert brands(Program(id="a", kind="equity", title="x", issuer="Nimble Angels 灵动天使")) == ()  # no generic tail: the whole name
    assert brands(Program(id="c", kind="equity", title="x", issuer="Apex Capital")) == ()  # one short word is too common
    # a bank or a ministry issues many programs: its name names none of them
    assert brands(Program(id="l", kind="credit", title="科技贷", issuer="示范银行 Demo Bank")) == ()


def test_a_place_named_prefers_that_places_program_to_a_national_one_covering_the_same_words() -> None:
    from app.chat_programs import _local_first

    loan = Program(id="loan", kind="credit", title="专精特新贷", jurisdiction=("中国",))
    gd = Program(id="gd", kind="policy", title="广东省专精特新中小企业认定", jurisdiction=("中国", "广东省"))
    award = Program(id="sz", kind="policy", title="深圳市南山区科技企业奖励", jurisdiction=("中国", "广东省", "深圳市", "南山区"))
    by_id = {p.id: p for p in (loan, gd, award)}
    top = [("loan", 0.9), ("gd", 0.5)]
    assert _local_first(top, by_id, "极光能不能报广东省的专精特新？", {"广东省"}) == [("gd", 0.5)]
    assert _local_first(top, by_id, "它能申请专精特新贷吗？", set()) == top  # no place named
    # a place named in passing (where the client is) does not turn a national product into a local award
    assert _local_first([("loan", 0.9), ("sz", 0.4)], by_id, "南山区的客户能做专精特新贷吗？", {"南山区"}) == [("loan", 0.9), ("sz", 0.4)]
