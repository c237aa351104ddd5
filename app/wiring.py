"""Builds the long-lived objects once per process (CLI main, API lifespan)."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.adapters.embedder import SentenceTransformerEmbedder
from app.adapters.kb import KnowledgeBase
from app.core.retrieve import Retriever
from app.core.tokenize import tokens
from app.settings import Settings


@dataclass
class Deps:
    settings: Settings
    kb: KnowledgeBase
    embedder: SentenceTransformerEmbedder
    _retriever: Retriever | None = field(default=None, repr=False)

    @classmethod
    def build(cls, settings: Settings) -> Deps:
        return cls(
            settings=settings,
            kb=KnowledgeBase(settings),
            embedder=SentenceTransformerEmbedder(
                settings.embedding_model, settings.embed_batch_size, settings.embed_max_tokens
            ),
        )

    def retriever(self) -> Retriever:
        if self._retriever is None:
            self._retriever = Retriever(self.embedder, self.kb.index(), self.kb.sparse(), self.kb.store, tokens)
        return self._retriever
