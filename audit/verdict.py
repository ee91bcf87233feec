"""From scenario results to a status per requirement, and the audit's verdict.

A requirement is Conforme when every one of its automated scenarios passed, Non conforme
when one failed, Erreur de l'outil d'audit when the tool went wrong on one (and none
failed), Partiel when some were judged and others not run (it says which), Non exécuté when
none was judged (with the reasons), Non applicable when the target does not do what its
scenarios check (a page that never polls: it says what was observed), Contrôle manuel when
all its scenarios are checks an auditor performs. The verdict holds when every must (the
guide's requirements) is Conforme or Non applicable, manual checks aside, and nothing failed
or went wrong.

The exit status tells CI which: ``exit_status`` (the README lists them).

The verdict covers the whole guide; with the scope ``selection`` it covers only the
requirements this run had scenarios for (a CI job that gates on ``-m web``, say). A failure
that an active waiver covers (``waivers.py``) stays Non conforme in the report but does not
count against the verdict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .requirements import CATALOG, Requirement
from .scenario_record import ScenarioRecord
from .waivers import Waiver

CONFORME = "Conforme"
NON_CONFORME = "Non conforme"
PARTIEL = "Partiel"
NON_EXECUTE = "Non exécuté"
NON_APPLICABLE = "Non applicable"
MANUEL = "Contrôle manuel"
ERREUR_OUTIL = "Erreur de l'outil d'audit"
#: A failure an active waiver covers, as ``--comparer-avec`` names it.
WAIVED = "Non conforme sous dérogation"
STATUSES = (CONFORME, NON_CONFORME, PARTIEL, NON_EXECUTE, NON_APPLICABLE, MANUEL, ERREUR_OUTIL)
#: How a scenario says the target does not do what it checks: ``pytest.skip`` with this.
NOT_APPLICABLE = "non applicable : "
NOT_RUN = "non exécuté : "
#: The channels a scenario runs on, by tag.
CHANNELS = {"web": "web", "mobile": "mobile"}
NOT_SELECTED = "aucun scénario sélectionné dans cette exécution"

GUIDE = "guide"
SELECTION = "selection"
SCOPES = (GUIDE, SELECTION)

#: The exit statuses of an audit, from the best to the worst news for the target; 2
#: (interrupted), 4 (input refused) and 5 (no scenario) are pytest's own.
EXIT_CONFORME = 0
EXIT_NON_CONFORME = 1
EXIT_TOOL_ERROR = 3
EXIT_INCOMPLETE = 6
#: The verdict as the terminal, the report and ``verdict.json`` say it, by exit status.
VERDICTS = {
    EXIT_CONFORME: "CONFORME",
    EXIT_NON_CONFORME: "NON CONFORME",
    EXIT_TOOL_ERROR: "ERREUR DE L'OUTIL D'AUDIT",
    EXIT_INCOMPLETE: "INCOMPLET",
}


@dataclass
class ScenarioResult:
    nodeid: str
    #: What ``audit/evidence.py`` recorded: feature, scenario, steps, facts, screens.
    record: ScenarioRecord
    outcome: str = "passed"  # passed, failed, skipped, error (the tool's own)
    message: str = ""
    #: The failure's traceback, for whoever reproduces it: an annex, never a finding.
    details: str = ""
    duration: float = 0.0
    manual: bool = False

    @property
    def requirements(self) -> list[str]:
        return self.record.requirements

    @property
    def name(self) -> str:
        return self.record.name

    @property
    def channel(self) -> str:
        return next((CHANNELS[t] for t in self.record.tags if t in CHANNELS), "")

    @property
    def not_applicable(self) -> bool:
        return self.outcome == "skipped" and self.message.startswith(NOT_APPLICABLE)

    @property
    def not_run(self) -> bool:
        return self.outcome == "skipped" and not self.not_applicable and not self.manual

    @property
    def judged(self) -> bool:
        return self.outcome in ("passed", "failed") and not self.manual

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
        if any(s.outcome == "error" for s in automated):
            return ERREUR_OUTIL
        judged = [s for s in automated if s.judged]
        if any(s.not_run for s in automated):
            return PARTIEL if judged else NON_EXECUTE
        return CONFORME if judged else NON_APPLICABLE

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
    def compared_status(self) -> str:
        """The status as ``--comparer-avec`` compares it: a waived failure apart."""
        return WAIVED if self.waived_by else self.status

    @property
    def shown_status(self) -> str:
        """The status as the report and the terminal say it, a waiver included."""
        waived = self.waived_by
        if not waived:
            return self.status
        return f"{NON_CONFORME} — " + " ; ".join(w.accepted() for w in waived)

    @property
    def reason(self) -> str:
        """Why the status is not Conforme, in its scenarios' own words: the failures' first
        lines, the tool's errors, what was judged and what not, what was observed (without the
        "non exécuté :" their messages start with: the status says it)."""
        if not self.scenarios:
            return NOT_SELECTED
        status = self.status
        if status == PARTIEL:
            return self._partial()
        if status == MANUEL:
            return "à vérifier par l'auditeur, sur le poste (voir le bloc de signature)"
        telling = {
            NON_CONFORME: lambda s: s.outcome == "failed",
            ERREUR_OUTIL: lambda s: s.outcome == "error",
            NON_EXECUTE: lambda s: s.not_run,
            NON_APPLICABLE: lambda s: s.not_applicable,
        }.get(status)
        if telling is None:
            return ""
        return _words(s for s in self.scenarios if telling(s))

    def _partial(self) -> str:
        """Which scenarios were judged and which not, by channel where channels differ."""
        automated = [s for s in self.scenarios if not s.manual]
        judged = [s for s in automated if s.judged]
        not_run = [s for s in automated if s.not_run]
        return (
            f"jugé{_plural(judged)} : {_count(judged)} ; non exécuté{_plural(not_run)} :"
            f" {_count(not_run)} ({_words(not_run)})"
        )


def _plural(scenarios: list[ScenarioResult]) -> str:
    return "s" if len(scenarios) > 1 else ""


def _count(scenarios: list[ScenarioResult]) -> str:
    """ "3 scénarios web" or "1 scénario web, 2 mobile"."""
    by_channel: dict[str, int] = {}
    for scenario in scenarios:
        by_channel[scenario.channel] = by_channel.get(scenario.channel, 0) + 1
    parts = [f"{n} {c}".strip() for c, n in by_channel.items()]
    total = len(scenarios)
    noun = "scénario" + _plural(scenarios)
    if len(parts) == 1:
        return f"{total} {noun} {next(iter(by_channel))}".strip()
    return f"{total} {noun} ({', '.join(parts)})"


def _words(scenarios) -> str:
    """The scenarios' messages, once each, without the prefix their status already says."""
    words = {s.headline.removeprefix(NOT_RUN).removeprefix(NOT_APPLICABLE) for s in scenarios}
    return " ; ".join(sorted(w for w in words if w))


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
    nothing failed that an active waiver does not cover, and the tool never went wrong."""
    return exit_status(requirements, scope) == EXIT_CONFORME


def exit_status(requirements: list[RequirementStatus], scope: str = GUIDE) -> int:
    """Non conforme first (a finding on the target), then the tool's own error (part of the
    audit is not judged), then an audit incomplete without either, then Conforme."""
    covered = judged(requirements, scope)
    if any(r.status == NON_CONFORME and not r.waived_by for r in covered):
        return EXIT_NON_CONFORME
    if any(r.status == ERREUR_OUTIL for r in covered):
        return EXIT_TOOL_ERROR
    complete = any(r.status == CONFORME for r in covered) and all(
        r.status in (CONFORME, NON_APPLICABLE, MANUEL) or r.waived_by
        for r in covered
        if r.requirement.must
    )
    return EXIT_CONFORME if complete else EXIT_INCOMPLETE
