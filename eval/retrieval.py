"""`sme eval retrieval`: ingest a dataset's corpus with the product pipeline, run its queries
through the product retriever, and score documents and pages against the qrels (SPEC format)."""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.errors import InputError
from app.core.retrieve import Retriever
from app.core.types import Principal
from app.settings import Settings
from app.wiring import Deps
from eval.metrics import dedupe, ranking_report, split_of
from eval.routing_report import routing_report
from ingest.pipeline import Ingestor, Target


def _read_jsonl(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def read_qrels_of(dataset: Path) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float]]]:
    """qrels.tsv, or each query's `positive` corpus id (the embedding probe's form)."""
    if (dataset / "qrels.tsv").exists():
        return read_qrels(dataset / "qrels.tsv")
    return {str(q["_id"]): {str(q["positive"]): 1.0} for q in _read_jsonl(dataset / "queries.jsonl")}, {}


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
    records = dataset / "corpus.jsonl" if (dataset / "corpus.jsonl").exists() else dataset / "passages.jsonl"
    for rec in _read_jsonl(records):
        # the id hex-encoded in the file name: a descriptive id ("zh-hnte-age") must not reach the
        # retriever as a document name and vote for its own document
        name = OPAQUE + str(rec["_id"]).encode("utf-8").hex()
        title = rec.get("title")
        body = f"# {title}\n\n{rec['text']}" if title else str(rec["text"])
        (folder / f"{name}.md").write_text(body, encoding="utf-8")
    return folder


OPAQUE = "doc-x"


def corpus_id(source: str) -> str:
    name = source.rsplit("/", 1)[-1]
    stem = name[:-3] if name.endswith(".md") and "." not in name[:-3] else name
    if stem.startswith(OPAQUE):
        try:
            return bytes.fromhex(stem[len(OPAQUE):]).decode("utf-8")
        except ValueError:
            return stem
    return stem


@dataclass
class Indexed:
    """A dataset ingested by the product pipeline, ready for its queries."""

    dataset: Path
    deps: Deps
    counts: dict[str, int]
    queries: list[dict[str, Any]]

    def score(self, retriever: Retriever | None = None, depth: int = 100) -> dict[str, object]:
        """Document (and page) metrics on all queries, on each half of the id-hash split, and per
        query direction when the queries carry one (`dir`, e.g. "en-zh")."""
        retriever = retriever or self.deps.retriever()
        doc_qrels, page_qrels = read_qrels_of(self.dataset)
        doc_runs: dict[str, list[str]] = {}
        page_runs: dict[str, list[str]] = {}
        admin = Principal("public", "admin")
        for q in self.queries:
            hits = retriever.search(str(q["text"]), admin, k=depth)
            doc_runs[str(q["_id"])] = dedupe([corpus_id(h.source) for h in hits])
            page_runs[str(q["_id"])] = dedupe([f"{corpus_id(h.source)}#page={h.page or 1}" for h in hits])
        result: dict[str, object] = {"documents": self.counts, "queries": len(doc_runs)}
        result.update(_reports(doc_runs, doc_qrels, page_runs, page_qrels))
        doc_ids = {corpus_id(str(r["source"])): str(r["id"]) for r in self.deps.kb.store.documents("indexed")}
        if (routing := routing_report(retriever, self.queries, doc_qrels, doc_ids.get)):
            result["routing"] = routing  # how often the question's company routed to its documents
        for half in ("tune", "held_out"):
            ids = {qid for qid in doc_runs if split_of(qid) == half}
            result[half] = _reports(*_only(ids, doc_runs, doc_qrels, page_runs, page_qrels))
        directions = sorted({str(q["dir"]) for q in self.queries if q.get("dir")})
        if directions:
            result["by_dir"] = {
                d: {half: _reports(*_only({str(q["_id"]) for q in self.queries if q.get("dir") == d
                                           and split_of(str(q["_id"])) in halves},
                                          doc_runs, doc_qrels, page_runs, page_qrels))
                    for half, halves in (("all", {"tune", "held_out"}), ("tune", {"tune"}),
                                         ("held_out", {"held_out"}))}
                for d in directions}
        return result


def _only(ids: set[str], *tables: dict[str, Any]) -> tuple[dict[str, Any], ...]:
    return tuple({k: v for k, v in t.items() if k in ids} for t in tables)


def _reports(doc_runs: dict[str, list[str]], doc_qrels: dict[str, dict[str, float]],
             page_runs: dict[str, list[str]], page_qrels: dict[str, dict[str, float]]) -> dict[str, object]:
    out: dict[str, object] = {"document": ranking_report(doc_runs, doc_qrels)}
    if page_qrels:
        out["page"] = ranking_report(page_runs, page_qrels)
    return out


@contextmanager
def indexed(dataset: Path, settings: Settings | None = None) -> Iterator[Indexed]:
    """Ingest the dataset's corpus into a fresh temporary data dir with the product pipeline."""
    with tempfile.TemporaryDirectory() as tmp:
        base = settings or Settings()
        settings = base.model_copy(update={"data_dir": Path(tmp) / "data"})
        corpus = _materialise_corpus(dataset, Path(tmp) / "corpus")
        deps = Deps.build(settings)
        report = Ingestor(settings, deps.kb, deps.embedder).run([corpus], Target(kind="general"))
        yield Indexed(dataset, deps, dict(report.counts), _read_jsonl(dataset / "queries.jsonl"))


def already_indexed(dataset: Path, data_dir: Path, settings: Settings | None = None) -> Indexed:
    """A data dir that already holds the dataset's corpus, ingested by the product (a large archive
    ingested once, or its vectors computed elsewhere: eval.e5_offload), scored as it stands."""
    settings = (settings or Settings()).model_copy(update={"data_dir": data_dir})
    deps = Deps.build(settings)
    held = {corpus_id(str(r["source"])) for r in deps.kb.store.documents("indexed")}
    doc_qrels, _ = read_qrels_of(dataset)
    wanted = {d for docs in doc_qrels.values() for d in docs}
    if not held & wanted:
        raise InputError(f"{data_dir} holds none of the documents {dataset.name}'s questions cite: ingest its corpus there")
    return Indexed(dataset, deps, {"indexed": len(held)}, _read_jsonl(dataset / "queries.jsonl"))


def run(dataset: Path, settings: Settings | None = None, depth: int = 100,
        data_dir: Path | None = None) -> dict[str, object]:
    """`data_dir`: score the corpus already ingested there instead of ingesting it afresh."""
    if data_dir is not None:
        return already_indexed(dataset, data_dir, settings).score(depth=depth)
    with indexed(dataset, settings) as ix:
        return ix.score(depth=depth)
