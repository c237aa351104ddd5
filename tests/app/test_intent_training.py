"""The classifier's further exemplars (app/data/intent_training.yaml): validated against intents.yaml
(an unknown intent or a repeated exemplar is an error naming the file and line), fitted on beside
the exemplars, and kept out of the profile's vocabulary."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pytest

from app.adapters.embedder import HashingEmbedder
from app.core.asked_attribute import profile_vocabulary
from app.core.errors import ConfigError
from app.core.intent_classifier import IntentClassifier
from app.core.intents import INTENTS_FILE, TRAINING_FILE, load_intents, parse_intents
from app.core.ports import Vectors

TEXT = INTENTS_FILE.read_text(encoding="utf-8")
TRAINING = """training:
  profile.revenue:
    en: ["Zorblax turnover please?"]
    zh: [营收给我看看]
    zh_hant: [營收給我看看]
"""


def _terms(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+|[\u4e00-\u9fff]", text.lower())


def test_the_shipped_training_file_adds_exemplars_to_every_intent_in_all_three_languages() -> None:
    intents = load_intents()
    assert TRAINING_FILE.parent == INTENTS_FILE.parent
    for s in intents.specs:
        assert len(s.training) >= 15, s.name
        assert any("\u4e00" <= ch <= "\u9fff" for ch in "".join(s.training)), s.name
        assert not set(s.training) & set(s.examples), s.name
    assert load_intents(INTENTS_FILE, None).spec("profile.revenue").training == ()


def test_training_exemplars_are_read_per_intent() -> None:
    intents = parse_intents(TEXT, "intents.yaml", TRAINING)
    assert intents.spec("profile.revenue").training == ("Zorblax turnover please?", "营收给我看看", "營收給我看看")
    assert intents.spec("profile.ip").training == ()
    assert "Zorblax turnover please?" not in intents.spec("profile.revenue").examples


def test_an_unknown_intent_a_misspelt_key_or_a_copied_exemplar_is_an_error_naming_the_file() -> None:
    with pytest.raises(ConfigError, match=r"intent_training.yaml:2: .*no intent 'profile.revenu'"):
        parse_intents(TEXT, "intents.yaml", TRAINING.replace("profile.revenue", "profile.revenu"))
    with pytest.raises(ConfigError, match=r"intent_training.yaml:\d+: .*zh_hans"):
        parse_intents(TEXT, "intents.yaml", TRAINING.replace("zh:", "zh_hans:"))
    with pytest.raises(ConfigError, match=r"intent_training.yaml:\d+: .*already in intents.yaml"):
        parse_intents(TEXT, "intents.yaml", TRAINING.replace("Zorblax turnover please?",
                                                             "What was the company's revenue last year?"))


class _Recording(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def embed_query(self, texts: Sequence[str]) -> Vectors:
        self.texts.extend(texts)
        return super().embed_query(texts)


def test_the_classifier_fits_on_the_exemplars_and_the_training_exemplars() -> None:
    intents = parse_intents(TEXT, "intents.yaml", TRAINING)
    embedder = _Recording()
    classifier = IntentClassifier(intents, embedder)
    classifier.warm_up()
    assert "Zorblax turnover please?" in embedder.texts and "What was the company's revenue last year?" in embedder.texts
    assert classifier._owner is not None
    assert len(classifier._owner) == sum(len(s.examples) + len(s.training) for s in intents.specs)
    assert np.bincount(classifier._owner)[[s.name for s in intents.specs].index("profile.revenue")] == \
        len(intents.spec("profile.revenue").examples) + 3
    assert classifier.nearest("Zorblax turnover please?") == "profile.revenue"


def test_the_profile_vocabulary_ignores_the_training_exemplars() -> None:
    with_training = parse_intents(TEXT, "intents.yaml", TRAINING)
    without = parse_intents(TEXT, "intents.yaml")
    vocabulary = profile_vocabulary(with_training, _terms)
    assert "zorblax" not in vocabulary
    assert vocabulary == profile_vocabulary(without, _terms)
    assert profile_vocabulary(load_intents(), _terms) == profile_vocabulary(load_intents(INTENTS_FILE, None), _terms)
