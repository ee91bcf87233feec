"""Appium's costs for the mobile suite: server start, a phone session, closing the app.

    .venv/bin/python -m benchmarks.bench_appium [--runs 5]

Each run starts the project's Appium server (``fixtures.appium_server``), opens the
simulator's mobile app on an emulated phone, closes and reopens it, opens it on a phone kept
for the process (started, then wiped as for the next scenario), and stops the server.
Prints medians; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from fixtures.appium_server import appium_process
from fixtures.handset import Handset
from fixtures.phone import Phone, emulated, emulated_phone, new_directories
from fixtures.simulator_process import simulator_process


def one_run(app_url: str) -> dict[str, float]:
    figures = {}
    started = time.perf_counter()
    with appium_process() as appium_url, tempfile.TemporaryDirectory() as storage:
        figures["Appium server start (until /status answers)"] = time.perf_counter() - started
        phone = emulated_phone(appium_url, app_url, "android", Path(storage) / "telephone", True)
        mark = time.perf_counter()
        phone.open_app()
        figures["open the app (new session, page loaded)"] = time.perf_counter() - mark
        mark = time.perf_counter()
        phone.reopen_app()
        figures["close and reopen the app"] = time.perf_counter() - mark
        phone.close_app()
        kept = Handset(appium_url, emulated("android", new_directories(Path(storage)), True))
        try:
            for life in ("first scenario's phone (handset started)", "next scenario's (wiped)"):
                phone = Phone(appium_url, kept.capabilities, app_url, handset=kept)
                mark = time.perf_counter()
                phone.open_app()
                figures[f"open the app on the {life}"] = time.perf_counter() - mark
                phone.close_app()
        finally:
            kept.close()
        mark = time.perf_counter()
    figures["Appium server stop"] = time.perf_counter() - mark
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    runs = []
    with simulator_process([]) as sim:
        for _ in range(args.runs):
            runs.append(one_run(sim.public["mobile"] + "/"))
    print(f"Appium {args.runs} runs (median, min, max):")
    for name in runs[0]:
        values = [run[name] for run in runs]
        print(
            f"  {statistics.median(values):6.2f} s  {min(values):6.2f}  {max(values):6.2f}  {name}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
