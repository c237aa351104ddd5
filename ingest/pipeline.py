"""Ingestion pipeline: orchestrates the stages and commits to the knowledge base in checkpoints.

Workers parse, clean and chunk; the main thread decides duplicates (in input order, so the
first copy wins), embeds in large batches and commits every `checkpoint_docs` documents.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from app.adapters.kb import KnowledgeBase
from app.adapters.parsers import parse
from app.adapters.store import Batch
from app.core.criteria_subjects import SubjectReader
from app.core.errors import DocumentError
from app.core.injection import InjectionDetector
from app.core.policy_programs import document_scope, programs_from_document
from app.core.ports import Embedder
from app.core.types import DOC_KINDS, PUBLIC_TENANT, Chunk, Document, RawFile
from app.settings import Settings
from ingest.dedupe import band_keys, content_key, jaccard, sha
from ingest.embed import encode, plan, vectors
from ingest.injection import flag_chunks
from ingest.load import Failure, discover, expand_zip, read_file
from ingest.prepare import Prepared, prepare
from ingest.report import Outcome, Report

logger = logging.getLogger(__name__)
EMBED_BATCH = 2048  # chunks per embedding round: the longer the round, the more a length sort saves
KNOWN_CAP = 50_000  # vectors remembered by content key within a run (20 MB at 384 d)


@dataclass(frozen=True)
class Target:
    kind: str = "general"
    tenant: str = PUBLIC_TENANT
    enterprise_id: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in DOC_KINDS:
            raise ValueError(f"unknown kind {self.kind!r}; expected one of {', '.join(DOC_KINDS)}")
        if self.kind == "enterprise" and not self.enterprise_id:
            raise ValueError("enterprise documents need an enterprise id")


class Ingestor:
    def __init__(self, settings: Settings, kb: KnowledgeBase, embedder: Embedder,
                 injection: InjectionDetector | None = None) -> None:
        self.settings = settings
        self.kb = kb
        self.embedder = embedder
        self.injection = injection or InjectionDetector(embedder)
        self.subjects = SubjectReader(embedder)  # criteria whose subject no rule names, read by meaning
        if kb.model_id is None:  # the index records which model made its vectors
            kb.model_id = embedder.model_id

    def run(self, paths: Iterable[Path], target: Target, progress: Callable[[Outcome], None] | None = None) -> Report:
        started = time.perf_counter()
        run = _Run(self, target, progress or (lambda o: None))
        with self.kb.writer_lock():
            run.execute(self._inputs(paths))
        run.report.seconds = time.perf_counter() - started
        return run.report

    def run_raw(self, files: Iterable[RawFile | Failure], target: Target,
                progress: Callable[[Outcome], None] | None = None) -> Report:
        """Ingest files already in memory (uploads); ZIPs are expanded as from disk."""
        started = time.perf_counter()
        run = _Run(self, target, progress or (lambda o: None))
        with self.kb.writer_lock():
            run.execute(x for f in files for x in (self.expand(f) if isinstance(f, RawFile) else [f]))
        run.report.seconds = time.perf_counter() - started
        return run.report

    def _inputs(self, paths: Iterable[Path]) -> Iterator[RawFile | Failure]:
        for path in discover(list(paths)):
            try:
                raw = read_file(path, self.settings)
            except DocumentError as exc:
                yield Failure(str(path), exc.status, str(exc))
                continue
            yield from self.expand(raw)

    def expand(self, raw: RawFile) -> Iterator[RawFile | Failure]:
        if raw.extension != "zip":
            yield raw
            return
        try:
            yield from expand_zip(raw, self.settings)
        except DocumentError as exc:
            yield Failure(raw.source, exc.status, str(exc))


class _Run:
    """State of one ingest run: the pending batch, what was seen in it, the report."""

    def __init__(self, ingestor: Ingestor, target: Target, progress: Callable[[Outcome], None]) -> None:
        self.i = ingestor
        self.s = ingestor.settings
        self.kb = ingestor.kb
        self.target = target
        self.progress = progress
        self.report = Report()
        self.batch = Batch()
        self.pending: list[Chunk] = []
        self.queue: deque[RawFile | Failure] = deque()
        self._pending_removals: list[int] = []
        self.known: dict[str, np.ndarray] = {}  # vectors by content key: this run's and superseded versions'
        self.seen_bytes: dict[str, str] = {}
        self.seen_text: dict[str, str] = {}
        self.seen_bands: dict[int, list[tuple[str, object]]] = {}
        self.next_rowid = self.kb.store.max_chunk_rowid() + 1
        self.now = datetime.now(UTC).isoformat(timespec="seconds")

    # -- driving ---------------------------------------------------------------------------
    def execute(self, inputs: Iterator[RawFile | Failure]) -> None:
        source = iter(inputs)
        window: deque[tuple[RawFile, str, Future[Prepared]]] = deque()
        size = 2 * self.s.parse_workers + 2
        with ThreadPoolExecutor(self.s.parse_workers, thread_name_prefix="parse") as pool:
            while True:
                while len(window) < size:
                    item = self.queue.popleft() if self.queue else next(source, None)
                    if item is None:
                        break
                    submitted = self._submit(item, pool)
                    if submitted is not None:
                        window.append(submitted)
                if not window:
                    if self.queue:
                        continue
                    break
                self._finish(*window.popleft())
        self._flush(commit=True)

    def _submit(self, item: RawFile | Failure, pool: ThreadPoolExecutor) -> tuple[RawFile, str, Future[Prepared]] | None:
        if isinstance(item, Failure):
            self._record(Outcome(item.source, item.status, item.reason))
            return None
        if item.extension == "zip":  # an archive attached to an e-mail
            self.queue.extendleft(reversed(list(self.i.expand(item))))
            return None
        doc_id = sha(f"{self.target.tenant}\0{self.target.enterprise_id or ''}\0{item.sha}")[:32]
        if self._precheck(item, doc_id):
            return None
        count = self.i.embedder.count_tokens
        return item, doc_id, pool.submit(prepare, item, doc_id, parse, self.s, count)

    def _precheck(self, raw: RawFile, doc_id: str) -> bool:
        """Byte-identical input: unchanged (same source) or an exact duplicate; no parsing needed."""
        bytes_sha = raw.sha
        first = self.seen_bytes.get(bytes_sha)
        row = None if first else self.kb.store.doc_by(self.target.tenant, "bytes_sha", bytes_sha, self.target.enterprise_id)
        if row is not None:
            first = row["duplicate_of"] or row["id"]
            if row["source"] == raw.source or self.kb.store.document(self._dup_id(first, raw)) is not None:
                self._record(Outcome(raw.source, "unchanged", "already ingested", doc_id=row["id"]))
                return True
        if first is None:
            self.seen_bytes[bytes_sha] = doc_id
            return False
        self._duplicate(raw, first, "exact copy of an earlier file", bytes_sha=bytes_sha)
        return True

    # -- one prepared document ---------------------------------------------------------------
    def _finish(self, raw: RawFile, doc_id: str, future: Future[Prepared]) -> None:
        try:
            prep = future.result()
        except DocumentError as exc:
            self._record(Outcome(raw.source, exc.status, str(exc)))
            return
        except Exception as exc:  # a parser bug must not stop the batch; it is reported
            logger.exception("unexpected error parsing %s", raw.source)
            self._record(Outcome(raw.source, "failed", f"unexpected parser error: {type(exc).__name__}: {exc}"))
            return
        self.queue.extendleft(reversed(prep.attachments))
        if not prep.chunks:
            reason = "no text found" + (" (OCR found none)" if "ocr" in str(prep.quality.reasons).lower() else "")
            self._record(Outcome(raw.source, "rejected", reason, removed=prep.removed, pages=prep.pages))
            return
        original = self.seen_text.get(prep.text_sha) or self._stored_id("text_sha", prep.text_sha)
        if original:
            self._duplicate(raw, original, "same text as an earlier document", prep=prep)
            return
        if any(d.source == raw.source for d in self.batch.documents):
            # the same name earlier in this batch (two uploads of plan.txt): committed first, so this
            # later one supersedes it like a re-upload would, and one version stays live, the last
            self._flush(commit=True)
        previous = self.kb.store.doc_by(self.target.tenant, "source", raw.source, self.target.enterprise_id)
        near = self._near_duplicate(prep, exclude=None if previous is None else str(previous["id"]))
        if near:
            self._duplicate(raw, near[0], f"near-duplicate (similarity {near[1]:.2f})", prep=prep)
            return
        self._index(prep)

    def _stored_id(self, column: str, value: str) -> str | None:
        row = self.kb.store.doc_by(self.target.tenant, column, value, self.target.enterprise_id)
        return None if row is None else str(row["duplicate_of"] or row["id"])

    def _near_duplicate(self, prep: Prepared, exclude: str | None) -> tuple[str, float] | None:
        """The most similar earlier document over the threshold; a file's own old version excluded."""
        keys = band_keys(prep.signature)
        candidates = dict(self.kb.store.near_candidates(self.target.tenant, keys, self.target.enterprise_id))
        for key in keys:
            candidates.update(self.seen_bands.get(key, []))  # type: ignore[arg-type]
        candidates.pop(exclude, None)  # type: ignore[arg-type]
        best = max(((d, jaccard(prep.signature, sig)) for d, sig in candidates.items()), key=lambda x: x[1], default=None)
        return best if best and best[1] >= self.s.near_dup_threshold else None

    def _duplicate(self, raw: RawFile, first: str, why: str, prep: Prepared | None = None, bytes_sha: str = "") -> None:
        doc = self._document(raw, self._dup_id(first, raw), prep, status="duplicate", reason=why)
        self.batch.documents.append(replace(doc, duplicate_of=first, bytes_sha=bytes_sha or doc.bytes_sha))
        self._record(Outcome(raw.source, "duplicate", f"{why}: {first}", doc_id=doc.id, duplicate_of=first,
                             title=doc.title, lang=doc.lang, removed=doc.removed))

    @staticmethod
    def _dup_id(first: str, raw: RawFile) -> str:
        return sha(f"{first}\0{raw.source}")[:32]

    def _document(self, raw: RawFile, doc_id: str, prep: Prepared | None, status: str, reason: str = "") -> Document:
        t = self.target
        base = Document(id=doc_id, source=raw.source, kind=t.kind, tenant=t.tenant, enterprise_id=t.enterprise_id,
                        status=status, reason=reason, ingested_at=self.now, bytes_sha=raw.sha)
        if prep is None:
            return base
        return replace(base, title=prep.title, lang=prep.lang, pages=prep.pages, quality=prep.quality,
                       text_sha=prep.text_sha, removed=prep.removed, n_chunks=len(prep.chunks), meta=prep.meta,
                       reason=reason or "; ".join(prep.notes))

    def _index(self, prep: Prepared) -> None:
        prep, flagged = flag_chunks(prep, self.i.injection)
        old = self.kb.store.doc_by(self.target.tenant, "source", prep.raw.source, self.target.enterprise_id)
        supersedes = str(old["id"]) if old is not None and old["status"] == "indexed" else None
        doc = replace(self._document(prep.raw, prep.doc_id, prep, "indexed"), supersedes=supersedes)
        if self.target.kind in ("policy", "credit", "equity"):
            place, valid_from = document_scope(doc.title, doc.source, prep.text)
            doc = replace(doc, jurisdiction=">".join(place), valid_from=valid_from)
        if supersedes:
            self.batch.superseded.append(supersedes)
            self._pending_removals.extend(self.kb.store.chunk_rowids(supersedes))
            self._remember(supersedes)
        self.batch.documents.append(doc)
        self.batch.pages.extend((doc.id, page, text) for page, text in prep.page_texts.items())
        keys = band_keys(prep.signature)
        self.batch.signatures.append((doc.id, self.target.tenant, prep.signature, keys))
        for key in keys:
            self.seen_bands.setdefault(key, []).append((doc.id, prep.signature))
        self.seen_text[prep.text_sha] = doc.id
        self.pending.extend(prep.chunks)
        self.batch.tokens.update(prep.sparse)
        if self.target.kind in ("policy", "credit", "equity"):
            self.batch.programs.extend(replace(p, tenant=doc.tenant)  # a tenant's product sheet stays its own
                                       for p in programs_from_document(doc.id, doc.title, doc.source, prep.text, self.target.kind,
                                                                       self.i.injection, self.i.subjects))
        self.report.tokens += prep.tokens
        self.report.injection_chunks += flagged
        q = prep.quality
        reason = "; ".join([*prep.notes, *(["low quality: " + "; ".join(q.reasons)] if q.flagged else [])])
        self._record(Outcome(prep.raw.source, "indexed", reason,
                             doc_id=doc.id, title=doc.title, lang=doc.lang, pages=doc.pages, chunks=len(prep.chunks),
                             quality=q.score, quality_reasons=list(q.reasons), flagged=q.flagged,
                             removed=prep.removed, supersedes=supersedes, injection_chunks=flagged, meta=prep.meta))
        if len(self.pending) >= EMBED_BATCH:
            self._flush(commit=False)
        if len(self.batch) >= self.s.checkpoint_docs:
            self._flush(commit=True)

    # -- embedding and commits ---------------------------------------------------------------
    def _remember(self, doc_id: str) -> None:
        """A changed file's unchanged passages keep their vectors: read back, never re-encoded."""
        index = self.kb.index()
        rows = self.kb.store.chunk_texts(doc_id)
        found = {} if index is None else index.vectors([rid for rid, _ in rows])
        self.known.update((content_key(text), found[rid]) for rid, text in rows if rid in found)

    def _flush(self, commit: bool) -> None:
        if self.pending:
            self._embed()
        if commit and (len(self.batch) or self.batch.superseded):
            if self._pending_removals:
                index = self.kb.index()
                if index is not None:
                    index.remove(self._pending_removals)
                self._pending_removals = []
            self.kb.commit(self.batch)
            self.batch = Batch()

    def _embed(self) -> None:
        if len(self.known) > KNOWN_CAP:
            self.known = {}
        p = plan(self.pending, self.known)
        started = time.perf_counter()
        encoded = encode(self.i.embedder.embed, p.texts)
        self.report.embed_seconds += time.perf_counter() - started
        self.report.texts_encoded += len(p.texts)
        self.report.dense_skipped += p.skipped
        self.report.dense_shared += p.duplicates
        found = vectors(p, encoded, self.known)
        ids = list(range(self.next_rowid, self.next_rowid + len(self.pending)))
        self.next_rowid += len(ids)
        dense = [(rid, v) for rid, v in zip(ids, found) if v is not None]
        if dense:
            index = self.kb.index(dim=len(dense[0][1]))
            assert index is not None
            owner = (self.target.tenant, self.target.kind)  # stored with each vector by an engine that filters on it
            index.add([rid for rid, _ in dense], np.stack([v for _, v in dense]), owners=[owner] * len(dense))
        self.batch.chunks.extend(zip(ids, self.pending))
        self.batch.sparse_only.update(c.id for c, v in zip(self.pending, found) if v is None)
        self.report.chunks += len(ids)
        self.pending = []

    def _record(self, outcome: Outcome) -> None:
        self.report.outcomes.append(outcome)
        self.progress(outcome)
