"""Taxonomy loading and classification with a deterministic embedder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.adapters.embedder import HashingEmbedder
from app.core.errors import InputError
from app.core.taxonomy import TaxonomyClassifier, load_taxonomy, shipped_taxonomy_for


def test_spec_json_taxonomy_with_descriptions(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"field": "sector", "labels": ["Banks", "Robots"],
                                "descriptions": {"Robots": "industrial robots and automation"}}), encoding="utf-8")
    taxonomy = load_taxonomy(path)
    assert taxonomy.field == "sector" and taxonomy.names == ["Banks", "Robots"]
    assert taxonomy.labels[1].description == "industrial robots and automation"


@pytest.mark.parametrize("body", ['{"field": "x"}', '{"labels": ["only"]}', "{not json"])
def test_bad_taxonomies_are_rejected_with_the_file_name(tmp_path: Path, body: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError, match="bad.json"):
        load_taxonomy(path)


def test_shipped_taxonomy_matches_a_bare_label_list() -> None:
    names = ["B2B", "Consumer", "Education", "Fintech", "Government", "Healthcare", "Industrials",
             "Real Estate and Construction"]
    shipped = shipped_taxonomy_for(names)
    assert shipped is not None and all(label.description and label.keywords for label in shipped.labels)
    assert shipped_taxonomy_for(["A", "B"]) is None


def test_classifier_uses_descriptions_and_keywords_and_reports_runners_up() -> None:
    shipped = shipped_taxonomy_for(["B2B", "Consumer", "Education", "Fintech", "Government", "Healthcare",
                                    "Industrials", "Real Estate and Construction"])
    assert shipped is not None
    classifier = TaxonomyClassifier(shipped, HashingEmbedder(dim=256))
    results = classifier.classify([
        "A payments API and lending platform: banking, credit cards and insurance for small businesses.",
        "An AI scribe for doctors that writes clinical notes for patients in hospitals.",
        "Tutoring and online courses that help students and teachers in schools.",
    ])
    assert [r.label for r in results] == ["Fintech", "Healthcare", "Education"]
    assert all(0 < r.confidence <= 1 and len(r.runners_up) == 2 for r in results)
    assert all(r.confidence >= r.runners_up[0][1] for r in results)


def test_shenwan_sectors_from_chinese_keywords_restricted_to_the_given_labels() -> None:
    names = ["医药生物", "电子", "食品饮料", "房地产"]
    shipped = shipped_taxonomy_for(names)
    assert shipped is not None and shipped.names == names
    results = TaxonomyClassifier(shipped, HashingEmbedder()).classify([
        "公司创新药获批上市，疫苗与医疗器械业务增长，集采影响有限。",
        "白酒龙头茅台提价，五粮液动销良好，酒企业绩超预期。",
        "半导体芯片国产化加速，晶圆厂扩产，封测订单饱满。",
    ])
    assert [r.label for r in results] == ["医药生物", "食品饮料", "电子"]
