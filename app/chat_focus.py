"""Conversation state: what a follow-up refers to. "它" / "it" is the enterprise in focus (the
request's, else the conversation's); "那它还缺什么条件？" / "what is it still missing?" is about the
program or kind of program an earlier turn asked about.

The earlier turns are the request's own `messages` history when the client sends one, else the
stored conversation. Each earlier question is decided again by the same router (a question's
decision is deterministic, so this needs no extra stored state and works for clients that keep
their own history); the latest one that named a program, a kind or a profile topic is the focus."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.adapters.conversations import ConversationStore
from app.core.types import Principal

if TYPE_CHECKING:
    from app.chat import Chat

LOOK_BACK = 4  # earlier user questions considered, latest first


@dataclass(frozen=True)
class Focus:
    question: str = ""          # the earlier question the focus comes from
    intent: str = ""
    route: str = ""
    kind: str | None = None
    program: str | None = None  # a catalog program id


def earlier_questions(messages: Sequence[dict[str, str]], store: ConversationStore, tenant: str,
                      conversation_id: str | None) -> list[str]:
    """The user's questions before the last one, latest first: from the request, else stored."""
    asked = [m.get("content", "").strip() for m in messages if m.get("role") == "user"][:-1]
    if not asked and conversation_id:
        asked = [str(m["content"]) for m in store.history(tenant, conversation_id) if m["role"] == "user"]
    return [q for q in reversed(asked) if q][:LOOK_BACK]


def focus_of(chat: Chat, principal: Principal, questions: Sequence[str], has_enterprise: bool,
             program_named: Callable[[Chat, Principal, str], str | None]) -> Focus:
    """The latest earlier question that named a program, a program kind or a profile topic."""
    router = chat.router()
    for q in questions:
        d = router.decide(q, has_enterprise)
        if d.intent.startswith("followup"):
            continue
        program = d.program or (program_named(chat, principal, q) if d.route == "match" else None)
        if program or d.kind or d.route == "profile" or d.intent.startswith("match"):
            return Focus(q, d.intent, d.route, d.kind, program)
    return Focus()
