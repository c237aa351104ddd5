"""Matching input: profile values as callers write them (regions, founding dates, amounts with
units) are read by their field's kind; unreadable values are an error naming the field and value."""

from __future__ import annotations

from datetime import date

import pytest

from app.core.errors import UnreadableValue
from app.core.match import Matcher
from app.core.match_input import normalise_overrides, normalise_profile
from app.core.profile_json import profile_from_json
from app.core.quantities import parse_amount, parse_date, parse_quantity
from app.core.types import Criterion, Program

TODAY = date(2026, 3, 1)


@pytest.mark.parametrize(("text", "expected"), [
    ("4800万元", (48_000_000, "CNY")), ("４８００万元", (48_000_000, "CNY")), ("人民币4,800万元", (48_000_000, "CNY")),
    ("1.2亿", (120_000_000, "CNY")), ("四千八百万元", (48_000_000, "CNY")), ("RMB 48m", (48_000_000, "CNY")),
    ("48 million", (48_000_000, "")), ("USD 3.5 million", (3_500_000, "USD")), ("$2.5m", (2_500_000, "USD")),
    ("48,000,000 CNY", (48_000_000, "CNY")), ("€5k", (5_000, "EUR")),
])
def test_amounts_with_units_and_currencies(text: str, expected: tuple[float, str]) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", ["lots", "48 million 元 USD", "RMB", "", "4800万元 or so"])
def test_unreadable_amounts(text: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(text)


def test_counts_ratios_and_dates() -> None:
    assert [parse_quantity(t) for t in ("120人", "5%", "3 years", "1.2万", "12.5 ％")] == [120, 5, 3, 12_000, 12.5]
    dates = ["2019年3月", "2019-03-01", "2019/3/1", "March 2019", "1 March 2019", "2019", "2019年3月1日"]
    assert [parse_date(t, TODAY) for t in dates] == ["2019-03", "2019-03-01", "2019-03-01", "2019-03", "2019-03-01", "2019",
                                                     "2019-03-01"]
    for bad in ("2019-13", "2030", "soon"):
        with pytest.raises(ValueError):
            parse_date(bad, TODAY)


def _normalised(fields: dict[str, object]) -> dict[str, object]:
    profile = normalise_profile(profile_from_json({"fields": fields}), TODAY)
    return {name: (fv.chosen.value, fv.chosen.unit) for name, fv in profile.fields.items()}


def test_profile_fields_are_read_by_their_kind() -> None:
    got = _normalised({"region": "深圳市南山区", "founded_date": "2019年3月", "revenue": "4800万元",
                       "employees": "120人", "rd_expense_ratio": "8%", "certifications": ["高新技术企业"]})
    assert got == {"region": ("中国>广东省>深圳市>南山区", ""), "founded_date": ("2019-03", ""), "revenue": (48_000_000, "CNY"),
                   "employees": (120, "persons"), "rd_expense_ratio": (8, "%"), "certifications": (("高新技术企业",), ""),
                   "years_since_founding": (7.0, "years")}


def test_english_place_names_go_through_the_tree() -> None:
    assert _normalised({"region": "Nanshan, Shenzhen"})["region"] == ("中国>广东省>深圳市>南山区", "")
    assert _normalised({"region": "Austin, TX"})["region"] == ("United States>Texas>Austin", "")


@pytest.mark.parametrize(("field", "value", "words"), [
    ("revenue", "lots", "revenue: cannot read 'lots'"), ("employees", "many", "employees: cannot read 'many'"),
    ("founded_date", "2030-01-01", "founded_date: cannot read '2030-01-01'"), ("region", "Atlantis", "region: cannot read 'Atlantis'"),
    ("revenue", True, "revenue: cannot read True"), ("revenue", [1, 2], "revenue: cannot read [1, 2]"),
])
def test_unreadable_values_name_the_field_and_the_value(field: str, value: object, words: str) -> None:
    with pytest.raises(UnreadableValue) as err:
        _normalised({field: {"value": value}})
    assert str(err.value).startswith(words)


def test_a_value_and_its_unit_read_as_one_amount() -> None:
    got = _normalised({"revenue": {"value": 4800, "unit": "万元"}, "total_assets": {"value": "48", "unit": "million USD"},
                       "rd_expense": {"value": 9_600_000, "unit": "cny"}, "funding_raised": {"value": "3000万元", "unit": "CNY"}})
    assert got == {"revenue": (48_000_000, "CNY"), "total_assets": (48_000_000, "USD"), "rd_expense": (9_600_000, "CNY"),
                   "funding_raised": (30_000_000, "CNY")}
    with pytest.raises(UnreadableValue, match="revenue: cannot read 5 with unit 'lots'"):
        _normalised({"revenue": {"value": 5, "unit": "lots"}})


def test_overrides_are_read_the_same_way() -> None:
    assert normalise_overrides({"revenue": "RMB 48m", "region": "Shenzhen", "total_assets": "52 million"}, TODAY) == {
        "revenue": {"value": 48_000_000, "unit": "CNY"}, "region": "中国>广东省>深圳市",
        "total_assets": 52_000_000}  # no unit named: the profile's own applies
    with pytest.raises(UnreadableValue, match="revenue: cannot read 'lots'"):
        normalise_overrides({"revenue": {"value": "lots", "unit": "CNY"}}, TODAY)
    with pytest.raises(UnreadableValue, match="revenue: no value"):
        normalise_overrides({"revenue": None}, TODAY)


def test_a_null_in_a_given_profile_is_an_absent_fact() -> None:
    assert "revenue" not in _normalised({"revenue": {"value": None}, "employees": 12})


def test_an_override_in_a_bare_number_keeps_the_profiles_currency() -> None:
    p = _program("p", (), Criterion("revenue", ">=", 1_000_000, "USD"))
    firm = normalise_profile(profile_from_json({"fields": {"revenue": {"value": "USD 500k"}}}), TODAY)
    matcher = Matcher([p], today=TODAY)
    assert matcher.match(firm).matches[0].status == "ineligible"
    m = matcher.match(firm, overrides=normalise_overrides({"revenue": "2 million"}, TODAY)).matches[0]
    assert (m.status, m.verdicts[0].fact.unit if m.verdicts[0].fact else None) == ("eligible", "USD")


def _program(pid: str, area: tuple[str, ...], *criteria: Criterion) -> Program:
    return Program(id=pid, kind="policy", title=pid, jurisdiction=area, criteria=criteria)


def test_a_district_firm_is_inside_its_city_province_and_country_programs() -> None:
    catalog = [_program("cn", ("中国",)), _program("gd", ("中国", "广东省")), _program("sz", ("中国", "广东省", "深圳市")),
               _program("ns", ("中国", "广东省", "深圳市", "南山区")), _program("sh", ("中国", "上海市")),
               _program("ft", ("中国", "广东省", "深圳市", "福田区"))]
    for region in ("深圳市南山区", "Nanshan, Shenzhen"):
        firm = normalise_profile(profile_from_json({"fields": {"region": region}}), TODAY)
        result = Matcher(catalog, today=TODAY).match(firm)
        assert {m.program.id for m in result.matches} == {"cn", "gd", "sz", "ns"}
        assert {e.program.id for e in result.excluded} == {"sh", "ft"}


def test_founding_date_and_amounts_decide_criteria() -> None:
    p = _program("p", ("中国",), Criterion("years_since_founding", "<=", 10, "years"), Criterion("revenue", "<=", 50_000_000, "CNY"))
    firm = normalise_profile(profile_from_json({"fields": {"region": "深圳", "founded_date": "2019-03-01", "revenue": "4800万元"}}), TODAY)
    m = Matcher([p], today=TODAY).match(firm).matches[0]
    assert m.status == "eligible"
    assert [v.reason for v in m.verdicts[1:]] == ["years since founding 7 years is within the maximum of 10 years",
                                                  "revenue 48,000,000 CNY is within the maximum of 50,000,000 CNY"]
