"""Builds the long-lived objects once per process (CLI main, API lifespan)."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.adapters.embedder import (
    CrossEncoderReranker,
    HashingEmbedder,
    MemoEmbedder,
    SentenceTransformerEmbedder,
)
from app.adapters.jobs import JobStore
from app.adapters.kb import KnowledgeBase
from app.adapters.profiles import ProfileStore
from app.adapters.programs import ProgramStore
from app.core.glossary import load_glossary
from app.core.names import NameIndex
from app.core.ports import ChatModel
from app.core.retrieve import Fusion, Retriever
from app.core.tokenize import tokens
from app.settings import Settings


def make_embedder(settings: Settings) -> SentenceTransformerEmbedder | HashingEmbedder:
    if settings.embedder == "hashing":
        return HashingEmbedder()
    return SentenceTransformerEmbedder(settings.embedding_model, settings.embed_batch_size, settings.embed_max_tokens,
                                       settings.torch_threads)


def make_chat(settings: Settings) -> ChatModel | None:
    """The configured LLM, or None for the embedded `grounded` backend (no model)."""
    if settings.llm_backend == "openai":
        from app.adapters.llm import openai_chat

        return openai_chat(settings)
    return None


@dataclass
class Deps:
    settings: Settings
    kb: KnowledgeBase
    embedder: SentenceTransformerEmbedder | HashingEmbedder
    _retriever: Retriever | None = field(default=None, repr=False)
    _programs: ProgramStore | None = field(default=None, repr=False)
    _profiles: ProfileStore | None = field(default=None, repr=False)
    _jobs: JobStore | None = field(default=None, repr=False)
    _generation: str | None = field(default=None, repr=False)
    _rerank: CrossEncoderReranker | None = field(default=None, repr=False)
    _memo: MemoEmbedder | None = field(default=None, repr=False)
    chat: ChatModel | None = None  # None: the grounded backend

    def __post_init__(self) -> None:
        if self.chat is None:
            self.chat = make_chat(self.settings)

    @classmethod
    def build(cls, settings: Settings) -> Deps:
        return cls(settings=settings, kb=KnowledgeBase(settings), embedder=make_embedder(settings))

    @property
    def memo_embedder(self) -> MemoEmbedder:
        """The embedder of the classifiers that read one firm's text (industry, tech domains, the
        matcher's label model): each text is embedded once for all of them."""
        if self._memo is None:
            self._memo = MemoEmbedder(self.embedder)
        return self._memo

    @property
    def programs(self) -> ProgramStore:
        if self._programs is None:
            self._programs = ProgramStore(self.settings.db_path)
        return self._programs

    @property
    def profiles(self) -> ProfileStore:
        if self._profiles is None:
            self._profiles = ProfileStore(self.settings.db_path)
        return self._profiles

    @property
    def jobs(self) -> JobStore:
        if self._jobs is None:
            self._jobs = JobStore(self.settings.db_path)
        return self._jobs

    def _reranker(self) -> CrossEncoderReranker | None:
        if not self.settings.reranker_model:
            return None
        if self._rerank is None:
            self._rerank = CrossEncoderReranker(self.settings.reranker_model)
        return self._rerank

    def retriever(self) -> Retriever:
        """The retriever over the latest committed index (reloaded after another process commits)."""
        generation = self.kb.store.meta("index_generation")
        if generation != self._generation:
            self.kb.reload()
            self._retriever, self._generation = None, generation
        if self._retriever is None:
            self._retriever = Retriever(
                embedder=self.memo_embedder,  # chat reuses the query's vector for the program catalog
                index=self.kb.index(),
                sparse=self.kb.sparse(),
                lookup=self.kb.store,
                tokenize=tokens,
                glossary=load_glossary(),
                names=NameIndex.build(self.kb.store.document_names()),
                rerank=self._reranker(),
                fusion=Fusion(method=self.settings.fusion, dense_cjk=self.settings.dense_weight_cjk),
            )
        return self._retriever
