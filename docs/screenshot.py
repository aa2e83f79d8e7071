"""Makes docs/article-view.png: the viewer on the example article with the embedded model.

    .venv/bin/python docs/screenshot.py

Serves the app on 127.0.0.1 with a fresh store, opens the page in Debian's Chromium, adds the
example article, finds its claims and clicks the second one.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from claimcheck import ClaimCheck
from claimcheck.server import create_app, running

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "claimcheck" / "examples" / "harbor-tunnel.txt"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, ClaimCheck(home=tmp) as cc:
        with running(create_app(cc)) as url:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 860})
                page.goto(url)
                page.set_input_files("#upload", str(EXAMPLE))
                page.wait_for_selector("#find-claims:not([disabled])")
                page.click("#find-claims")
                page.wait_for_selector("#claims li.claim", timeout=300_000)
                page.locator("#claims li.claim").nth(1).click()
                page.screenshot(path=str(ROOT / "docs" / "article-view.png"))
                browser.close()


if __name__ == "__main__":
    main()
