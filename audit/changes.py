"""``--comparer-avec DOSSIER``: what changed since an earlier report, the release meeting's
first question. Read from that folder's ``verdict.json``; shown at the top of the report and
of the terminal's summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .verdict import CONFORME, NON_CONFORME, RequirementStatus, ScenarioResult
from .verdict_file import EarlierVerdict, scenario_key

#: How a line saying a requirement got worse begins (shown in red).
WORSE = "Nouvellement non conforme"


@dataclass
class Changes:
    earlier: EarlierVerdict
    #: (requirement ID, status before): now Non conforme, or now Conforme.
    worse: list[tuple[str, str]] = field(default_factory=list)
    better: list[tuple[str, str]] = field(default_factory=list)
    still_non_compliant: list[str] = field(default_factory=list)
    scenarios_added: list[str] = field(default_factory=list)
    scenarios_removed: list[str] = field(default_factory=list)

    @property
    def since(self) -> str:
        """The earlier report, as people name it: its date, its folder."""
        try:
            when = datetime.fromisoformat(self.earlier.date).strftime("%d/%m/%Y %H:%M")
        except ValueError:
            when = self.earlier.date
        return f"rapport du {when} ({self.earlier.folder})"

    def lines(self) -> list[str]:
        """The changes in French, one line each; a single line when nothing changed."""
        found = [f"{WORSE} : {i} (était : {was})" for i, was in self.worse]
        found += [f"Nouvellement conforme : {i} (était : {was})" for i, was in self.better]
        found += [f"Toujours non conforme : {i}" for i in self.still_non_compliant]
        found += [f"Scénario nouveau dans cette exécution : {k}" for k in self.scenarios_added]
        found += [f"Scénario absent de cette exécution : {k}" for k in self.scenarios_removed]
        return found or ["Rien n'a changé : mêmes statuts, mêmes scénarios."]

    @staticmethod
    def alarming(line: str) -> bool:
        return line.startswith(WORSE)


def compare(
    earlier: EarlierVerdict, requirements: list[RequirementStatus], results: list[ScenarioResult]
) -> Changes:
    changes = Changes(earlier)
    for r in requirements:
        now, before = r.status, earlier.statuses.get(r.requirement.id, "absente")
        if now == NON_CONFORME and before == NON_CONFORME:
            changes.still_non_compliant.append(r.requirement.id)
        elif now == NON_CONFORME:
            changes.worse.append((r.requirement.id, before))
        elif now == CONFORME and before != CONFORME:
            changes.better.append((r.requirement.id, before))
    keys = {scenario_key(result) for result in results}
    changes.scenarios_added = sorted(keys - earlier.scenarios)
    changes.scenarios_removed = sorted(earlier.scenarios - keys)
    return changes
