"""`sme eval retrieval`: ingest a dataset's corpus with the product pipeline, run its queries
through the product retriever, and score documents and pages against the qrels (SPEC format)."""

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path

from app.core.types import Principal
from app.settings import Settings
from app.wiring import Deps
from eval.metrics import dedupe, ranking_report
from ingest.pipeline import Ingestor, Target


def _read_jsonl(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def read_qrels(path: Path) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float]]]:
    """(document qrels, page qrels); a corpus-id 'X#page=N' judges page N of X (and X itself)."""
    docs: dict[str, dict[str, float]] = {}
    pages: dict[str, dict[str, float]] = {}
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            qid, cid, score = row["query-id"], row["corpus-id"], float(row["score"])
            doc, _, page = cid.partition("#page=")
            docs.setdefault(qid, {})[doc] = max(score, docs.get(qid, {}).get(doc, 0.0))
            if page:
                pages.setdefault(qid, {})[f"{doc}#page={int(page)}"] = score
    return docs, pages


def _materialise_corpus(dataset: Path, folder: Path) -> Path:
    if (dataset / "corpus").is_dir():
        return dataset / "corpus"
    folder.mkdir(parents=True, exist_ok=True)
    for rec in _read_jsonl(dataset / "corpus.jsonl"):
        name = str(rec["_id"]).replace("/", "_")
        (folder / f"{name}.md").write_text(f"# {rec.get('title') or ''}\n\n{rec['text']}", encoding="utf-8")
    return folder


def corpus_id(source: str) -> str:
    name = source.rsplit("/", 1)[-1]
    return name[:-3] if name.endswith(".md") and "." not in name[:-3] else name


def run(dataset: Path, settings: Settings | None = None, depth: int = 100) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        base = settings or Settings()
        settings = base.model_copy(update={"data_dir": Path(tmp) / "data"})
        corpus = _materialise_corpus(dataset, Path(tmp) / "corpus")
        deps = Deps.build(settings)
        report = Ingestor(settings, deps.kb, deps.embedder).run([corpus], Target(kind="general"))
        retriever = deps.retriever()
        doc_qrels, page_qrels = read_qrels(dataset / "qrels.tsv")
        doc_runs: dict[str, list[str]] = {}
        page_runs: dict[str, list[str]] = {}
        admin = Principal("public", "admin")
        for q in _read_jsonl(dataset / "queries.jsonl"):
            qid = str(q["_id"])
            hits = retriever.search(str(q["text"]), admin, k=depth)
            doc_runs[qid] = dedupe([corpus_id(h.source) for h in hits])
            page_runs[qid] = dedupe([f"{corpus_id(h.source)}#page={h.page or 1}" for h in hits])
    result: dict[str, object] = {"documents": report.counts, "queries": len(doc_runs),
                                 "document": ranking_report(doc_runs, doc_qrels)}
    if page_qrels:
        result["page"] = ranking_report(page_runs, page_qrels)
    return result
