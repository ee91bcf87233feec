"""What changed since an earlier report (``--comparer-avec``), read from its ``verdict.json``:
requirements newly non-compliant, newly compliant, still non-compliant, scenarios added or
removed; an earlier folder that cannot be read stops the run before it starts."""

from __future__ import annotations

import json
from datetime import date, timedelta
from html import unescape
from pathlib import Path

import pytest

from audit.changes import compare
from audit.cli import tests_named as names_tests_in
from audit.requirements import CATALOG
from audit.verdict import (
    CONFORME,
    ERREUR_OUTIL,
    MANUEL,
    NON_CONFORME,
    NON_EXECUTE,
    WAIVED,
    ScenarioResult,
    statuses,
)
from audit.verdict_file import EarlierVerdict, UnreadableVerdict, read
from audit.waivers import Waiver
from tests.records import record
from tests.target_apart import profile_text, simulator_apart
from tests.test_profiles import run_suite, write
from tests.test_report import audit

ROTATION = "BP-ID-ROTATION"
TODAY = date.today()
UNTIL = TODAY + timedelta(days=90)


def result(requirement: str, outcome: str, name: str = "") -> ScenarioResult:
    return ScenarioResult(requirement, record(name or requirement, requirement), outcome)


def earlier(**statuses_before: str) -> EarlierVerdict:
    before = {r.id: NON_EXECUTE for r in CATALOG} | {
        k.replace("_", "-"): v for k, v in statuses_before.items()
    }
    return EarlierVerdict(Path("rapports/avant"), "2026-11-02T10:15:00+01:00", before, set())


def test_each_requirement_lands_in_its_group() -> None:
    before = earlier(**{"BP_OTP": CONFORME, "BP_COOKIES": NON_CONFORME, "BP_ID_ROTATION": CONFORME})
    results = [
        result("BP-OTP", "failed"),  # was Conforme
        result("BP-COOKIES", "failed"),  # still
        result("EXI-WEB-ACCES", "passed"),  # was not run
        result(ROTATION, "passed"),  # unchanged
    ]
    changes = compare(before, statuses(results), results)
    assert changes.worse == [("BP-OTP", CONFORME)]
    assert changes.better == [("EXI-WEB-ACCES", NON_EXECUTE)]
    assert changes.still_non_compliant == ["BP-COOKIES"]
    assert "Nouvellement non conforme : BP-OTP (était : Conforme)" in changes.lines()
    assert changes.since == "rapport du 02/11/2026 10:15 (rapports/avant)"


def test_scenarios_added_and_removed() -> None:
    before = EarlierVerdict(
        Path("x"), "2026-11-02", {}, {"web/test.feature : ancien", "web/test.feature : A"}
    )
    results = [result("BP-OTP", "passed", "A"), result("BP-OTP", "passed", "nouveau")]
    changes = compare(before, statuses(results), results)
    assert changes.scenarios_added == ["web/test.feature : nouveau"]
    assert changes.scenarios_removed == ["web/test.feature : ancien"]


def test_nothing_changed_says_so() -> None:
    before = EarlierVerdict(Path("x"), "2026-11-02", {r.id: NON_EXECUTE for r in CATALOG}, set())
    assert compare(before, statuses([]), []).lines() == [
        "Rien n'a changé : mêmes statuts, mêmes scénarios, même suite."
    ]


@pytest.mark.parametrize(
    ("before", "outcome", "line", "red"),
    [
        (CONFORME, "skipped", "⚠ Statut changé : BP-OTP : Conforme → Non exécuté", True),
        (NON_CONFORME, "manual", "Statut changé : BP-OTP : Non conforme → Contrôle manuel", False),
        (CONFORME, "error", f"⚠ Statut changé : BP-OTP : Conforme → {ERREUR_OUTIL}", True),
        (NON_EXECUTE, "error", f"⚠ Statut changé : BP-OTP : Non exécuté → {ERREUR_OUTIL}", True),
        (WAIVED, "failed", "Nouvellement non conforme : BP-OTP (était : Non conforme sous", True),
        (WAIVED, "passed", "Nouvellement conforme : BP-OTP (était : Non conforme sous", False),
        (MANUEL, "skipped", "Statut changé : BP-OTP : Contrôle manuel → Non exécuté", False),
    ],
)
def test_every_change_of_status_is_named(before: str, outcome: str, line: str, red: bool) -> None:
    now = result("BP-OTP", "passed" if outcome == "manual" else outcome)
    now.manual = outcome == "manual"
    changes = compare(earlier(BP_OTP=before), statuses([now]), [now])
    found = [shown for shown in changes.lines() if shown.startswith(line)]
    assert found, changes.lines()
    assert changes.alarming(found[0]) is red


def test_a_waiver_is_a_change_of_its_own() -> None:
    waiver = Waiver("BP-OTP", None, "correctif", "M. Martin", TODAY, TODAY + timedelta(days=9))
    failure = [result("BP-OTP", "failed")]
    changes = compare(earlier(BP_OTP=NON_CONFORME), statuses(failure, [waiver]), failure)
    assert changes.lines()[0] == "Statut changé : BP-OTP : Non conforme → " + WAIVED


def test_requirements_that_appear_or_vanish_and_another_suite_are_named() -> None:
    before = EarlierVerdict(
        Path("x"),
        "2026-11-02",
        {"BP-ANCIENNE": CONFORME} | {r.id: NON_EXECUTE for r in CATALOG[1:]},
        set(),
        "commit abc123",
    )
    lines = compare(before, statuses([]), [], "commit def456").lines()
    assert f"Exigence nouvelle : {CATALOG[0].id} (Non exécuté)" in lines
    assert "⚠ Exigence absente de cette exécution : BP-ANCIENNE (était : Conforme)" in lines
    assert "Version de la suite changée : commit abc123 → commit def456" in lines


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "pas de verdict.json"),
        ("{", "JSON invalide"),
        ('{"format": 99}', "format inconnu"),
        ('{"format": 1, "date": "x"}', "incomplet : « requirements » manque"),
        ("[" * 100_000 + "]" * 100_000, "imbriqué trop profondément|format inconnu"),
        (
            '{"format": 1, "date": "x", "requirements": [{"id": "A", "status": "Bof",'
            ' "scenarios": []}, {"id": "B", "status": "Conforme", "scenarios": [{}]}]}',
            "requirements.0.status.*\n.*requirements.1.scenarios.0.key",
        ),
        ('{"format": 1, "date": "x", "requirements": "tout"}', "« requirements » : valeur"),
    ],
)
def test_an_unreadable_earlier_verdict_says_why(tmp_path: Path, content, problem) -> None:
    if content is not None:
        (tmp_path / "verdict.json").write_text(content, encoding="utf-8")
    with pytest.raises(UnreadableVerdict, match=problem):
        read(tmp_path)


def test_an_unreadable_earlier_folder_stops_the_run_before_it(tmp_path: Path) -> None:
    run = audit(tmp_path / "apres", "-m", "EXI-WEB-ACCES", f"--comparer-avec={tmp_path}")
    assert run.returncode == 4
    assert "--comparer-avec" in run.stderr and "pas de verdict.json" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.lent
def test_two_real_reports_one_with_a_fault(tmp_path: Path) -> None:
    """A run with a fault, then one without compared with it, then the fault again compared
    with the clean one: each report says what changed, and verdict.json reads back."""
    selection = ("-m", f"EXI-WEB-ACCES or {ROTATION}", "--perimetre", "selection")
    fault = ("--defaut", "identifiant-session-fixe")
    first, second, third = (tmp_path / name for name in ("avec-defaut", "sans", "de-nouveau"))
    audit(first, *selection, *fault)
    written = json.loads((first / "verdict.json").read_text(encoding="utf-8"))
    rotation = next(r for r in written["requirements"] if r["id"] == ROTATION)
    assert rotation["status"] == NON_CONFORME
    failed = [s for s in rotation["scenarios"] if s["outcome"] == "failed"]
    assert failed and all((first / path).is_file() for s in failed for path in s["evidence"])

    run = audit(second, *selection, f"--comparer-avec={first}")
    assert run.returncode == 0, run.stdout[-2000:]
    assert "Changements depuis le rapport du" in run.stdout
    assert f"Nouvellement conforme : {ROTATION} (était : Non conforme)" in run.stdout
    html = unescape((second / "rapport.html").read_text(encoding="utf-8"))
    assert "Ce qui a changé depuis le rapport du" in html
    assert f"Nouvellement conforme : {ROTATION} (était : Non conforme)" in html

    run = audit(third, *selection, *fault, f"--comparer-avec={second}")
    assert run.returncode == 1
    assert f"Nouvellement non conforme : {ROTATION} (était : Conforme)" in run.stdout
    assert "Scénario" not in run.stdout.split("Changements depuis")[1].split("Conformité")[0]


def test_an_earlier_folder_given_apart_is_not_taken_for_tests(tmp_path: Path) -> None:
    assert not names_tests_in(["--comparer-avec", str(tmp_path), "--rapport", str(tmp_path)])
    assert names_tests_in(["-q", str(tmp_path)])


@pytest.mark.lent
def test_over_time_on_a_simulator_started_apart(tmp_path: Path) -> None:
    """The same, against targets reached through a profile as a deployment is, under -n 2:
    a compliant one, then one with a fault and a waiver for it, compared with the first; the
    references and the failing step's screen travel in verdict.json and cucumber.json."""
    selection = ("-m", f"EXI-WEB-ACCES or {ROTATION}", "--perimetre", "selection", "-n", "2")
    first, second = tmp_path / "avant", tmp_path / "apres"
    with simulator_apart() as sim:
        profile = write(tmp_path, profile_text(sim, "JETON_ESSAI"))
        run = run_suite(
            f"--cible={profile}",
            *selection,
            f"--rapport={first}",
            env={"JETON_ESSAI": sim.control_token},
        )
    assert run.returncode == 0, run.stdout[-2000:]
    waived = tmp_path / "derogations.toml"
    waived.write_text(
        f'[[derogation]]\nexigence = "{ROTATION}"\nmotif = "correctif en 4.2"\n'
        f'accordee_par = "M. Martin"\naccordee_le = {TODAY.isoformat()}\n'
        f"jusqu_au = {UNTIL.isoformat()}\n",
        encoding="utf-8",
    )
    with simulator_apart(options=("--defaut", "identifiant-session-fixe")) as sim:
        profile = write(tmp_path, profile_text(sim, "JETON_ESSAI"))
        run = run_suite(
            f"--cible={profile}",
            *selection,
            f"--rapport={second}",
            f"--derogations={waived}",
            f"--comparer-avec={first}",
            env={"JETON_ESSAI": sim.control_token},
        )
    assert run.returncode == 0, run.stdout[-3000:]
    assert f"⚠ Statut changé : {ROTATION} : Conforme → {WAIVED}" in run.stdout
    assert f"dérogation acceptée jusqu'au {UNTIL:%d/%m/%Y}" in run.stdout
    verdict = json.loads((second / "verdict.json").read_text(encoding="utf-8"))
    rotation = next(r for r in verdict["requirements"] if r["id"] == ROTATION)
    assert rotation["status"] == NON_CONFORME and "WSTG-SESS-03" in rotation["references"]
    assert rotation["shown_status"].startswith("Non conforme — dérogation acceptée")
    failing_steps = [
        step
        for feature in json.loads((second / "cucumber.json").read_text(encoding="utf-8"))
        for scenario in feature["elements"]
        for step in scenario["steps"]
        if step["result"]["status"] == "failed"
    ]
    # the failing step's screen, and the facts it judged (the identifiers' fingerprints)
    kinds = {e["mime_type"] for s in failing_steps for e in s["embeddings"]}
    assert failing_steps and {"image/jpeg", "text/plain"} <= kinds, kinds
