"""A whole audit's report folder, read back as its readers read it: the auditor (the HTML and
every PDF page), CI tools (``junit.xml``, ``cucumber.json``, ``verdict.json``) and whoever
checks its integrity (``sha256sum -c SHA256SUMS``). Used on the simulator's audit and on the
real stack's."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

from pypdf import PdfReader

#: The issue's limit for a whole audit, for rapport.pdf and cucumber.json each.
MAX_BYTES = 5_000_000
ATTACHMENT = re.compile(r"\[\[ATTACHMENT\|(.+?)\]\]")


class Page(HTMLParser):
    """The images the report shows, and the text of each finding card."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.images: list[str] = []
        self.cards: dict[str, str] = {}
        self._card: str | None = None
        self._depth = 0
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "img":
            self.images.append(found["src"])
        if self._card is not None and tag == "div":
            self._depth += 1
        if tag == "div" and found.get("class") == "carte":
            self._card, self._depth = found["id"], 1
            self.cards[self._card] = ""

    def handle_endtag(self, tag: str) -> None:
        if self._card is not None and tag == "div":
            self._depth -= 1
            if self._depth == 0:
                self._card = None

    def handle_data(self, data: str) -> None:
        if self._card is not None:
            self.cards[self._card] += data


def check(folder: Path) -> dict:
    """Every reader's checks on ``folder``; ``verdict.json``, for the caller's own."""
    done = subprocess.run(
        ["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=folder, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    html = (folder / "rapport.html").read_text(encoding="utf-8")
    page = Page(html)
    for image in page.images:
        assert (folder / image).is_file(), image
    assert len(page.images) == len(set(page.images)), "une image montrée deux fois"
    screens = [p for p in (folder / "preuves").rglob("*") if p.suffix in (".png", ".jpg")]
    contents = [hashlib.sha256(p.read_bytes()).hexdigest() for p in screens]
    assert len(contents) == len(set(contents)), "deux écrans de même contenu"
    assert "0x7f" not in html and "Raison :" not in html
    assert "non exécuté : non exécuté" not in html.lower()
    assert "Étant Donné" not in html, "le mot-clé des fonctionnalités est « Étant donné »"
    for card, text in page.cards.items():
        assert "Traceback" not in text and 'File "' not in text, card
    assert re.search(r"\['[^]]*'\]", html) is None, "une liste Python dans le rapport"
    _check_pdf(folder / "rapport.pdf")
    assert (folder / "cucumber.json").stat().st_size <= MAX_BYTES
    _check_junit(folder)
    return json.loads((folder / "verdict.json").read_text(encoding="utf-8"))


def _check_pdf(pdf: Path) -> None:
    assert pdf.stat().st_size <= MAX_BYTES, f"rapport.pdf : {pdf.stat().st_size} octets"
    reader = PdfReader(pdf)
    total = len(reader.pages)
    for number in (1, total):
        text = " ".join(reader.pages[number - 1].extract_text().split())
        assert f"page {number} sur {total}" in text, text[-300:]
    assert reader.outline, "un PDF sans table des matières"


def _check_junit(folder: Path) -> None:
    root = ET.parse(folder / "junit.xml").getroot()
    for case in root.iter("testcase"):
        if not case.get("classname", "").startswith(("EXI-", "BP-")):
            continue
        properties = {p.get("value") for p in case.iter("property") if p.get("name") == "exigence"}
        assert properties and all(p in case.get("classname") for p in properties), case.attrib
        for path in ATTACHMENT.findall(case.findtext("system-out") or ""):
            assert (folder / path).is_file(), path
    for element in root.iter("skipped"):
        assert ".venv" not in element.get("message", ""), element.attrib


def requirement(verdict: dict, identifier: str) -> dict:
    return next(r for r in verdict["requirements"] if r["id"] == identifier)


def facts(verdict: dict, identifier: str, kind: str) -> list[dict]:
    """The facts of one kind that a requirement's scenarios recorded."""
    return [
        fact
        for scenario in requirement(verdict, identifier)["scenarios"]
        for fact in scenario["facts"]
        if fact["kind"] == kind
    ]
