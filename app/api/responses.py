"""Response bodies of every route, as pydantic models: /docs and generated clients show each field.

The routes build plain JSON (app/core/*_json.py); these models describe and check it. Each allows
extra keys, so a field added to the JSON later reaches the caller before the model names it.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class FactSource(Open):
    doc_id: str | None = Field(None, description="the document the value was read from")
    page: int | None = Field(None, description="1-based page")
    span: list[int] | None = Field(None, description="character span [start, end) in the page text")
    quote: str = Field("", description="the words the value was read from")
    source_type: str = Field("", description="financial_statement, tax_record, certificate, business_plan, news, text …")


class Fact(Open):
    value: Any = Field(..., description="number, text, ISO date, or a list for multi-valued fields")
    unit: str = Field("", description="currency (CNY, USD …), persons, items, %, years, or empty")
    as_of: Any = Field(None, description="the period the value describes, e.g. '2023'")
    confidence: float
    method: str = Field(..., description="rule, model, llm, user or derived")
    source: FactSource
    alternatives: list[list[Any]] | None = Field(None, description="model labels: [runner-up, confidence]")
    inputs: list[FactInput] | None = Field(None, description="derived facts: the facts they were computed from")


class FactInput(Fact):
    field: str


class ProfileField(Fact):
    quote: str = ""
    conflict: bool = Field(False, description="sources disagree; every candidate is listed")
    candidates: list[Fact] | None = None


class IndustrySummary(Open):
    label: Any
    confidence: float
    runners_up: list[Any] = []


class IngestedFile(Open):
    source: str
    status: str
    reason: str = ""
    doc_id: str | None = None


class ProfileIngest(Open):
    counts: dict[str, int]
    files: list[IngestedFile]


class Profile(Open):
    enterprise_id: str
    name: str = ""
    identifiers: dict[str, str | None] = Field({}, description="unified_social_credit_code: only when its check digit holds")
    fields: dict[str, ProfileField] = Field(..., description="field of the vocabulary → the chosen fact")
    industry: IndustrySummary | None = None
    tech_domains: list[Any] = []
    label_names: dict[str, str] = Field({}, description="each industry and tech-domain label's Chinese name")
    ingest: ProfileIngest | None = Field(None, description="POST /v1/profile with files: what became of each")


class EnterpriseSummary(Open):
    enterprise_id: str
    name: str


class EnterpriseList(Open):
    enterprises: list[EnterpriseSummary]


class CriterionOut(Open):
    field: str
    op: str = Field(..., description=">=, <=, >, <, ==, in, not_in, contains, exists, any_of")
    value: Any = None
    unit: str = ""
    hard: bool = True
    source_text: str = ""
    value_text: str = ""
    when: list[CriterionOut] = Field([], description="tier conditions: the criterion applies only when they hold")
    options: list[CriterionOut] = Field([], description="any_of: the alternatives")
    window_years: float | None = None
    extractor: str = ""


class Program(Open):
    id: str
    kind: Literal["policy", "credit", "equity"]
    title: str
    issuer: str = ""
    jurisdiction: list[str] = Field([], description="country > province > city > district")
    valid_from: str | None = None
    valid_to: str | None = None
    benefits: dict[str, Any] = {}
    criteria: list[CriterionOut] | None = Field(None, description="left out where each comes back in a verdict")
    tags: list[str] = []
    text: str = ""
    source: dict[str, Any] = Field({}, description="doc_id, span, file; `sources` lists every source of a merged program")
    supersedes: str | None = None
    label: str | None = None
    tenant: str = "public"
    aliases: list[str] = Field([], description="other names: the title in the other language, short names")


class ProgramList(Open):
    programs: list[Program]


class VerdictCriterion(Open):
    field: str
    op: str
    value: Any = None
    unit: str = ""
    hard: bool = True
    window_years: float | None = None
    when: list[dict[str, Any]] | None = None
    options: list[dict[str, Any]] | None = None


class Verdict(Open):
    criterion: VerdictCriterion
    verdict: Literal["met", "unmet", "unknown", "not_applicable"]
    reason: str = Field(..., description="why, in English")
    reasons: dict[str, str] = Field({}, description="why, by language (en, zh)")
    fact: Fact | None = Field(None, description="the enterprise's fact the criterion was judged on")
    source_text: str = Field("", description="the program's clause")


class Summary(Open):
    text: str
    source: str = Field(..., description="the LLM's name, or 'grounded'")
    error: str | None = None


class Match(Open):
    program: Program
    kind: str
    score: float
    status: Literal["eligible", "likely", "ineligible", "unknown"]
    relevance: float
    fit: float
    label_share: float
    benefits: dict[str, Any] = {}
    verdicts: list[Verdict]
    explanation: str
    questions: list[str]
    summary: Summary | None = None


class ExcludedProgram(Open):
    program_id: str
    title: str
    kind: str
    reason: str


class MatchResponse(Open):
    enterprise_id: str
    matches: list[Match]
    by_kind: dict[str, list[str]] = Field({}, description="program ids of the matches, by kind")
    excluded: list[ExcludedProgram] | None = Field(None, description="with include_excluded: programs out by date or area")


class Citation(Open):
    n: int
    doc_id: str
    title: str
    page: int | None = None
    text: str
    chunk_id: str | None = None


class ChatAnswer(Open):
    conversation_id: str
    message_id: str | None = None
    route: str | None = None
    intent: str | None = None
    answer: str
    found: bool | None = None
    backend: str | None = Field(None, description="the LLM's name, or 'grounded'")
    fallback_reason: str | None = None
    route_reason: str | None = Field(None, description="why a question about the client was answered from its "
                                     "documents, not its profile: 'route uncertain', 'no field asked', "
                                     "'another party named', 'attribute not held', 'not on record'; or why it was "
                                     "refused: 'improper request' (to falsify, inflate or hide the client's figures)")
    citations: list[Citation]
    matches: list[Match] = []


class ConversationSummary(Open):
    conversation_id: str
    title: str | None = None
    enterprise_id: str | None = None
    updated_at: Any = None


class ConversationList(Open):
    conversations: list[ConversationSummary]


class Message(Open):
    message_id: str
    role: str
    content: str
    citations: list[Citation] = []
    route: str | None = None
    backend: str | None = None
    created_at: Any = None


class Conversation(Open):
    conversation_id: str
    messages: list[Message]


class FeedbackAck(Open):
    ok: bool


class Status(Open):
    status: str = Field(..., description="'ok' (alive) or 'ready' (models warm)")


for _model in (Fact, FactInput, ProfileField, Profile, CriterionOut, Program, Verdict, Match, MatchResponse, ChatAnswer):
    _model.model_rebuild()
