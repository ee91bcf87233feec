"""Wall time of the compliance suite, and of each scenario, over several runs.

    .venv/bin/python -m benchmarks.bench_suite [--runs 5] [-n 2] [--loin 150] [pytest selection...]

Each run is a fresh ``pytest`` process (simulator start-up and browser launch included in
the wall time). Per scenario, the figure is JUnit's time for the test: set-up + call +
teardown, so the first scenario of a process also carries the simulator start and the
browser launch. Prints medians; asserts nothing.

``--loin MS``: each run audits a simulator started apart, through a reverse proxy that holds
every answer back MS milliseconds, give or take a third (a deployment that far away). Run
it without ``-n``: against one shared target, the scenarios that move its clock only run
serially.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from tests.reverse_proxy import Distance
from tests.target_apart import profile_text, simulator_apart

ROOT = Path(__file__).resolve().parent.parent


def run_once(
    selection: list[str], workers: int, far: float | None = None
) -> tuple[float, dict[str, float], list[str]]:
    """Wall time, each test's time, and the failures (name and message) of one run; ``far``:
    through a proxy that many milliseconds away (the simulator's start-up not counted)."""
    if far is None:
        return run_pytest(selection, workers)
    distance = Distance(far / 1000, far / 3000)
    with simulator_apart(distance) as sim, tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "cible.toml"
        profile.write_text(profile_text(sim, "JETON_BANC"))
        token = {"JETON_BANC": sim.control_token}
        return run_pytest([f"--cible={profile}", *selection], workers, token)


def run_pytest(
    selection: list[str], workers: int, secrets: dict[str, str] | None = None
) -> tuple[float, dict[str, float], list[str]]:
    with tempfile.TemporaryDirectory() as tmp:
        junit = Path(tmp) / "junit.xml"
        command = [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--junitxml={junit}",
            *selection,
        ]
        if workers:
            command += ["-n", str(workers)]
        started = time.perf_counter()
        environ = {**os.environ, **(secrets or {})}
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=environ)
        wall = time.perf_counter() - started
        cases, failures = {}, []
        for case in ET.parse(junit).iter("testcase"):
            cases[f"{case.get('classname')}::{case.get('name')}"] = float(case.get("time", 0))
            for problem in (*case.iter("failure"), *case.iter("error")):
                failures.append(f"{case.get('name')}: {(problem.get('message') or '')[:300]}")
        if result.returncode != 0 and not failures:
            failures.append(f"pytest exited with {result.returncode}: {result.stdout[-300:]}")
    return wall, cases, failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("-n", "--workers", type=int, default=0)
    parser.add_argument("--loin", type=float, metavar="MS", help="through a proxy MS ms away")
    args, selection = parser.parse_known_args()
    selection = selection or ["features"]
    walls: list[float] = []
    per_case: dict[str, list[float]] = defaultdict(list)
    failed_runs: list[list[str]] = []
    for _ in range(args.runs):
        wall, cases, failures = run_once(selection, args.workers, args.loin)
        walls.append(wall)
        if failures:
            failed_runs.append(failures)
        for name, seconds in cases.items():
            per_case[name].append(seconds)
    mode = f"-n {args.workers}" if args.workers else "serial"
    if args.loin is not None:
        mode += f", through a proxy {args.loin:g} ms ± {args.loin / 3:g} ms away"
    print(f"suite {' '.join(selection)} ({mode}), {args.runs} runs, {len(failed_runs)} failed runs")
    print(
        f"  wall time   median {statistics.median(walls):6.2f} s   "
        f"min {min(walls):6.2f} s   max {max(walls):6.2f} s"
    )
    medians = {name: statistics.median(times) for name, times in per_case.items()}
    if medians:
        print(f"  median scenario {statistics.median(medians.values()):6.2f} s")
    print("  per scenario (median of runs, set-up + call + teardown):")
    for name, seconds in sorted(medians.items()):
        print(f"    {seconds:6.2f} s  {name.split('::')[-1]}")
    for number, failures in enumerate(failed_runs, 1):
        print(f"  failed run {number}:")
        for failure in failures:
            print(f"    {failure}")
    return 1 if failed_runs else 0


if __name__ == "__main__":
    sys.exit(main())
