"""Sources that disagree on a figure for the same period: the most trustworthy is chosen, and the others
are kept to be shown beside it (the business plan's revenue beside the statements')."""

from __future__ import annotations

from app.core.profile import build_profile, rivals
from app.core.types import Fact

STATEMENTS = Fact("revenue", 120_800_000.0, "CNY", doc_id="fin", as_of="2023", source_type="financial_statement")
PLAN = Fact("revenue", 130_000_000.0, "CNY", doc_id="bp", as_of="2023", source_type="business_plan")
NEWS = Fact("revenue", 130_500_000.0, "CNY", doc_id="news", as_of="2023", source_type="news")  # within 1% of the plan
EARLIER = Fact("revenue", 81_450_000.0, "CNY", doc_id="fin", as_of="2022", source_type="financial_statement")


def test_the_other_sources_figure_for_the_same_period_is_a_rival() -> None:
    fv = build_profile("f", [STATEMENTS, PLAN, NEWS, EARLIER]).fields["revenue"]
    assert fv.chosen is STATEMENTS and fv.conflict
    assert rivals(fv) == [PLAN]  # one per value (the news agrees with the plan); another year is history


def test_agreeing_sources_have_no_rival() -> None:
    fv = build_profile("f", [STATEMENTS, EARLIER]).fields["revenue"]
    assert not fv.conflict and rivals(fv) == []
