"""POST /v1/chat (JSON, or server-sent events with stream: true), conversations and feedback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from app.api.deps import PrincipalDep
from app.api.responses import ChatAnswer, Conversation, ConversationList, FeedbackAck
from app.api.schemas import ChatRequest, ErrorResponse, FeedbackRequest
from app.chat import Chat, Event
from app.core.errors import SmeError

router = APIRouter(prefix="/v1", tags=["chat"])
_ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": ErrorResponse}, 401: {"model": ErrorResponse},
                                            404: {"model": ErrorResponse}}


def _chat(request: Request) -> Chat:
    return request.app.state.chat


@router.post("/chat", response_model=ChatAnswer, response_model_exclude_unset=True,
             responses={**_ERRORS, 200: {"content": {"application/json": {}, "text/event-stream": {}}}})
async def chat(body: ChatRequest, request: Request, principal: PrincipalDep) -> Any:
    """A cited answer. With `stream: true`, server-sent events: `token` {text}, then `citation`
    {n, doc_id, title, page, text, chunk_id}, `match` (a match card), and `done` {conversation_id,
    message_id, route, answer, backend}. With an LLM backend each sentence is sent only once it has
    passed the citation check; `notice` {code: llm_replaced | llm_failed, message} says the grounded answer
    replaces the model's, after `reset` {reason} when some of the model's text was already sent (the client
    clears it). `error` {code, message} if the turn failed mid-stream."""
    messages = [m.model_dump() for m in body.messages]
    turn = await run_in_threadpool(_chat(request).turn, principal, messages, body.enterprise_id, body.conversation_id)
    if body.stream:
        return StreamingResponse(_sse(turn.events()), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
    events = await run_in_threadpool(list, turn.events())
    done = next(e.data for e in events if e.kind == "done")
    return {**done, "citations": [e.data for e in events if e.kind == "citation"],
            "matches": [e.data for e in events if e.kind == "match"]}


def _sse(events: Iterator[Event]) -> Iterator[str]:
    try:
        for e in events:
            yield f"event: {e.kind}\ndata: {json.dumps(e.data, ensure_ascii=False, default=str)}\n\n"
    except SmeError as exc:  # the stream has started: the error becomes an event, not a status
        yield f"event: error\ndata: {json.dumps({'code': exc.code, 'message': str(exc)}, ensure_ascii=False)}\n\n"


@router.get("/conversations", response_model=ConversationList, response_model_exclude_unset=True, responses=_ERRORS)
async def conversations(request: Request, principal: PrincipalDep,
                        limit: Annotated[int, Query(ge=1, le=500)] = 50) -> dict[str, Any]:
    return {"conversations": await run_in_threadpool(_chat(request).store.recent, principal.tenant, limit)}


@router.get("/conversations/{conversation_id}", response_model=Conversation, response_model_exclude_unset=True, responses=_ERRORS)
async def conversation(conversation_id: str, request: Request, principal: PrincipalDep) -> dict[str, Any]:
    messages = await run_in_threadpool(_chat(request).store.history, principal.tenant, conversation_id)
    return {"conversation_id": conversation_id, "messages": messages}


@router.post("/feedback", status_code=201, response_model=FeedbackAck, response_model_exclude_unset=True, responses=_ERRORS)
async def feedback(body: FeedbackRequest, request: Request, principal: PrincipalDep) -> dict[str, Any]:
    """Thumbs up or down on an answer, with an optional comment, kept for evaluation."""
    await run_in_threadpool(_chat(request).store.feedback, principal.tenant, body.message_id, body.rating, body.comment)
    return {"ok": True}
