"""The attribute probe (eval/data/attribute_probe.jsonl) is well formed and scored as its module says:
every item names a profile intent, both halves hold attributes held and not held, and the summary
counts recall, precision and false accepts."""

from __future__ import annotations

from app.core.intents import load_intents
from eval.attribute_probe import Item, declined_later, load_probe, summary
from eval.metrics import split_of


def test_the_probe_names_profile_intents_and_both_halves_hold_both_labels() -> None:
    items = load_probe()
    specs = {s.name: s for s in load_intents().specs}
    assert len({it.id for it in items}) == len(items) >= 200
    assert all(specs[it.intent].route == "profile" for it in items)
    for half in ("tune", "held_out"):
        labels = {it.held for it in items if split_of(it.id) == half}
        assert labels == {True, False}


def test_the_summary_counts_recall_precision_and_false_accepts() -> None:
    items = [Item("a", "en", "q", "profile.revenue", True), Item("b", "en", "q", "profile.revenue", True),
             Item("c", "en", "q", "profile.revenue", False), Item("d", "en", "q", "profile.revenue", False)]
    s = summary(items, [True, False, True, False])
    assert (s["recall"], s["precision"], s["false_accept"]) == (0.5, 0.5, 0.5)


def test_a_forecast_or_a_person_is_declined_after_the_check() -> None:
    assert declined_later("What revenue does it forecast for 2027?", ("revenue", "revenue_growth"))
    assert declined_later("Who founded it?", ("founded_date",))
    assert not declined_later("Who are its investors?", ("investors", "funding_rounds"))
    assert not declined_later("What was its revenue in 2023?", ("revenue", "revenue_growth"))
