"""The tool's own errors are never called Non conforme: a bug of the suite in a step, or an
embedded simulator that will not start, is « Erreur de l'outil d'audit », counted apart in
the terminal, the report and verdict.json, with its trace and its own exit status (3)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from audit.verdict import ERREUR_OUTIL, EXIT_TOOL_ERROR
from fixtures.simulator_process import SimulatorDidNotStart, simulator_process
from tests.test_report import audit


@pytest.mark.lent
def test_a_bug_of_the_tool_in_a_step_is_the_tools_error(tmp_path: Path) -> None:
    run = audit(tmp_path, "-k", "sans_session_spico", "-p", "tests.inject_tool_error")
    assert run.returncode == EXIT_TOOL_ERROR, run.stdout[-3000:] + run.stderr[-2000:]
    assert "ERREUR OUTIL" in run.stdout and "Non conforme" not in run.stdout
    assert f"{ERREUR_OUTIL} : 1 scénario(s)" in run.stdout
    assert "Verdict : ERREUR DE L'OUTIL D'AUDIT" in run.stdout
    verdict = json.loads((tmp_path / "verdict.json").read_text(encoding="utf-8"))
    assert verdict["tool_errors"] == 1 and verdict["exit_status"] == EXIT_TOOL_ERROR
    access = next(r for r in verdict["requirements"] if r["id"] == "EXI-WEB-ACCES")
    assert access["status"] == ERREUR_OUTIL
    assert [s["outcome"] for s in access["scenarios"]] == ["error"]
    assert access["scenarios"][0]["message"] == "KeyError : 'autre'"
    page = (tmp_path / "rapport.html").read_text(encoding="utf-8")
    assert "pas une non-conformité de la cible" in page and "KeyError" in page


def test_a_simulator_that_exits_at_once_is_not_waited_for() -> None:
    """It refuses an unknown fault and exits: its exit is noticed (its status is known, which
    waiting out the time limit would not give) and what it said is passed on."""
    expected = r"le simulateur n'a pas démarré \(code \d+\) : .*inexistant"
    with pytest.raises(SimulatorDidNotStart, match=expected), simulator_process(["inexistant"]):
        pass
