"""The plain LangChain pipeline a newcomer would write, run on the same dev sets as the product.

Retrieval: LangChain's unstructured loader (`UnstructuredFileLoader`, one Document per page,
strategy "fast") → `RecursiveCharacterTextSplitter` (its documented 1,000 / 200 characters) →
`HuggingFaceEmbeddings` with the product's default model (all-MiniLM-L6-v2, loaded offline from
the bundled package) → LangChain's `FAISS` store → top-k `similarity_search`.
Matching: the nearest program (one vector per program text) and its label.
Profiling: the nearest label name of the taxonomy field.
No product code takes part except the dataset readers and the metric functions, so both sides
are scored identically.
"""

from __future__ import annotations

import json
import logging
import time
import warnings
from pathlib import Path
from typing import Any

from app.adapters.embedder import default_model_path
from app.adapters.offline import patch_unstructured, set_offline_env
from eval.metrics import accuracy, dedupe, macro_f1, ranking_report
from eval.retrieval import corpus_id, read_qrels

logger = logging.getLogger(__name__)
CHUNK_SIZE, CHUNK_OVERLAP = 1000, 200  # RecursiveCharacterTextSplitter's documented example values


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _faiss() -> Any:
    with warnings.catch_warnings():  # langchain-community warns at import that it is being sunset; still the store
        warnings.simplefilter("ignore", DeprecationWarning)
        from langchain_community.vectorstores import FAISS
    return FAISS


def embeddings() -> Any:
    set_offline_env()
    from langchain_huggingface import HuggingFaceEmbeddings

    return HuggingFaceEmbeddings(model_name=str(default_model_path()), model_kwargs={"device": "cpu"})


def _load(dataset: Path) -> list[Any]:
    from langchain_core.documents import Document

    if not (dataset / "corpus").is_dir():
        return [Document(page_content=f"{r.get('title') or ''}\n{r['text']}", metadata={"source": f"{r['_id']}.md"})
                for r in _jsonl(dataset / "corpus.jsonl")]
    patch_unstructured()  # unstructured would otherwise try to download its spaCy model
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # UnstructuredFileLoader is "deprecated", still shipped
        from langchain_community.document_loaders import UnstructuredFileLoader

        docs: list[Any] = []
        for path in sorted(p for p in (dataset / "corpus").rglob("*") if p.is_file()):
            try:
                docs += UnstructuredFileLoader(str(path), mode="paged", strategy="fast").load()
            except Exception as exc:  # noqa: BLE001 - unstructured raises anything; log and skip, as a newcomer's loop would
                logger.warning("baseline loader skipped %s: %s", path.name, exc)
    return docs


def ingest(dataset: Path) -> tuple[Any, list[Any], list[Any], float]:
    """Load → split → embed → FAISS, timed from after the model load: (store, pages, chunks, seconds)."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    emb = embeddings()
    emb.embed_query("warm up")  # model load is not ingest throughput, on either side
    started = time.perf_counter()
    pages = _load(dataset)
    chunks = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP).split_documents(pages)
    store = _faiss().from_documents(chunks, emb)
    return store, pages, chunks, time.perf_counter() - started


def retrieval(dataset: Path, depth: int = 100, curve_k: int = 20) -> dict[str, Any]:
    store, pages, chunks, ingest_s = ingest(dataset)
    doc_runs: dict[str, list[str]] = {}
    page_runs: dict[str, list[str]] = {}
    latencies: list[float] = []
    for q in _jsonl(dataset / "queries.jsonl"):
        t = time.perf_counter()
        hits = store.similarity_search(str(q["text"]), k=depth)
        latencies.append(time.perf_counter() - t)
        ids = [corpus_id(str(h.metadata.get("source", ""))) for h in hits]
        doc_runs[str(q["_id"])] = dedupe(ids)
        page_runs[str(q["_id"])] = dedupe([f"{i}#page={h.metadata.get('page_number') or 1}" for i, h in zip(ids, hits)])
    return _retrieval_result(dataset, doc_runs, page_runs, curve_k) | {
        "documents": len({corpus_id(str(p.metadata.get("source", ""))) for p in pages}), "pages": len(pages),
        "chunks": len(chunks), "ingest_s": round(ingest_s, 2), "search_latency_s": latencies}


def _retrieval_result(dataset: Path, doc_runs: dict[str, list[str]], page_runs: dict[str, list[str]],
                      curve_k: int) -> dict[str, Any]:
    """Metrics and recall@k curves at document and page level; shared with the product's runner."""
    from eval.metrics import recall_at

    doc_qrels, page_qrels = read_qrels(dataset / "qrels.tsv")
    out: dict[str, Any] = {"queries": len(doc_runs), "document": ranking_report(doc_runs, doc_qrels)}
    levels = [("document", doc_runs, doc_qrels)] + ([("page", page_runs, page_qrels)] if page_qrels else [])
    if page_qrels:
        out["page"] = ranking_report(page_runs, page_qrels)
    out["recall_curve"] = {
        level: [round(sum(recall_at(runs.get(q, []), set(qrels[q]), k) for q in qrels) / max(len(qrels), 1), 4)
                for k in range(1, curve_k + 1)] for level, runs, qrels in levels}
    return out


def match(dataset: Path, limit: int | None = None) -> dict[str, Any]:
    from langchain_core.documents import Document

    emb = embeddings()
    programs = _jsonl(dataset / "programs.jsonl")
    enterprises = _jsonl(dataset / "enterprises.jsonl")[:limit]
    gold = {str(g["enterprise_id"]): g for g in _jsonl(dataset / "gold.jsonl")}
    started = time.perf_counter()
    store = _faiss().from_documents([Document(page_content=f"{p.get('title') or ''}\n{p.get('text') or ''}",
                                           metadata={"id": str(p["id"]), "label": p.get("label")}) for p in programs], emb)
    index_s = time.perf_counter() - started
    acc = hit = n = 0
    rr, n_rr, latencies = 0.0, 0, []
    for e in enterprises:
        g = gold.get(str(e["id"]))
        if g is None:
            continue
        t = time.perf_counter()
        top = store.similarity_search(str(e.get("text") or e.get("name") or ""), k=10)
        latencies.append(time.perf_counter() - t)
        n += 1
        if "label" in g:
            acc += bool(top) and top[0].metadata["label"] == g["label"]
            hit += g["label"] in {d.metadata["label"] for d in top[:5]}
        if g.get("program_ids"):
            wanted = set(map(str, g["program_ids"]))
            rr += next((1.0 / (i + 1) for i, d in enumerate(top) if d.metadata["id"] in wanted), 0.0)
            n_rr += 1
    out: dict[str, Any] = {"enterprises": n, "programs": len(programs), "label_acc@1": round(acc / max(n, 1), 4),
                           "label_hit@5": round(hit / max(n, 1), 4), "index_s": round(index_s, 2),
                           "match_latency_s": latencies}
    if n_rr:
        out["mrr@10"] = round(rr / n_rr, 4)
    return out


def _enterprise_text(record: dict[str, Any]) -> str:
    docs = record.get("docs") or []
    texts = [str(d.get("text", "")) if isinstance(d, dict) else "" for d in docs]
    return "\n".join([str(record.get("text") or "")] + texts).strip()


def profile(dataset: Path) -> dict[str, Any]:
    taxonomy = json.loads((dataset / "taxonomy.json").read_text(encoding="utf-8"))
    field, labels = str(taxonomy["field"]), [str(x) for x in taxonomy["labels"]]
    gold = {str(g["id"]): g for g in _jsonl(dataset / "gold.jsonl")}
    records = [r for r in _jsonl(dataset / "enterprises.jsonl") if field in gold.get(str(r["id"]), {})]
    emb = embeddings()
    started = time.perf_counter()
    store = _faiss().from_texts(labels, emb)
    vectors = emb.embed_documents([_enterprise_text(r) for r in records])
    predicted = [store.similarity_search_by_vector(v, k=1)[0].page_content for v in vectors]
    seconds = time.perf_counter() - started
    truth = [str(gold[str(r["id"])][field]) for r in records]
    return {"enterprises": len(records), "labels": len(labels), "field": field, "seconds": round(seconds, 2),
            field: {"accuracy": round(accuracy(truth, predicted), 4), "macro_f1": round(macro_f1(truth, predicted), 4),
                    "n": len(records)}}
