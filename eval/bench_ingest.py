"""Ingestion benchmark: pipeline throughput against plain model.encode, and unchanged re-ingest.

    .venv/bin/python -m eval.bench_ingest [--out FILE]
    .venv/bin/python -m eval.bench_ingest --compare [--out FILE]   # product vs plain LangChain, 22 files

Builds >= 200 mixed documents (law chapters as MD/HTML/DOCX/GBK TXT, filing pages as PDFs,
the fixture corpus), ingests them into a fresh data dir with the real model, then encodes the very
same chunk texts with plain `model.encode`, then re-ingests the unchanged files.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import tempfile
import time
from datetime import date
from pathlib import Path

from app.adapters.e5_embedder import E5Embedder
from app.adapters.e5_onnx import OnnxE5Embedder
from app.adapters.embedder import SentenceTransformerEmbedder
from app.adapters.kb import KnowledgeBase
from app.settings import Settings
from app.wiring import make_embedder
from eval.corpus_gen import build
from ingest.pipeline import Ingestor, Target


def run(workdir: Path) -> dict[str, object]:
    files = build(workdir / "corpus")
    settings = Settings(data_dir=workdir / "data")
    embedder = make_embedder(settings)
    assert isinstance(embedder, OnnxE5Embedder | E5Embedder | SentenceTransformerEmbedder), \
        "the benchmark measures the real model"
    embedder.warm_up()  # loaded once per process in the product too; not part of throughput
    started = time.perf_counter()
    first = Ingestor(settings, KnowledgeBase(settings), embedder).run([workdir / "corpus"], Target(kind="policy"))
    first_s = time.perf_counter() - started

    texts = [r[0] for r in sqlite3.connect(settings.db_path).execute("SELECT embed_text FROM chunks ORDER BY rowid")]
    started = time.perf_counter()
    if isinstance(embedder, OnnxE5Embedder | E5Embedder):
        embedder.embed(texts)
    else:
        embedder.model.encode(texts, batch_size=settings.embed_batch_size, normalize_embeddings=True)
    encode_s = time.perf_counter() - started

    started = time.perf_counter()
    again = Ingestor(settings, KnowledgeBase(settings), embedder).run([workdir / "corpus"], Target(kind="policy"))
    again_s = time.perf_counter() - started

    tokens = first.tokens
    return {
        "documents": len(files),
        "outcomes": first.counts,
        "chunks": first.chunks,
        "embedding_tokens": tokens,
        "pipeline": {
            "seconds": round(first_s, 2),
            "documents_per_s": round(first.counts.get("indexed", 0) / first_s, 2),
            "chunks_per_s": round(first.chunks / first_s, 1),
            "tokens_per_s": round(tokens / first_s, 1),
            "embed_seconds": round(first.embed_seconds, 2),
        },
        "plain_model_encode": {"seconds": round(encode_s, 2), "tokens_per_s": round(tokens / encode_s, 1)},
        "pipeline_vs_encode_tokens_per_s": round(encode_s / first_s, 3),
        "reingest_unchanged": {"seconds": round(again_s, 3), "outcomes": again.counts},
        "first_vs_reingest_speedup": round(first_s / again_s, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--compare", action="store_true", help="eval.bench_ingest_compare: product vs plain pipeline")
    args = parser.parse_args()
    if args.compare:
        from eval import bench_ingest_compare

        raise SystemExit(bench_ingest_compare.main([] if args.out is None else ["--out", str(args.out)]))
    args.out = args.out or Path("eval/reports") / str(date.today()) / "bench_ingest.json"
    with tempfile.TemporaryDirectory() as tmp:
        result = run(Path(tmp))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
