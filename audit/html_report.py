"""The auditor's report, in French: ``rapport.html`` in the report folder, which it reads
its screens from (``preuves/``: the folder is the report), printed to ``rapport.pdf``.

Page 1 says what an auditor signs and an administrator acts on: the verdict, one line for the
guide's web requirements, one for its mobile ones, one for the good practices, the findings
with their severity, what the target was and what remains to do by hand. Then a finding card
per non-conformity (observed, what the guide says, severity, likely causes and fixes,
references), each requirement with its scenarios, the facts their checks judged and the
screens that prove something (each image once), the context and method, the sign-off block,
and annexes (the profile, the failures' traces). No traceback outside its annex, no Python
object anywhere.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .changes import Changes
from .journal_words import readable
from .requirements import SEVERITIES, feature_texts
from .run_info import RunInfo
from .scenario_record import Screen
from .verdict import (
    CONFORME,
    ERREUR_OUTIL,
    MANUEL,
    NON_APPLICABLE,
    NON_CONFORME,
    NON_EXECUTE,
    PARTIEL,
    SELECTION,
    STATUSES,
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
    PARTIEL: "partiel",
    NON_EXECUTE: "non-execute",
    NON_APPLICABLE: "non-applicable",
    MANUEL: "manuel",
    ERREUR_OUTIL: "erreur-outil",
}
OUTCOMES = {
    "passed": ("Réussi", "conforme"),
    "failed": ("Échoué", "non-conforme"),
    "error": ("Erreur de l'outil d'audit", "erreur-outil"),
    "skipped": ("Non exécuté", "non-execute"),
}
GROUPS = (
    ("Exigences du guide, web et poste de travail", lambda r: r.must and "-MOB-" not in r.id),
    ("Exigences du guide, application mobile", lambda r: r.must and "-MOB-" in r.id),
    ("Bonnes pratiques complémentaires", lambda r: not r.must),
)
JOURNAL_EXCERPT = 20
#: A Python object's address in a trace (``<function f at 0x7f…>``): nothing for an auditor.
ADDRESS = re.compile(r" at 0x[0-9a-f]+")


@dataclass
class ShownScreen:
    screen: Screen
    #: Where the image is shown; a later mention links there instead of repeating it.
    anchor: str
    first: bool


@dataclass
class Screens:
    """Each image once in the whole report: the first mention shows it, later ones link."""

    shown: dict[str, str] = field(default_factory=dict)

    def place(self, screens: list[Screen], anchor: str) -> list[ShownScreen]:
        placed = []
        for number, screen in enumerate(screens, 1):
            first = screen.file not in self.shown
            if first:
                self.shown[screen.file] = f"{anchor}-ecran-{number}"
            placed.append(ShownScreen(screen, self.shown[screen.file], first))
        return placed


def _outcome(result: ScenarioResult) -> tuple[str, str]:
    if result.manual:
        return "Contrôle manuel", "manuel"
    if result.not_applicable:
        return "Non applicable", "non-applicable"
    return OUTCOMES[result.outcome]


def _journal(result: ScenarioResult, folder: Path) -> list[dict[str, str]]:
    if not result.record.journal:
        return []
    path = folder / result.record.journal
    if not path.is_file():
        return []
    return [readable(event) for event in json.loads(path.read_text())[-JOURNAL_EXCERPT:]]


def _traces(result: ScenarioResult, folder: Path) -> list[str]:
    output = result.record.evidence_folder
    if not output or not Path(output).is_dir():
        return []
    found = []
    for path in sorted(Path(output).rglob("*.zip")):
        try:
            found.append(path.resolve().relative_to(folder.resolve()).as_posix())
        except ValueError:
            continue
    return found


def _scenario_view(result: ScenarioResult, folder: Path, screens: Screens, anchor: str) -> dict:
    label, css = _outcome(result)
    steps = [
        {"step": step, "screens": screens.place(step.screens, f"{anchor}-e{number}")}
        for number, step in enumerate(result.record.steps, 1)
    ]
    return {
        "result": result,
        "anchor": anchor,
        "label": label,
        "css": css,
        "steps": steps,
        "failure_screens": screens.place(result.record.failure_screens, f"{anchor}-echec"),
        "traces": _traces(result, folder),
        "journal": _journal(result, folder),
        "reason": result.headline,
    }


def _observed(status: RequirementStatus) -> list[str]:
    """What a finding card says was observed: each failing scenario in one sentence."""
    sentences = []
    for failure in status.failures:
        step = failure.record.failing_step
        where = f" à l'étape « {step.keyword} {step.text} »" if step else ""
        sentences.append(f"Scénario « {failure.name} »{where} : {failure.headline}.")
    return sentences


def _finding(status: RequirementStatus, number: int, texts: dict[str, str]) -> dict:
    facts = [f for s in status.failures for f in s.record.facts()]
    return {
        "number": number,
        "status": status,
        "requirement": status.requirement,
        "observed": _observed(status),
        "facts": facts,
        "text": texts.get(status.requirement.id, ""),
    }


def _summary(requirements: list[RequirementStatus]) -> list[dict]:
    """Page 1's lines: per group, how many requirements have each status."""
    lines = []
    for title, belongs in GROUPS:
        members = [r for r in requirements if belongs(r.requirement)]
        counts = {s: sum(1 for r in members if r.status == s) for s in STATUSES}
        lines.append(
            {
                "title": title,
                "total": len(members),
                "counts": [(s, CLASSES[s], n) for s, n in counts.items() if n],
            }
        )
    return lines


def _scrubbed(text: str) -> str:
    return ADDRESS.sub("", text)


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
    environment.filters["scrubbed"] = _scrubbed
    environment.filters["simulated"] = _simulated
    texts = feature_texts()
    screens = Screens()
    sections = [
        {
            "status": r,
            "text": texts.get(r.requirement.id, ""),
            "css": CLASSES[r.status],
            "scenarios": [
                _scenario_view(s, folder, screens, f"{r.requirement.id}-s{n}")
                for n, s in enumerate(r.scenarios, 1)
            ],
        }
        for r in requirements
    ]
    failing = sorted(
        (r for r in requirements if r.status == NON_CONFORME),
        key=lambda r: SEVERITIES.index(r.requirement.severity),
    )
    covered = [r.requirement.id for r in judged(requirements, info.scope)]
    failures = [s for r in requirements for s in r.scenarios if s.outcome in ("failed", "error")]
    return environment.get_template("rapport.html").render(
        info=info,
        sections=sections,
        summary=_summary(requirements),
        findings=[_finding(r, n, texts) for n, r in enumerate(failing, 1)],
        manual=[r for r in requirements if r.status == MANUEL],
        not_run=[r for r in requirements if r.status in (NON_EXECUTE, PARTIEL)],
        status=status,
        verdict=VERDICTS[status],
        tool_errors=[s for r in requirements for s in r.scenarios if s.outcome == "error"],
        failures=list({s.nodeid: s for s in failures}.values()),
        covered=covered if info.scope == SELECTION else None,
        excluded=[r.requirement.id for r in requirements if r.requirement.id not in covered],
        pointless=pointless,
        changes=changes,
    )


def _simulated(seconds: float) -> str:
    """Simulated time passed, as a screen's caption says it: "T0 + 2 h 00 min 01 s"."""
    if not seconds:
        return ""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"temps simulé T0 + {hours} h {minutes:02d} min {secs:02d} s"
