"""The check that a profile answer is about the attribute asked (app/core/field_aim.py): field
groups named clearly less closely than the closest field are dropped."""

from __future__ import annotations

import numpy as np

from app.core.field_aim import MARGIN, FieldAim, aimed, closeness, field_labels, one_amount

GROUPS = {"revenue": "sales", "revenue_growth": "sales", "net_profit": "earnings", "total_assets": "earnings",
          "employees": "people"}


def test_each_field_is_named_in_english_and_chinese_once() -> None:
    labels = field_labels(["revenue", "employees", "revenue"])
    assert ("revenue", "营业收入") in labels and ("employees", "员工人数") in labels
    assert len([f for f, _ in labels if f == "revenue"]) == 2


def test_a_field_is_as_close_as_its_closest_name() -> None:
    labels = np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]])
    close = closeness(np.array([0.0, 1.0]), labels, ["a", "a", "b"])
    assert close == {"a": 0.8, "b": 1.0}


def test_a_group_another_field_is_clearly_closer_than_is_dropped() -> None:
    close = {"revenue": 0.81, "revenue_growth": 0.80, "net_profit": 0.87, "total_assets": 0.79, "employees": 0.78}
    assert aimed(close, ["revenue", "revenue_growth", "total_assets", "net_profit"], GROUPS) == ("total_assets", "net_profit")
    assert aimed(close, ["revenue", "revenue_growth"], GROUPS) == ()  # nothing answered names what is asked


def test_a_group_is_judged_by_its_closest_field_and_close_calls_are_kept() -> None:
    # growth asked, revenue named a little closer: the group answers both
    close = {"revenue": 0.96, "revenue_growth": 0.92, "net_profit": 0.88, "employees": 0.95 - MARGIN / 2}
    assert aimed(close, ["revenue", "revenue_growth"], GROUPS) == ("revenue", "revenue_growth")
    assert aimed(close, ["employees"], GROUPS) == ("employees",)  # within the margin of the closest


def test_fields_the_check_does_not_know_are_kept() -> None:
    assert aimed({"revenue": 0.9, "net_profit": 0.7}, ["certificate.hnte", "net_profit"], GROUPS) == ("certificate.hnte",)
    assert aimed({}, ["revenue"], GROUPS) == ("revenue",)



def test_of_several_amounts_only_those_named_about_as_closely_as_the_closest_are_answered() -> None:
    close = {"total_assets": 0.93, "net_profit": 0.86, "revenue": 0.93 - MARGIN / 2, "revenue_growth": 0.80}
    assert one_amount(close, ["total_assets", "net_profit"]) == ("total_assets",)
    assert one_amount(close, ["revenue", "total_assets", "net_profit"]) == ("revenue", "total_assets")
    # one amount with its ratio or growth: nothing to choose between
    assert one_amount(close, ["revenue", "revenue_growth"]) == ("revenue", "revenue_growth")
    assert one_amount(close, ["net_profit", "certificate.hnte"]) == ("net_profit", "certificate.hnte")


def test_a_single_group_of_two_amounts_is_narrowed_to_the_one_asked() -> None:
    names = {"总资产": [1.0, 0.0], "total assets": [1.0, 0.0], "净利润": [0.0, 1.0], "net profit": [0.0, 1.0]}

    def embed(texts: list[str]) -> np.ndarray:
        # a question lies near the assets' names; a name not listed is near nothing
        return np.array([names.get(t, [0.96, 0.28] if t.endswith("?") else [0.0, 0.0]) for t in texts])

    aim = FieldAim([["total_assets", "net_profit"], ["employees"]], embed)
    assert aim.aimed("How large is the balance sheet?", ["total_assets", "net_profit"]) == ("total_assets",)
    assert aim.aimed("How large is the balance sheet?", ["employees"]) == ("employees",)


def test_a_round_named_by_its_stage_is_read_as_the_funding_round() -> None:
    # by the names alone "how big" is the balance sheet; the stage named ("Series A", "A轮") is a value of the
    # funding fields, read as their name
    def embed(texts: list[str]) -> np.ndarray:
        def one(t: str) -> list[float]:
            low = t.lower()
            if "funding" in low or "融资" in low:
                return [0.0, 1.0]
            return [1.0, 0.0] if any(w in low for w in ("asset", "profit", "资产", "利润", "how big", "多大")) else [0.5, 0.5]
        return np.array([one(t) for t in texts])

    aim = FieldAim([["funding_stage", "funding_raised"], ["total_assets", "net_profit"]], embed)
    both = ["funding_stage", "funding_raised", "total_assets", "net_profit"]
    assert aim.aimed("how big was the company's Series A?", both) == ("funding_stage", "funding_raised")
    assert aim.aimed("该公司A轮规模多大", both) == ("funding_stage", "funding_raised")
    assert aim.aimed("how big is the company?", both) == ("total_assets", "net_profit")


def test_an_amount_named_outright_decides_over_the_names_closeness() -> None:
    # by the names alone the question is nearest the assets; it names the net profit by a word the glossary gives it
    def embed(texts: list[str]) -> np.ndarray:
        return np.array([[0.0, 1.0] if any(w in t for w in ("净利润", "net profit", "net income")) else [1.0, 0.0]
                         for t in texts])

    aim = FieldAim([["total_assets", "net_profit"]], embed)
    assert aim.aimed("该公司去年赚了多少钱？", ["total_assets", "net_profit"]) == ("net_profit",)
    assert aim.aimed("2023年的净利润和总资产分别是多少？", ["total_assets", "net_profit"]) == ("total_assets", "net_profit")
    assert aim.aimed("How large is the balance sheet?", ["total_assets", "net_profit"]) == ("total_assets",)
