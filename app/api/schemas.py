"""Request and response bodies (pydantic at the edge)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.core.types import DOC_KINDS


class SearchFilters(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str | None = Field(None, description=f"one of {', '.join(DOC_KINDS)}")
    enterprise_id: str | None = Field(None, max_length=128)
    doc_id: str | None = Field(None, max_length=64)
    lang: str | None = Field(None, max_length=16)


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    query: str = Field(..., min_length=1, max_length=2000)
    k: int = Field(10, ge=1, le=100)
    filters: SearchFilters = Field(default_factory=SearchFilters)


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


class SearchResponse(BaseModel):
    hits: list[SearchHit]


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody
