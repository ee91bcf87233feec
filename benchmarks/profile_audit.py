"""Where one serial audit's time goes: per scenario, its set-up (fixtures by name), its steps
(Given, When, Then), the settles inside them, its teardown; and around them, what the
session starts once (simulator, Appium, browser) and the rest (collection, report).

    .venv/bin/python -m benchmarks.profile_audit [--runs 3] [pytest selection...]

Each run is a fresh serial ``pytest`` process with this module as a plugin
(``-p benchmarks.profile_audit``), which writes what it timed to a JSON file. Prints the
median over the runs of each share, with its percentage of the wall time; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = "SPICO_PROFIL_AUDIT"

#: Where the suite waits for the application to be done (settles), timed apart.
SETTLES = (
    ("fixtures.clocked_browser", "ClockedBrowser", "settle"),
    ("fixtures.phone_network", "PhoneNetwork", "settle"),
)


class Timings:
    """Seconds by (kind, name), summed over the run."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.settling = 0.0
        self._step_started = 0.0
        self._settle_at_step = 0.0

    def add(self, kind: str, name: str, seconds: float) -> None:
        self.seconds[f"{kind}\t{name}"] += seconds

    def timed(self, function: Callable) -> Callable:
        def settle(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.settling += time.perf_counter() - started

        return settle

    # -- the hooks --

    @pytest.hookimpl(hookwrapper=True)
    def pytest_fixture_setup(self, fixturedef, request):
        started = time.perf_counter()
        yield
        scope = "session" if fixturedef.scope == "session" else "scenario"
        self.add(f"set-up ({scope})", fixturedef.argname, time.perf_counter() - started)

    def pytest_bdd_before_step_call(self, request, feature, scenario, step, step_func):
        self._step_started = time.perf_counter()
        self._settle_at_step = self.settling

    def pytest_bdd_after_step(self, request, feature, scenario, step, step_func, step_func_args):
        self._step_done(step)

    def pytest_bdd_step_error(self, request, feature, scenario, step, step_func, **_):
        self._step_done(step)

    def _step_done(self, step) -> None:
        spent = time.perf_counter() - self._step_started
        settled = self.settling - self._settle_at_step
        self.add(f"step {step.type}", step.name, spent - settled)
        self.add("settle", step.type, settled)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_teardown(self, item):
        started = time.perf_counter()
        yield
        self.add("teardown", "all", time.perf_counter() - started)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_sessionfinish(self, session):
        started = time.perf_counter()
        yield
        self.add("session end", "report", time.perf_counter() - started)
        Path(os.environ[OUTPUT]).write_text(json.dumps(self.seconds))


def pytest_configure(config: pytest.Config) -> None:
    if OUTPUT not in os.environ:
        return
    timings = Timings()
    for module_name, class_name, method in SETTLES:
        module = __import__(module_name, fromlist=[class_name])
        owner = getattr(module, class_name)
        setattr(owner, method, timings.timed(getattr(owner, method)))
    config.pluginmanager.register(timings, "profil-audit")


def run_once(selection: list[str]) -> tuple[float, dict[str, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "profil.json"
        command = [sys.executable, "-m", "pytest", "-q", "-p", "benchmarks.profile_audit"]
        started = time.perf_counter()
        subprocess.run(
            [*command, *selection],
            cwd=ROOT,
            capture_output=True,
            env={**os.environ, OUTPUT: str(output)},
        )
        wall = time.perf_counter() - started
        return wall, json.loads(output.read_text())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args, selection = parser.parse_known_args()
    selection = selection or ["features"]
    walls: list[float] = []
    shares: dict[str, list[float]] = defaultdict(list)
    for _ in range(args.runs):
        wall, seconds = run_once(selection)
        walls.append(wall)
        for key, value in seconds.items():
            shares[key].append(value)
        shares["rest\tcollection, start, end"].append(wall - sum(seconds.values()))
    wall = statistics.median(walls)
    medians = {
        key: statistics.median(values + [0.0] * (args.runs - len(values)))
        for key, values in shares.items()
    }
    by_kind: dict[str, float] = defaultdict(float)
    for key, value in medians.items():
        by_kind[key.split("\t")[0]] += value
    print(f"audit {' '.join(selection)} (serial), {args.runs} runs, wall median {wall:.2f} s")
    print("  by kind (median of runs):")
    for kind, value in sorted(by_kind.items(), key=lambda kv: -kv[1]):
        print(f"    {value:7.2f} s  {100 * value / wall:5.1f} %  {kind}")
    print("  the 25 largest (median of runs):")
    for key, value in sorted(medians.items(), key=lambda kv: -kv[1])[:25]:
        kind, name = key.split("\t")
        print(f"    {value:7.2f} s  {100 * value / wall:5.1f} %  {kind}: {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
