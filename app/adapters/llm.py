"""Chat models behind the ChatModel port, built on LangChain chat models.

- `openai`: any OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp server, a hosted model) through
  langchain-openai, configured by URL, model name and key, with a timeout and bounded retries.
  Every failure becomes LlmError with a message that names the endpoint and what went wrong.
- `fake`: LangChain's GenericFakeChatModel with scripted replies, for tests.
The `grounded` backend needs no model at all: callers use their own verdicts and passages.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import httpx
import openai
from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from app.core.errors import LlmError
from app.settings import Settings

_FAILURES = (openai.APIError, httpx.HTTPError, TimeoutError, ConnectionError)


class LangChainChat:
    def __init__(self, model: BaseChatModel, name: str, where: str = "") -> None:
        self.model = model
        self.name = name
        self.where = where

    def complete(self, system: str, user: str) -> str:
        try:
            reply = self.model.invoke([SystemMessage(system), HumanMessage(user)])
        except _FAILURES as exc:
            raise LlmError(self._message(exc)) from exc
        return _text(reply.content)

    def stream(self, system: str, user: str, history: Sequence[tuple[str, str]] = ()) -> Iterator[str]:
        earlier = [AIMessage(text) if role == "assistant" else HumanMessage(text) for role, text in history]
        try:
            for chunk in self.model.stream([SystemMessage(system), *earlier, HumanMessage(user)]):
                text = _text(chunk.content)
                if text:
                    yield text
        except _FAILURES as exc:
            raise LlmError(self._message(exc)) from exc

    def _message(self, exc: BaseException) -> str:
        if isinstance(exc, openai.APITimeoutError | TimeoutError):
            what = "timed out"
        elif isinstance(exc, openai.APIStatusError):
            what = f"answered HTTP {exc.status_code}"
        elif isinstance(exc, openai.APIConnectionError | ConnectionError | httpx.ConnectError):
            what = "could not be reached"
        else:
            what = f"failed ({type(exc).__name__})"
        return f"LLM endpoint {self.where or self.name} {what}"


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)


def openai_chat(settings: Settings) -> LangChainChat:
    from langchain_openai import ChatOpenAI

    model = ChatOpenAI(base_url=settings.llm_base_url, model=settings.llm_model,
                       api_key=settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed",
                       timeout=settings.llm_timeout_s, max_retries=settings.llm_max_retries, temperature=0.0)
    return LangChainChat(model, f"openai:{settings.llm_model}", settings.llm_base_url)


def fake_chat(replies: list[str]) -> LangChainChat:
    return LangChainChat(GenericFakeChatModel(messages=iter([AIMessage(r) for r in replies])), "fake")
