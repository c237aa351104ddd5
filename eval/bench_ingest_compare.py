"""Ingest side by side, one run, the same 22 files: `sme ingest`'s path vs the plain LangChain pipeline.

    .venv/bin/python -m eval.bench_ingest_compare [--out docs/benchmarks/ingest_compare.json]

Files: the 16 Chinese laws (shared/data/corpus/cn-laws), the 5 filings (financebench-pages PDFs)
and one scraped news page with navigation and ads (eval/data/ingest_bench). Each side runs in its
own process, so each peak memory is a worker's own: the product (Ingestor with the configured
default embedder) and the plain pipeline (eval.baseline.ingest: unstructured loader, 1000/200
recursive splitter, HuggingFaceEmbeddings with MiniLM, FAISS). The product's process then encodes
exactly the texts its pipeline encoded, in the same calls, with the engine's own `passage`: the raw
encode speed the pipeline is held to. Without the shared data it says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
LAWS = SHARED / "corpus" / "cn-laws"
FILINGS = SHARED / "eval" / "financebench-pages" / "corpus"
PAGE = ROOT / "eval" / "data" / "ingest_bench" / "news_scraped.html"


def files() -> list[Path]:
    return sorted(LAWS.glob("*.md")) + sorted(FILINGS.glob("*.pdf")) + [PAGE]


def _load() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class Recording:
    """The embedder as the pipeline sees it, remembering every call's texts for the raw replay."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls: list[list[str]] = []
        self.multilingual, self.model_id, self.dim = inner.multilingual, inner.model_id, inner.dim

    def warm_up(self) -> None:
        self.inner.warm_up()
        self.dim = self.inner.dim

    def embed(self, texts: Sequence[str]) -> Any:
        self.calls.append(list(texts))
        return self.inner.embed(texts)

    def embed_query(self, texts: Sequence[str]) -> Any:
        return self.inner.embed_query(texts)

    def count_tokens(self, text: str) -> int:
        return int(self.inner.count_tokens(text))


def product(corpus: Path, workdir: Path) -> dict[str, Any]:
    from app.adapters.kb import KnowledgeBase
    from app.settings import Settings
    from app.wiring import make_embedder
    from ingest.pipeline import Ingestor, Target

    settings = Settings().model_copy(update={"data_dir": workdir / "data"})
    embedder = Recording(make_embedder(settings))
    embedder.warm_up()  # loaded once per process in the product; not part of ingest, on either side
    load_before = _load()
    started = time.perf_counter()
    report = Ingestor(settings, KnowledgeBase(settings), embedder).run([corpus], Target(kind="policy"))
    wall = time.perf_counter() - started
    load_after = _load()
    texts = [t for call in embedder.calls for t in call]
    tokens = sum(embedder.count_tokens(t) + 2 for t in texts)  # what the model reads: text, CLS and SEP
    return {
        "model": embedder.model_id, "wall_s": round(wall, 2), "embed_s": round(report.embed_seconds, 2),
        "counts": report.counts, "chunks": report.chunks, "texts_encoded": len(texts), "tokens_embedded": tokens,
        "dense_skipped": report.dense_skipped, "dense_shared": report.dense_shared,
        "load_avg_1m": [load_before, load_after], "peak_rss_mb": _peak_mb(),
        "raw": _raw(embedder.inner, embedder.calls, tokens),
    }


def _raw(embedder: Any, calls: list[list[str]], tokens: int) -> dict[str, Any]:
    """The engine's own encode on the pipeline's texts, call for call (no coalescing, no Python around it)."""
    model = embedder if hasattr(embedder, "passage") else embedder.model  # the onnxruntime engine or a library's
    encode: Callable[[list[str]], Any] = model.passage if hasattr(model, "passage") else model.encode
    load_before = _load()
    started = time.perf_counter()
    for call in calls:
        encode(call)
    seconds = time.perf_counter() - started
    return {"encode_s": round(seconds, 2), "tokens_per_s": round(tokens / seconds, 1) if seconds else None,
            "load_avg_1m": [load_before, _load()]}


def plain(corpus: Path) -> dict[str, Any]:
    from eval import baseline

    dataset = corpus.parent
    load_before = _load()
    _, pages, chunks, seconds = baseline.ingest(dataset)
    return {"wall_s": round(seconds, 2), "pages": len(pages), "chunks": len(chunks),
            "load_avg_1m": [load_before, _load()], "peak_rss_mb": _peak_mb()}


def _child(name: str, corpus: str, workdir: str, out: str) -> None:
    logging.basicConfig(level=logging.WARNING)
    result = product(Path(corpus), Path(workdir)) if name == "product" else plain(Path(corpus))
    Path(out).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


def _in_process(name: str, corpus: Path, workdir: Path) -> dict[str, Any]:
    out = workdir / f"{name}.json"
    proc = multiprocessing.get_context("spawn").Process(target=_child, args=(name, str(corpus), str(workdir), str(out)))
    proc.start()
    proc.join()
    if proc.exitcode != 0:
        raise RuntimeError(f"the {name} side failed (exit {proc.exitcode})")
    return dict(json.loads(out.read_text(encoding="utf-8")))


def run(workdir: Path) -> dict[str, Any]:
    corpus = workdir / "bench" / "corpus"
    corpus.mkdir(parents=True)
    for path in files():
        shutil.copy(path, corpus / path.name)
    started = time.strftime("%Y-%m-%dT%H:%M:%S")
    plain_side = _in_process("plain", corpus, workdir)
    product_side = _in_process("product", corpus, workdir)
    pipe_tps = product_side["tokens_embedded"] / product_side["embed_s"] if product_side["embed_s"] else 0.0
    raw_tps = product_side["raw"]["tokens_per_s"] or 0.0
    return {
        "started": started, "cpus": os.cpu_count(), "files": len(files()),
        "product": product_side, "plain": plain_side,
        "ratios": {
            "product_wall_over_plain_wall": round(product_side["wall_s"] / plain_side["wall_s"], 3),
            "pipeline_embed_over_raw_encode_tokens_per_s": round(pipe_tps / raw_tps, 3) if raw_tps else None,
        },
        "goals": {"product_wall_over_plain_wall": "<= 1.0", "pipeline_embed_over_raw_encode_tokens_per_s": ">= 0.75",
                  "product_peak_rss_mb": "<= 1200"},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks" / "ingest_compare.json")
    args = parser.parse_args(argv)
    missing = [str(p) for p in (LAWS, FILINGS) if not p.is_dir()]
    if missing:
        print(f"bench_ingest_compare: skipped, shared data not found ({', '.join(missing)})", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        result = run(Path(tmp))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result["ratios"] | {"product_wall_s": result["product"]["wall_s"],
                                          "plain_wall_s": result["plain"]["wall_s"]}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
