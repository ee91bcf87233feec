"""The auditor's report: one self-contained HTML page (styles inline, evidence files next to
it, nothing from the network), in French, one section per requirement in catalog order."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .changes import Changes
from .requirements import feature_texts
from .run_info import RunInfo
from .verdict import (
    CONFORME,
    ERREUR_OUTIL,
    MANUEL,
    NON_CONFORME,
    SELECTION,
    VERDICTS,
    RequirementStatus,
    ScenarioResult,
    judged,
)
from .waivers import Waiver

TEMPLATES = Path(__file__).resolve().parent / "templates"
CLASSES = {
    CONFORME: "conforme",
    NON_CONFORME: "non-conforme",
    MANUEL: "manuel",
    ERREUR_OUTIL: "erreur-outil",
}
JOURNAL_EXCERPT = 20


def _relative(path: str, folder: Path) -> str | None:
    try:
        return Path(path).resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return None


def _journal(path: Path) -> list[dict]:
    events = json.loads(path.read_text())[-JOURNAL_EXCERPT:]
    for event in events:
        when = datetime.fromtimestamp(event["at"], UTC).astimezone()
        event["heure"] = when.strftime("%d/%m %H:%M:%S")
        event["details"] = ", ".join(f"{k} : {v}" for k, v in event.get("detail", {}).items())
    return events


def evidence(result: ScenarioResult, folder: Path) -> dict:
    """The scenario's evidence, as paths relative to the report folder."""
    found: dict = {"captures": [], "traces": [], "journal": []}
    output = result.record.get("preuves")
    if not output or not Path(output).is_dir():
        return found
    step_captures = {c for s in result.record["etapes"] for c in s.get("captures", [])}
    for path in sorted(Path(output).rglob("*")):
        relative = _relative(str(path), folder)
        if relative is None:
            continue
        if path.suffix == ".png" and str(path) not in step_captures:
            found["captures"].append(relative)
        elif path.suffix == ".zip":
            found["traces"].append(relative)
        elif path.name == "journal.json":
            found["journal"] = _journal(path)
    return found


def render(
    requirements: list[RequirementStatus],
    info: RunInfo,
    folder: Path,
    status: int,
    pointless: list[Waiver] = (),
    changes: Changes | None = None,
) -> str:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"])
    )
    environment.filters["relative"] = lambda path: _relative(path, folder)
    texts = feature_texts()
    sections = [
        {
            "status": r,
            "text": texts.get(r.requirement.id, ""),
            "css": CLASSES.get(r.status, "non-execute"),
            "scenarios": [(s, evidence(s, folder)) for s in r.scenarios],
        }
        for r in requirements
    ]
    covered = [r.requirement.id for r in judged(requirements, info.scope)]
    return environment.get_template("rapport.html").render(
        info=info,
        sections=sections,
        status=status,
        verdict=VERDICTS[status],
        tool_errors=[s for r in requirements for s in r.scenarios if s.outcome == "error"],
        covered=covered if info.scope == SELECTION else None,
        pointless=pointless,
        changes=changes,
    )
