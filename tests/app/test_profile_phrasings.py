"""The profile's further phrasings (app/data/profile_phrasings.yaml): validated against intents.yaml
(a name that is no profile intent, or a misspelt key, is an error naming the file and line), and read
into the attribute check's vocabulary of the fields answered only."""

from __future__ import annotations

import pytest

from app.chat import _field_vocabulary, _terms
from app.core.asked_attribute import client_terms
from app.core.errors import ConfigError
from app.core.intents import PHRASINGS_FILE, load_intents, load_phrasings, parse_phrasings

PHRASINGS = """phrasings:
  profile.revenue:
    en: ["Zorblax takings this year?"]
    zh: [今年流水多少]
    zh_hant: [今年流水多少]
"""


def test_the_shipped_phrasings_cover_every_profile_intent_in_all_three_languages() -> None:
    phrasings, intents = load_phrasings(), load_intents()
    assert PHRASINGS_FILE.is_file()
    assert set(phrasings) == {s.name for s in intents.specs if s.route == "profile"}
    for name, texts in phrasings.items():
        assert len(texts) >= 20 and any("\u4e00" <= ch <= "\u9fff" for ch in "".join(texts)), name


def test_a_name_that_is_no_profile_intent_or_a_misspelt_key_is_an_error_naming_the_file() -> None:
    intents = load_intents()
    assert parse_phrasings(PHRASINGS, intents)["profile.revenue"] == ("Zorblax takings this year?", "今年流水多少", "今年流水多少")
    with pytest.raises(ConfigError, match=r"profile_phrasings.yaml:2: .*no profile intent 'match.credit'"):
        parse_phrasings(PHRASINGS.replace("profile.revenue", "match.credit"), intents)
    with pytest.raises(ConfigError, match=r"profile_phrasings.yaml:\d+: .*zh_hans"):
        parse_phrasings(PHRASINGS.replace("zh:", "zh_hans:"), intents)


def test_a_phrasing_holds_words_for_its_own_fields_only() -> None:
    revenue, employees = _field_vocabulary(("revenue", "revenue_growth")), _field_vocabulary(("employees",))
    said = {t for texts in load_phrasings()["profile.revenue"] for text in texts.split("\n") for t in _terms(text)}
    client = client_terms(_terms)  # the words for the client (客户, 这家) name no attribute of it
    assert said - client <= revenue and not client & revenue  # the revenue group's phrasings are its vocabulary
    assert said - employees  # and some of their words are no headcount word
