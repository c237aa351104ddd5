"""Taxonomy files are checked against a schema; a learned label model trains, saves beside the
taxonomy, loads with it, and is ignored when another embedding model made it."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from app import cli
from app.adapters.embedder import HashingEmbedder
from app.adapters.label_trainer import train_label_model
from app.core.errors import InputError
from app.core.ports import Embedder
from app.core.taxonomy import TaxonomyClassifier, load_taxonomy, shipped_taxonomy
from app.core.taxonomy_model import load_label_model, model_paths
from app.settings import get_settings

TAXONOMY = """field: sector
labels:
  Robots:
    description: machines
  Banks:
    description: money
  Farms:
    description: crops
"""
TRAIN = {
    "Robots": ["welding robot arm for car factory lines", "warehouse robot arm picks parcels",
               "robot arm vision for factory assembly", "industrial robot arm and grippers"],
    "Banks": ["bank loans and deposit accounts online", "a bank offering credit cards and loans",
              "mortgage loans from a digital bank", "bank accounts and loans for small shops"],
    "Farms": ["tractors and seeds for wheat farms", "farms growing wheat and corn with drones",
              "irrigation for corn and wheat farms", "seeds and fertiliser for family farms"],
}


def _write(tmp_path: Path) -> tuple[Path, Path]:
    taxonomy = tmp_path / "sectors.yaml"
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    labelled = tmp_path / "labelled.jsonl"
    labelled.write_text("".join(json.dumps({"text": t, "label": label}) + "\n"
                                for label, texts in TRAIN.items() for t in texts), encoding="utf-8")
    return taxonomy, labelled


def test_a_misspelt_key_names_the_file_and_its_line(tmp_path: Path) -> None:
    path = tmp_path / "typo.yaml"
    path.write_text("field: f\nlabels:\n  A:\n    description: a\n    keyword: [x]\n  B: {}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"typo\.yaml:5: labels\.A\.keyword: unknown key"):
        load_taxonomy(path)
    path.write_text("field: f\nboilerplates: [x]\nlabels: {A: a, B: b}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"typo\.yaml:2: boilerplates: unknown key"):
        load_taxonomy(path)


def test_a_misspelt_key_in_the_spec_json_form_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"field": "f", "labels": ["A", "B"], "descriptons": {"A": "a"}}, indent=1),
                    encoding="utf-8")
    with pytest.raises(InputError, match=r"t\.json:7: descriptons: unknown key"):
        load_taxonomy(path)


def test_a_wrong_type_names_the_line_too(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("field: f\nlabels:\n  A:\n    prior: high\n  B: b\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"t\.yaml:4: labels\.A\.prior: Input should be a valid number"):
        load_taxonomy(path)


def test_train_save_and_load_round_trip(tmp_path: Path) -> None:
    taxonomy, labelled = _write(tmp_path)
    embedder = HashingEmbedder()
    result = train_label_model(taxonomy, labelled, embedder)
    arrays, meta = model_paths(taxonomy)
    assert (Path(result["model"]), Path(result["meta"])) == (arrays, meta) == (
        tmp_path / "sectors.labels.npz", tmp_path / "sectors.labels.json")
    info = json.loads(meta.read_text(encoding="utf-8"))
    assert info["model_id"] == "hashing" and info["examples"] == 12
    assert info["per_label"] == {"Banks": 4, "Farms": 4, "Robots": 4}
    with np.load(arrays, allow_pickle=False) as data:  # plain arrays, nothing pickled
        assert data["coef"].shape == (3, embedder.dim)
    model = load_label_model(taxonomy)
    assert model is not None and set(model.labels) == {"Robots", "Banks", "Farms"}

    texts = ["a robot arm for the factory", "loans from the bank", "wheat farms and seeds"]
    learned = TaxonomyClassifier(load_taxonomy(taxonomy), embedder, learned_weight=1.0)
    assert [c.label for c in learned.classify(texts)] == ["Robots", "Banks", "Farms"]
    _, probabilities, _ = learned._semantic(texts)
    assert np.allclose(probabilities.sum(1), 1.0) and (probabilities.argmax(1) == [0, 1, 2]).all()
    # the same taxonomy restricted to two labels: the model's mass over those two only
    two = TaxonomyClassifier(load_taxonomy(taxonomy).restricted(["Farms", "Banks"]), embedder)
    _, probabilities, _ = two._semantic(texts)
    assert np.allclose(probabilities.sum(1), 1.0) and probabilities[2, 0] > 0.5


def test_a_model_from_another_embedder_is_ignored_with_a_warning(tmp_path: Path,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    taxonomy, labelled = _write(tmp_path)
    train_label_model(taxonomy, labelled, HashingEmbedder())
    meta = model_paths(taxonomy)[1]
    meta.write_text(meta.read_text(encoding="utf-8").replace('"hashing"', '"another-model"'), encoding="utf-8")
    classifier = TaxonomyClassifier(load_taxonomy(taxonomy), HashingEmbedder())
    with caplog.at_level(logging.WARNING, logger="app.core.taxonomy"):
        _, probabilities, _ = classifier._semantic(["a robot arm"])
    assert (probabilities == 0).all()
    assert "trained with another-model, not hashing: ignored" in caplog.text


class _Arithmetic(HashingEmbedder):
    """The same weights run at another arithmetic (e5's int8 graph beside its float32 one)."""

    def __init__(self, model_id: str) -> None:
        super().__init__()
        self.model_id, self.weights_id = model_id, "hashing"


@pytest.mark.parametrize(("trained", "used"), [("hashing", "hashing-int8"), ("hashing-int8", "hashing")])
def test_a_model_of_the_same_weights_at_another_arithmetic_is_used(tmp_path: Path, trained: str, used: str,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    taxonomy, labelled = _write(tmp_path)
    train_label_model(taxonomy, labelled, _Arithmetic(trained))
    info = json.loads(model_paths(taxonomy)[1].read_text(encoding="utf-8"))
    assert (info["model_id"], info["weights_id"]) == (trained, "hashing")
    classifier = TaxonomyClassifier(load_taxonomy(taxonomy), _Arithmetic(used))
    with caplog.at_level(logging.WARNING, logger="app.core.taxonomy"):
        _, probabilities, _ = classifier._semantic(["a robot arm for the factory"])
    assert "ignored" not in caplog.text
    assert np.allclose(probabilities.sum(1), 1.0)  # the learned model's probabilities, not the zeros of none
    # other weights stay refused, whatever the arithmetic
    other = _Arithmetic(used)
    other.weights_id = "other"
    with caplog.at_level(logging.WARNING, logger="app.core.taxonomy"):
        _, probabilities, _ = TaxonomyClassifier(load_taxonomy(taxonomy), other)._semantic(["a robot arm"])
    assert (probabilities == 0).all() and "ignored" in caplog.text


def test_the_shipped_label_models_serve_the_int8_graph_too() -> None:
    """A shipped model names the weights it was trained on (or, written before weights_id existed, the float32
    graph's id, which is those weights): both graphs of those weights serve it."""
    from app.adapters.e5_onnx import OnnxE5Embedder

    for name in ("startup_industry", "shenwan_l1"):
        model = load_label_model(Path(shipped_taxonomy(name).source))
        assert model is not None
        assert model.fits(OnnxE5Embedder(precision="fp32")) and model.fits(OnnxE5Embedder(precision="int8"))


def test_labelled_lines_are_checked(tmp_path: Path) -> None:
    taxonomy, labelled = _write(tmp_path)
    labelled.write_text('{"text": "a", "label": "Robots"}\n{"text": "b", "label": "Ships"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"labelled\.jsonl:2: label 'Ships' is not in the taxonomy"):
        train_label_model(taxonomy, labelled, HashingEmbedder())
    labelled.write_text('{"text": "a", "lable": "Robots"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"labelled\.jsonl:1: .*label"):
        train_label_model(taxonomy, labelled, HashingEmbedder())


def test_sme_taxonomy_train(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    taxonomy, labelled = _write(tmp_path)
    monkeypatch.setenv("SME_EMBEDDER", "hashing")
    get_settings.cache_clear()
    try:
        assert cli.main(["taxonomy", "train", str(taxonomy), str(labelled)]) == 0
        assert cli.main(["taxonomy", "train", str(tmp_path / "none.yaml"), str(labelled)]) == 2
    finally:
        get_settings.cache_clear()
    out = capsys.readouterr()
    assert json.loads(out.out.splitlines()[0])["labels"] == 3 and "no taxonomy file" in out.err
    assert load_label_model(taxonomy) is not None


@pytest.mark.slow
def test_the_shipped_label_model_corrects_what_the_prototypes_got_wrong(real_embedder: Embedder) -> None:
    taxonomy = shipped_taxonomy("startup_industry")
    text = "我們為診所提供線上掛號與病歷管理的雲端軟體。"  # software for clinics: Healthcare, not in the training file
    prototypes = TaxonomyClassifier(taxonomy, real_embedder, learned_weight=0.0, keyword_weight=0.0)
    learned = TaxonomyClassifier(taxonomy, real_embedder, keyword_weight=0.0)
    assert prototypes.classify([text])[0].label == "B2B"
    assert learned.classify([text])[0].label == "Healthcare" and learned._learned is not None


def test_a_taxonomys_own_weights_are_used_unless_the_classifier_is_given_some(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text("field: f\nweights: {semantic: 0.0, learned: 0.2}\nlabels: {A: a, B: b}\n", encoding="utf-8")
    taxonomy = load_taxonomy(path)
    assert (taxonomy.semantic_weight, taxonomy.learned_weight) == (0.0, 0.2)
    assert TaxonomyClassifier(taxonomy, HashingEmbedder())._weight("semantic") == 0.0
    assert TaxonomyClassifier(taxonomy, HashingEmbedder(), semantic_weight=3.0)._weight("semantic") == 3.0
    path.write_text("field: f\nweights: {semantics: 1}\nlabels: {A: a, B: b}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"w\.yaml:2: weights\.semantics: unknown key"):
        load_taxonomy(path)


def test_base_rates_lean_the_learned_probabilities(tmp_path: Path) -> None:
    from app.core.taxonomy_model import with_base_rates

    probs = np.array([[0.4, 0.6], [0.5, 0.5]])
    leaned = with_base_rates(probs, [0.9, 0.1], 1.0)
    assert np.allclose(leaned.sum(1), 1.0)
    assert leaned[0].argmax() == 0 and leaned[1, 0] == pytest.approx(0.9)  # Bayes' rule with the full prior
    assert np.allclose(with_base_rates(probs, [0.9, 0.1], 0.0), probs)  # power 0: as fitted
    assert np.allclose(with_base_rates(probs, [None, None], 1.0), probs)  # no rates: as fitted
    assert np.allclose(with_base_rates(probs, [0.5, None], 1.0), probs)  # a missing rate is the mean of the given
    taxonomy, labelled = _write(tmp_path)
    taxonomy.write_text(TAXONOMY.replace("field: sector\n", "field: sector\nweights: {base_rate_power: 1.0}\n")
                        .replace("    description: money\n", "    description: money\n    base_rate: 0.98\n")
                        .replace("    description: crops\n", "    description: crops\n    base_rate: 0.01\n"),
                        encoding="utf-8")
    train_label_model(taxonomy, labelled, HashingEmbedder())
    plain = TaxonomyClassifier(load_taxonomy(taxonomy), HashingEmbedder())
    plain.warm_up()
    assert plain.taxonomy.base_rate_power == 1.0 and plain.taxonomy.labels[1].base_rate == 0.98
    vectors = np.asarray(HashingEmbedder().embed_query(["tractors and seeds for a robot arm"]))
    shares = plain._learned_probabilities(vectors)[0]
    unleaned = TaxonomyClassifier(replace(plain.taxonomy, base_rate_power=0.0), HashingEmbedder())
    unleaned.warm_up()
    assert shares[1] > unleaned._learned_probabilities(vectors)[0][1]


def test_a_taxonomys_sentence_share_reads_the_text_sentence_by_sentence_too(tmp_path: Path) -> None:
    # one long sentence of background outweighs, read whole, the two sentences saying what the firm makes
    text = ("The founders grew up on family farms with tractors, wheat, corn, seeds, irrigation and fertiliser "
            "for wheat farms and corn farms. They build a robot arm for factory lines. "
            "Their robot arm grippers weld car parts in the factory.")
    taxonomy, labelled = _write(tmp_path)
    train_label_model(taxonomy, labelled, HashingEmbedder())
    whole = TaxonomyClassifier(load_taxonomy(taxonomy), HashingEmbedder(), semantic_weight=0.0, keyword_weight=0.0)
    assert whole.taxonomy.sentence_share == 0.0 and whole.classify([text])[0].label == "Farms"
    taxonomy.write_text(TAXONOMY.replace("field: sector\n", "field: sector\nweights: {sentences: 0.7}\n"), encoding="utf-8")
    by_sentence = TaxonomyClassifier(load_taxonomy(taxonomy), HashingEmbedder(), semantic_weight=0.0, keyword_weight=0.0)
    assert by_sentence.taxonomy.sentence_share == 0.7
    assert by_sentence.classify([text, "wheat farms and seeds"])[0].label == "Robots"
    assert by_sentence.classify(["wheat farms and seeds", text])[1].label == "Robots"  # each text its own sentences
    # a share outside 0..1 is an error naming the file and its line
    taxonomy.write_text(TAXONOMY.replace("field: sector\n", "field: sector\nweights: {sentences: 1.5}\n"), encoding="utf-8")
    with pytest.raises(InputError, match=r"sectors\.yaml:2: .*weights\.sentences"):
        load_taxonomy(taxonomy)
    # a text with no sentence long enough to read alone is read whole
    _, probabilities, _ = by_sentence._semantic(["robot arm"])
    _, plain, _ = whole._semantic(["robot arm"])
    assert np.allclose(probabilities, plain)
