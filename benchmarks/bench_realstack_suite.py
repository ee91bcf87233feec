"""The suite on a real stack: each 2-hour scenario (the real 7200 s policy, the servers'
clock moved by libfaketime), and the whole web suite serially and with -n 2, whose verdicts
must be the same, every @horloge scenario judged.

    .venv/bin/python -m benchmarks.bench_realstack_suite [--runs 5] [--suite-runs 3]
        [--pile oidc|saml|django]

One stack for all the runs. Prints medians (and min, max); asserts nothing. Targets: each
2-hour scenario in 5 s or less. Under -n 2 the stack's clock is shared between the
processes, so the @horloge scenarios run at the end, one at a time, on one process.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from realstack.stack import DEFAULT, STACKS
from tests.stack_apart import stack_apart, timed
from tests.verdict_outcomes import JUDGED, differences, read


def run_suite(ready: dict, folder: Path, *options: str) -> tuple[float, dict[str, float], Path]:
    """Wall time of one run, each scenario's own time (its steps, without set-up), and its
    report folder. Each run writes a folder of its own: a report folder is never written
    twice."""
    run = Path(tempfile.mkdtemp(prefix="execution-", dir=folder))
    report = run / "junit.xml"
    command = [
        sys.executable, "-m", "pytest", "features", "-q", "-p", "no:cacheprovider",
        f"--cible={ready['profil']}", f"--junitxml={report}", "-o", "junit_duration_report=call",
        f"--rapport={run / 'rapport'}", *options,
    ]  # fmt: skip
    wall, done = timed(command, ready)
    if not report.exists():
        raise SystemExit(f"la suite n'a pas tourné : {done.stdout[-1500:]}{done.stderr[-1500:]}")
    cases = ET.parse(report).getroot().iter("testcase")
    return wall, {case.get("name"): float(case.get("time")) for case in cases}, run / "rapport"


def compare(serial: Path, parallel: Path) -> list[str]:
    """What the -n 2 run says of the same verdicts: equal or not, @horloge judged or not."""
    one, other = read(serial), read(parallel)
    differ = differences(one, other)

    def judged(outcomes: dict[str, str]) -> str:
        unjudged = {o for o in outcomes.values() if o not in JUDGED}
        count = sum(o in JUDGED for o in outcomes.values())
        return f"{count} of {len(outcomes)}" + "".join(f"; {o}" for o in sorted(unjudged))

    return [
        f"verdict, serial: {one.verdict}; -n 2: {other.verdict}",
        "verdicts: " + ("identical" if not differ else "differ: " + "; ".join(differ)),
        f"@horloge scenarios judged, serial: {judged(one.clocked())}",
        f"@horloge scenarios judged, -n 2: {judged(other.clocked())}",
    ]


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
            _, times, _ = run_suite(ready, folder, "-m", "EXI-WEB-INACTIVITE")
            for name, seconds in times.items():
                scenarios[name].append(seconds)
            print(f"2-hour scenarios, run {number}: {sum(times.values()):.2f} s", flush=True)
        for name, figures in sorted(scenarios.items()):
            print(line(name.removeprefix("test_"), figures))
        suites = {"web suite, serial": (), "web suite, -n 2": ("-n", "2")}
        walls: dict[str, list[float]] = defaultdict(list)
        reports: dict[str, Path] = {}
        for _ in range(args.suite_runs):  # in turn, so that the machine's noise falls on both
            for label, options in suites.items():
                wall, _, reports[label] = run_suite(ready, folder, "-m", "web", *options)
                walls[label].append(wall)
        for label, figures in walls.items():
            print(line(label, figures), flush=True)
        if reports:
            print(*compare(*reports.values()), sep="\n")


if __name__ == "__main__":
    main()
