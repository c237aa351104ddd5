"""Builds the chat's intent router once per process: the classifier when the model reads both
languages (exemplar vectors cached on disk per model, keyed by content, so only new or edited
exemplars are ever embedded) and the field-name check (app/core/field_aim.py), keyword evidence
otherwise."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from app.adapters.vector_cache import VectorCache
from app.core.chat_route import Router
from app.core.field_aim import FieldAim
from app.core.intent_classifier import IntentClassifier
from app.core.intents import load_intents
from app.wiring import Deps


def intent_cache_name(model_id: str) -> str:
    return f"intent_vectors-{hashlib.sha256(model_id.encode()).hexdigest()[:12]}.npz"


def field_names_cache_name(model_id: str) -> str:
    return f"field_name_vectors-{hashlib.sha256(model_id.encode()).hexdigest()[:12]}.npz"


def build_router(deps: Deps, program_ids: Callable[[], Iterable[str]] | None = None) -> Router:
    intents = load_intents()
    if not deps.embedder.multilingual:
        return Router(intents, None, program_ids)
    cache = VectorCache(deps.settings.cache_path / intent_cache_name(deps.embedder.model_id))
    embedder = deps.embedder
    classifier = IntentClassifier(intents, deps.memo_embedder,
                                  vectors=lambda texts: cache.vectors(texts, embedder.embed_query))
    groups = [s.fields for s in intents.specs if s.route == "profile"]
    labels = VectorCache(deps.settings.cache_path / field_names_cache_name(deps.embedder.model_id))
    aim = FieldAim(groups, deps.memo_embedder.embed_query, lambda texts: labels.vectors(texts, embedder.embed_query))
    return Router(intents, classifier, program_ids, aim)
