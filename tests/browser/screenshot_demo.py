"""Re-takes the README screenshot (docs/ui-chat.png) on the populated demo, as `make run` shows it:

    SME_DATA_DIR=/tmp/sme-demo .venv/bin/sme demo
    .venv/bin/python -m tests.browser.screenshot_demo /tmp/sme-demo [docs/ui-chat.png]

Serves that data dir (the default bilingual model), signs in with the demo key, picks a sample firm
asks a named-program question and a credit question, and shows the firm's profile beside them, in headless Chromium (/usr/bin/chromium).
Chinese text needs a CJK font on the machine (Debian: `apt-get install fonts-noto-cjk`), else it renders as boxes.
Not a test: it writes a file into the repository."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from tests.browser.conftest import CHROMIUM, ROOT, Server, _free_port, _wait_healthy, new_page, sign_in
from tests.browser.test_chat_ui import ask

QUESTIONS = ("Does it qualify as a high and new technology enterprise?", "Which bank loans could this company take out?")


def main(data_dir: Path, target: Path) -> None:
    port = _free_port()
    env = {**os.environ, "SME_DATA_DIR": str(data_dir), "SME_LLM_BACKEND": "grounded"}
    with (data_dir / "screenshot-server.log").open("wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_healthy(url, proc, data_dir / "screenshot-server.log", timeout=600)
            server = Server(url, (data_dir / "demo-key.txt").read_text().strip(), data_dir)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
                page = new_page(browser)
                sign_in(page, server)
                page.select_option("#enterprise-select", "aurora")
                expect(page.locator("#panel-profile .fact").first).to_be_visible()
                for q in QUESTIONS:
                    ask(page, q)
                page.get_by_role("tab", name="Profile").click()  # the firm's profile beside the chat
                expect(page.locator("#panel-profile .fact").first).to_be_visible()
                page.locator(".message-assistant").first.evaluate("el => el.scrollIntoView({block: 'start'})")
                page.evaluate("document.activeElement && document.activeElement.blur()")
                page.mouse.move(0, 0)
                page.screenshot(path=str(target))
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "docs" / "ui-chat.png")
