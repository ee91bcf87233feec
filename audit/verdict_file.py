"""``verdict.json`` in the report folder: the run's verdict for programs.

Per requirement its status (as the report says it, waivers included), its scenarios with their
outcome and evidence files, and its references; the target, the date, the suite's version.
Dashboards read it, and ``--comparer-avec`` reads the one of an earlier report to say what
changed. Keys are English, values are what the report shows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .run_info import RunInfo
from .verdict import RequirementStatus, ScenarioResult

NAME = "verdict.json"
FORMAT = 1


class UnreadableVerdict(ValueError):
    """An earlier report folder whose verdict cannot be read; the message says why."""


def scenario_key(result: ScenarioResult) -> str:
    """How a scenario is known from one run to the next: its feature file and its name."""
    return f"{result.record.get('fichier', '?')} : {result.name}"


def _evidence(result: ScenarioResult, folder: Path) -> list[str]:
    output = result.record.get("preuves")
    if not output or not Path(output).is_dir():
        return []
    found = []
    for path in sorted(Path(output).rglob("*")):
        if path.is_file():
            try:
                found.append(path.resolve().relative_to(folder.resolve()).as_posix())
            except ValueError:
                continue
    return found


def _scenario(result: ScenarioResult, folder: Path) -> dict:
    return {
        "key": scenario_key(result),
        "name": result.name,
        "feature": result.record.get("fichier"),
        "outcome": "manual" if result.manual else result.outcome,
        "message": result.headline if result.outcome != "passed" else "",
        "evidence": _evidence(result, folder),
    }


def write(
    folder: Path, requirements: list[RequirementStatus], info: RunInfo, verdict_ok: bool
) -> Path:
    data = {
        "format": FORMAT,
        "verdict": "CONFORME" if verdict_ok else "NON CONFORME OU INCOMPLET",
        "target": info.target,
        "profile": info.profile,
        "date": info.started.isoformat(timespec="seconds"),
        "suite_version": info.suite_version,
        "command": info.command,
        "scope": info.scope,
        "requirements": [
            {
                "id": r.requirement.id,
                "title": r.requirement.title,
                "must": r.requirement.must,
                "status": r.status,
                "shown_status": r.shown_status,
                "references": list(r.requirement.references),
                "scenarios": [_scenario(s, folder) for s in r.scenarios],
            }
            for r in requirements
        ],
    }
    path = folder / NAME
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


@dataclass(frozen=True)
class EarlierVerdict:
    folder: Path
    date: str
    #: Status per requirement ID.
    statuses: dict[str, str]
    #: The scenarios' keys.
    scenarios: set[str]


def read(folder: str | Path) -> EarlierVerdict:
    """The verdict of an earlier report folder; ``UnreadableVerdict`` saying why not."""
    path = Path(folder) / NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UnreadableVerdict(
            f"{folder} : pas de {NAME} (un dossier de rapport écrit par --rapport est attendu)"
        ) from None
    except OSError as exc:
        raise UnreadableVerdict(f"{path} : illisible ({exc.strerror})") from None
    except ValueError as exc:
        raise UnreadableVerdict(f"{path} : JSON invalide ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UnreadableVerdict(f"{path} : format inconnu (attendu : format {FORMAT})")
    try:
        requirements = data["requirements"]
        return EarlierVerdict(
            Path(folder),
            str(data["date"]),
            {r["id"]: r["status"] for r in requirements},
            {s["key"] for r in requirements for s in r["scenarios"]},
        )
    except (KeyError, TypeError) as exc:
        raise UnreadableVerdict(f"{path} : incomplet ({exc!r} manque)") from None
