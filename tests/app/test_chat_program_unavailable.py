"""A named program the matcher set aside for the client (its area, its dates) is answered with that
verdict and its reason in the asker's language (app/chat_programs.py), not replaced by a list of
other programs."""

from __future__ import annotations

from datetime import date

from app.chat_programs import unavailable_text
from app.core.match import Excluded, unavailable
from app.core.types import Program

FUND = Program("lakeside-fund", "equity", "Lakeside Seed Fund 湖畔种子基金", jurisdiction=("中国", "浙江省", "杭州市"))


def _excluded(program: Program, firm: tuple[str, ...], today: date) -> Excluded:
    reason = unavailable(program, firm, today)
    assert reason is not None
    return Excluded(program, reason)


def test_a_program_of_another_area_says_where_it_applies_and_where_the_firm_is() -> None:
    x = _excluded(FUND, ("United States", "Texas", "Austin"), date(2026, 1, 1))
    en = unavailable_text(x, 1, "en")
    assert en.startswith("Lakeside Seed Fund 湖畔种子基金: not open to this client") and en.endswith("[1]")
    assert "浙江省" in en and "Austin" in en
    zh = unavailable_text(x, 2, "zh")
    assert "该客户不适用" in zh and "适用地区为" in zh and zh.endswith("[2]")


def test_a_closed_program_says_when_it_closed() -> None:
    closed = Program("old-grant", "policy", "旧补贴", valid_to="2024-06-30")
    x = _excluded(closed, (), date(2026, 1, 1))
    assert "closed on 2024-06-30" in unavailable_text(x, 1, "en")
    assert "已于2024-06-30截止" in unavailable_text(x, 1, "zh")
