"""From scenario results to a status per requirement, and the audit's verdict.

A requirement is Conforme when every one of its automated scenarios passed, Non conforme
when one failed, Non exécuté when some did not run (with the reasons), Contrôle manuel when
all its scenarios are checks an auditor performs. The verdict holds when every must
(the guide's requirements) is Conforme, manual checks aside, and nothing failed.

The verdict covers the whole guide; with the scope ``selection`` it covers only the
requirements this run had scenarios for (a CI job that gates on ``-m web``, say). A failure
that an active waiver covers (``waivers.py``) stays Non conforme in the report but does not
count against the verdict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .requirements import CATALOG, Requirement
from .waivers import Waiver

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
    #: The waivers naming this requirement or one of its scenarios.
    waivers: list[Waiver] = field(default_factory=list)
    today: date = field(default_factory=date.today)

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

    def _covering(self, failure: ScenarioResult) -> list[Waiver]:
        return [w for w in self.waivers if w.covers(failure.requirements, failure.name)]

    @property
    def failures(self) -> list[ScenarioResult]:
        return [s for s in self.scenarios if not s.manual and s.outcome == "failed"]

    @property
    def waived_by(self) -> list[Waiver]:
        """The active waivers covering every failure; none when one failure is not covered."""
        if self.status != NON_CONFORME:
            return []
        found: list[Waiver] = []
        for failure in self.failures:
            active = [w for w in self._covering(failure) if w.active(self.today)]
            if not active:
                return []
            found += [w for w in active if w not in found]
        return found

    @property
    def expired_waivers(self) -> list[Waiver]:
        """Waivers that would cover a failure, had their date not passed."""
        found = {w for f in self.failures for w in self._covering(f) if not w.active(self.today)}
        return [w for w in self.waivers if w in found]

    @property
    def shown_status(self) -> str:
        """The status as the report and the terminal say it, a waiver included."""
        waived = self.waived_by
        if not waived:
            return self.status
        return f"{NON_CONFORME} — " + " ; ".join(w.accepted() for w in waived)

    @property
    def reason(self) -> str:
        """Why it was not run, in the words of the skipped scenarios."""
        if not self.scenarios:
            return NOT_SELECTED
        reasons = {s.message for s in self.scenarios if s.outcome == "skipped" and not s.manual}
        return " ; ".join(sorted(reasons))


def statuses(
    results: list[ScenarioResult], waivers: list[Waiver] = (), today: date | None = None
) -> list[RequirementStatus]:
    """Every requirement of the catalog, in its order, with the scenarios carrying it and the
    waivers that name it or one of those scenarios."""
    found = []
    for req in CATALOG:
        scenarios = [r for r in results if req.id in r.requirements]
        named = [
            w
            for w in waivers
            if w.requirement == req.id
            or (w.scenario and any(w.covers(s.requirements, s.name) for s in scenarios))
        ]
        found.append(RequirementStatus(req, scenarios, named, today or date.today()))
    return found


def pointless(
    waivers: list[Waiver], results: list[ScenarioResult], requirements: list[RequirementStatus]
) -> list[Waiver]:
    """Waivers "sans objet": what they name ran and passed, so they should be removed."""
    passing = {r.requirement.id for r in requirements if r.status == CONFORME}
    found = []
    for waiver in waivers:
        if waiver.requirement is not None:
            if waiver.requirement in passing:
                found.append(waiver)
            continue
        named = [r for r in results if waiver.covers(r.requirements, r.name)]
        if named and all(r.outcome == "passed" for r in named):
            found.append(waiver)
    return found


def judged(requirements: list[RequirementStatus], scope: str = GUIDE) -> list[RequirementStatus]:
    """The requirements the verdict covers."""
    if scope == SELECTION:
        return [r for r in requirements if r.scenarios]
    return requirements


def compliant(requirements: list[RequirementStatus], scope: str = GUIDE) -> bool:
    """Something was verified, every covered must is Conforme (manual checks aside), and
    nothing failed that an active waiver does not cover."""
    covered = judged(requirements, scope)
    return (
        any(r.status == CONFORME for r in covered)
        and all(
            r.status in (CONFORME, MANUEL) or r.waived_by for r in covered if r.requirement.must
        )
        and all(r.status != NON_CONFORME or r.waived_by for r in covered)
    )
