"""Request and response bodies (pydantic at the edge)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from app.core.shown_names import shown_name
from app.core.types import DOC_KINDS, DocKind


class SearchFilters(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str | None = Field(None, description=f"one of {', '.join(DOC_KINDS)}")
    enterprise_id: str | None = Field(None, max_length=128)
    doc_id: str | None = Field(None, max_length=64)
    lang: str | None = Field(None, max_length=16)
    tenant: str | None = Field(None, max_length=64, description="narrow to one visible tenant (or 'public')")
    issuer: str | None = Field(None, max_length=200)
    jurisdiction: str | None = Field(None, max_length=100, description="any level: country, province, city, district")
    valid_on: date | None = Field(None, description="documents valid on this date (default: today)")
    include_expired: bool = False
    company: str | None = Field(None, max_length=200, description="any of the company's names, or its ticker")
    period: str | None = Field(None, max_length=32, description="FY2022, 2023Q2 or a year")
    doc_type: str | None = Field(None, max_length=64, description="annual_report (or 10-K), quarterly_report, "
                                 "current_report, earnings_release, business_plan, financial_statement, policy, contract")


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    query: str = Field(..., min_length=1, max_length=2000)
    k: int = Field(10, ge=1, le=100)
    filters: SearchFilters = Field(default_factory=SearchFilters)
    group_by_document: bool = Field(False, description="also return hits grouped by document, best first")


class SearchHit(BaseModel):
    chunk_id: str
    doc_id: str
    title: str
    text: str
    page: int | None
    section: str
    score: float
    snippet: str
    span: tuple[int, int]
    kind: str
    source: str
    company: str = ""
    doc_type: str = ""
    period: str = ""


class DocumentGroup(BaseModel):
    doc_id: str
    title: str
    hits: list[SearchHit]


class Routing(BaseModel):
    applied: str = Field(description="none (whole index), company, company+period, or filter")
    companies: list[str] = []
    periods: list[str] = []
    doc_type: str = ""
    documents: int = 0
    confidence: float = 0.0
    reason: str = ""


class SearchResponse(BaseModel):
    hits: list[SearchHit]
    groups: list[DocumentGroup] | None = None
    routing: Routing | None = None


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody


class ProfileRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    enterprise_id: str | None = Field(None, max_length=128, description="file the profile (and uploads) under this id")
    name: Annotated[str, AfterValidator(shown_name)] = Field("", max_length=300, description="control and bidi "
                                                             "characters are dropped")
    text: str = Field("", max_length=200_000, description="free text about the enterprise")


class MatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    enterprise_id: str | None = Field(None, max_length=128, description="a stored profile of the caller's tenant")
    profile: dict[str, Any] | None = Field(None, description="a profile as returned by /v1/profile, or {'fields': {field: value}}")
    text: str | None = Field(None, max_length=200_000, description="free text about the firm, profiled on the fly")
    kinds: list[Literal["policy", "credit", "equity"]] | None = None
    k: int = Field(10, ge=1, le=200)
    overrides: dict[str, Any] | None = Field(None, description="what-if: field → value (or {value, unit})")
    include_excluded: bool = Field(False, description="also list programs excluded by dates or area, with the reason")
    as_of: date | None = Field(None, description="evaluate validity and ages on this date (default today)")

    def free_form_error(self, limits: FreeFormLimits) -> tuple[tuple[str | int, ...], str] | None:
        """The first problem in `profile` or `overrides` (pydantic lets any JSON value through)."""
        for field in ("profile", "overrides"):
            found = free_form_error(getattr(self, field), field, limits)
            if found:
                return found
        return None


@dataclass(frozen=True)
class FreeFormLimits:
    """Bounds on a free-form request object (settings max_object_*): checked in one walk that stops
    at the first breach, so a hostile object costs no more than its parse."""

    keys: int
    depth: int
    string_chars: int


def free_form_error(value: object, field: str, limits: FreeFormLimits) -> tuple[tuple[str | int, ...], str] | None:
    """(location, reason) of the first non-finite number or breached limit in `value`, else None."""
    stack: list[tuple[object, tuple[str | int, ...]]] = [(value, (field,))]
    entries = 0
    while stack:
        item, loc = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            return loc, "not a finite number (NaN, Infinity or out of range)"
        if isinstance(item, str) and len(item) > limits.string_chars:
            return loc, f"strings of at most {limits.string_chars} characters (SME_MAX_OBJECT_STRING_CHARS)"
        if not isinstance(item, dict | list):
            continue
        if len(loc) > limits.depth:
            return loc, f"nested at most {limits.depth} levels deep (SME_MAX_OBJECT_DEPTH)"
        entries += len(item)
        if entries > limits.keys:
            return (field,), f"at most {limits.keys} keys and list items in all (SME_MAX_OBJECT_KEYS)"
        pairs = list(item.items()) if isinstance(item, dict) else list(enumerate(item))
        for key, child in reversed(pairs):  # popped in document order
            if isinstance(key, str) and len(key) > limits.string_chars:
                return loc, f"keys of at most {limits.string_chars} characters (SME_MAX_OBJECT_STRING_CHARS)"
            stack.append((child, (*loc, key)))
    return None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["user", "assistant", "system"]
    content: str = Field(..., max_length=8000)


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    messages: list[ChatMessage] = Field(..., min_length=1, max_length=100)
    enterprise_id: str | None = Field(None, max_length=128, description="the client in focus (a stored profile)")
    conversation_id: str | None = Field(None, max_length=64)
    stream: bool = False


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    message_id: str = Field(..., max_length=64)
    conversation_id: str | None = Field(None, max_length=64)
    rating: Literal["up", "down"]
    comment: str = Field("", max_length=2000)


class IngestForm(BaseModel):
    """The form fields of POST /v1/ingest (multipart, beside the `files`)."""

    model_config = ConfigDict(extra="forbid")
    kind: DocKind
    enterprise_id: str | None = Field(None, max_length=128, description="required for kind 'enterprise'")
    tenant: str | None = Field(None, max_length=64, description="admins only: another tenant, or 'public'")


class JobFile(BaseModel):
    name: str = Field(..., description="the uploaded file (and archive member) name")
    source: str
    status: str = Field(..., description="queued, indexed, duplicate, unchanged, rejected, failed or skipped")
    doc_id: str | None = None
    reason: str = ""
    duplicate_of: str | None = None


class JobCounts(BaseModel):
    indexed: int
    duplicate: int
    unchanged: int
    rejected: int
    failed: int


class JobSummary(BaseModel):
    job_id: str
    status: Literal["queued", "running", "succeeded", "failed", "interrupted"]
    created_at: str
    started_at: str | None
    finished_at: str | None
    kind: str
    tenant: str = Field(..., description="where the documents go")
    enterprise_id: str | None
    counts: JobCounts
    error: str | None = Field(None, description="why the job failed or was interrupted")
    note: str | None = Field(None, description="e.g. re-queued after a server restart")
    attempts: int
    profile_updated: bool | None = Field(None, description="the enterprise was re-profiled (enterprise_id jobs)")


class JobResponse(JobSummary):
    files: list[JobFile]


class JobList(BaseModel):
    jobs: list[JobSummary]
    limit: int
    offset: int
