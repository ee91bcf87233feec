"""From scenario results to a status per requirement, and the audit's verdict.

A requirement is Conforme when every one of its automated scenarios passed, Non conforme
when one failed, Non exécuté when some did not run (with the reasons), Contrôle manuel when
all its scenarios are checks an auditor performs. The verdict holds when every must
(the guide's requirements) is Conforme, manual checks aside, and nothing failed.

The verdict covers the whole guide; with the scope ``selection`` it covers only the
requirements this run had scenarios for (a CI job that gates on ``-m web``, say).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .requirements import CATALOG, Requirement

CONFORME = "Conforme"
NON_CONFORME = "Non conforme"
NON_EXECUTE = "Non exécuté"
MANUEL = "Contrôle manuel"
NOT_SELECTED = "aucun scénario sélectionné dans cette exécution"

GUIDE = "guide"
SELECTION = "selection"
SCOPES = (GUIDE, SELECTION)


@dataclass
class ScenarioResult:
    nodeid: str
    #: What ``audit/evidence.py`` recorded: feature, scenario, steps, evidence folder.
    record: dict = field(default_factory=dict)
    outcome: str = "passed"  # passed, failed, skipped
    message: str = ""
    #: The failure's traceback, for whoever reproduces it.
    details: str = ""
    duration: float = 0.0
    manual: bool = False

    @property
    def requirements(self) -> list[str]:
        return self.record.get("exigences", [])

    @property
    def name(self) -> str:
        return self.record.get("scenario") or self.nodeid.split("::")[-1]

    @property
    def headline(self) -> str:
        """The message's first line without the exception's type: the step's own words
        ("la liste des patients est encore affichée") for whoever reads the verdict."""
        first = self.message.strip().splitlines()[0] if self.message.strip() else ""
        kind, separator, text = first.partition(": ")
        exception = kind.rsplit(".", 1)[-1]
        if separator and exception.isidentifier() and exception[0].isupper():
            first = text.removeprefix("Message: ")
        return first


@dataclass
class RequirementStatus:
    requirement: Requirement
    scenarios: list[ScenarioResult]

    @property
    def status(self) -> str:
        automated = [s for s in self.scenarios if not s.manual]
        if not self.scenarios:
            return NON_EXECUTE
        if not automated:
            return MANUEL
        if any(s.outcome == "failed" for s in automated):
            return NON_CONFORME
        if any(s.outcome == "skipped" for s in automated):
            return NON_EXECUTE
        return CONFORME

    @property
    def reason(self) -> str:
        """Why it was not run, in the words of the skipped scenarios."""
        if not self.scenarios:
            return NOT_SELECTED
        reasons = {s.message for s in self.scenarios if s.outcome == "skipped" and not s.manual}
        return " ; ".join(sorted(reasons))


def statuses(results: list[ScenarioResult]) -> list[RequirementStatus]:
    """Every requirement of the catalog, in its order, with the scenarios carrying it."""
    return [
        RequirementStatus(req, [r for r in results if req.id in r.requirements]) for req in CATALOG
    ]


def judged(requirements: list[RequirementStatus], scope: str = GUIDE) -> list[RequirementStatus]:
    """The requirements the verdict covers."""
    if scope == SELECTION:
        return [r for r in requirements if r.scenarios]
    return requirements


def compliant(requirements: list[RequirementStatus], scope: str = GUIDE) -> bool:
    """Something was verified, every covered must is Conforme (manual checks aside), and
    nothing failed."""
    covered = judged(requirements, scope)
    return (
        any(r.status == CONFORME for r in covered)
        and all(r.status in (CONFORME, MANUEL) for r in covered if r.requirement.must)
        and all(r.status != NON_CONFORME for r in covered)
    )
