"""Conversation state: what a follow-up refers to. "它" / "it" is the enterprise in focus (the
request's, else the conversation's); "那它还缺什么条件？" / "what is it still missing?" is about the
program or kind of program an earlier turn asked about.

The earlier turns are the request's own `messages` history when the client sends one, else the
stored conversation. Each earlier question is decided again by the same router (a question's
decision is deterministic, so this needs no extra stored state and works for clients that keep
their own history); the latest one that named a program, a kind or a profile topic is the focus."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.adapters.conversations import ConversationStore
from app.core.asked_period import years_asked
from app.core.own_name import as_the_company
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
             program_named: Callable[[Chat, Principal, str], str | None], firm_name: str = "") -> Focus:
    """The latest earlier question that named a program, a program kind or a profile topic. Each is
    decided as the turn that asked it was: with the firm's own name (`firm_name`) read as "the company"."""
    router = chat.router()
    for q in questions:
        d = router.decide(as_the_company(q, firm_name) if firm_name else q, has_enterprise)
        if d.intent.startswith("followup"):
            continue
        program = d.program or (program_named(chat, principal, q) if d.route == "match" else None)
        if program or d.kind or d.route == "profile" or d.intent.startswith("match"):
            return Focus(q, d.intent, d.route, d.kind, program)
    return Focus()


# a follow-up that names only another period: "那2021年呢？", "2022年的呢", "And in 2022?", "what about 2021?"
_PERIOD_ONLY = re.compile(r"^(?:那么?|那麼|还有|還有|and|what about|how about)?\s*(?:in|for|fy)?\s*((?:19|20)\d\d)\s*"
                          r"(?:年度?|財年|财年)?(?:的)?(?:情况|情況)?\s*(?:呢|的呢|怎么样|怎麼樣)?\s*[?？。.!！]*$", re.IGNORECASE)


def restated_for_period(question: str, earlier: Sequence[str]) -> str | None:
    """The latest earlier question asked again for the one year a period-only follow-up names
    ("公司2023年营收多少？" then "那2021年呢？" is "公司2021年营收多少？"; an earlier question naming no
    year gets the year put before it); None when the follow-up names more than a year or nothing precedes it."""
    m = _PERIOD_ONLY.match(question.strip())
    if m is None or not earlier:
        return None
    year, before = m.group(1), earlier[0]
    held = years_asked(before)
    if len(held) == 1:
        return re.sub(rf"(?<!\d){held[0]}(?!\d)", year, before)
    if held:
        return None  # several years earlier: which one the new one replaces is not said
    return f"{year}年 {before}" if re.search(r"[\u3400-\u9fff]", before) else f"In {year}: {before}"


_ORDINAL_WORDS = {"一": 0, "二": 1, "两": 1, "三": 2, "四": 3, "五": 4, "1": 0, "2": 1, "3": 2, "4": 3, "5": 4,
                  "first": 0, "1st": 0, "top": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3,
                  "fifth": 4, "5th": 4}
# "第一个", "第二家", "the second one", "the top one", "the third fund": an item of the previous answer's list
_ORDINAL = re.compile(r"(?:上面|前面|刚才)?的?第([一二两三四五1-5])(?:个|家|项|款|只|条|种)(?:产品|贷款|基金|政策|项目|机构)?|"
                      r"\bthe (first|1st|top|second|2nd|third|3rd|fourth|4th|fifth|5th)\s+"
                      r"(?:one|program|programme|loan|product|fund|investor|policy|option|grant|scheme)\b", re.IGNORECASE)


def resolved_ordinal(question: str, last_answer: Sequence[dict[str, object]] | None,
                     titles: dict[str, str]) -> str | None:
    """A follow-up pointing at an item of the previous answer's list by its place ("第一个的利率是多少？",
    "what does the second one require?"), with that program's title in place of the pointer; None when
    the question points at none, or the previous answer listed no program at that place. `last_answer`:
    the previous assistant turn's citations (program passages are cited as "program:<id>", in order);
    `titles`: program id → title."""
    m = _ORDINAL.search(question)
    if m is None or not last_answer:
        return None
    place = _ORDINAL_WORDS[(m.group(1) or m.group(2)).lower()]
    listed = [str(c.get("doc_id", ""))[len("program:"):] for c in last_answer
              if str(c.get("doc_id", "")).startswith("program:")]
    listed = list(dict.fromkeys(listed))
    if place >= len(listed) or listed[place] not in titles:
        return None
    return question[:m.start()] + titles[listed[place]] + question[m.end():]
