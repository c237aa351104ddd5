"""A chat turn answered by the LLM, streamed sentence by sentence, each checked before it is sent.

The model reads the retrieved passages as delimited, escaped data (app/core/passage_data.py) with
the conversation's earlier turns within a token budget (app/core/history_budget.py). Its tokens are
held until their sentence is whole (app/core/sentence_stream.py) and has passed the check
(app/core/sentence_check.py): a sentence flagged as an instruction or carrying a link its passages
do not hold is left out; an uncited or unsupported claim stops the model, and the grounded answer
replaces the whole answer (the stream says so with `notice`, and `reset` if text was already sent).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Collection, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from app.chat_events import Event
from app.core.answer import NOT_FOUND
from app.core.errors import LlmError
from app.core.history_budget import turns_of
from app.core.ports import ChatModel
from app.core.sentence_check import CLAIMS, check_sentence
from app.core.sentence_stream import SentenceBuffer

logger = logging.getLogger(__name__)
_MARK = re.compile(r"\[(\d+)\]")
_PIECE = re.compile(r"\S{1,8}\s*|\s+")  # small pieces, so the UI streams a sentence as it would tokens


@dataclass(frozen=True)
class LlmAsk:
    model: ChatModel
    system: str
    user: str
    history: Sequence[tuple[str, str]]
    shown: Mapping[int, str]  # each passage's text as the model read it
    allowed_hosts: Collection[str]
    flagged: Callable[[str], tuple[str, ...]]


@dataclass
class LlmOutcome:
    sentences: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    replaced: str = ""  # why the grounded answer replaces the model's ("": the model's answer stands)
    not_found: bool = False
    failed: bool = False  # the endpoint failed (LlmError)

    @property
    def text(self) -> str:
        return "".join(self.sentences).strip()


def checked_answer(ask: LlmAsk) -> Generator[Event, None, LlmOutcome]:
    """Token events of the sentences that passed, in order; the outcome when the model is done."""
    out = LlmOutcome()
    stream = ask.model.stream(ask.system, ask.user, ask.history)
    try:
        yield from _checked(ask, stream, out)
    except LlmError as exc:
        logger.warning("chat falls back to grounded: %s", exc)
        out.replaced, out.failed = str(exc), True
        return out
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()  # a model stopped early stops streaming too
    if not out.replaced and not out.not_found and not any(_MARK.search(s) for s in out.sentences):
        out.replaced = ("the model's answer cited no passage" + (" it is grounded in" if out.dropped else "")
                        + "; the grounded answer replaces it")
    return out


def _checked(ask: LlmAsk, stream: Iterator[str], out: LlmOutcome) -> Iterator[Event]:
    buffer = SentenceBuffer()
    for piece in stream:
        for sentence in buffer.feed(piece):
            yield from _judged(ask, sentence, out)
            if out.replaced:
                return
    for sentence in buffer.flush():
        yield from _judged(ask, sentence, out)


def _judged(ask: LlmAsk, sentence: str, out: LlmOutcome) -> Iterator[Event]:
    if not out.sentences and sentence.strip() in NOT_FOUND.values():
        out.not_found = True
    else:
        verdict = check_sentence(sentence, ask.shown, ask.allowed_hosts, ask.flagged)
        if verdict.kind == "empty":
            return
        if not verdict.ok:
            out.dropped.append(verdict.reason)
            logger.warning("a sentence of the model's answer was held back: %s", verdict.reason)
            if verdict.kind in CLAIMS:
                where = "" if verdict.kind == "uncited" else " it is grounded in"
                out.replaced = f"a claim of the model's answer cited no passage{where}; the grounded answer replaces it"
            return
    text = sentence if out.sentences else sentence.lstrip()
    out.sentences.append(text)
    for piece in _PIECE.findall(text):
        yield Event("token", {"text": piece})


def earlier_turns(messages: Sequence[Mapping[str, object]],
                  stored: Callable[[], Sequence[Mapping[str, object]]]) -> tuple[tuple[str, str], ...]:
    """The turns before the question: the request's own history, else the stored conversation."""
    last_user = max((i for i, m in enumerate(messages) if m.get("role") == "user"), default=0)
    turns = turns_of(messages[:last_user])
    return tuple(turns if turns or last_user else turns_of(stored()))
