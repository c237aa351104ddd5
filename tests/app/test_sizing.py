"""A loan sized as a share of one of the client's figures (app/core/sizing.py): the amount for the client, with
its inputs, capped by the product's maximum."""

from __future__ import annotations

from app.core.profile import EnterpriseProfile, FieldValue
from app.core.sizing import sized, sized_text, sizing_rule
from app.core.types import Fact


def _profile(**fields: Fact) -> EnterpriseProfile:
    return EnterpriseProfile("x", "X", {name: FieldValue(f, (f,)) for name, f in fields.items()})


ROUNDS = Fact("funding_rounds", ({"stage": "angel", "status": "completed", "date": "2020", "amount": 5_000_000.0, "currency": "CNY"},
                                 {"stage": "A", "status": "completed", "date": "2022", "amount": 50_000_000.0, "currency": "CNY"},
                                 {"stage": "B", "status": "planned", "date": "2024", "amount": 200_000_000.0, "currency": "CNY"}),
              doc_id="plan", quote="2022年完成A轮融资5,000万元")


def test_a_share_of_a_base_the_profile_holds_is_read_in_either_language() -> None:
    assert sizing_rule("一般不超过最近一轮股权融资额的30%") == ("round", 30.0)
    assert sizing_rule("up to 25% of the latest equity round") == ("round", 25.0)
    assert sizing_rule("不超过上年度营业收入的20%") == ("revenue", 20.0)
    assert sizing_rule("按近两年纳税额的一定倍数核定额度") is None  # no share named: the rule alone is stated
    assert sizing_rule("年化3.6%起") is None  # a rate, of no base


def test_the_latest_completed_round_is_the_base_and_the_maximum_caps_it() -> None:
    s = sized("一般不超过最近一轮股权融资额的30%", _profile(funding_rounds=ROUNDS))
    assert s is not None and s.amount == 15_000_000 and s.base.value["stage"] == "A" and not s.capped  # type: ignore[index]
    assert sized_text(s, "zh") == "按此口径测算：5,000万元 × 30% = 1,500万元"
    assert sized_text(s, "en") == "On this basis: 50,000,000 CNY × 30% = 15,000,000 CNY"
    low = sized("一般不超过最近一轮股权融资额的30%", _profile(funding_rounds=ROUNDS), cap=10_000_000)
    assert low is not None and low.amount == 10_000_000 and low.capped
    assert sized_text(low, "zh").endswith("以最高额度1,000万元为限")


def test_no_base_held_gives_no_amount() -> None:
    assert sized("一般不超过最近一轮股权融资额的30%", _profile()) is None
    revenue = Fact("revenue", 120_800_000.0, "CNY", as_of="2023")
    s = sized("不超过上年度营业收入的20%", _profile(revenue=revenue))
    assert s is not None and s.amount == 24_160_000


def test_a_deduction_stated_as_a_share_of_the_rd_expense_gives_the_clients_amount() -> None:
    rule = "研发费用按实际发生额的100%在税前加计扣除"
    assert sizing_rule(rule) == ("rd_expense", 100.0)
    assert sizing_rule("企业所得税减按15%征收（一般企业为25%）") is None  # a rate, of no base the profile holds
    rd = Fact("rd_expense", 9_600_000.0, "CNY", as_of="2023", doc_id="fin")
    s = sized(rule, _profile(rd_expense=rd))
    assert s is not None and s.amount == 9_600_000 and sized_text(s, "zh") == "按此口径测算：960万元 × 100% = 960万元"
