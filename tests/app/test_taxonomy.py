"""Taxonomy loading and classification with a deterministic embedder."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from app.adapters.embedder import HashingEmbedder
from app.core.company_directory import read_directory
from app.core.errors import InputError
from app.core.taxonomy import (
    TAXONOMY_DIR,
    TaxonomyClassifier,
    _lead_end,
    load_taxonomy,
    shipped_taxonomy,
    shipped_taxonomy_for,
)
from app.core.taxonomy_schema import read_taxonomy_file
from app.core.textnorm import index_form


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


def _shenwan(names: list[str]) -> TaxonomyClassifier:
    shipped = shipped_taxonomy_for(names)
    assert shipped is not None
    return TaxonomyClassifier(shipped, HashingEmbedder())


def test_trading_boilerplate_does_not_pull_towards_financials() -> None:
    classifier = _shenwan(["非银金融", "医药生物", "电子"])
    text = ("12月1日电，某某药业出现1笔大宗交易。成交价格为10元。买方为机构专用，卖方为某某证券股份有限公司"
            "上海某某路证券营业部。该股融资融券余额增加，主力资金净流入。")
    evidence = classifier.evidence([text])[0]
    assert evidence.weight[0] == 0.0  # every 证券/融资 mention sat in masked boilerplate
    assert classifier.classify([text])[0].label == "医药生物"
    # a broker quoted as the source of a view is boilerplate too; the sector vocabulary decides
    assert classifier.classify(["招商证券指出，公司芯片与晶圆代工订单饱满，封测产能扩张。"])[0].label == "电子"


def test_specific_terms_outweigh_terms_many_sectors_share(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        "field: sector\nlabels:\n"
        "  A: {keywords: [shared, alpha]}\n  B: {keywords: [shared, beta]}\n  C: {keywords: [shared, gamma]}\n",
        encoding="utf-8")
    classifier = TaxonomyClassifier(load_taxonomy(path), HashingEmbedder())
    shared, alpha = (classifier.evidence([t])[0] for t in ("shared", "alpha"))
    assert shared.weight[0] == shared.weight[1] == shared.weight[2] > 0
    assert alpha.weight[0] > shared.weight[0] and alpha.weight[1] == 0.0
    # two mentions of a shared term lose to one mention of a term only A owns
    assert classifier.classify(["we ship shared things: beta shared, alpha."])[0].label in {"A", "B"}
    assert classifier.evidence(["shared shared"])[0].weight[1] < classifier.evidence(["beta"])[0].weight[1] * 2


def test_longest_match_and_lead_and_company_weights() -> None:
    classifier = _shenwan(["电气设备", "有色金属", "非银金融"])
    evidence = classifier.evidence(["储能项目中标。" + "公司锂电池出货量增长。"])[0]
    assert evidence.terms[1] == ()  # 锂电池 is one term (电气设备), not also 锂 (有色金属)
    lead, later = (classifier.evidence([t])[0].weight[0] for t in ("储能。其他。", "其他。储能。"))
    assert lead == 2 * later
    company = classifier.evidence(["中信证券发布公告。"])[0]
    assert company.terms[2] == ("中信证券",) and company.weight[2] > 2


def test_mixed_edition_label_lists_prefer_the_majority_edition() -> None:
    classifier = _shenwan(["化工", "基础化工", "采掘", "商业贸易", "电子"])
    assert classifier.classify(["尿素开工率提升，化肥价格上涨。"])[0].label == "化工"
    classifier = _shenwan(["基础化工", "煤炭", "石油石化", "商贸零售", "电子"])
    assert classifier.classify(["尿素开工率提升，化肥价格上涨。"])[0].label == "基础化工"


@pytest.mark.parametrize("name", ["shenwan_l1", "startup_industry", "strategic_emerging", "tech_domains"])
def test_each_shipped_taxonomy_loads_with_described_labels(name: str) -> None:
    taxonomy = shipped_taxonomy(name)
    assert len(taxonomy.labels) >= 8
    assert all(label.description and label.keywords for label in taxonomy.labels)
    for pattern in taxonomy.boilerplate:
        re.compile(pattern)


def test_shenwan_ships_a_broad_company_dictionary() -> None:
    taxonomy = shipped_taxonomy("shenwan_l1")
    companies = {c for label in taxonomy.labels for c in label.companies}
    assert len(companies) >= 300
    assert all(label.companies for label in taxonomy.labels if label.name not in {"基础化工", "电力设备", "纺织服饰", "商贸零售"})


def test_shipped_taxonomy_for_still_picks_shenwan_and_startup_industry() -> None:
    shenwan = shipped_taxonomy_for(["化工", "基础化工", "电气设备", "电力设备", "采掘", "非银金融"])
    assert shenwan is not None and shenwan.field == "industry" and shenwan.boilerplate
    startup = shipped_taxonomy_for(["B2B", "Fintech", "Healthcare"])
    assert startup is not None and not startup.boilerplate
    assert shipped_taxonomy("tech_domains").field == "tech_domains"
    assert set(shipped_taxonomy("strategic_emerging").names) == {
        "新一代信息技术", "高端装备制造", "新材料", "生物", "新能源汽车", "新能源", "节能环保", "数字创意", "相关服务业"}


def test_multi_label_tagger_on_chinese_and_english_texts() -> None:
    classifier = TaxonomyClassifier(shipped_taxonomy("tech_domains"), HashingEmbedder())
    chinese, english, none = classifier.tag([
        "公司专注于工业机器人与机器视觉，同时研发人工智能大模型和深度学习算法。",
        "We build machine learning models and LLM agents for banks: payments, lending and fraud detection.",
        "A family bakery selling bread and cakes.",
    ])
    assert {"AI", "Robotics and Advanced Manufacturing"} <= {name for name, _ in chinese}
    assert {"AI", "Fintech"} <= {name for name, _ in english}
    assert none == []
    assert all(0 < conf <= 1 for tags in (chinese, english) for _, conf in tags)
    assert [c for _, c in chinese] == sorted((c for _, c in chinese), reverse=True)
    # stricter evidence requirements return fewer tags
    strict = classifier.tag(["公司专注于工业机器人与机器视觉，同时研发人工智能大模型和深度学习算法。"], min_hits=4)[0]
    assert len(strict) < len(chinese)


def test_yaml_without_new_fields_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "old.yaml"
    path.write_text("field: f\nlabels:\n  X: {description: x, keywords: [a]}\n  Y: plain description\n", encoding="utf-8")
    taxonomy = load_taxonomy(path)
    assert taxonomy.boilerplate == () and taxonomy.labels[1].description == "plain description"
    assert taxonomy.labels[0].companies == () and taxonomy.labels[0].era == ""


def test_terms_in_a_business_description_weigh_more() -> None:
    classifier = _shenwan(["医药生物", "电子", "机械设备"])
    plain, described = classifier.evidence(["其他。公司阀门产品销售增长。", "其他。公司主要从事阀门的研发和销售。"])
    assert described.weight[2] == classifier.business_weight * plain.weight[2]
    # the clause ends the description: 芯片 after the full stop counts as usual
    after = classifier.evidence(["其他。公司是一家阀门企业。芯片。"])[0]
    assert after.weight[1] == classifier.evidence(["其他。芯片。"])[0].weight[1]
    text = "其他。公司主营业务为工业阀门。下游客户包括芯片与半导体厂商。"
    assert classifier.classify([text])[0].label == "机械设备"


def _subject_finder() -> Callable[[str], str]:
    """The subject company the Shenwan vocabulary finds in a text ("" when none)."""
    classifier = _shenwan(["汽车", "电子", "非银金融"])
    classifier.warm_up()
    vocabulary = classifier._vocabulary
    assert vocabulary is not None

    def subject(text: str) -> str:
        norm = index_form(text)
        return vocabulary.subject(norm, vocabulary.terms.find(norm), _lead_end(norm))

    return subject


def test_the_subject_company_is_the_one_with_a_stock_code_or_named_first() -> None:
    subject = _subject_finder()
    assert subject("中信证券认为，长城汽车（601633）销量超预期。") == "长城汽车"
    assert subject("长城汽车与立讯精密签约。") == "长城汽车"
    assert subject("某某精工股份与长城汽车签约。") == "某某精工股份"  # not listed: 长城汽车 is a partner
    assert subject("其他。长城汽车与立讯精密签约，长城汽车称。") == "长城汽车"
    assert subject("其他。长城汽车与立讯精密签约。") == ""
    classifier = _shenwan(["汽车", "电子", "非银金融"])
    with_code = classifier.evidence(["长城汽车(601633)与立讯精密签约。"])[0]
    assert with_code.weight[0] == classifier.subject_weight * with_code.weight[1]
    # a Hong Kong code with its market after a hyphen is a stock code too (a hyphen between words is read as a space)
    hong_kong = classifier.evidence(["立讯精密与长城汽车(02333-HK)签约。"])[0]
    assert hong_kong.weight[0] == classifier.subject_weight * hong_kong.weight[1]


def test_a_broker_changing_a_rating_is_boilerplate() -> None:
    classifier = _shenwan(["非银金融", "汽车", "电子"])
    evidence = classifier.evidence(["7月13日讯，兴业证券7月12日将长城汽车评级调整为增持。"])[0]
    assert evidence.weight[0] == 0.0 and evidence.terms[1] == ("长城汽车",)


def test_markers_identify_a_label_by_the_form_of_the_text(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("field: agency\nlabels:\n  Science: {description: research, markers: ['broader impacts?']}\n"
                    "  Health: {description: research}\n", encoding="utf-8")
    clf = TaxonomyClassifier(load_taxonomy(path), HashingEmbedder())
    with_marker, without = clf.scores(["The broader impact of this research project.", "This research project."])
    assert with_marker[0] - with_marker[1] == pytest.approx(without[0] - without[1] + clf.marker_weight, abs=0.05)
    assert clf.classify(["The broader impacts of this research."])[0].label == "Science"
    path.write_text("field: agency\nlabels:\n  A: {markers: ['(unclosed']}\n  B: {}\n", encoding="utf-8")
    with pytest.raises(InputError, match="marker '\\(unclosed' is not a regular expression"):
        load_taxonomy(path)


def test_the_sbir_agency_taxonomy_is_found_for_a_catalogs_labels() -> None:
    names = ["Department of Defense", "National Science Foundation", "Department of Energy"]
    taxonomy = shipped_taxonomy_for(names)
    assert taxonomy is not None and taxonomy.field == "agency" and taxonomy.names == names


def test_an_unlisted_subjects_name_says_its_trade() -> None:
    classifier = _shenwan(["房地产", "有色金属", "化工", "电子"])
    notices = ["8月31日讯，鑫澜置业发布2020年三季度预亏公告。", "9月4日鑫澜合金(000000)股价报收4.52元，涨幅为5.61%。"]
    assert [r.label for r in classifier.classify(notices)] == ["房地产", "有色金属"]
    estate = classifier.evidence(notices[:1])[0]
    assert estate.terms[0] == ("置业",) and estate.weight[0] == classifier.name_weight * classifier.lead_weight
    silent = TaxonomyClassifier(classifier.taxonomy, HashingEmbedder(), name_weight=0.0)
    assert silent.evidence(notices[:1])[0].weight[0] == 0.0
    # a listed subject is judged by the dictionary, not by the parts of its name
    cars = _shenwan(["汽车", "电子", "非银金融"])
    assert cars.evidence(["长城汽车发布公告。"])[0].terms[0] == ("长城汽车",)


def test_the_subject_opens_a_notice_or_answers_investors() -> None:
    subject = _subject_finder()
    assert subject("12月23日电，鑫澜教育出现1笔大宗交易。成交价格为5.12元。") == "鑫澜教育"
    assert subject("7月22日电，长城汽车公布的最新两融数据显示，融资余额增加。") == "长城汽车"
    assert subject("有投资者问，立讯精密是贵司客户吗？鑫澜股份在互动平台表示，公司不便透露。") == "鑫澜股份"
    assert subject("公司发布公告，拟回购股份。") == ""


def test_an_investors_question_weighs_less_than_the_answer() -> None:
    classifier = _shenwan(["机械设备", "电子", "非银金融"])
    text = "有投资者问，公司是否涉及芯片？鑫澜股份在互动平台表示，公司主营阀门。"
    evidence = classifier.evidence([text])[0]
    assert evidence.weight[1] == classifier.question_weight * classifier.evidence(["其他。芯片。"])[0].weight[1]
    assert classifier.classify([text])[0].label == "机械设备"


def test_a_business_description_ends_where_it_turns_to_the_customers() -> None:
    classifier = _shenwan(["机械设备", "家用电器", "电子"])
    described, plain = classifier.evidence([
        "其他。公司主营业务：从事阀门产品的生产和销售,为空调暖通系统等下游领域提供产品。",
        "其他。公司阀门产品,空调暖通系统。"])
    assert described.weight[0] == classifier.business_weight * plain.weight[0]
    assert described.weight[1] == plain.weight[1] > 0


def test_name_parts_load_and_pass_to_the_same_sector_under_another_name(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("field: f\nlabels:\n  A: {keywords: [a], name_parts: [药业]}\n  A2: {same_as: A, keywords: [a2]}\n"
                    "  B: {keywords: [b]}\n", encoding="utf-8")
    taxonomy = load_taxonomy(path)
    assert taxonomy.labels[0].name_parts == ("药业",) == taxonomy.labels[1].name_parts
    assert taxonomy.labels[2].name_parts == ()


def test_the_term_finder_takes_the_longest_term_and_whole_ascii_words() -> None:
    from app.core.taxonomy_terms import TermFinder

    finder = TermFinder(["电池", "锂电池", "中信证券", "证券", "ai", "5g", "5g基站", "tcl科技"])
    assert finder.find("锂电池与电池") == [(0, "锂电池"), (4, "电池")]
    assert finder.find("中信证券称证券") == [(0, "中信证券"), (5, "证券")]
    assert finder.find("he said ai, 5g基站 and 5g.") == [(8, "ai"), (12, "5g基站"), (21, "5g")]
    assert finder.find("xtcl科技") == [(1, "tcl科技")]  # not ASCII: anywhere
    assert finder.find("") == [] and not TermFinder([]) and TermFinder(["a"])


def test_one_strong_term_tags_a_label_when_the_model_does_not_dismiss_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    classifier = TaxonomyClassifier(shipped_taxonomy("tech_domains"), HashingEmbedder())
    names = classifier.taxonomy.names
    text = "公司专注于机器视觉芯片与边缘模组，产品用于工业质检。"  # one term of Semiconductors: 芯片
    (evidence,) = classifier.evidence([text])
    chips = names.index("Semiconductors")
    assert len(evidence.terms[chips]) == 1 and 1 - np.exp(-evidence.weight[chips] / 2) >= 0.5

    def learned(semiconductors: float):  # type: ignore[no-untyped-def]
        def semantic(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            row = np.full((1, len(names)), 0.01)
            row[0, chips] = semiconductors
            return np.zeros((1, len(names))), row, np.ones(1)
        return semantic

    classifier.warm_up()  # (it sets the learned model aside: trained with another embedder)
    monkeypatch.setattr(classifier, "_learned", object())  # the learned model's probabilities, as `semantic` gives
    monkeypatch.setattr(classifier, "_semantic", learned(0.25))
    assert "Semiconductors" in {n for n, _ in classifier.tag([text])[0]}
    monkeypatch.setattr(classifier, "_semantic", learned(0.05))  # the model dismisses it: one term is not enough
    assert "Semiconductors" not in {n for n, _ in classifier.tag([text])[0]}


def test_a_hyphenated_term_is_the_term() -> None:
    classifier = TaxonomyClassifier(shipped_taxonomy("tech_domains"), HashingEmbedder())
    ai = classifier.taxonomy.names.index("AI")
    (spaced, hyphenated) = classifier.evidence(["We build machine learning tools.", "We build machine-learning tools."])
    assert "machine learning" in spaced.terms[ai] and "machine learning" in hyphenated.terms[ai]


def test_the_sentence_stating_the_firms_business_is_read_alone_too(monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    classifier = TaxonomyClassifier(shipped_taxonomy("tech_domains"), HashingEmbedder())
    names = classifier.taxonomy.names
    chips = names.index("Semiconductors")
    statement = "公司专注于机器视觉芯片与边缘模组，产品用于工业质检。"
    opening = "quarter | rd_expense | main_project\n2023Q1 | 2150000 | Fleet Cloud\n" + statement

    def semantic(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        # the model gives the chips label 0.25 on the statement alone, 0.1 on the opening crowded by the table
        rows = np.full((len(texts), len(names)), 0.01)
        rows[:, chips] = [0.25 if t == statement else 0.1 for t in texts]
        return np.zeros((len(texts), len(names))), rows, np.ones(len(texts))

    classifier.warm_up()  # (it sets the learned model aside: trained with another embedder)
    monkeypatch.setattr(classifier, "_learned", object())
    monkeypatch.setattr(classifier, "_semantic", semantic)
    assert "Semiconductors" not in {n for n, _ in classifier.tag([opening])[0]}
    tagged = classifier.tag([opening, opening], statements=[statement, ""])
    assert "Semiconductors" in {n for n, _ in tagged[0]}
    assert "Semiconductors" not in {n for n, _ in tagged[1]}  # no statement found: the opening alone, as before


def test_a_listed_company_only_the_directory_names_is_company_evidence_for_its_sector() -> None:
    # 研奥股份 (rail-transit equipment) and 高盟新材 (adhesives) are in no hand-written list
    spec = read_taxonomy_file(TAXONOMY_DIR / "shenwan_l1.yaml")
    hand_written = {c for body in spec.labels.values() for c in body.companies}
    assert not {"研奥股份", "高盟新材"} & hand_written
    classifier = _shenwan(["机械设备", "化工", "电子", "传媒"])
    text = "研奥股份公告，公司拟以自有资金回购股份，回购价格不超过20元/股。"
    evidence = classifier.evidence([text])[0]
    assert "研奥股份" in evidence.terms[0]
    assert classifier.classify([text])[0].label == "机械设备"
    assert classifier.classify(["高盟新材发布公告称，董事会审议通过了2023年度利润分配预案。"])[0].label == "化工"


def test_a_directory_name_that_is_an_everyday_word_or_a_place_is_not_read_as_the_company() -> None:
    listed = read_directory(TAXONOMY_DIR / "shenwan_l1.companies.tsv", shipped_taxonomy("shenwan_l1").names)
    names = {c for companies in listed.values() for c in companies}
    assert {"老百姓", "太平洋", "农产品"}.isdisjoint(names)  # a pharmacy chain, an insurer, a market operator
    assert {"中文传媒", "三川智慧", "万科"} <= names  # "万科A" is also read as news writes it
    classifier = _shenwan(["医药生物", "纺织服装", "非银金融"])
    evidence = classifier.evidence(["棉花价格上涨，纺织企业订单回暖，老百姓的衣柜也在换季。"])[0]
    assert evidence.terms[0] == () and evidence.terms[2] == ()


def test_a_taxonomy_s_own_companies_keep_their_labels_over_the_directory(tmp_path: Path) -> None:
    path = tmp_path / "sectors.yaml"
    path.write_text("field: sector\nlabels:\n  Chips: {keywords: [芯片], companies: [北方华创]}\n"
                    "  Machines: {keywords: [机床]}\n", encoding="utf-8")
    (tmp_path / "sectors.companies.tsv").write_text(
        "# code\tname\tlabels\n002371.SZ\t北方华创\tMachines\n688001.SH\t华兴源创\tChips,Machines\n"
        "688xxx.SH\t某某科技-U\tMachines\n", encoding="utf-8")
    labels = {label.name: label.companies for label in load_taxonomy(path).labels}
    assert labels["Chips"] == ("北方华创", "华兴源创")
    assert labels["Machines"] == ("华兴源创", "某某科技-U", "某某科技")


def test_a_directory_row_with_an_unknown_label_is_an_error_naming_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "sectors.yaml"
    path.write_text("field: sector\nlabels:\n  Chips: {keywords: [芯片]}\n  Machines: {keywords: [机床]}\n",
                    encoding="utf-8")
    (tmp_path / "sectors.companies.tsv").write_text("# header\n688001.SH\t华兴源创\tChips\n002371.SZ\t北方华创\tChip\n",
                                                    encoding="utf-8")
    with pytest.raises(InputError, match=r"sectors\.companies\.tsv, line 3: no label 'Chip'"):
        load_taxonomy(path)
    (tmp_path / "sectors.companies.tsv").write_text("688001.SH 华兴源创 Chips\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"line 1: expected code, name and labels separated by tabs"):
        load_taxonomy(path)
