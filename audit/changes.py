"""``--comparer-avec DOSSIER``: what changed since an earlier report, the release meeting's
first question. Read from that folder's ``verdict.json``; shown at the top of the report and
of the terminal's summary. Every change is named: each requirement whose status moved (any
status to any other, a waiver included), requirements and scenarios that appeared or
disappeared, and another version of the suite."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .verdict import CONFORME, ERREUR_OUTIL, NON_CONFORME, RequirementStatus, ScenarioResult
from .verdict_file import EarlierVerdict, scenario_key

#: How a line saying a requirement got worse begins (shown in red).
WORSE = "Nouvellement non conforme"
#: Statuses a requirement should not fall to: a line saying so is shown in red.
BAD = (NON_CONFORME, ERREUR_OUTIL)
#: How a line begins when a requirement lost its verdict of compliance or fell to a bad status.
ALARM = "⚠ "


@dataclass
class Changes:
    earlier: EarlierVerdict
    #: (requirement ID, status before, status now), for every requirement whose status moved.
    moved: list[tuple[str, str, str]] = field(default_factory=list)
    still_non_compliant: list[str] = field(default_factory=list)
    #: (requirement ID, status now) and (requirement ID, status before).
    requirements_added: list[tuple[str, str]] = field(default_factory=list)
    requirements_removed: list[tuple[str, str]] = field(default_factory=list)
    scenarios_added: list[str] = field(default_factory=list)
    scenarios_removed: list[str] = field(default_factory=list)
    #: (before, now) when the suite's version differs.
    suite_versions: tuple[str, str] | None = None

    @property
    def since(self) -> str:
        """The earlier report, as people name it: its date, its folder."""
        try:
            when = datetime.fromisoformat(self.earlier.date).strftime("%d/%m/%Y %H:%M")
        except ValueError:
            when = self.earlier.date
        return f"rapport du {when} ({self.earlier.folder})"

    @property
    def worse(self) -> list[tuple[str, str]]:
        return [(i, was) for i, was, now in self.moved if now == NON_CONFORME]

    @property
    def better(self) -> list[tuple[str, str]]:
        return [(i, was) for i, was, now in self.moved if now == CONFORME]

    def lines(self) -> list[str]:
        """The changes in French, one line each; a single line when nothing changed."""
        found = [f"{WORSE} : {i} (était : {was})" for i, was in self.worse]
        found += [f"Nouvellement conforme : {i} (était : {was})" for i, was in self.better]
        found += [
            f"{_fell(was, now)}Statut changé : {i} : {was} → {now}"
            for i, was, now in self.moved
            if now not in (NON_CONFORME, CONFORME)
        ]
        found += [f"Toujours non conforme : {i}" for i in self.still_non_compliant]
        found += [f"Exigence nouvelle : {i} ({now})" for i, now in self.requirements_added]
        found += [
            f"{_fell(was, '')}Exigence absente de cette exécution : {i} (était : {was})"
            for i, was in self.requirements_removed
        ]
        found += [f"Scénario nouveau dans cette exécution : {k}" for k in self.scenarios_added]
        found += [f"Scénario absent de cette exécution : {k}" for k in self.scenarios_removed]
        if self.suite_versions:
            before, now = self.suite_versions
            found.append(f"Version de la suite changée : {before} → {now}")
        return found or ["Rien n'a changé : mêmes statuts, mêmes scénarios, même suite."]

    @staticmethod
    def alarming(line: str) -> bool:
        return line.startswith((WORSE, ALARM))


def _fell(was: str, now: str) -> str:
    return ALARM if was == CONFORME or now in BAD else ""


def compare(
    earlier: EarlierVerdict,
    requirements: list[RequirementStatus],
    results: list[ScenarioResult],
    suite_version: str = "",
) -> Changes:
    changes = Changes(earlier)
    for r in requirements:
        now, before = r.compared_status, earlier.statuses.get(r.requirement.id)
        if before is None:
            changes.requirements_added.append((r.requirement.id, now))
        elif now == before == NON_CONFORME:
            changes.still_non_compliant.append(r.requirement.id)
        elif now != before:
            changes.moved.append((r.requirement.id, before, now))
    present = {r.requirement.id for r in requirements}
    changes.requirements_removed = [
        (i, was) for i, was in earlier.statuses.items() if i not in present
    ]
    keys = {scenario_key(result) for result in results}
    changes.scenarios_added = sorted(keys - earlier.scenarios)
    changes.scenarios_removed = sorted(earlier.scenarios - keys)
    if suite_version and earlier.suite_version != suite_version:
        changes.suite_versions = (earlier.suite_version, suite_version)
    return changes
