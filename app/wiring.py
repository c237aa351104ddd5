"""Builds the long-lived objects once per process (CLI main, API lifespan)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.adapters.backends import job_store, profile_store, program_store
from app.adapters.cpus import usable_cpus
from app.adapters.doc_routing import make_router
from app.adapters.e5_embedder import E5_NAME, E5Embedder
from app.adapters.e5_onnx import OnnxE5Embedder
from app.adapters.embedder import (
    MINILM_NAME,
    CrossEncoderReranker,
    EmbeddingReranker,
    HashingEmbedder,
    MemoEmbedder,
    SentenceTransformerEmbedder,
)
from app.adapters.jobs import JobStore
from app.adapters.kb import KnowledgeBase
from app.adapters.profiles import ProfileStore
from app.adapters.programs import ProgramStore
from app.core.glossary import load_glossary
from app.core.injection import InjectionDetector
from app.core.names import NameIndex
from app.core.ports import ChatModel, Embedder
from app.core.retrieve import Fusion, Retriever
from app.core.tokenize import tokens
from app.settings import Settings

if TYPE_CHECKING:
    from app.adapters.pg.jobs import PgJobStore


def make_embedder(settings: Settings) -> Embedder:
    """The configured embedding model (see Settings.embedding_model); loaded on warm_up()."""
    if settings.embedder == "hashing":
        return HashingEmbedder()
    name = settings.embedding_model.strip()
    if name in ("", E5_NAME):
        if settings.e5_engine == "onnxruntime":
            return OnnxE5Embedder(settings.torch_threads, graph_dir=settings.e5_onnx_dir, lanes=embed_lanes(settings),
                                  precision=settings.e5_precision)
        return E5Embedder(settings.torch_threads)
    path = "" if name == MINILM_NAME else name
    return SentenceTransformerEmbedder(path, settings.embed_batch_size, settings.embed_max_tokens,
                                       settings.torch_threads, multilingual=settings.embedding_multilingual)


def embed_lanes(settings: Settings) -> int:
    """Model passes one process runs at once: as set, else one pass per `torch_threads` of the CPUs
    this process may use (its affinity and container quota) when the model's threads are capped
    (server workers), else one pass using every core."""
    if settings.embed_lanes:
        return settings.embed_lanes
    if settings.torch_threads:
        return max(1, usable_cpus() // settings.torch_threads)
    return 1


def dense_weight_cjk(settings: Settings, embedder: Embedder, full: float) -> float:
    """The dense ranker's share for Chinese queries: `full` (its share for other queries) when
    the model reads Chinese, else 0 (BM25 alone)."""
    if settings.dense_weight_cjk is not None:
        return settings.dense_weight_cjk
    return full if embedder.multilingual else 0.0


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
    embedder: Embedder
    _retriever: Retriever | None = field(default=None, repr=False)
    _programs: ProgramStore | None = field(default=None, repr=False)
    _profiles: ProfileStore | None = field(default=None, repr=False)
    _jobs: JobStore | PgJobStore | None = field(default=None, repr=False)
    _generation: str | None = field(default=None, repr=False)
    _rerank: CrossEncoderReranker | EmbeddingReranker | None = field(default=None, repr=False)
    _memo: MemoEmbedder | None = field(default=None, repr=False)
    _injection: InjectionDetector | None = field(default=None, repr=False)
    chat: ChatModel | None = None  # None: the grounded backend

    def __post_init__(self) -> None:
        if self.kb.model_id is None:
            self.kb.model_id = self.embedder.model_id
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
    def injection(self) -> InjectionDetector:
        """Instructions planted in documents, found by cues and by meaning (the embedding model)."""
        if self._injection is None:
            self._injection = InjectionDetector(self.memo_embedder)
        return self._injection

    @property
    def programs(self) -> ProgramStore:
        if self._programs is None:
            self._programs = program_store(self.settings)
        return self._programs

    @property
    def profiles(self) -> ProfileStore:
        if self._profiles is None:
            self._profiles = profile_store(self.settings)
        return self._profiles

    @property
    def jobs(self) -> JobStore | PgJobStore:
        if self._jobs is None:
            self._jobs = job_store(self.settings)
        return self._jobs

    def _reranker(self) -> CrossEncoderReranker | EmbeddingReranker | None:
        name = self.settings.reranker_model
        if not name:
            return None
        if self._rerank is None:
            self._rerank = EmbeddingReranker(self.memo_embedder) if name == "embedder" else CrossEncoderReranker(name)
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
                names=NameIndex.per_tenant(self.kb.store.document_names()),  # counted per tenant: tenant-neutral
                router=make_router(self.kb),  # company and period routing over the documents' metadata
                rerank=self._reranker(),
                # the embedding model as reranker is no stronger scorer than the hybrid: it only shares the vote
                rerank_weight=0.5 if isinstance(self._rerank, EmbeddingReranker) else 1.0,
                # reading a routed filing's pages whole it shares less: 0.2 (tuning halves: financebench-scale flat 0.2-0.5, financebench-pages loses a question from 0.3)
                rerank_page_weight=0.2 if isinstance(self._rerank, EmbeddingReranker) else 1.0,
                fusion=Fusion(method=self.settings.fusion, dense_cjk=dense_weight_cjk(self.settings, self.embedder, Fusion.dense)),
            )
        return self._retriever
