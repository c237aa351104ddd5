"""A startup's own financing (its bank, its investors) is no evidence of its industry (issue 17)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from app.adapters.embedder import HashingEmbedder
from app.core.errors import InputError
from app.core.evidence_filter import drop_customers, drop_financing, is_financing
from app.core.ports import Embedder
from app.core.taxonomy import TaxonomyClassifier, load_taxonomy, shipped_taxonomy

VISION_ZH = ("苏州明视智能装备有限公司主要从事工业机器视觉检测设备的研发与制造，产品用于汽车零部件和电子元器件产线的"
             "尺寸测量与缺陷检测。本计划书提交中国银行苏州分行，申请信用贷款500万元；公司在该行开立基本账户，"
             "并已获得元禾控股的天使轮投资。")
VISION_EN = ("Brightline Vision makes industrial machine-vision cameras and inspection software that find defects on "
             "factory production lines. We are writing to First Citizens Bank to request a $2M line of credit for "
             "inventory; our operating accounts are with the bank and our seed round was led by two fintech investors.")
CHIP_EN = ("Northfield Silicon is a fabless semiconductor company that designs mixed-signal chips and low-power "
           "processors for industrial sensors. Our second tape-out is scheduled with a foundry partner next spring. "
           "The company raised a Series A led by enterprise software investors.")


def _rules() -> TaxonomyClassifier:
    """The evidence side alone: a hashing embedder's similarities carry no meaning."""
    return TaxonomyClassifier(shipped_taxonomy("startup_industry"), HashingEmbedder(dim=256), semantic_weight=0.0)


def test_a_machine_vision_firm_naming_its_bank_is_industrials_not_fintech() -> None:
    results = _rules().classify([VISION_ZH, VISION_EN])
    assert [r.label for r in results] == ["Industrials", "Industrials"]


def test_the_bank_and_the_investors_give_finance_no_evidence() -> None:
    taxonomy = replace(shipped_taxonomy("startup_industry"), evidence_filters=())
    unfiltered = TaxonomyClassifier(taxonomy, HashingEmbedder(dim=256), semantic_weight=0.0)
    fintech = taxonomy.names.index("Fintech")
    assert unfiltered.evidence([VISION_ZH])[0].terms[fintech]  # 银行, 贷款, 投资 ...
    assert _rules().evidence([drop_financing(VISION_ZH)])[0].weight[fintech] == 0.0


def test_a_chip_designer_is_industrials_not_b2b() -> None:
    assert _rules().classify([CHIP_EN])[0].label == "Industrials"


@pytest.mark.slow
def test_the_shipped_classifier_reads_what_the_firm_does(real_embedder: Embedder) -> None:
    classifier = TaxonomyClassifier(shipped_taxonomy("startup_industry"), real_embedder)
    assert [r.label for r in classifier.classify([VISION_ZH, VISION_EN, CHIP_EN])] == ["Industrials"] * 3


def test_financing_clauses_are_dropped_and_the_business_stays() -> None:
    kept = drop_financing(VISION_ZH)
    assert "机器视觉检测设备" in kept and "银行" not in kept and "天使轮" not in kept
    kept = drop_financing(VISION_EN)
    assert kept.startswith("Brightline Vision makes") and "Bank" not in kept and "investors" not in kept


@pytest.mark.parametrize("clause", [
    "我们为小微企业提供应收账款融资和保理服务",  # a fintech's product, not its own funding
    "合作银行包括招商银行和花旗银行",  # partner banks in a payment firm's product
    "our app lets retail investors buy treasury bills",
    "deposits are held at our partner bank",
])
def test_a_finance_business_is_not_a_financing_statement(clause: str) -> None:
    assert not is_financing(clause)


def test_a_text_that_is_all_financing_is_kept_whole() -> None:
    text = "本轮融资由某创投领投。"
    assert drop_financing(text) == text


def test_an_unknown_evidence_filter_is_an_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("field: industry\nevidence_filters: [finance]\nlabels: {A: a, B: b}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"t.yaml: evidence_filters: no filter 'finance'"):
        load_taxonomy(path)


def test_the_customers_filter_drops_the_clauses_listing_customers() -> None:
    text = "公司提供企业网络安全软件，客户包括多家城市商业银行和保险公司。We sell to hospitals and banks."
    assert drop_customers(text) == "公司提供企业网络安全软件，"
