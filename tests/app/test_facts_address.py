"""The registered address as stated (app/core/facts_address.py): read where a document labels it as
registered, in Chinese or English, cited to its span; an office address or a bare city is not it."""

from __future__ import annotations

from app.core.enterprise_facts import text_facts
from app.core.facts_address import registered_address
from app.core.profile import build_profile


def test_the_registered_address_is_read_with_its_span() -> None:
    text = "星河微电子有限公司成立于2018年5月，注册地址：江苏省苏州市工业园区星湖街328号。统一社会信用代码：略。"
    found = list(registered_address(text))
    assert [f.value for f in found] == ["江苏省苏州市工业园区星湖街328号"]
    start, end = found[0].span  # type: ignore[misc]
    assert text[start:end] == "江苏省苏州市工业园区星湖街328号"
    en = list(registered_address("Registered office: 12 Park Row, Leeds LS1 5HD. The company builds drones."))
    assert [f.value for f in en] == ["12 Park Row, Leeds LS1 5HD"]


def test_an_office_address_or_a_bare_city_is_not_the_registered_address() -> None:
    assert not list(registered_address("办公地址：北京市海淀区中关村大街1号"))
    assert not list(registered_address("注册地：深圳"))  # a city, no street: the region field holds it
    assert not list(registered_address("Our office is at 5 High Street, Leeds."))


def test_the_profile_holds_it_beside_the_region() -> None:
    profile = build_profile("e1", text_facts("公司注册地址：广东省深圳市南山区粤海街道科技园。"))
    assert profile.value("address") == "广东省深圳市南山区粤海街道科技园"
