"""The report as PDF, printed by headless Chromium: ``python -m audit.pdf rapport.html``: A4,
page numbers, the sections as the PDF's outline (its table of contents in a reader's side
panel) beside the report's own contents page.

Run in its own process by the report plugin, so printing never shares an event loop or a
browser with the scenarios that just ran.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from fixtures.chromium import find_chromium

#: Each page says which it is and of how many, with the report's title (Chromium fills the
#: classes ``title``, ``pageNumber`` and ``totalPages``).
FOOTER = (
    '<div style="font-size:8px; width:100%; padding:0 1.4cm; color:#555;'
    ' display:flex; justify-content:space-between">'
    '<span class="title"></span>'
    '<span>page <span class="pageNumber"></span> sur <span class="totalPages"></span></span></div>'
)


def print_pdf(html: Path, pdf: Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=find_chromium(headless=True), args=["--no-sandbox"]
        )
        try:
            page = browser.new_page()
            page.goto(html.resolve().as_uri())
            page.pdf(
                path=str(pdf),
                format="A4",
                print_background=True,
                outline=True,
                tagged=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=FOOTER,
                margin={"top": "1.2cm", "bottom": "1.6cm", "left": "1.4cm", "right": "1.4cm"},
            )
        finally:
            browser.close()


if __name__ == "__main__":
    source = Path(sys.argv[1])
    print_pdf(source, source.with_suffix(".pdf"))
