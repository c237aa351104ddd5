"""The tech-domains probe (eval/data/tech_domains_probe.jsonl) is well formed, and scored as its module says:
micro precision, recall and F1 over the labels, and the share of firms whose set is exactly right."""

from __future__ import annotations

from app.core.profiler import TECH_DOMAINS
from app.core.taxonomy import load_taxonomy
from eval.metrics import split_of
from eval.tech_domains_probe import read_probe, scores


def test_the_probe_names_the_taxonomys_labels_and_both_halves_hold_firms_of_none_and_of_several() -> None:
    items = read_probe()
    names = set(load_taxonomy(TECH_DOMAINS).names)
    assert len({i["id"] for i in items}) == len(items) >= 100
    assert all(set(i["domains"]) <= names and i["lang"] in ("zh", "zh-Hant", "en") for i in items)
    for half in ("tune", "held_out"):
        sizes = {len(i["domains"]) for i in items if split_of(i["id"]) == half}
        assert {0, 1, 2} <= sizes


def test_scores_are_micro_over_labels_and_exact_over_firms() -> None:
    pairs = [({"AI", "Semiconductors"}, {"AI"}), (set(), {"Fintech"}), ({"Biotech"}, {"Biotech"})]
    s = scores(pairs)
    assert (s["precision"], s["recall"], s["exact"]) == (round(2 / 3, 4), round(2 / 3, 4), round(1 / 3, 4))
    assert s["f1"] == round(2 / 3, 4) and s["n"] == 3
