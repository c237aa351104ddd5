"""Criteria extraction: the labelled clauses exactly, tiers, alternatives, grounding, whole documents."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app.core.criteria import extract, extract_clause, grounded
from app.core.numbers import chinese_to_int, money, parse_number
from app.core.types import Criterion
from app.demo import DOCS
from eval.criteria import CLAUSES, run, score_clause

ITEMS = yaml.safe_load(CLAUSES.read_text(encoding="utf-8"))


def test_the_labelled_set_is_bilingual_and_large_enough() -> None:
    chinese = [i for i in ITEMS if any("\u4e00" <= ch <= "\u9fff" for ch in i["text"])]
    assert len(ITEMS) >= 40 and len(chinese) >= 20 and len(ITEMS) - len(chinese) >= 20


@pytest.mark.parametrize("item", ITEMS, ids=[i["text"][:30] for i in ITEMS])
def test_clause_yields_exactly_the_expected_criteria(item: dict) -> None:  # type: ignore[type-arg]
    expected, got = score_clause(item)
    assert got == expected


def test_precision_and_recall_meet_the_goal() -> None:
    result = run()
    assert result["precision"] >= 0.95 and result["recall"] >= 0.85


@pytest.mark.parametrize(("text", "value"), [("一", 1), ("十二", 12), ("五百", 500), ("两千", 2000),
                                             ("一万二千", 12000), ("三亿", 300_000_000)])
def test_chinese_numerals(text: str, value: int) -> None:
    assert chinese_to_int(text) == value


def test_money_units() -> None:
    assert money("5,000", "万元") == 50_000_000
    assert money("1.2", "亿元") == 120_000_000
    assert money("4.5", "million") == 4_500_000
    assert parse_number("3,500") == 3500


def test_tiers_from_a_whole_document_hang_off_the_ratio_named_before_them() -> None:
    criteria = extract((DOCS / "hnte_recognition_zh.md").read_text(encoding="utf-8"))
    tiers = [c for c in criteria if c.field == "rd_expense_ratio"]
    assert [(c.value, [(w.op, w.value) for w in c.when]) for c in tiers] == [
        (5.0, [("<=", 50_000_000.0)]),
        (4.0, [(">", 50_000_000.0), ("<=", 200_000_000.0)]),
        (3.0, [(">=", 200_000_000.0)]),
    ]
    fields = {c.field for c in criteria}
    assert {"years_since_founding", "patents.any", "rd_staff_ratio", "rd_domestic_ratio",
            "hightech_revenue_ratio", "risk_signals"} <= fields
    assert "certifications" not in fields  # "认定为高新技术企业须…" is the outcome, not a condition


def test_every_criterion_keeps_its_clause_and_is_grounded() -> None:
    for path in DOCS.iterdir():
        text = path.read_text(encoding="utf-8")
        for c in extract(text):
            assert c.source_text in text and grounded(c)
            if c.value_text:
                assert c.value_text in c.source_text


def test_ungrounded_criteria_are_rejected() -> None:
    invented = Criterion(field="employees", op="<=", value=300, source_text="职工总数不超过500人", value_text="300人")
    assert not grounded(invented)


def test_no_criteria_invented_from_prose_without_conditions() -> None:
    assert extract_clause("本办法自发布之日起施行。") == []
    assert extract_clause("The program supports innovation in many sectors.") == []


def test_cn_law_article_93_gives_only_what_it_states() -> None:
    law = Path(__file__).resolve().parents[3] / "shared/data/corpus/cn-laws/企业所得税法实施条例(2019-04-23).md"
    if not law.exists():
        pytest.skip("../shared not present")
    text = law.read_text(encoding="utf-8")
    start = text.index("第九十三条")
    article = text[start : text.index("第九十四条")]
    criteria = extract(article)
    assert [(c.field, c.op) for c in criteria] == [("patents.any", "exists")]  # the ratios say "规定比例": no number
