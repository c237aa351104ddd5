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
    assert "企业位于美国 > Texas > Austin" in zh  # a place named in English reads by its Chinese alias where it has one


def test_a_closed_program_says_when_it_closed() -> None:
    closed = Program("old-grant", "policy", "旧补贴", valid_to="2024-06-30")
    x = _excluded(closed, (), date(2026, 1, 1))
    assert "closed on 2024-06-30" in unavailable_text(x, 1, "en")
    assert "已于2024-06-30截止" in unavailable_text(x, 1, "zh")


PEARL = Program("pudong-pearl", "policy", "浦东新区“明珠计划”人才支持", jurisdiction=("中国", "上海市", "浦东新区"),
                aliases=('Pudong "Pearl Plan" Talent Support',))


def test_an_english_answer_names_a_chinese_program_by_its_english_alias_and_places_in_english() -> None:
    x = _excluded(PEARL, ("中国", "广东省", "深圳市", "南山区"), date(2026, 1, 1))
    en = unavailable_text(x, 1, "en")
    assert en.startswith('Pudong "Pearl Plan" Talent Support (浦东新区“明珠计划”人才支持): not open to this client')
    assert "it covers China > Shanghai > Pudong" in en and "the firm is in China > Guangdong > Shenzhen" in en
    zh = unavailable_text(x, 1, "zh")  # a Chinese answer keeps the official title and places alone
    assert zh.startswith("浦东新区“明珠计划”人才支持：该客户不适用") and "Pudong" not in zh


def test_a_region_reads_in_the_answers_language() -> None:
    from app.core.jurisdiction import region_text

    assert region_text("中国>广东省>深圳市", "en") == "China > Guangdong > Shenzhen (中国>广东省>深圳市)"
    assert region_text("中国>广东省>深圳市", "zh") == "中国 > 广东省 > 深圳市"
    assert region_text("European Union", "zh") == "欧盟"
