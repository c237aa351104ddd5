"""Browser tests: the real server (uvicorn, demo data, hashing embedder) driven by Debian's Chromium.

Playwright's own browser download is unreachable here, so the tests launch /usr/bin/chromium
(`make install` puts it there) and skip with a message when it is missing.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

CHROMIUM = Path(os.environ.get("SME_TEST_CHROMIUM", "/usr/bin/chromium"))
ROOT = Path(__file__).resolve().parents[2]
AURORA = ROOT / "tests" / "fixtures" / "enterprises" / "aurora"
REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


@dataclass(frozen=True)
class Server:
    url: str
    key: str
    data_dir: Path


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, demo_dir: Path) -> Iterator[Server]:
    """One uvicorn process for the session: demo knowledge base, an RM key for tenant bank-a."""
    from app.adapters.keys import KeyStore
    from app.settings import Settings
    from tests.conftest import demo_copy

    data_dir = demo_copy(demo_dir, tmp_path_factory.mktemp("browser") / "data")
    settings = Settings(data_dir=data_dir, embedder="hashing")
    key, _ = KeyStore(settings.keys_path).create("bank-a", "rm")
    port = _free_port()
    env = {**os.environ, "SME_DATA_DIR": str(data_dir), "SME_EMBEDDER": "hashing", "SME_LLM_BACKEND": "grounded"}
    log = (data_dir / "server.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, data_dir / "server.log")
        yield Server(url=url, key=key, data_dir=data_dir)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the server exited with {proc.returncode}:\n{log.read_text(errors='replace')[-4000:]}")
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.25)  # polling a process start-up, not waiting on the page
    pytest.fail(f"the server did not answer /readyz within {timeout:.0f}s:\n{log.read_text(errors='replace')[-4000:]}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium, or a skip that says what is missing."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (make install) to run the browser tests")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (requirements/dev.txt)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture(scope="session")
def failure_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("browser-failures")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    return report


def new_page(browser: Browser, locale: str = "en-US") -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale=locale)
    page = context.new_page()
    page.set_default_timeout(30_000)
    return page


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest, failure_dir: Path) -> Iterator[Page]:
    """A fresh 1280×800 English page; on failure, a full-page screenshot lands in failure_dir."""
    page = new_page(browser)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    call = request.node.stash.get(REPORTS, {}).get("call")
    if call is not None and call.failed:
        shot = failure_dir / f"{request.node.name}.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot of the failure: {shot}")
    page.context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture(scope="session")
def aurora(server: Server) -> str:
    """Aurora's business plan uploaded through the API, for tests that start from a known client."""
    import httpx

    files = [("files", ("business_plan.docx", (AURORA / "business_plan.docx").read_bytes()))]
    r = httpx.post(f"{server.url}/v1/profile", headers={"Authorization": f"Bearer {server.key}"},
                   data={"enterprise_id": "aurora", "name": "Aurora Robotics"}, files=files, timeout=120)
    assert r.status_code == 200, r.text
    return "aurora"


def sign_in(page: Page, server: Server) -> None:
    page.goto(server.url + "/")
    page.fill("#api-key-input", server.key)
    page.click("#sign-in-form button[type=submit]")
    page.wait_for_selector("#app-view:not([hidden])")

