"""The suite on a real stack: each 2-hour scenario (the real 7200 s policy, the servers'
clock moved by libfaketime), and the whole web suite serially and with -n 2.

    .venv/bin/python -m benchmarks.bench_realstack_suite [--runs 5] [--suite-runs 3]
        [--pile oidc|saml|django]

One stack for all the runs. Prints medians (and min, max); asserts nothing. Targets: each
2-hour scenario in 5 s or less. Under -n 2 the stack's clock is shared between the
processes, so the @horloge scenarios run at the end, one at a time, on one process.
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

from realstack.stack import DEFAULT, STACKS
from tests.stack_apart import ROOT, stack_apart


def run_suite(ready: dict, folder: Path, *options: str) -> tuple[float, dict[str, float]]:
    """Wall time of one run, and each scenario's own time (its steps, without set-up). Each
    run writes a folder of its own: a report folder is never written twice."""
    run = Path(tempfile.mkdtemp(prefix="execution-", dir=folder))
    report = run / "junit.xml"
    command = [
        sys.executable, "-m", "pytest", "features", "-q", "-p", "no:cacheprovider",
        f"--cible={ready['profil']}", f"--junitxml={report}", "-o", "junit_duration_report=call",
        f"--rapport={run / 'rapport'}", *options,
    ]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **ready["environnement"]},
    )
    wall = time.perf_counter() - started
    if not report.exists():
        raise SystemExit(f"la suite n'a pas tourné : {done.stdout[-1500:]}{done.stderr[-1500:]}")
    cases = ET.parse(report).getroot().iter("testcase")
    return wall, {case.get("name"): float(case.get("time")) for case in cases}


def line(what: str, figures: list[float]) -> str:
    return (
        f"{what}: median {statistics.median(figures):.2f} s"
        f" (min {min(figures):.2f}, max {max(figures):.2f}, {len(figures)} runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of the 2-hour scenarios")
    parser.add_argument(
        "--suite-runs", type=int, default=3, help="runs of the whole web suite (0: none)"
    )
    parser.add_argument("--pile", default=DEFAULT, choices=list(STACKS))
    args = parser.parse_args()
    with stack_apart(args.pile) as ready, tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        scenarios: dict[str, list[float]] = defaultdict(list)
        for number in range(1, args.runs + 1):
            _, times = run_suite(ready, folder, "-m", "EXI-WEB-INACTIVITE")
            for name, seconds in times.items():
                scenarios[name].append(seconds)
            print(f"2-hour scenarios, run {number}: {sum(times.values()):.2f} s", flush=True)
        for name, figures in sorted(scenarios.items()):
            print(line(name.removeprefix("test_"), figures))
        suites = (("web suite, serial", ()), ("web suite, -n 2", ("-n", "2")))
        for label, options in suites if args.suite_runs else ():
            walls = []
            for _ in range(args.suite_runs):
                wall, _ = run_suite(ready, folder, "-m", "web", *options)
                walls.append(wall)
            print(line(label, walls), flush=True)


if __name__ == "__main__":
    main()
