"""What a scenario leaves for the report: its steps and their results, the screen at each
"Alors" (and at a failing step), the target's event journal for the scenario's account.

Runs where the scenario runs, an xdist worker too: the record travels to the controller on
the test report (``report.spico``), where ``audit/report.py`` reads it. Screens are taken
only when a report is asked for (``--rapport``).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from pytest_bdd.scenario import scenario_wrapper_template_registry

from .requirements import requirement_tags

RECORD = pytest.StashKey[dict]()


class Screens:
    """The screens a scenario shows (a browser page, a phone), registered by the fixtures
    that open them, captured by name."""

    def __init__(self) -> None:
        self._capture: dict[str, Callable[[], bytes | None]] = {}

    def add(self, name: str, capture: Callable[[], bytes | None]) -> None:
        self._capture[name] = capture

    def save(self, folder: Path, stem: str) -> list[str]:
        """Each screen that can be captured now, as ``stem-name.png``; the files written."""
        written = []
        for name, capture in self._capture.items():
            # a window the scenario has closed, a phone whose app is closed: nothing to show
            with contextlib.suppress(Exception):
                png = capture()
                if png:
                    folder.mkdir(parents=True, exist_ok=True)
                    path = folder / f"{stem}-{name}.png"
                    path.write_bytes(png)
                    written.append(str(path))
        return written


@pytest.fixture
def screens() -> Screens:
    return Screens()


def _reporting(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--rapport", None))


def _save_screens(request: pytest.FixtureRequest, stem: str) -> list[str]:
    if not _reporting(request) or "screens" not in request.fixturenames:
        return []
    folder = Path(request.getfixturevalue("output_path"))
    return request.getfixturevalue("screens").save(folder, stem)


def _record(feature, scenario, output_path: str) -> dict:
    return {
        "fonctionnalite": feature.name,
        "mot_fonctionnalite": feature.keyword,
        "ligne_fonctionnalite": feature.line_number,
        "fichier": feature.rel_filename,
        "scenario": scenario.name,
        "mot_scenario": scenario.keyword,
        "ligne": scenario.line_number,
        "exigences": requirement_tags(scenario.tags | feature.tags),
        "preuves": output_path,
        "etapes": [
            {
                "mot": step.keyword,
                "texte": step.name,
                "ligne": step.line_number,
                "statut": "non exécutée",
            }
            for step in scenario.steps
        ],
    }


def _unstarted_record(item: pytest.Item) -> dict | None:
    """The record of a scenario that never started (skipped at set-up: a manual check, a
    target without a phone), from pytest-bdd's scenario template."""
    template = scenario_wrapper_template_registry.get(getattr(item, "obj", None))
    if template is None:
        return None
    callspec = getattr(item, "callspec", None)
    example = callspec.params.get("_pytest_bdd_example", {}) if callspec else {}
    return _record(template.feature, template.render(example), "")


def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature, scenario) -> None:
    output_path = str(request.getfixturevalue("output_path"))
    request.node.stash[RECORD] = _record(feature, scenario, output_path)


def _step(request: pytest.FixtureRequest, scenario, step) -> dict:
    return request.node.stash[RECORD]["etapes"][scenario.steps.index(step)]


def pytest_bdd_before_step(request: pytest.FixtureRequest, feature, scenario, step) -> None:
    record = request.node.stash.get(RECORD, None)
    if record is not None:
        record["etape_courante"] = scenario.steps.index(step)


def note(request: pytest.FixtureRequest, text: str) -> None:
    """A remark the report shows under the running step: what a check saw but did not judge
    (the cookies that carry no session, say)."""
    record = request.node.stash.get(RECORD, None)
    if record is not None and "etape_courante" in record:
        record["etapes"][record["etape_courante"]].setdefault("notes", []).append(text)


def pytest_bdd_after_step(request: pytest.FixtureRequest, feature, scenario, step) -> None:
    entry = _step(request, scenario, step)
    entry["statut"] = "réussie"
    if step.type == "then":
        entry["captures"] = _save_screens(request, f"etape-{scenario.steps.index(step) + 1:02d}")


def pytest_bdd_step_error(
    request: pytest.FixtureRequest, feature, scenario, step, exception
) -> None:
    entry = _step(request, scenario, step)
    entry["statut"] = "échouée"
    entry["erreur"] = str(exception).strip().splitlines()[0][:300] if str(exception) else ""
    entry["captures"] = _save_screens(request, f"etape-{scenario.steps.index(step) + 1:02d}")


def pytest_bdd_step_func_lookup_error(
    request: pytest.FixtureRequest, feature, scenario, step
) -> None:
    entry = _step(request, scenario, step)
    entry["statut"] = "échouée"
    entry["erreur"] = "étape sans définition"


def pytest_bdd_after_scenario(request: pytest.FixtureRequest, feature, scenario) -> None:
    """The target's journal for the scenario's account, where the target keeps one."""
    if not _reporting(request) or "account" not in request.fixturenames:
        return
    control = request.getfixturevalue("target").control
    if control is None:
        return
    with contextlib.suppress(Exception):  # evidence, not a verdict: a journal may be missing
        events = control.journal(account=request.getfixturevalue("account").identifier)
        if events:
            folder = Path(request.getfixturevalue("output_path"))
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "journal.json").write_text(json.dumps(events, ensure_ascii=False, indent=1))
            request.node.stash[RECORD]["journal"] = str(folder / "journal.json")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    record = item.stash.get(RECORD, None) or _unstarted_record(item)
    if record is not None:
        report.spico = record
        # junit.xml names each test case's requirements, for the CI tools that read only it
        named = {value for key, value in report.user_properties if key == "exigence"}
        report.user_properties += [
            ("exigence", requirement)
            for requirement in record["exigences"]
            if requirement not in named
        ]
        if report.skipped and isinstance(report.longrepr, tuple) and record.get("fichier"):
            # where the scenario is, not where pytest-bdd raised the skip (a path into .venv)
            _, _, reason = report.longrepr
            report.longrepr = (f"features/{record['fichier']}", record["ligne"], reason)
