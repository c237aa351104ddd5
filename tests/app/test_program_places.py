"""A program named by a question, by place: a local program of another place than the one named is not
the one named; a place named short is read in full."""

from __future__ import annotations

from app.core.program_names import fits_places, place_forms, places_named, with_ancestors, with_full_places

PLACES = ["广东省", "深圳市", "南山区", "上海市", "浦东新区"]


def test_a_place_is_named_by_its_full_or_its_short_form() -> None:
    assert place_forms("上海市") == ("上海市", "上海")
    assert place_forms("浦东新区") == ("浦东新区", "浦东")
    assert place_forms("中国") == ("中国",)
    assert places_named("上海的知识产权质押贴息", PLACES) == {"上海市"}
    assert places_named("廣東省的專精特新", PLACES) == {"广东省"}  # traditional, read in index form
    assert places_named("高企贷能批多少", PLACES) == set()
    assert places_named("北京大学科技园的政策", ["北京市"]) == set()  # a university's name, not the city


def test_a_local_program_of_another_place_does_not_fit_a_national_one_always_does() -> None:
    shenzhen = ("中国", "广东省", "深圳市")
    assert not fits_places(shenzhen, {"上海市"})
    assert fits_places(shenzhen, {"广东省"})  # its province named
    assert fits_places(shenzhen, set())  # no place named
    assert fits_places(("中国",), {"上海市"})  # a national program, wherever the client is


def test_a_short_place_is_written_in_full_once() -> None:
    assert with_full_places("上海的知识产权质押融资贴息", {"上海市"}) == "上海市的知识产权质押融资贴息"
    assert with_full_places("上海市的贴息", {"上海市"}) == "上海市的贴息"
    assert with_full_places("上海", {"上海市"}) == "上海"  # a place alone names nothing


def test_a_program_of_the_province_fits_a_question_naming_a_city_in_it() -> None:
    paths = [("中国", "广东省", "深圳市"), ("中国", "上海市")]
    around = with_ancestors({"深圳市"}, paths)
    assert around == {"深圳市", "广东省"}
    assert fits_places(("中国", "广东省"), {"深圳市"}, around)  # 广东省专精特新 for a Shenzhen question
    assert not fits_places(("中国", "上海市"), {"深圳市"}, around)
