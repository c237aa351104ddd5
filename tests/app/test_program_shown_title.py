"""A program is named in the asker's language where the catalog gives it a name in that language, with its
official title always beside it (app/core/program_answer.shown_title)."""

from __future__ import annotations

from app.core.program_answer import shown_title
from app.core.types import Program


def test_a_chinese_title_reads_with_its_english_alias_in_english_only() -> None:
    p = Program("hnte-loan", "credit", "高企贷", aliases=("High-Tech Enterprise Loan", "HNTE loan"))
    assert shown_title(p, "en") == "High-Tech Enterprise Loan (高企贷)"  # the first alias in the asker's language
    assert shown_title(p, "zh") == "高企贷"


def test_an_english_title_reads_with_its_chinese_alias_in_chinese() -> None:
    p = Program("sbir", "policy", "SBIR Phase I", aliases=("小企业创新研究计划第一阶段",))
    assert shown_title(p, "zh") == "小企业创新研究计划第一阶段（SBIR Phase I）"
    assert shown_title(p, "en") == "SBIR Phase I"


def test_a_title_in_both_languages_or_without_an_alias_stays_as_it_is() -> None:
    both = Program("harbor", "equity", "Harbor Seed Fund 港湾种子基金", aliases=("港湾种子基金",))
    assert shown_title(both, "zh") == shown_title(both, "en") == "Harbor Seed Fund 港湾种子基金"
    bare = Program("x", "policy", "南山区首贷户贷款贴息")
    assert shown_title(bare, "en") == "南山区首贷户贷款贴息"
