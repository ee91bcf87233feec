"""Same verdict from far away: audited through a reverse proxy that holds every answer back
(50 ms ± 17 ms in CI; also 150 and 300 ms with ``--toutes-distances``, nightly), the compliant
simulator gets
the verdict it gets directly; faults that depend on timing are still caught through it; and
a request that never comes back stops idle time, Non exécuté with one French line naming it.

The whole suite runs under ``-n 2``, as a QA team runs it: against one shared target, the
scenarios that move its clock, the ones distance could mislead, still run one at a time, alone,
after the others (``fixtures/clock_scheduling.py``); the others overlap their waits on the
network.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.faults import CATALOG
from tests.reverse_proxy import Distance
from tests.target_apart import profile_text, simulator_apart
from tests.test_detection import failed_requirements

ROOT = Path(__file__).resolve().parent.parent
#: Each distance with a third of it as jitter.
DISTANCES = {f"{ms}ms": Distance(ms / 1000, ms / 3000) for ms in (50, 150, 300)}
CI_DISTANCE = "50ms"


def audit_from_afar(
    tmp_path: Path,
    distance: Distance,
    *options: str,
    faults: tuple[str, ...] = (),
    lost: frozenset[str] = frozenset(),
) -> tuple[subprocess.CompletedProcess, dict[str, dict]]:
    """The suite against a simulator started apart with ``faults``, through the proxy:
    the process and each scenario's result."""
    fault_options = tuple(f"--fault={fault}" for fault in faults)
    with simulator_apart(distance, options=fault_options, lost=lost) as sim:
        profile = tmp_path / "cible.toml"
        profile.write_text(profile_text(sim, "JETON_LOIN", f"simulateur à {distance}"))
        results = tmp_path / "resultats.json"
        command = [sys.executable, "-m", "pytest", "features", "-p", "no:cacheprovider", "-q"]
        command += [f"--cible={profile}", f"--resultats-json={results}", *options]
        process = subprocess.run(
            command,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=1800,
            env={**os.environ, "JETON_LOIN": sim.control_token},
        )
    return process, json.loads(results.read_text())


def by_outcome(outcomes: dict[str, dict], outcome: str) -> dict[str, str]:
    chosen = {name: r for name, r in outcomes.items() if r["outcome"] == outcome}
    return {name.split("::")[-1]: r["message"] for name, r in chosen.items()}


def distances(config: pytest.Config) -> list[str]:
    return list(DISTANCES) if config.getoption("--toutes-distances") else [CI_DISTANCE]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "distance" in metafunc.fixturenames:
        names = distances(metafunc.config)
        metafunc.parametrize("distance", [DISTANCES[n] for n in names], ids=names)


@pytest.mark.lent
def test_a_compliant_target_far_away_is_compliant(tmp_path: Path, distance: Distance) -> None:
    """Every scenario passes but the manual check, as directly: nothing non applicable. (Also
    the whole suite against a simulator reached as a deployment is, through its profile and
    nothing else, on its own port, started apart.)"""
    report = f"--rapport={tmp_path / 'rapport'}"
    process, outcomes = audit_from_afar(tmp_path, distance, report, "-n", "2")
    assert not by_outcome(outcomes, "failed"), by_outcome(outcomes, "failed")
    skipped = by_outcome(outcomes, "skipped")
    assert all(m.startswith("contrôle manuel") for m in skipped.values()), skipped
    assert len(skipped) == 1 and len(outcomes) > 30
    assert process.returncode == 0 and "CONFORME" in process.stdout, process.stdout[-2000:]


@pytest.mark.lent
@pytest.mark.parametrize(
    "fault",
    [
        "interrogation-maintient-session",  # polling counted as activity (BP-SANS-MAINTIEN)
        "expiration-navigateur-seulement",  # the server keeps idle sessions (EXI-WEB-INACTIVITE)
    ],
)
def test_a_fault_is_still_caught_far_away(tmp_path: Path, fault: str) -> None:
    requirement, distance = CATALOG[fault].requirement, DISTANCES[CI_DISTANCE]
    _, outcomes = audit_from_afar(tmp_path, distance, "-m", requirement, faults=(fault,))
    assert requirement in failed_requirements(outcomes), f"{fault} passe inaperçu à {distance}"


@pytest.mark.lent
def test_a_request_that_never_ends_during_idle_time_is_not_run_with_one_french_line(
    tmp_path: Path,
) -> None:
    """The page's polling never comes back: no hang, and no verdict either (a target that does
    not answer says nothing of its sessions): the scenario is Non exécuté, and its reason, in the
    summary and the report, is the one French line naming the request."""
    process, outcomes = audit_from_afar(
        tmp_path,
        DISTANCES["50ms"],
        "-m",
        "BP-SANS-MAINTIEN",
        f"--rapport={tmp_path / 'rapport'}",
        lost=frozenset({"/api/notifications"}),
    )
    assert not by_outcome(outcomes, "failed"), outcomes
    [reason] = by_outcome(outcomes, "skipped").values()
    expected = (
        r"non exécuté : « il laisse la page ouverte sans rien faire pendant 2 heures et 1 seconde »"
        r" n'a pas pu être fait \(la requête GET http://spico\.localhost:\d+/api/notifications"
        r" lancée par la page n'a pas abouti en 15 s : le temps ne peut pas avancer sans fausser le"
        r" verdict\)"
    )
    assert re.fullmatch(expected, reason), reason
    assert process.returncode == 6, process.stdout[-2000:]
    said = expected.removeprefix("non exécuté : ").removesuffix(r"\)")
    assert re.search(f"↳ {said}", process.stdout), process.stdout[-2000:]
