"""Start-up of a real stack: from launching ``python -m realstack --json`` to its JSON line
(everything answers: the portal compiled in each FastCGI worker, SPICO's gate or application
answering), then its stop on SIGINT.

    .venv/bin/python -m benchmarks.bench_realstack [--runs 5] [--pile oidc|saml|django]

Prints the median, min and max; asserts nothing. Target: 10 s or less.
"""

from __future__ import annotations

import argparse
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

from processes.lifetime import stop_group
from realstack.stack import DEFAULT, STACKS

ROOT = Path(__file__).resolve().parent.parent


def one_run(stack: str) -> tuple[float, float]:
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "realstack", stack, "--json"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        line = process.stdout.readline()
        ready = time.perf_counter() - started
        if not line.startswith("{"):
            raise SystemExit(f"la pile n'a pas démarré : {process.stderr.read().strip()}")
        mark = time.perf_counter()
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
        return ready, time.perf_counter() - mark
    finally:
        stop_group(process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pile", default=DEFAULT, choices=list(STACKS))
    args = parser.parse_args()
    starts, stops = [], []
    for number in range(1, args.runs + 1):
        start, stop = one_run(args.pile)
        starts.append(start)
        stops.append(stop)
        print(f"run {number}: start {start:.2f} s, stop {stop:.2f} s", flush=True)
    for what, figures in (("start (launch → JSON line)", starts), ("stop (SIGINT → exit)", stops)):
        print(
            f"{what}: median {statistics.median(figures):.2f} s,"
            f" min {min(figures):.2f} s, max {max(figures):.2f} s"
        )


if __name__ == "__main__":
    main()
