"""Every field a profile or a criterion can carry has a name in both languages for sentences shown to people."""

from __future__ import annotations

from app.core.field_names import EN, ZH, field_name
from app.core.fields import FIELDS, PROFILE_ONLY


def test_every_field_is_named_in_chinese_and_english() -> None:
    fields = [*FIELDS, *PROFILE_ONLY]
    assert not [f for f in fields if f not in ZH]
    assert not [f for f in fields if f not in EN and "." in f]  # plain names read as words ("net profit")


def test_a_risk_flag_reads_as_words_in_both_languages() -> None:
    assert field_name("risk.overdue_debt", "zh") == "逾期欠款"
    assert field_name("risk.overdue_debt", "en") == "overdue debt"
    assert field_name("certificate.hnte", "zh") == "高新技术企业证书"


def test_a_region_is_written_in_the_askers_language() -> None:
    from app.core.fact_text import value_text
    from app.core.types import Fact

    fact = Fact(field="region", value="中国>广东省>深圳市>南山区")
    assert value_text(fact, "en") == "China > Guangdong > Shenzhen > Nanshan (中国>广东省>深圳市>南山区)"
    assert value_text(fact, "zh") == "中国 > 广东省 > 深圳市 > 南山区"
    assert value_text(Fact(field="region", value="United States>Texas>Austin"), "en") == "United States > Texas > Austin"
