"""What the report says of the run, beside the results: who ran it, when, against what (the
target as its profile describes it, the profile itself and its SHA-256), with which browser,
suite and guide, over which scope. Both the page and ``verdict.json`` carry it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from fixtures.profile import Description

from .verdict import GUIDE

#: The guide the suite implements, kept in the project: the report names it and its SHA-256.
GUIDE_TEXT = Path(__file__).resolve().parents[1] / "docs" / "guide-se-deconnecter-de-spico.txt"
GUIDE_TITLE = "« Se déconnecter de SPICO », guide utilisateur de SPICO (GRADeS Occitanie)"


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class RunInfo:
    """What the report says of the run: the target, when, how long, who, with what."""

    target: Description
    #: The profile's path as given, or "aucun" for the embedded simulator.
    profile: str
    started: datetime
    duration: float
    suite_version: str
    command: str
    #: Who ran the audit (``--operateur``, by default the system's user).
    operator: str = ""
    #: The browser the scenarios ran in, with its version.
    browser: str = ""
    #: The profile's text (it names environment variables, never holds a secret) and its
    #: SHA-256; empty for the embedded simulator.
    profile_text: str = ""
    profile_sha256: str = ""
    #: What the verdict covers: ``verdict.GUIDE`` or ``verdict.SELECTION``.
    scope: str = GUIDE
    #: The selection that narrowed the run (``-m``, ``-k``), as typed.
    selection: str = ""
    #: What the pre-flight met on the target and the audit went on with.
    preflight: list[str] = field(default_factory=list)

    @property
    def ended(self) -> datetime:
        return self.started + timedelta(seconds=self.duration)

    @property
    def guide(self) -> str:
        """The guide's title and the SHA-256 of the text the suite implements."""
        return f"{GUIDE_TITLE}, texte de référence SHA-256 {sha256_of(GUIDE_TEXT)[:16]}…"
