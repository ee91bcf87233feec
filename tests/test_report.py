"""The compliance report: every requirement present and in order, statuses that match the
scenarios' results, evidence that exists, CI files that agree with the report; and the
verdict's rules on their own."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from audit.html_report import render
from audit.requirements import CATALOG
from audit.run_info import RunInfo
from audit.verdict import (
    CONFORME,
    ERREUR_OUTIL,
    EXIT_CONFORME,
    EXIT_INCOMPLETE,
    EXIT_NON_CONFORME,
    EXIT_TOOL_ERROR,
    MANUEL,
    NON_CONFORME,
    NON_EXECUTE,
    PARTIEL,
    SELECTION,
    ScenarioResult,
    compliant,
    exit_status,
    statuses,
)
from fixtures.profile import Description
from tests import report_folder_check
from tests.records import record

ROOT = Path(__file__).resolve().parent.parent
#: What the inactivity scenarios say when a page keeps patient data past the 2 hours.
STILL_SHOWN = "la liste des patients est encore affichée"


class ReportPage(HTMLParser):
    """What the report shows: the sections' statuses in order, and the files it links."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.sections: dict[str, str] = {}
        self.links: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "section" and "exigence" in (found.get("class") or "").split():
            self.sections[found["id"]] = found["data-statut"]
        for name in ("src", "href"):
            if found.get(name) and not found[name].startswith("#"):
                self.links.append(found[name])


def audit(folder: Path, *options: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "audit.cli", "features", f"--rapport={folder}", *options]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)


def read_report(folder: Path) -> ReportPage:
    page = ReportPage((folder / "rapport.html").read_text(encoding="utf-8"))
    assert list(page.sections) == [r.id for r in CATALOG], "exigences absentes ou dans le désordre"
    for link in page.links:
        assert (folder / link).is_file(), f"preuve introuvable : {link}"
    return page


def cucumber_outcomes(folder: Path) -> dict[str, str]:
    """Each scenario's outcome as the Cucumber JSON tells it."""
    outcomes = {}
    for feature in json.loads((folder / "cucumber.json").read_text()):
        for scenario in feature["elements"]:
            steps = {step["result"]["status"] for step in scenario["steps"]}
            outcomes[scenario["name"]] = "failed" if "failed" in steps else "passed"
    return outcomes


def junit_requirements(folder: Path) -> set[str]:
    """The requirement IDs junit.xml names, one ``exigence`` property each, on every case."""
    cases = ET.parse(folder / "junit.xml").getroot().iter("testcase")
    found = [
        {p.get("value") for p in case.iter("property") if p.get("name") == "exigence"}
        for case in cases
    ]
    assert all(found), "un cas de test sans exigence"
    return set().union(*found)


def junit_counts(folder: Path) -> tuple[int, int]:
    suite = ET.parse(folder / "junit.xml").getroot().find("testsuite")
    return int(suite.get("tests")), int(suite.get("failures")) + int(suite.get("errors"))


@pytest.mark.lent
def test_a_compliant_run_reports_each_requirement_by_its_scenarios(tmp_path: Path) -> None:
    run_ones = ("EXI-WEB-ACCES", "EXI-POSTE-VERROUILLAGE", "EXI-MOB-VERROUILLAGE")
    run = audit(tmp_path, "-m", " or ".join(run_ones))
    page = read_report(tmp_path)
    assert page.sections["EXI-WEB-ACCES"] == CONFORME, run.stdout[-2000:]
    assert page.sections["EXI-MOB-VERROUILLAGE"] == CONFORME, run.stdout[-2000:]
    assert page.sections["EXI-POSTE-VERROUILLAGE"] == MANUEL
    assert {page.sections[r] for r in set(page.sections) - set(run_ones)} == {NON_EXECUTE}
    # the guide's other requirements were not run: no verdict of compliance, and no finding
    assert run.returncode == EXIT_INCOMPLETE
    assert "warnings summary" not in run.stdout, "un avertissement parasite"
    # the run's last line, after pytest's own count: the verdict and each status's count
    assert run.stdout.strip().splitlines()[-1] == (
        "Verdict : INCOMPLET (code de sortie 6) ; exigences : 2 conforme(s), 0 non conforme(s),"
        " 0 partielle(s), 14 non exécutée(s), 0 non applicable(s), 1 en contrôle manuel,"
        " 0 en erreur de l'outil d'audit"
    ), run.stdout[-2000:]
    # a screen at each "Alors" that recorded no fact, on the web (JPEG) and on the phone (PNG)
    html = (tmp_path / "rapport.html").read_text(encoding="utf-8")
    assert 'alt="écran navigateur' in html and 'alt="écran telephone' in html
    assert junit_counts(tmp_path) == (9, 0)
    assert set(run_ones) <= junit_requirements(tmp_path)
    outcomes = cucumber_outcomes(tmp_path)
    assert len(outcomes) == 9 and set(outcomes.values()) == {"passed"}


@pytest.mark.lent
def test_a_run_judged_on_its_selection_can_pass_on_its_own(tmp_path: Path) -> None:
    run = audit(tmp_path, "-m", "EXI-WEB-ACCES", "--perimetre", "selection")
    page = read_report(tmp_path)
    assert page.sections["EXI-WEB-ACCES"] == CONFORME
    assert run.returncode == 0, run.stdout[-2000:]
    assert "Verdict : CONFORME" in run.stdout
    assert "Périmètre du verdict : EXI-WEB-ACCES" in run.stdout
    html = (tmp_path / "rapport.html").read_text(encoding="utf-8")
    assert "Périmètre : EXI-WEB-ACCES." in html


@pytest.mark.lent
def test_a_whole_audit_with_faults_reports_them_with_the_facts_judged(audit_with_faults) -> None:
    """The whole audit of the simulator (web and mobile) under -n 2, with two faults, read back
    by each of its readers: findings explained, facts recorded, files within their size."""
    tmp_path, run = audit_with_faults
    page = read_report(tmp_path)
    verdict = report_folder_check.check(tmp_path)
    assert page.sections["EXI-WEB-INACTIVITE"] == NON_CONFORME, run.stdout[-3000:]
    assert page.sections["BP-PROPAGATION-SSO"] == NON_CONFORME, run.stdout[-3000:]
    assert run.returncode == 1
    assert "Non conforme     EXI-WEB-INACTIVITE" in run.stdout
    # the failure's trace and the target's journal (in French), from the workers' processes
    assert any(link.endswith("trace.zip") for link in page.links)
    html = (tmp_path / "rapport.html").read_text(encoding="utf-8")
    assert "Journal de la cible" in html and "backchannel_" not in html
    # the step's own words lead, for the auditor and in the CI log
    assert f"Échec : {STILL_SHOWN}" in html
    assert f"↳ {STILL_SHOWN}" in run.stdout
    assert "le simulateur de ce projet, pas un déploiement" in html
    # a finding card per non-conformity, the worst first, with its causes and fixes
    cards = list(report_folder_check.Page(html).cards.values())
    failing = [r["id"] for r in verdict["requirements"] if r["status"] == NON_CONFORME]
    assert len(cards) == len(failing) and "EXI-WEB-INACTIVITE" in cards[0]  # the worst first
    sso = next(card for card in cards if "BP-PROPAGATION-SSO" in card)
    assert "Gravité : Moyenne" in sso and "Correction" in sso
    # the facts each check judged
    assert verdict["target"]["simulator"] is True
    cookies = report_folder_check.facts(verdict, "BP-COOKIES", "cookies")
    assert {"spico_session", "pass_session"} <= {row["Nom"] for row in cookies[0]["rows"]}
    headers = report_folder_check.facts(verdict, "BP-RETOUR-ARRIERE", "en-tetes")
    assert headers and all("no-store" in r["Cache-Control"] for h in headers for r in h["rows"])
    replays = report_folder_check.facts(verdict, "BP-PROPAGATION-SSO", "rejeu")
    assert any("session est acceptée" in r["Constat"] for f in replays for r in f["rows"])
    rotation = report_folder_check.facts(verdict, "BP-ID-ROTATION", "identifiant-session")
    assert rotation and all(r["Changé"] == "oui" for r in rotation[0]["rows"])
    idle = report_folder_check.facts(verdict, "BP-SANS-MAINTIEN", "requetes-inactivite")
    assert idle and idle[0]["rows"], "la page du simulateur interroge le serveur"
    tests, failed = junit_counts(tmp_path)
    outcomes = cucumber_outcomes(tmp_path)
    assert len(outcomes) == tests and list(outcomes.values()).count("failed") == failed > 0


def test_each_requirement_section_names_its_owasp_references(tmp_path: Path) -> None:
    target = Description("essai", False, {}, "réel")
    info = RunInfo(target, "essai", datetime.now(UTC), 0.0, "0", "spico-audit")
    html = render(statuses([]), info, tmp_path, EXIT_INCOMPLETE)
    for requirement in CATALOG:
        section = html.split(f'id="{requirement.id}"', 1)[1].split("</section>", 1)[0]
        heading = section.split("</p>", 1)[0]
        if requirement.references:
            assert " · ".join(requirement.references) in heading, requirement.id
        else:
            assert "WSTG" not in heading and "ASVS" not in heading, requirement.id


@pytest.mark.parametrize(
    ("message", "headline"),
    [
        (f"AssertionError: {STILL_SHOWN}\nActual value: <table>", STILL_SHOWN),
        (
            "selenium.common.exceptions.TimeoutException: Message: l'application ne répond pas\n",
            "l'application ne répond pas",
        ),
        ("le PASS a redemandé l'authentification", "le PASS a redemandé l'authentification"),
        ("", ""),
    ],
)
def test_a_failure_is_headed_by_the_steps_own_words(message: str, headline: str) -> None:
    failure = ScenarioResult("features/x::s", record("s"), outcome="failed", message=message)
    assert failure.headline == headline


def result(outcome: str, *requirements: str, manual: bool = False) -> ScenarioResult:
    return ScenarioResult(
        "features/x::s", record("s", *requirements), outcome, "raison", manual=manual
    )


@pytest.mark.parametrize(
    ("results", "expected"),
    [
        ([result("passed", "EXI-WEB-ACCES")], CONFORME),
        ([result("passed", "EXI-WEB-ACCES"), result("failed", "EXI-WEB-ACCES")], NON_CONFORME),
        ([result("passed", "EXI-WEB-ACCES"), result("skipped", "EXI-WEB-ACCES")], PARTIEL),
        ([result("skipped", "EXI-WEB-ACCES")], NON_EXECUTE),
        ([result("skipped", "EXI-WEB-ACCES", manual=True)], MANUEL),
        ([], NON_EXECUTE),
    ],
    ids=["passed", "one-failed", "one-skipped", "none-run", "manual", "not-selected"],
)
def test_a_requirement_status_follows_its_scenarios(results, expected) -> None:
    assert statuses(results)[0].status == expected


def test_the_verdict_needs_every_guide_requirement_and_no_failure() -> None:
    manual = "EXI-POSTE-VERROUILLAGE"
    every_must = [result("passed", r.id) for r in CATALOG if r.must and r.id != manual]
    every_must.append(result("skipped", manual, manual=True))
    assert compliant(statuses(every_must))
    assert not compliant(statuses(every_must[1:]))  # one requirement of the guide not run
    assert not compliant(statuses([*every_must, result("failed", "BP-COOKIES")]))


def test_the_exit_status_tells_which_kind_of_news() -> None:
    """Non conforme (1) before the tool's error (3) before incomplete (6): CI gates on them."""
    manual = "EXI-POSTE-VERROUILLAGE"
    every_must = [result("passed", r.id) for r in CATALOG if r.must and r.id != manual]
    every_must.append(result("skipped", manual, manual=True))
    error, failure = result("error", "BP-COOKIES"), result("failed", "BP-OTP")
    assert exit_status(statuses(every_must)) == EXIT_CONFORME
    assert exit_status(statuses(every_must[1:])) == EXIT_INCOMPLETE
    assert exit_status(statuses([*every_must, error])) == EXIT_TOOL_ERROR
    assert exit_status(statuses([*every_must[1:], error])) == EXIT_TOOL_ERROR
    assert exit_status(statuses([*every_must, error, failure])) == EXIT_NON_CONFORME
    assert statuses([error])[CATALOG.index(by_id("BP-COOKIES"))].status == ERREUR_OUTIL


def test_every_status_short_of_conforme_says_why_in_its_scenarios_words() -> None:
    def said(outcome: str, message: str) -> str:
        scenario = ScenarioResult("x", record("s", "BP-OTP"), outcome)
        scenario.message = message
        return statuses([scenario])[CATALOG.index(by_id("BP-OTP"))].reason

    assert said("failed", "AssertionError: le code sert deux fois\ndétails") == (
        "le code sert deux fois"
    )
    assert said("skipped", "non exécuté : pas de boîte") == "pas de boîte"
    assert said("error", "KeyError : 'autre'") == "KeyError : 'autre'"
    assert said("passed", "") == ""


def by_id(requirement: str):
    return next(r for r in CATALOG if r.id == requirement)


def test_the_selection_scope_judges_only_the_requirements_that_ran() -> None:
    web_access = [result("passed", "EXI-WEB-ACCES")]
    assert not compliant(statuses(web_access))
    assert compliant(statuses(web_access), SELECTION)
    assert not compliant(statuses([*web_access, result("failed", "BP-COOKIES")]), SELECTION)
    assert not compliant(statuses([*web_access, result("skipped", "EXI-WEB-FERMETURE")]), SELECTION)
    # nothing verified is no verdict of compliance, manual checks included
    assert not compliant(statuses([]), SELECTION)
    assert not compliant(
        statuses([result("skipped", "EXI-POSTE-VERROUILLAGE", manual=True)]), SELECTION
    )
