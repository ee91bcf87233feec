"""``--rapport DOSSIER``: the audit's progress and verdict on the terminal, and its report
folder: ``rapport.html`` and ``rapport.pdf`` for auditors, ``junit.xml`` and
``cucumber.json`` for CI tools, ``verdict.json`` for dashboards and ``--comparer-avec``,
``preuves/`` (screens, traces, journals).

Runs on the controller (under pytest-xdist too), from the records the scenarios send with
their reports (``audit/evidence.py``). The exit status is 0 only when every requirement of
the guide is Conforme and nothing failed.
"""

from __future__ import annotations

import getpass
import os
import shlex
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from fixtures.chromium import find_chromium
from fixtures.target import PREFLIGHT_FINDINGS, embedded_description, profile_of
from fixtures.usage import empty_options, not_one_of, refuse

from . import cucumber, junit, manifest, report_folder, verdict_file, waivers
from .changes import Changes, compare
from .html_report import render
from .phase_outcome import ERROR, FAILED, SKIPPED, folded, skip_reason, tool_error
from .run_info import RunInfo, sha256_of
from .scenario_record import ScenarioRecord
from .verdict import (
    CONFORME,
    ERREUR_OUTIL,
    EXIT_CONFORME,
    EXIT_INCOMPLETE,
    GUIDE,
    MANUEL,
    NON_APPLICABLE,
    NON_CONFORME,
    NON_EXECUTE,
    PARTIEL,
    SCOPES,
    VERDICTS,
    RequirementStatus,
    ScenarioResult,
    exit_status,
    judged,
    pointless,
    statuses,
)
from .verdict_file import EarlierVerdict
from .waivers import Waiver

ROOT = Path(__file__).resolve().parent.parent
#: The profile the audit read, kept in the report folder (it holds no secret).
PROFILE_COPY = "profil.toml"
MARKUP = {
    CONFORME: {"green": True},
    NON_CONFORME: {"red": True, "bold": True},
    ERREUR_OUTIL: {"red": True},
    MANUEL: {},
}
SHOWN = {
    "passed": "réussi",
    "failed": "ÉCHEC",
    "skipped": "non exécuté",
    "error": "ERREUR OUTIL",
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("spico").addoption(
        "--rapport",
        metavar="DOSSIER",
        help="écrire le rapport de conformité (HTML, PDF, JUnit XML, Cucumber JSON, preuves)"
        " dans ce dossier, et rendre un code de sortie selon les exigences du guide",
    )
    parser.getgroup("spico").addoption(
        "--derogations",
        metavar="FICHIER.toml",
        help="échecs acceptés, par exigence ou par scénario, avec motif, auteur et date de fin :"
        " jusqu'à cette date ils ne comptent pas dans le code de sortie",
    )
    parser.getgroup("spico").addoption(
        "--comparer-avec",
        metavar="DOSSIER",
        help="dire, en tête du rapport et du résumé, ce qui a changé depuis le rapport de ce"
        " dossier (son verdict.json) : exigences devenues non conformes ou conformes, scénarios"
        " ajoutés ou retirés",
    )
    parser.getgroup("spico").addoption(
        "--operateur",
        metavar="NOM",
        help="qui mène l'audit, tel que le rapport le nomme (par défaut : l'utilisateur du"
        " système)",
    )
    parser.getgroup("spico").addoption(
        "--perimetre",
        default=GUIDE,
        help="ce que couvre le verdict et le code de sortie : toutes les exigences du guide"
        " (guide, par défaut), ou seulement celles des scénarios sélectionnés par -k ou -m"
        " (selection)",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Before the JUnit and Playwright plugins read their options: the controller, which owns
    the folder, checks every option of the report's; every process (the workers take the
    evidence) points those plugins at the folder. Nothing is written yet."""
    folder = config.getoption("--rapport", None)
    folder = Path(folder).resolve() if folder else None
    if not hasattr(config, "workerinput"):
        _check_and_register(config, folder)
    if folder is None:
        return
    if not config.option.xmlpath:
        config.option.xmlpath = str(folder / "junit.xml")
    if config.getoption("--output", "test-results") == "test-results":
        config.option.output = str(folder / "preuves")
    if config.getoption("--tracing", "off") == "off":
        config.option.tracing = "retain-on-failure"


def _check_and_register(config: pytest.Config, folder: Path | None) -> None:
    refuse(config, *empty_options(config, "--rapport", "--derogations", "--comparer-avec"))
    refuse(config, *not_one_of(config, "--perimetre", SCOPES))
    output = config.getoption("--output", "test-results")
    if folder is None or output != "test-results":  # the output folder this run would empty
        refuse(config, *report_folder.output_problems(Path(output)))
    waived, earlier = _waivers(config), _earlier(config)  # checked whatever the launcher
    if folder is None:
        refuse(config, *_only_with_report(config))
        return
    refuse(config, *report_folder.problems(folder))
    config.pluginmanager.register(AuditRun(config, folder, waived, earlier), "spico-rapport")


def _only_with_report(config: pytest.Config) -> list[str]:
    """Options that act on the report: without one, they would be silently ignored."""
    return [
        f"{option} n'agit que sur un rapport : ajoutez --rapport DOSSIER (spico-audit le fait)"
        for option in ("--derogations", "--comparer-avec")
        if config.getoption(option, None)
    ]


def _earlier(config: pytest.Config) -> EarlierVerdict | None:
    folder = config.getoption("--comparer-avec", None)
    if not folder:
        return None
    try:
        return verdict_file.read(folder)
    except verdict_file.UnreadableVerdict as exc:
        refuse(config, f"--comparer-avec : {exc}")
        return None


def _waivers(config: pytest.Config) -> list[Waiver]:
    path = config.getoption("--derogations", None)
    if not path:
        return []
    try:
        return waivers.load(path)
    except waivers.WaiverFileError as exc:
        refuse(config, *(f"--derogations : {line}" for line in str(exc).splitlines()))
        return []


def _suite_version() -> str:
    try:
        described = subprocess.run(
            ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
        )
        return f"commit {described.stdout.strip()}" if described.returncode == 0 else "inconnue"
    except OSError:
        return "inconnue"


class AuditRun:
    def __init__(
        self,
        config: pytest.Config,
        folder: Path,
        waived: list[Waiver],
        earlier: EarlierVerdict | None,
    ) -> None:
        self.config = config
        self.folder = folder
        self.waivers = waived
        self.earlier = earlier
        #: What changed since ``earlier``, once the run is over.
        self.changes: Changes | None = None
        #: Waivers whose requirement or scenario now passes, once the run is over.
        self.pointless: list[Waiver] = []
        self.results: dict[str, ScenarioResult] = {}
        self.total = 0
        self.done = 0
        self.started = datetime.now().astimezone()
        self.clock = time.monotonic()
        self.pdf_problem = ""
        self.scope = config.getoption("--perimetre")
        #: Each requirement's status, and the verdict over the scope, once the run is over.
        self.requirements: list[RequirementStatus] = []
        self.exit_status = EXIT_INCOMPLETE
        self.verdict_ok = False

    # -- progress ------------------------------------------------------------------------

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        """Every input was accepted: the folder is made now, never by a refused run."""
        self.folder.mkdir(parents=True, exist_ok=True)

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.total = sum(1 for item in session.items if "features/" in item.nodeid)

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node, ids: list[str]) -> None:
        self.total = sum(1 for nodeid in ids if "features/" in nodeid)

    @pytest.hookimpl(tryfirst=True)
    def pytest_report_teststatus(self, report: pytest.TestReport, config: pytest.Config):
        """No dots for scenarios: the progress line says it (``-v`` keeps pytest's lines). The
        tool's own error counts among pytest's errors, not its failures."""
        if getattr(report, "spico", None) is None:
            return None
        error = report.failed and (report.when != "call" or bool(tool_error(report)))
        if config.option.verbose > 0:
            return ("error", "E", "ERREUR OUTIL") if error else None
        if report.when == "call" or report.outcome != "passed":
            category = "error" if error else report.outcome
            return category, "", category.upper()
        return None

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        record = getattr(report, "spico", None)
        if record is None:
            return
        record = ScenarioRecord.load(record)
        result = self.results.setdefault(report.nodeid, ScenarioResult(report.nodeid, record))
        result.record = record
        result.duration += report.duration
        result.manual = "manuel" in report.keywords
        outcome = folded(result.outcome, report)
        if outcome in (FAILED, ERROR):
            crash = getattr(report.longrepr, "reprcrash", None)
            message = crash.message if crash else report.longreprtext[-1500:]
            result.message = tool_error(report) or message
            # without the worker's banner ("[gw0] linux -- Python …")
            lines = report.longreprtext.splitlines()
            result.details = "\n".join(lines[1:] if lines[0].startswith("[gw") else lines)[-6000:]
        elif outcome == SKIPPED:
            result.message = skip_reason(report)
        result.outcome = outcome or result.outcome
        if report.when == "teardown":
            self.done += 1
            self._progress(result)

    def _progress(self, result: ScenarioResult) -> None:
        elapsed = int(time.monotonic() - self.clock)
        shown = "manuel" if result.manual else SHOWN[result.outcome]
        line = (
            f"[{self.done:>3}/{self.total or '?'}] {elapsed // 60:02d}:{elapsed % 60:02d}"
            f"  {shown:<11} {' '.join(result.requirements):<28} {result.name}"
        )
        writer = self.config.pluginmanager.get_plugin("terminalreporter")
        if writer is not None:
            writer.ensure_newline()
            writer.write_line(line, red=result.outcome in ("failed", "error"))
            if result.outcome in ("failed", "error") and result.headline:
                writer.write_line(f"{'':<56}↳ {result.headline}", red=True)

    # -- verdict and report --------------------------------------------------------------

    def _run_info(self) -> RunInfo:
        profile = profile_of(self.config)
        text = sha = ""
        if profile is not None:
            target, used = profile.describe(), self.config.getoption("--cible")
            path = Path(used)
            text, sha = path.read_text(encoding="utf-8"), sha256_of(path)
        else:
            target, used = embedded_description(self.config.getoption("--fault")), "aucun"
        option = self.config.option
        selection = " ".join(
            f"{flag} {shlex.quote(value)}"
            for flag, value in (("-m", option.markexpr), ("-k", option.keyword))
            if value
        )
        return RunInfo(
            target=target,
            profile=used,
            started=self.started,
            duration=time.monotonic() - self.clock,
            suite_version=_suite_version(),
            command=_command(),
            operator=self.config.getoption("--operateur") or _system_user(),
            browser=_browser(profile),
            profile_text=text,
            profile_sha256=sha,
            scope=self.scope,
            selection=selection,
            preflight=self.config.stash.get(PREFLIGHT_FINDINGS, []),
        )

    @pytest.hookimpl(trylast=True)  # after pytest's junitxml has written junit.xml
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        results = list(self.results.values())
        self.requirements = requirements = statuses(results, self.waivers)
        self.pointless = pointless(self.waivers, results, requirements)
        self.exit_status = exit_status(requirements, self.scope)
        self.verdict_ok = self.exit_status == EXIT_CONFORME
        info = self._run_info()
        if self.earlier is not None:
            self.changes = compare(self.earlier, requirements, results, info.suite_version)
        html = self.folder / "rapport.html"
        page = render(
            requirements, info, self.folder, self.exit_status, self.pointless, self.changes
        )
        verdict_file.write(self.folder, requirements, info, self.exit_status)
        html.write_text(page, encoding="utf-8")
        cucumber.write(results, self.folder / "cucumber.json")
        if self.config.option.xmlpath and Path(self.config.option.xmlpath).is_file():
            xml = Path(self.config.option.xmlpath).resolve()
            inside = xml.parent.is_relative_to(Path.cwd().resolve())
            junit.rewrite(xml, results, Path.cwd() if inside else None)
        if info.profile_text:
            (self.folder / PROFILE_COPY).write_text(info.profile_text, encoding="utf-8")
        self.pdf_problem = _print_pdf(html)
        manifest.write(self.folder)
        if session.exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
            session.exitstatus = self.exit_status

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        """The run's last line, after pytest's own count of tests (in English): the verdict,
        its exit status and how many requirements have each status, in French, for the CI log
        whose last line is all some readers see."""
        writer = config.pluginmanager.get_plugin("terminalreporter")
        if writer is None or not self.requirements:
            return
        counts = Counter(r.status for r in self.requirements)
        waived = sum(1 for r in self.requirements if r.waived_by)
        shown = [
            f"{counts[CONFORME]} conforme(s)",
            f"{counts[NON_CONFORME]} non conforme(s)"
            + (f" dont {waived} sous dérogation" if waived else ""),
            f"{counts[PARTIEL]} partielle(s)",
            f"{counts[NON_EXECUTE]} non exécutée(s)",
            f"{counts[NON_APPLICABLE]} non applicable(s)",
            f"{counts[MANUEL]} en contrôle manuel",
            f"{counts[ERREUR_OUTIL]} en erreur de l'outil d'audit",
        ]
        writer.write_line(
            f"Verdict : {VERDICTS[self.exit_status]} (code de sortie {self.exit_status}) ;"
            f" exigences : {', '.join(shown)}",
            green=self.verdict_ok,
            red=not self.verdict_ok,
        )

    def pytest_terminal_summary(self, terminalreporter) -> None:
        requirements = self.requirements
        if self.changes is not None:
            terminalreporter.section(f"Changements depuis le {self.changes.since}")
            for line in self.changes.lines():
                terminalreporter.write_line(line, red=Changes.alarming(line))
        met = self.config.stash.get(PREFLIGHT_FINDINGS, [])
        if met:
            terminalreporter.section("Vérification préalable : l'audit a continué malgré ceci")
            for line in met:
                terminalreporter.write_line(line, yellow=True)
            terminalreporter.write_line(
                "(un profil qui ne décrit pas la cible, ou un manque réel : le rapport dit"
                " comment trancher)"
            )
        terminalreporter.section("Conformité par exigence")
        for r in requirements:
            line = f"{r.status:<16} {r.requirement.id:<26} {r.requirement.title}"
            if r.status == NON_CONFORME:
                line += f" (gravité {r.requirement.severity.lower()})"
            markup = {"yellow": True} if r.waived_by else MARKUP.get(r.status, {"yellow": True})
            terminalreporter.write_line(line, **markup)
            notes = [r.reason] if r.reason else []
            notes += [w.accepted() for w in r.waived_by]
            notes += [w.expired() for w in r.expired_waivers]
            for note in notes:
                terminalreporter.write_line(f"{'':<16} {'':<26} ↳ {note}")
        for waiver in self.pointless:
            terminalreporter.write_line(
                f"Dérogation sans objet : {waiver.names} passe désormais ; retirez-la du fichier"
                " des dérogations",
                yellow=True,
            )
        errors = sum(1 for r in self.results.values() if r.outcome == "error")
        if errors:
            terminalreporter.write_line(
                f"{ERREUR_OUTIL} : {errors} scénario(s), à corriger dans l'outil ou son"
                " installation ; ce ne sont pas des non-conformités de la cible",
                red=True,
            )
        terminalreporter.write_line("")
        terminalreporter.write_line(
            f"Verdict : {VERDICTS[self.exit_status]}",
            green=self.verdict_ok,
            red=not self.verdict_ok,
        )
        if self.scope != GUIDE:
            covered = ", ".join(r.requirement.id for r in judged(requirements, self.scope))
            terminalreporter.write_line(f"Périmètre du verdict : {covered or 'aucune exigence'}")
        terminalreporter.write_line(f"Rapport : {self.folder / 'rapport.html'}")
        if self.pdf_problem:
            terminalreporter.write_line(f"PDF non produit : {self.pdf_problem}", yellow=True)


def _system_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a container's user without a name
        return f"uid {os.getuid()}"


def _browser(profile) -> str:
    """The browser the scenarios ran in, as it names itself."""
    if profile is not None and profile.browser is not None:
        return f"navigateur distant ({profile.browser.ws_endpoint})"
    executable = find_chromium()
    if executable is None:
        return "inconnu"
    try:
        done = subprocess.run([executable, "--version"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return executable
    return done.stdout.strip() or executable


def _command() -> str:
    program = Path(sys.argv[0]).name
    return shlex.join(["pytest" if program == "__main__.py" else program, *sys.argv[1:]])


def _print_pdf(html: Path) -> str:
    """Print the PDF in its own process; what went wrong, or an empty string."""
    command = [sys.executable, "-m", "audit.pdf", str(html)]
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return "Chromium n'a pas imprimé le rapport en 2 minutes"
    if done.returncode != 0:
        return (done.stderr.strip().splitlines() or ["erreur inconnue"])[-1]
    return ""
