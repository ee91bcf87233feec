"""``verdict.json`` in the report folder: the run's verdict for programs.

Per requirement its status (as the report says it, waivers included), why, its counts, its
severity, its scenarios with their outcome, the facts their checks judged and their evidence
files, and its references; the target (under stable keys, whatever the target), who ran it,
when, with what. Dashboards read it, and ``--comparer-avec`` reads the one of an earlier report
to say what changed. Keys are English and stable, values are what the report shows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError

from .run_info import RunInfo
from .verdict import (
    NON_CONFORME,
    STATUSES,
    VERDICTS,
    WAIVED,
    RequirementStatus,
    ScenarioResult,
)

NAME = "verdict.json"
#: 2: the target and the profile under stable keys, reasons, counts, facts. A format-1
#: verdict still reads (what ``--comparer-avec`` needs did not change).
FORMAT = 2
READABLE = (1, 2)
#: A scenario's outcome in ``verdict.json``; each requirement counts its scenarios by them.
OUTCOMES = ("passed", "failed", "skipped", "not_applicable", "manual", "error")
#: A verdict is a few hundred kilobytes; past this it is something else.
MAX_BYTES = 50_000_000


class UnreadableVerdict(ValueError):
    """An earlier report folder whose verdict cannot be read; the message says why."""


def scenario_key(result: ScenarioResult) -> str:
    """How a scenario is known from one run to the next: its feature file and its name."""
    return f"{result.record.file or '?'} : {result.name}"


def _evidence(result: ScenarioResult, folder: Path) -> list[str]:
    """The scenario's files, relative to the report folder: its screens, its trace and
    journal."""
    found = [screen.file for screen in result.record.screens()]
    output = result.record.evidence_folder
    if output and Path(output).is_dir():
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
        "feature": result.record.file,
        "line": result.record.line,
        "tags": result.record.tags,
        "outcome": _outcome(result),
        "message": result.headline if result.outcome != "passed" else "",
        "duration": round(result.duration, 3),
        "facts": [
            {"kind": f.kind, "title": f.title, "rows": f.as_dicts()} for f in result.record.facts()
        ],
        "evidence": _evidence(result, folder),
    }


def _outcome(result: ScenarioResult) -> str:
    if result.manual:
        return "manual"
    return "not_applicable" if result.not_applicable else result.outcome


def _counts(requirement: RequirementStatus) -> dict[str, int]:
    outcomes = [_outcome(s) for s in requirement.scenarios]
    return {name: outcomes.count(name) for name in OUTCOMES}


def _target(info: RunInfo) -> dict:
    target = info.target
    return {
        "name": target.name,
        "simulator": target.simulator,
        "description": target.description,
        "urls": target.urls,
        "versions": target.versions,
        "time": target.time,
    }


def write(folder: Path, requirements: list[RequirementStatus], info: RunInfo, status: int) -> Path:
    scenarios = {s.nodeid: s for r in requirements for s in r.scenarios}.values()
    data = {
        "format": FORMAT,
        "verdict": VERDICTS[status],
        "exit_status": status,
        "tool_errors": sum(1 for s in scenarios if s.outcome == "error"),
        "target": _target(info),
        "profile": {"path": info.profile, "sha256": info.profile_sha256},
        "date": info.started.isoformat(timespec="seconds"),
        "end": info.ended.isoformat(timespec="seconds"),
        "operator": info.operator,
        "browser": info.browser,
        "guide": info.guide,
        "suite_version": info.suite_version,
        "command": info.command,
        "scope": info.scope,
        "selection": info.selection,
        "preflight_findings": info.preflight,
        "requirements": [
            {
                "id": r.requirement.id,
                "title": r.requirement.title,
                "must": r.requirement.must,
                "status": r.status,
                "compared_status": r.compared_status,
                "shown_status": r.shown_status,
                "reason": r.reason,
                "severity": r.requirement.severity,
                "counts": _counts(r),
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
    #: Status per requirement ID, as ``--comparer-avec`` compares it (a waiver apart).
    statuses: dict[str, str]
    #: The scenarios' keys.
    scenarios: set[str]
    suite_version: str = ""


class _Scenario(BaseModel):
    key: str


class _Requirement(BaseModel):
    id: str
    status: Literal[STATUSES]
    compared_status: Literal[(*STATUSES, WAIVED)] | None = None
    shown_status: str = ""
    scenarios: list[_Scenario]

    def compared(self) -> str:
        """Reports written before ``compared_status`` existed tell a waiver by its words."""
        if self.compared_status is not None:
            return self.compared_status
        waived = self.shown_status.startswith(f"{NON_CONFORME} — ")
        return WAIVED if waived else self.status


class _Verdict(BaseModel):
    format: Literal[READABLE]
    date: str
    suite_version: str = ""
    requirements: list[_Requirement]


def read(folder: str | Path) -> EarlierVerdict:
    """The verdict of an earlier report folder; ``UnreadableVerdict`` saying why not, every
    problem of its content on a line of its own."""
    folder = Path(folder)
    path = folder / NAME
    if folder.exists() and not folder.is_dir():
        raise UnreadableVerdict(f"{folder} : c'est un fichier ; un dossier de rapport est attendu")
    try:
        if path.stat().st_size > MAX_BYTES:
            raise UnreadableVerdict(f"{path} : plus de {MAX_BYTES // 1_000_000} Mo, pas un verdict")
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UnreadableVerdict(
            f"{folder} : pas de {NAME} (un dossier de rapport écrit par --rapport est attendu)"
        ) from None
    except OSError as exc:
        raise UnreadableVerdict(f"{path} : illisible ({exc.strerror})") from None
    except RecursionError:
        raise UnreadableVerdict(f"{path} : JSON imbriqué trop profondément") from None
    except ValueError as exc:
        raise UnreadableVerdict(f"{path} : JSON invalide ({exc})") from None
    if not isinstance(data, dict) or data.get("format") not in READABLE:
        raise UnreadableVerdict(f"{path} : format inconnu (attendu : format 1 ou {FORMAT})")
    try:
        verdict = _Verdict.model_validate(data)
    except ValidationError as exc:
        raise UnreadableVerdict("\n".join(f"{path} : {line}" for line in _french(exc))) from None
    return EarlierVerdict(
        folder,
        verdict.date,
        {r.id: r.compared() for r in verdict.requirements},
        {s.key for r in verdict.requirements for s in r.scenarios},
        verdict.suite_version,
    )


def _french(error: ValidationError) -> list[str]:
    """One line per problem: where in the file, and what is wrong there."""
    lines = []
    for problem in error.errors(include_url=False):
        where = ".".join(str(part) for part in problem["loc"]) or "racine"
        if problem["type"] == "missing":
            lines.append(f"incomplet : « {where} » manque")
        else:
            lines.append(f"« {where} » : valeur inattendue {str(problem['input'])[:80]!r}")
    return lines
