"""Comparisons whose subject no rule names, read by what the subject phrase means (app/core/criteria_subjects.py)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from app.core.criteria import extract, extract_clause
from app.core.criteria_subjects import SubjectClass, SubjectReader, SubjectsSpec, candidates, load_subjects
from app.core.ports import Embedder

# a deterministic stand-in for the embedder: one dimension per word a text contains
_WORDS = ["销售", "营业", "资产", "资本", "贷款", "人员", "员工", "参保", "sales", "capital"]


def _vectors(texts: Sequence[str]) -> np.ndarray:
    return np.asarray([[1.0 if w in t.lower() else 0.0 for w in _WORDS] + [0.01] for t in texts])


SPEC = SubjectsSpec(margin=0.05, classes=[
    SubjectClass(name="revenue", field="revenue", family="money", descriptions=["营业收入 销售额", "sales"]),
    SubjectClass(name="assets", field="total_assets", family="money", descriptions=["资产总额"]),
    SubjectClass(name="capital", field=None, family="money", descriptions=["注册资本", "capital"]),
    SubjectClass(name="loan", field=None, family="money", descriptions=["贷款额度"]),
    SubjectClass(name="employees", field="employees", family="people", descriptions=["员工人数 从业人员"]),
    SubjectClass(name="insured", field=None, family="people", descriptions=["参保"]),
])


def _reader() -> SubjectReader:
    return SubjectReader(spec=SPEC, vectors=_vectors)


def _read(text: str) -> set[tuple[str, str, object, str]]:
    return {(c.field, c.op, c.value, c.unit) for c in extract_clause(text, None, _reader())}


def test_the_shipped_subject_classes_cover_both_families_and_quantities_outside_the_vocabulary() -> None:
    spec = load_subjects()
    fields = {(k.family, k.field) for k in spec.classes}
    assert {("money", "revenue"), ("money", "total_assets"), ("money", "rd_expense"), ("people", "employees")} <= fields
    assert ("money", None) in fields and ("people", None) in fields and 0 < spec.margin < 0.2


def test_a_subject_no_rule_names_is_read_by_its_nearest_field() -> None:
    assert extract_clause("企业销售规模不低于5000万元。") == []  # the grammar alone has no rule for it
    assert _read("企业销售规模不低于5000万元。") == {("revenue", ">=", 50_000_000, "CNY")}
    assert _read("企业人员规模在50人以上。") == {("employees", ">=", 50, "persons")}
    assert _read("Gross sales must be at least $1 million.") == {("revenue", ">=", 1_000_000, "USD")}


def test_a_quantity_outside_the_vocabulary_or_a_tie_yields_nothing() -> None:
    assert _read("企业注册资本规模不低于1000万元。") == set()  # nearest: registered capital (field null)
    assert _read("企业参保人员不少于30人。") == set()  # nearest: the insured (field null)
    assert _read("企业规模不低于5000万元。") == set()  # no word of any class: every class ties


def test_a_number_a_rule_has_read_is_not_read_again() -> None:
    assert _read("企业营业收入不低于5000万元。") == {("revenue", ">=", 50_000_000, "CNY")}
    [c] = extract_clause("企业营业收入不低于5000万元。", None, _reader())
    assert c.value_text == "5000万元"


def test_the_holder_and_period_are_cut_from_the_phrase_and_a_comparison_is_needed() -> None:
    assert [k.phrase for k in candidates("申请企业上一年度销售规模不低于5000万元")] == ["销售规模"]
    assert [k.phrase for k in candidates("The company's gross sales must exceed $2 million.")] == ["gross sales"]
    assert list(candidates("给予企业奖励50万元")) == []  # an amount with no comparison states no condition


def test_an_exclusion_complements_a_read_comparison_and_extract_passes_the_reader_on() -> None:
    assert _read("销售规模超过2亿元的企业不予支持。") == {("revenue", "<=", 200_000_000, "CNY")}
    got = extract("申报条件：\n企业销售规模不低于5000万元。", subjects=_reader())
    assert [(c.field, c.op, c.value) for c in got] == [("revenue", ">=", 50_000_000)]


def test_without_an_embedder_nothing_is_read() -> None:
    reader = SubjectReader()
    assert not reader.active and extract_clause("企业销售规模不低于5000万元。", None, reader) == []


@pytest.mark.slow
def test_the_default_model_reads_paraphrased_subjects_and_rejects_other_quantities(real_embedder: Embedder) -> None:
    reader = SubjectReader(real_embedder)
    read = {t: {c.field for c in extract_clause(t, None, reader)} for t in [
        "企业销售规模不低于5000万元。", "企业资产规模不超过1亿元。", "企业研发支出不少于300万元。", "企业人员规模在50人以上。",
        "The firm's annual income must be at least $5 million.", "Total asset value must not exceed $20 million.",
        "企业注册资本不低于1000万元。", "单笔贷款额度不超过1000万元。", "企业年净利润不低于200万元。", "企业新增就业人数不少于20人。",
        "Registered capital must be at least RMB 10 million.", "企业近两年股权融资额达到2000万元以上。"]}
    assert list(read.values()) == [{"revenue"}, {"total_assets"}, {"rd_expense"}, {"employees"}, {"revenue"},
                                   {"total_assets"}, set(), set(), set(), set(), set(), set()]
