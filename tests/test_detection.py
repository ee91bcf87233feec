"""The suite's detection power: against the simulator started with each fault, the
scenarios of the requirement it breaks fail. (That the compliant build passes every
scenario is the suite's own run in ``./dev test``: ``features/`` is on its test paths.)

With ``--matrice-complete``, each fault meets every scenario of the surface it touches (web,
mobile), and nothing may fail outside the fault's requirement and what the catalog says it
also breaks: about 12 minutes here instead of 5, for a nightly job or a change to the features.

Each case is a run of the suite in its own process, like a user's: on two processes (``-n 2``)
for the complete matrix, on one for a requirement's few scenarios, where a second process would
only start a second simulator, browser and phone for one or two of them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.faults import CATALOG
from tests.test_profiles import run_suite


def scenario_results(tmp_path: Path, selection: str, *faults: str, workers: int) -> dict[str, dict]:
    """The features chosen by the marker expression ``selection``, against a simulator
    started with ``faults``, on ``workers`` processes: each scenario's result."""
    results = tmp_path / "resultats.json"
    options = [arg for fault in faults for arg in ("--defaut", fault)]
    run_suite(
        "-n",
        str(workers),
        f"--resultats-json={results}",
        "-m",
        selection,
        *options,
        f"--output={tmp_path / 'preuves'}",
    )
    return json.loads(results.read_text())


def failed_requirements(results: dict[str, dict]) -> set[str]:
    return {req for r in results.values() if r["outcome"] == "failed" for req in r["requirements"]}


def failures(results: dict[str, dict]) -> str:
    return "\n".join(
        f"{name.split('::')[-1]} {r['requirements']}: {r['message'][-300:]}"
        for name, r in results.items()
        if r["outcome"] == "failed"
    )


@pytest.mark.lent
@pytest.mark.parametrize("fault", sorted(CATALOG))
def test_the_suite_catches_the_fault(
    tmp_path: Path, fault: str, request: pytest.FixtureRequest
) -> None:
    surfaces = f"({' or '.join(CATALOG[fault].surfaces)})"
    complete = request.config.getoption("--matrice-complete")
    selection = surfaces if complete else f"{surfaces} and {CATALOG[fault].requirement}"
    results = scenario_results(tmp_path, selection, fault, workers=2 if complete else 0)
    caught = failed_requirements(results)
    expected = {CATALOG[fault].requirement, *CATALOG[fault].also_breaks}
    assert CATALOG[fault].requirement in caught, f"{fault} passe inaperçu"
    assert caught <= expected, f"{fault} : attendu {sorted(expected)}\n{failures(results)}"
