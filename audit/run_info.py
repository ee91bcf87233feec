"""What the report says of the run, beside the results: the target, when, how long, which
suite, which command. Both the page and ``verdict.json`` carry it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .verdict import GUIDE


@dataclass
class RunInfo:
    """What the report says of the run: the target, when, how long, which suite."""

    #: The target as it describes itself: name, addresses, how time passed in the run.
    target: dict[str, str]
    profile: str
    started: datetime
    duration: float
    suite_version: str
    command: str
    #: What the verdict covers: ``verdict.GUIDE`` or ``verdict.SELECTION``.
    scope: str = GUIDE
    #: What the pre-flight met on the target and the audit went on with.
    preflight: list[str] = field(default_factory=list)
