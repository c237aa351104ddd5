"""The product's vocabulary: frozen dataclasses passed between pipeline stages."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

DocKind = Literal["policy", "credit", "equity", "enterprise", "general"]
DOC_KINDS: tuple[str, ...] = ("policy", "credit", "equity", "enterprise", "general")
DocStatus = Literal["indexed", "duplicate", "rejected", "failed", "superseded", "unchanged"]
PUBLIC_TENANT = "public"


@dataclass(frozen=True)
class Element:
    """One structural piece of a parsed file: a heading, a paragraph, a list item or a table."""

    text: str
    type: str  # Title, NarrativeText, ListItem, Table, ...
    page: int | None = None
    depth: int = 0  # heading level for titles (0 = top)
    rows: tuple[tuple[str, ...], ...] | None = None  # tables: header row first
    link_ratio: float = 0.0  # share of the text that is hyperlink text (web pages)


@dataclass(frozen=True)
class Parsed:
    """What a parser makes of one file."""

    elements: tuple[Element, ...]
    pages: int = 1
    title: str = ""
    ocr_pages: tuple[int, ...] = ()
    ocr_confidence: float | None = None  # mean word confidence 0..1 over OCR'd pages
    attachments: tuple[RawFile, ...] = ()
    notes: tuple[str, ...] = ()
    meta: tuple[tuple[str, str], ...] = ()  # a web page's date, author, site, url (as the extractor read them)


@dataclass(frozen=True)
class RawFile:
    """Bytes of one input file, plus where they came from (a path, or archive!/member)."""

    source: str
    data: bytes
    depth: int = 0  # archive / attachment nesting

    @cached_property
    def sha(self) -> str:
        """Content hash of the bytes, computed once (re-ingest checks it before any parsing)."""
        return hashlib.sha256(self.data).hexdigest()

    @property
    def extension(self) -> str:
        name = self.source.rsplit("/", 1)[-1].rsplit("!", 1)[-1]
        return name.rsplit(".", 1)[-1].lower() if "." in name else ""


@dataclass(frozen=True)
class Quality:
    score: float
    reasons: tuple[str, ...]
    flagged: bool


@dataclass(frozen=True)
class Chunk:
    id: str
    doc_id: str
    text: str
    position: int
    page: int | None
    section: str
    element_types: tuple[str, ...]
    span: tuple[int, int]  # character span in the cleaned page text
    embed_text: str = ""  # what the embedder sees (title and section path prepended)
    injection: tuple[str, ...] = ()  # its sentences flagged as instructions to the assistant (app/core/injection.py)


@dataclass(frozen=True)
class Document:
    id: str
    source: str
    kind: str
    tenant: str = PUBLIC_TENANT
    enterprise_id: str | None = None
    title: str = ""
    lang: str = "und"
    pages: int = 0
    quality: Quality | None = None
    status: str = "indexed"
    reason: str = ""
    ingested_at: str = ""
    supersedes: str | None = None
    duplicate_of: str | None = None
    bytes_sha: str = ""
    text_sha: str = ""
    removed: dict[str, int] = field(default_factory=dict)
    n_chunks: int = 0
    issuer: str = ""
    jurisdiction: str = ""  # "中国>广东省>深圳市"
    valid_from: str | None = None
    valid_to: str | None = None
    meta: dict[str, str] = field(default_factory=dict)  # what the page said of itself: date, author, site, url


@dataclass(frozen=True)
class Hit:
    chunk_id: str
    doc_id: str
    title: str
    text: str
    page: int | None
    section: str
    score: float
    span: tuple[int, int]
    kind: str
    tenant: str
    source: str
    snippet: str = ""
    company: str = ""  # the document's entity, type and period (document metadata)
    doc_type: str = ""
    period: str = ""


@dataclass(frozen=True)
class Principal:
    """Who is asking: results are limited to public knowledge and this tenant (admins see all)."""

    tenant: str
    role: str = "rm"

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


CriterionValue = float | str | tuple[str, ...] | None
OPS = (">=", "<=", ">", "<", "==", "in", "not_in", "contains", "exists", "any_of")


@dataclass(frozen=True)
class Criterion:
    """One checkable condition, tied to the clause it came from.

    `value_text` is the clause's own words for the value (a criterion is kept only if they occur
    in `source_text`); `when` holds tier conditions (this applies only when those hold);
    `options` holds alternatives for op "any_of"; `window_years` bounds "within N years".
    """

    field: str
    op: str
    value: CriterionValue = None
    unit: str = ""
    hard: bool = True
    source_text: str = ""
    value_text: str = ""
    when: tuple[Criterion, ...] = ()
    options: tuple[Criterion, ...] = ()
    window_years: float | None = None
    extractor: str = "rule"


@dataclass(frozen=True)
class Program:
    id: str
    kind: str  # policy | credit | equity
    title: str
    issuer: str = ""
    jurisdiction: tuple[str, ...] = ()  # country > province > city > district
    valid_from: str | None = None  # ISO dates
    valid_to: str | None = None
    benefits: dict[str, object] = field(default_factory=dict)
    criteria: tuple[Criterion, ...] = ()
    tags: tuple[str, ...] = ()
    text: str = ""
    source: dict[str, object] = field(default_factory=dict)  # doc_id, span, file, line
    supersedes: str | None = None
    label: str | None = None
    tenant: str = PUBLIC_TENANT  # the owner of the source document; catalog files are public
    aliases: tuple[str, ...] = ()  # other names it goes by: its title in the other language, short names


@dataclass(frozen=True)
class Fact:
    """One value of an enterprise profile field, with where it was read and how sure we are."""

    field: str
    value: object
    unit: str = ""
    quote: str = ""  # the words it was read from
    doc_id: str | None = None
    page: int | None = None
    span: tuple[int, int] | None = None  # character span in the page (or free) text
    confidence: float = 0.9
    method: str = "rule"  # rule | model | llm | user | derived
    as_of: str | None = None  # the period the value describes ("2023")
    source_type: str = ""  # financial_statement | tax_record | certificate | business_plan | news | text
    inputs: tuple[Fact, ...] = ()  # for derived facts: the facts they were computed from
    alternatives: tuple[tuple[str, float], ...] = ()  # for model labels: the runners-up with their confidence
