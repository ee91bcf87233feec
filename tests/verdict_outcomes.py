"""What a report folder's ``verdict.json`` says, in the shape comparisons need: the verdict,
each requirement's status, each scenario's outcome (or, not judged, why)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

JUDGED = ("passed", "failed")


@dataclass(frozen=True)
class Outcomes:
    verdict: str
    #: Requirement ID → its status.
    requirements: dict[str, str]
    #: Scenario key → "passed", "failed", or the reason it was not judged.
    scenarios: dict[str, str]
    #: Scenario key → its tags.
    tags: dict[str, list[str]]
    #: Scenario key → its duration, in seconds.
    durations: dict[str, float]
    #: Scenario key → the real time it waited, in seconds (its "temps-reel" facts).
    waited: dict[str, float]

    def clocked(self) -> dict[str, str]:
        """The ``@horloge`` scenarios' outcomes."""
        return {key: o for key, o in self.scenarios.items() if "horloge" in self.tags[key]}


def _waited(scenario: dict) -> float:
    seconds = 0.0
    for fact in scenario.get("facts", []):
        if fact["kind"] == "temps-reel":
            for row in fact["rows"]:
                spent = datetime.fromisoformat(row["Fin"]) - datetime.fromisoformat(row["Début"])
                seconds += spent.total_seconds()
    return seconds


def read(report: Path) -> Outcomes:
    verdict = json.loads((report / "verdict.json").read_text(encoding="utf-8"))
    scenarios = [s for r in verdict["requirements"] for s in r["scenarios"]]
    return Outcomes(
        verdict["verdict"],
        {r["id"]: r["status"] for r in verdict["requirements"]},
        {s["key"]: s["outcome"] if s["outcome"] in JUDGED else s["message"] for s in scenarios},
        {s["key"]: s["tags"] for s in scenarios},
        {s["key"]: s["duration"] for s in scenarios},
        {s["key"]: _waited(s) for s in scenarios},
    )


def differences(one: Outcomes, other: Outcomes) -> list[str]:
    """Where two runs' verdicts disagree: the verdict, a requirement's status, a scenario's
    outcome; empty when they agree."""
    found = [f"verdict : {one.verdict} / {other.verdict}"] if one.verdict != other.verdict else []
    for name, mine, theirs in (
        ("exigence", one.requirements, other.requirements),
        ("scénario", one.scenarios, other.scenarios),
    ):
        found += [
            f"{name} {key} : {mine.get(key)} / {theirs.get(key)}"
            for key in sorted(set(mine) | set(theirs))
            if mine.get(key) != theirs.get(key)
        ]
    return found
