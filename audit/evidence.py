"""What a scenario leaves for the report (``scenario_record.ScenarioRecord``): its steps and
their results and durations, the facts each check judged (``observe``), the screens that
prove something, the target's event journal for the scenario's account.

Screens are kept once by content, in ``preuves/ecrans/<sha256>.png``: the same patient list
shown by ten checks is one file. An "Alors" that recorded facts keeps no screen of its own
(its facts are its proof); any other "Alors", and a failing step, keep what the screens show.

Runs where the scenario runs, an xdist worker too: the record travels to the controller on
the test report (``report.spico``, plain data), where ``audit/report.py`` reads it. Screens
are taken only when a report is asked for (``--rapport``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from pytest_bdd.scenario import scenario_wrapper_template_registry

from fixtures.clock import REAL_WAITS, SIMULATED, RealWait
from fixtures.durations import format_duration

from .requirements import FEATURES, requirement_tags
from .scenario_record import FAILED, PASSED, Fact, ScenarioRecord, Screen, StepRecord

RECORD = pytest.StashKey[ScenarioRecord]()
STARTED = pytest.StashKey[float]()
#: How many of the scenario's real waits a step's facts already tell.
WAITS_TOLD = pytest.StashKey[int]()
SCREENS_FOLDER = "ecrans"
#: A page that shows nothing, whatever the scenario checked: no screen of it is kept.
BLANK = {"about:blank"}


class Screens:
    """The screens a scenario shows (a browser page, a phone), registered by the fixtures
    that open them, captured by name, with the address they show when they have one."""

    def __init__(self) -> None:
        self._capture: dict[str, tuple[Callable[[], bytes | None], Callable[[], str]]] = {}

    def add(
        self, name: str, capture: Callable[[], bytes | None], address: Callable[[], str] = str
    ) -> None:
        self._capture[name] = (capture, address)

    def take(self) -> list[tuple[str, bytes, str]]:
        """Each screen that can be captured now and shows something (not a blank page): its
        name, its image, its address."""
        taken = []
        for name, (capture, address) in self._capture.items():
            # a window the scenario has closed, a phone whose app is closed: nothing to show
            with contextlib.suppress(Exception):
                where = address()
                png = None if where in BLANK else capture()
                if png:
                    taken.append((name, png, where))
        return taken


@pytest.fixture
def screens() -> Screens:
    return Screens()


def _report_folder(config: pytest.Config) -> Path | None:
    folder = config.getoption("--rapport", None)
    return Path(folder).resolve() if folder else None


def reporting(config: pytest.Config) -> bool:
    """A report is asked for: evidence worth its cost (screens) is taken."""
    return _report_folder(config) is not None


def keep_screen(config: pytest.Config, image: bytes) -> str:
    """The image (PNG or JPEG) stored once by content; its path relative to the report
    folder. Written atomically: two processes keeping the same screen write the same bytes."""
    folder = _report_folder(config)
    store = Path(config.option.output).resolve() / SCREENS_FOLDER
    suffix = ".jpg" if image.startswith(b"\xff\xd8") else ".png"
    path = store / f"{hashlib.sha256(image).hexdigest()[:32]}{suffix}"
    if not path.exists():
        store.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=store, suffix=".tmp")
        with os.fdopen(handle, "wb") as file:
            file.write(image)
        os.chmod(temporary, 0o644)  # as the report's other files: mkstemp's are private
        os.replace(temporary, path)
    return path.relative_to(folder).as_posix() if folder else str(path)


def _simulated(request: pytest.FixtureRequest) -> float:
    passed = request.node.stash.get(SIMULATED, None)
    return passed() if passed else 0.0


def _take_screens(request: pytest.FixtureRequest) -> list[Screen]:
    if _report_folder(request.config) is None or "screens" not in request.fixturenames:
        return []
    return [
        Screen(
            file=keep_screen(request.config, png),
            name=name,
            address=address,
            simulated_seconds=_simulated(request),
        )
        for name, png, address in request.getfixturevalue("screens").take()
    ]


def _own_keyword(path: Path, line: int, keyword: str) -> str:
    """The keyword as the feature file writes it: the parser gives "Étant Donné"."""
    with contextlib.suppress(OSError, IndexError):
        text = path.read_text(encoding="utf-8").splitlines()[line - 1].strip()
        if text.lower().startswith(keyword.lower()):
            return text[: len(keyword)]
    return keyword


def _record(feature, scenario, evidence_folder: str) -> ScenarioRecord:
    path = FEATURES / feature.rel_filename
    tags = sorted(set(scenario.tags) | set(feature.tags))
    return ScenarioRecord(
        feature=feature.name,
        feature_keyword=feature.keyword,
        feature_line=feature.line_number,
        feature_description=feature.description,
        file=feature.rel_filename,
        name=scenario.name,
        keyword=_own_keyword(path, scenario.line_number, scenario.keyword),
        line=scenario.line_number,
        tags=tags,
        requirements=requirement_tags(tags),
        evidence_folder=evidence_folder,
        steps=[
            StepRecord(
                keyword=_own_keyword(path, step.line_number, step.keyword),
                text=step.name,
                line=step.line_number,
                type=step.type,
            )
            for step in scenario.steps
        ],
    )


def _unstarted_record(item: pytest.Item) -> ScenarioRecord | None:
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


def _step(request: pytest.FixtureRequest, scenario, step) -> StepRecord:
    return request.node.stash[RECORD].steps[scenario.steps.index(step)]


def pytest_bdd_before_step(request: pytest.FixtureRequest, feature, scenario, step) -> None:
    record = request.node.stash.get(RECORD, None)
    if record is not None:
        record.current_step = scenario.steps.index(step)
        request.node.stash[STARTED] = time.monotonic()


def _current(request: pytest.FixtureRequest) -> StepRecord | None:
    record = request.node.stash.get(RECORD, None)
    if record is None or record.current_step is None:
        return None
    return record.steps[record.current_step]


def note(request: pytest.FixtureRequest, text: str) -> None:
    """A remark the report shows under the running step: what a check saw but did not judge
    (the cookies that carry no session, say)."""
    step = _current(request)
    if step is not None:
        step.notes.append(text)


def observe(
    request: pytest.FixtureRequest,
    fact: Fact,
    png: bytes | None = None,
    screen: str = "",
    address: str = "",
) -> None:
    """A fact the running step judged, for the report, ``verdict.json`` and
    ``cucumber.json``; with ``png``, the screen that shows it (a replayed session's page)."""
    step = _current(request)
    if step is None:
        return
    step.facts.append(fact)
    if png and _report_folder(request.config) is not None:
        file = keep_screen(request.config, png)
        shown = Screen(
            file=file, name=screen, address=address, simulated_seconds=_simulated(request)
        )
        step.screens.append(shown)


def facts_so_far(request: pytest.FixtureRequest) -> list[Fact]:
    """What the scenario's steps have observed until now."""
    record = request.node.stash.get(RECORD, None)
    return record.facts() if record else []


def _finish_step(request: pytest.FixtureRequest, entry: StepRecord) -> None:
    started = request.node.stash.get(STARTED, None)
    if started is not None:
        entry.duration = round(time.monotonic() - started, 3)
    waits = request.node.stash.get(REAL_WAITS, [])
    told = request.node.stash.get(WAITS_TOLD, 0)
    if len(waits) > told:
        entry.facts.append(real_time_fact(waits[told:]))
        request.node.stash[WAITS_TOLD] = len(waits)


def real_time_fact(waits: list[RealWait]) -> Fact:
    """The real time a step waited out: from when to when, against what it meant to wait."""

    def moment(seconds: float) -> str:
        return datetime.fromtimestamp(seconds).strftime("%Y-%m-%d %H:%M:%S")

    rows = [
        [
            moment(wait.since),
            moment(wait.until),
            format_duration(round(wait.until - wait.since)),
            format_duration(round(wait.meant_seconds)),
        ]
        for wait in waits
    ]
    return Fact(
        kind="temps-reel",
        title="Le temps a passé pour de vrai : la cible n'a pas d'horloge que l'audit déplace",
        columns=["Début", "Fin", "Durée", "Voulue (durée du scénario, à l'échelle de la cible)"],
        rows=rows,
    )


def pytest_bdd_after_step(request: pytest.FixtureRequest, feature, scenario, step) -> None:
    entry = _step(request, scenario, step)
    entry.status = PASSED
    _finish_step(request, entry)
    if step.type == "then" and not entry.facts:
        entry.screens += _take_screens(request)


def pytest_bdd_step_error(
    request: pytest.FixtureRequest, feature, scenario, step, exception
) -> None:
    entry = _step(request, scenario, step)
    entry.status = FAILED
    entry.error = str(exception).strip().splitlines()[0][:300] if str(exception) else ""
    _finish_step(request, entry)
    entry.screens += _take_screens(request)


def pytest_bdd_step_func_lookup_error(
    request: pytest.FixtureRequest, feature, scenario, step
) -> None:
    entry = _step(request, scenario, step)
    entry.status = FAILED
    entry.error = "étape sans définition"


def pytest_bdd_after_scenario(request: pytest.FixtureRequest, feature, scenario) -> None:
    """The target's journal for the scenario's account, where the target keeps one."""
    folder = _report_folder(request.config)
    if folder is None or "account" not in request.fixturenames:
        return
    control = request.getfixturevalue("target").control
    if control is None:
        return
    with contextlib.suppress(Exception):  # evidence, not a verdict: a journal may be missing
        events = control.journal(account=request.getfixturevalue("account").identifier)
        if events:
            output = Path(request.getfixturevalue("output_path"))
            output.mkdir(parents=True, exist_ok=True)
            path = output / "journal.json"
            path.write_text(json.dumps(events, ensure_ascii=False, indent=1))
            request.node.stash[RECORD].journal = path.resolve().relative_to(folder).as_posix()


def _failure_screens(item: pytest.Item, record: ScenarioRecord) -> None:
    """The screens pytest-playwright and the phone keep when a scenario fails, moved into the
    store by content, so that one image is one file."""
    folder = Path(record.evidence_folder) if record.evidence_folder else None
    if folder is None or not folder.is_dir() or _report_folder(item.config) is None:
        return
    for path in sorted(folder.rglob("*.png")):
        file = keep_screen(item.config, path.read_bytes())
        path.unlink()
        name = "telephone" if path.stem == "telephone" else "navigateur"
        if all(s.file != file for s in record.screens()):
            record.failure_screens.append(Screen(file=file, name=name))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    record = item.stash.get(RECORD, None) or _unstarted_record(item)
    if record is None:
        return
    if report.when == "teardown":
        _failure_screens(item, record)
    record.current_step = None
    report.spico = record.dump()
    # junit.xml names each test case's requirements, for the CI tools that read only it
    named = {value for key, value in report.user_properties if key == "exigence"}
    report.user_properties += [
        ("exigence", requirement) for requirement in record.requirements if requirement not in named
    ]
    if report.skipped and isinstance(report.longrepr, tuple) and record.file:
        # where the scenario is, not where pytest-bdd raised the skip (a path into .venv)
        _, _, reason = report.longrepr
        report.longrepr = (f"features/{record.file}", record.line, reason)
