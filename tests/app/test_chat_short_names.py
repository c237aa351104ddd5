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
