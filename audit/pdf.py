"""The report as PDF, printed by headless Chromium: ``python -m audit.pdf rapport.html``.

Run in its own process by the report plugin, so printing never shares an event loop or a
browser with the scenarios that just ran.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from fixtures.chromium import find_chromium


def print_pdf(html: Path, pdf: Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=find_chromium(headless=True), args=["--no-sandbox"]
        )
        try:
            page = browser.new_page()
            page.goto(html.resolve().as_uri())
            page.pdf(path=str(pdf), format="A4", print_background=True, outline=True)
        finally:
            browser.close()


if __name__ == "__main__":
    source = Path(sys.argv[1])
    print_pdf(source, source.with_suffix(".pdf"))
