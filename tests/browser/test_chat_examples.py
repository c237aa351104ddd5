"""Issue 16's examples in the real UI on the populated demo, as `make run` opens it: `sme demo` with
its sample firms (plan DOCX, statements XLSX, certificate scan read by OCR), the default bilingual
model deciding intents by meaning, headless Chromium. The same examples through the API, with a
scripted intent model: tests/app/test_chat_conversation.py."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.browser.conftest import ROOT, Server, _free_port, _wait_healthy, sign_in

pytest.importorskip("playwright.sync_api", reason="playwright is not installed (requirements/dev.txt)")
from playwright.sync_api import Locator, Page, expect  # only once playwright is known to be there

from tests.browser.test_chat_ui import ask

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The demo with its sample firms (the demo tenant's clients) served with the default model."""
    from app.adapters.keys import KeyStore
    from app.demo import DEMO_TENANT, load_demo
    from app.settings import Settings

    data_dir = tmp_path_factory.mktemp("demo-ui") / "data"
    settings = Settings(data_dir=data_dir)
    load_demo(settings, enterprises=True)
    key, _ = KeyStore(settings.keys_path).create(DEMO_TENANT, "rm")
    port = _free_port()
    env = {**os.environ, "SME_DATA_DIR": str(data_dir), "SME_LLM_BACKEND": "grounded"}
    env.pop("SME_EMBEDDER", None)
    with (data_dir / "server.log").open("wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_healthy(f"http://127.0.0.1:{port}", proc, data_dir / "server.log", timeout=600)
            yield Server(f"http://127.0.0.1:{port}", key, data_dir)
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def _about_aurora(page: Page, demo: Server, *questions: str) -> Locator:
    """Sign in, pick the sample firm with the certificate scan, ask; the last answer's message."""
    sign_in(page, demo)
    page.select_option("#enterprise-select", "aurora")
    expect(page.locator("#panel-profile .fact").first).to_be_visible()
    for q in questions:
        ask(page, q)
    return page.locator(".message-assistant").last


def test_the_demo_opens_with_its_sample_firms_profiled(page: Page, demo: Server) -> None:
    sign_in(page, demo)
    expect(page.locator('#enterprise-select option[value="aurora"]')).to_have_count(1)  # the list loads after sign-in
    firms = page.locator("#enterprise-select option").evaluate_all("os => os.map(o => o.value)")
    assert {"aurora", "northwind", "qiyuan-chip"} <= set(firms)
    page.select_option("#enterprise-select", "aurora")
    profile = page.locator("#panel-profile")
    expect(profile).to_contain_text("GR202344201234")  # read from the scanned certificate
    expect(profile).to_contain_text("High-tech enterprise certificate")  # named, not the key "certificate hnte"
    expect(profile).to_contain_text("Renewal window opens: 2026-06-11")


def test_a_credit_question_shows_credit_products_only(page: Page, demo: Server) -> None:
    groups = _about_aurora(page, demo, "有哪些适合它的信贷产品？").locator(".answer-matches .match-group")
    expect(groups).to_have_count(1)
    assert groups.first.get_attribute("aria-label") == "Credit"


def test_an_equity_question_in_english_shows_investors_only_in_english(page: Page, demo: Server) -> None:
    message = _about_aurora(page, demo, "What equity investors fit this company?")
    groups = message.locator(".answer-matches .match-group")
    expect(groups).to_have_count(1)
    assert groups.first.get_attribute("aria-label") == "Equity"
    answer = message.locator(".answer")
    expect(answer).to_contain_text("hard criteria met")
    assert "项硬性条件" not in answer.inner_text()


def test_the_hnte_verdict_comes_first_with_the_certificate_held_and_the_follow_up_lists_its_gaps(
        page: Page, demo: Server) -> None:
    first = _about_aurora(page, demo, "这家公司符合高新技术企业认定条件吗？").locator(".answer")
    expect(first).to_contain_text("政策：高新技术企业认定")
    assert first.inner_text().startswith("政策：高新技术企业认定")
    expect(first).to_contain_text("GR202344201234")
    expect(first).to_contain_text("2026年12月11日到期")  # a Chinese answer writes its dates the Chinese way
    ask(page, "那它还缺什么条件？")
    follow = page.locator(".message-assistant").last.locator(".answer")
    expect(follow).to_contain_text("尚缺的条件")
    assert follow.inner_text().startswith("高新技术企业认定")


def test_profile_questions_are_answered_from_the_profile_with_inputs_and_units(page: Page, demo: Server) -> None:
    rd = _about_aurora(page, demo, "What percentage of its revenue goes to R&D?").locator(".answer")
    expect(rd).to_contain_text("7.95% (FY2023) = R&D expense 9,600,000 CNY (9.6 million) / revenue 120,800,000 CNY (120.8 million)")
    ask(page, "这家公司有哪些知识产权？")
    ip = page.locator(".message-assistant").last.locator(".answer")
    expect(ip).to_contain_text("发明专利：12项")
    expect(ip).to_contain_text("软件著作权：15项")


def test_an_out_of_scope_question_is_declined(page: Page, demo: Server) -> None:
    answer = _about_aurora(page, demo, "What is the capital of Australia?").locator(".answer")
    expect(answer).to_contain_text("outside what this assistant covers")
    expect(page.locator(".message-assistant").last.locator(".answer .cite")).to_have_count(0)
