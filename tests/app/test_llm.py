"""The LLM port: prompts as checked data, the openai backend against a local OpenAI-compatible
server (whole and streamed answers, a timeout, a 500) with clear errors, and match summaries
that fall back to the grounded text when the endpoint fails."""

from __future__ import annotations

from datetime import date

import pytest

from app.adapters.llm import fake_chat, openai_chat
from app.core.enterprise_facts import text_facts
from app.core.errors import LlmError
from app.core.match import Matcher
from app.core.profile import build_profile
from app.core.prompts import PromptError, load_prompt, parse_prompt
from app.core.types import Criterion, Program
from app.settings import Settings
from tests.fake_openai import fake_openai


def test_prompts_check_their_variables() -> None:
    p = load_prompt("match_summary")
    system, user = p.render(program="P", status="likely", verdicts="✓ a", questions="", language="zh")
    assert "Chinese" in system and "<verdicts>\n✓ a\n</verdicts>" in user
    with pytest.raises(PromptError, match="missing \\['status'\\]"):
        p.render(program="P", verdicts="", questions="", language="en")
    with pytest.raises(PromptError, match="must be str"):
        p.render(program="P", status=1, verdicts="", questions="", language="en")
    with pytest.raises(PromptError, match="undeclared variables \\['secret'\\]"):
        parse_prompt("name: x\nversion: 1\nvariables: {a: str}\nsystem: '{{ a }}'\nuser: '{{ secret }}'", "x.yaml")


def _settings(url: str, timeout: float = 5.0) -> Settings:
    return Settings(llm_backend="openai", llm_base_url=url, llm_model="test-model", llm_timeout_s=timeout, llm_max_retries=0)


def test_openai_backend_answers_whole_and_streamed() -> None:
    with fake_openai(reply="Eligible: area and certification met.") as server:
        chat = openai_chat(_settings(server.url))
        assert chat.complete("sys", "user") == "Eligible: area and certification met."
        assert "".join(chat.stream("sys", "user")).strip() == "Eligible: area and certification met."
        assert server.requests[0]["model"] == "test-model"
        assert server.requests[0]["messages"][0] == {"role": "system", "content": "sys"}
        assert server.requests[1]["stream"] is True


def test_openai_backend_errors_are_clear() -> None:
    with fake_openai(mode="error500") as server, \
            pytest.raises(LlmError, match=r"LLM endpoint http://127\.0\.0\.1:\d+/v1 answered HTTP 500"):
        openai_chat(_settings(server.url)).complete("s", "u")
    with fake_openai(mode="slow", delay_s=2.0) as server, pytest.raises(LlmError, match="timed out"):
        openai_chat(_settings(server.url, timeout=0.5)).complete("s", "u")
    with pytest.raises(LlmError, match="could not be reached"):
        openai_chat(_settings("http://127.0.0.1:9/v1")).complete("s", "u")


def test_scripted_fake_chat_model() -> None:
    chat = fake_chat(["one", "two words"])
    assert chat.complete("s", "u") == "one"
    assert "".join(chat.stream("s", "u")) == "two words"


PROGRAM = Program(id="p", kind="policy", title="南山区高新技术企业奖励", jurisdiction=("中国", "广东省", "深圳市", "南山区"),
                  criteria=(Criterion("certifications", "contains", "高新技术企业", source_text="企业须为高新技术企业"),
                            Criterion("tax_rating", "in", ("A",), source_text="纳税信用等级为A级")))
FIRM = build_profile("f", text_facts("注册地址：深圳市南山区科技园。2023年通过高新技术企业认定。"))


def _summaries(chat: object) -> dict[str, dict[str, str]]:
    from app.matching import Matching

    class _Deps:
        pass

    deps = _Deps()
    deps.chat = chat  # type: ignore[attr-defined]
    result = Matcher([PROGRAM], today=date(2026, 3, 1)).match(FIRM)
    return Matching(deps, None).summaries(result)  # type: ignore[arg-type]


def test_match_summary_from_the_llm_is_written_from_the_verdicts() -> None:
    with fake_openai(reply="可能符合：已是高新技术企业，请确认纳税信用等级。") as server:
        out = _summaries(openai_chat(_settings(server.url)))
        assert out["p"] == {"text": "可能符合：已是高新技术企业，请确认纳税信用等级。", "source": "openai:test-model"}
        prompt = server.requests[0]["messages"][1]["content"]
        assert "✓ 企业须为高新技术企业" in prompt and "? 纳税信用等级为A级" in prompt


def test_match_summary_falls_back_to_grounded_when_the_endpoint_fails() -> None:
    with fake_openai(mode="error500") as server:
        out = _summaries(openai_chat(_settings(server.url)))
    assert out["p"]["source"] == "grounded" and out["p"]["text"].startswith("可能符合")
    assert "answered HTTP 500" in out["p"]["error"]
