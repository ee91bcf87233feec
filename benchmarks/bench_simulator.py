"""How fast the simulator starts, seeds and searches: ``python -m benchmarks.bench_simulator``.

Every figure is a median over ``--runs`` runs (search: over every request of the mix),
in seconds or milliseconds. Nothing is asserted: the targets are printed alongside.

Start-up (a subprocess, as a user or the suite launches it, in-memory database):
  ready line        from launching ``python -m simulator --base-port 0 --test-mode --json``
                    to the JSON "ready" line on its stdout (interpreter start, imports,
                    seeding, sockets, uvicorn started);
  first GET         from the same launch until a first ``GET /`` on SPICO's internal URL
                    has answered (what a user waiting for the page actually sees);
  exit after TERM   from sending SIGTERM to the process having exited.

Seeding: ``seed.seed_if_empty`` on a fresh in-memory database with ``--patients`` patients
(the two demo accounts with their scrypt hashes, Faker rows, one insert transaction).

Patient search at ``--patients`` patients, median and p95 over a mix of realistic searches
(``searches()``), after one warm-up round of the mix:
  query alone       ``patients.parse`` + ``patients.run`` on an in-memory database;
  HTTP              ``GET /patients?...`` from a signed-in user against a simulator
                    subprocess: routing, session check and touch, query, Jinja rendering,
                    and the loopback round trip.
  ``--by-kind`` adds the median of each kind of search, both ways.

First scenario (EXI-WEB-ACCES: SPICO, PASS login, code by e-mail, kiosk, SPICO tile, patient
list), each run a fresh ``pytest`` process as in ``benchmarks.bench_suite``:
  pytest process    launching pytest until it exits (collection, simulator start-up,
                    Chromium launch, the scenario, everything stopped);
  scenario          JUnit's time for the test (its set-up, which starts the simulator and
                    the browser, the steps, and its teardown).

Figures move with the machine's load: the header shows the load average at the start.

Each section is a function taking the options and yielding ``Row``s; add one to
``SECTIONS`` to measure something else.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from benchmarks.bench_suite import run_once
from simulator import db, seed
from simulator.accounts import Accounts
from simulator.config import Settings, Urls
from simulator.server import Ready
from simulator.spico import patients
from tests.conftest import Simulated

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PATIENTS = 1000  # what ``python -m simulator`` seeds without --patients
SEED = 2022
START_TARGET = 1.5
SEARCH_TARGET = 0.050
FIRST_SCENARIO = ["features/test_web.py", "-k", "kiosque_des_services"]
READY_TIMEOUT = 120.0
EXIT_TIMEOUT = 10.0


def searches(professionals: list[str]) -> dict[str, dict[str, str]]:
    """The mix: what a professional types in the patient list, by kind of search."""
    return {
        "no filter, page 1": {},
        "no filter, page 100": {"page": "100"},
        "name prefix": {"nom": "Ber"},
        "name, accents/case": {"nom": "gerard", "prenom": "é"},
        "birth date": {"naissance": "14/07/1962"},
        "sex + theme": {"sexe": "F", "thematique": "Soins palliatifs"},
        "structure + status": {"structure": "CPTS Albigeois", "statut": "En attente"},
        "favourites": {"favoris": "oui"},
        "archived": {"archives": "oui"},
        "with tasks": {"taches": "oui"},
        "professional": {"professionnel": professionals[3]},
        "combined": {
            "nom": "m",
            "sexe": "H",
            "thematique": "Médical",
            "structure": "DAC 81",
            "taches": "oui",
            "page": "2",
        },
    }


@dataclass
class Row:
    """One printed figure: its samples in seconds, and the target it is read against."""

    label: str
    samples: list[float]
    target: float | None = None
    p95: bool = False


@dataclass
class Timings:
    """Samples of one measured quantity, by kind of search."""

    by_kind: dict[str, list[float]] = field(default_factory=dict)

    def add(self, kind: str, seconds: float) -> None:
        self.by_kind.setdefault(kind, []).append(seconds)

    @property
    def all(self) -> list[float]:
        return [s for samples in self.by_kind.values() for s in samples]


# --- formatting ---------------------------------------------------------------------------


def p95(samples: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def human(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1000:.1f} ms"


def print_header() -> None:
    print(f"{'figure':<52} {'median':>10} {'p95':>10} {'n':>5}  target", flush=True)
    print("-" * 90, flush=True)


def print_row(row: Row) -> None:
    median = statistics.median(row.samples)
    tail = human(p95(row.samples)) if row.p95 else ""
    target = ""
    if row.target is not None:
        verdict = "ok" if median <= row.target else "MISSED"
        target = f"≤ {human(row.target)} ({verdict})"
    print(f"{row.label:<52} {human(median):>10} {tail:>10} {len(row.samples):>5}  {target}")
    sys.stdout.flush()


# --- a simulator subprocess -----------------------------------------------------------------


@dataclass
class Launched:
    proc: subprocess.Popen[str]
    started_at: float
    ready_s: float = 0.0
    exit_s: float = 0.0
    info: dict = field(default_factory=dict)


def _stop(proc: subprocess.Popen[str]) -> float:
    """SIGTERM, then kill if it lingers; returns the seconds it took to exit."""
    if proc.poll() is not None:
        return 0.0
    start = time.perf_counter()
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=EXIT_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    return time.perf_counter() - start


@contextmanager
def simulator_process(patient_count: int) -> Iterator[Launched]:
    """``python -m simulator`` until its ready line; always stopped (and timed) on the way out."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPICO_SIM_")}
    command = [sys.executable, "-m", "simulator", "--base-port", "0", "--test-mode", "--json"]
    if patient_count != DEFAULT_PATIENTS:
        command += ["--patients", str(patient_count)]
    with tempfile.TemporaryFile("w+") as stderr:
        started_at = time.perf_counter()
        with subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True
        ) as proc:
            launched = Launched(proc, started_at)
            watchdog = threading.Timer(READY_TIMEOUT, proc.kill)  # a hung start-up is killed
            try:
                watchdog.start()
                line = proc.stdout.readline() if proc.stdout else ""
                launched.ready_s = time.perf_counter() - started_at
                watchdog.cancel()
                if not line:
                    stderr.seek(0)
                    raise RuntimeError(f"not ready (exit {proc.poll()}): {stderr.read()[-2000:]}")
                launched.info = json.loads(line)
                yield launched
            finally:
                watchdog.cancel()
                launched.exit_s = _stop(proc)


def simulated(info: dict, patient_count: int) -> Simulated:
    """The tests' view of a running simulator, rebuilt from its ready line."""
    urls = Urls(info["public"], info["internal"], tuple(info["smtp"]))
    ready = Ready(urls, info["control_token"], info["accounts"])
    return Simulated(ready, Settings(test_mode=True, patients=patient_count))


# --- sections -------------------------------------------------------------------------------


def bench_startup(args: argparse.Namespace) -> Iterator[Row]:
    # The client is made beforehand: the user's browser is already open.
    with httpx.Client(timeout=30) as http:
        for count in sorted({DEFAULT_PATIENTS, args.patients}):
            ready, first_get, exits = [], [], []
            for _ in range(args.runs):
                with simulator_process(count) as launched:
                    http.get(launched.info["internal"]["spico"] + "/")  # any answer will do
                    first_get.append(time.perf_counter() - launched.started_at)
                    ready.append(launched.ready_s)
                exits.append(launched.exit_s)
            yield Row(f"start-up, {count} patients: ready line", ready)
            yield Row(f"start-up, {count} patients: first GET answered", first_get, START_TARGET)
            yield Row(f"start-up, {count} patients: exit after SIGTERM", exits)


def bench_seeding(args: argparse.Namespace) -> Iterator[Row]:
    samples = []
    for _ in range(args.runs):
        conn = db.connect(":memory:")
        start = time.perf_counter()
        seed.seed_if_empty(conn, Accounts(conn), args.patients, SEED)
        samples.append(time.perf_counter() - start)
        conn.close()
    yield Row(f"seeding {args.patients} patients (seed_if_empty)", samples)


def bench_search(args: argparse.Namespace) -> Iterator[Row]:
    professionals = seed.professionals(SEED)
    mix = searches(professionals)
    rounds = max(1, math.ceil(args.requests / len(mix)))

    conn = db.connect(":memory:")
    seed.seed_if_empty(conn, Accounts(conn), args.patients, SEED)
    query = Timings()
    for round_ in range(rounds + 1):  # round 0 warms up
        for kind, params in mix.items():
            start = time.perf_counter()
            search = patients.parse(params, professionals)
            patients.run(conn, search)
            if round_:
                query.add(kind, time.perf_counter() - start)
    conn.close()
    label = f"search, {args.patients} patients: query alone"
    yield Row(label, query.all, SEARCH_TARGET, p95=True)

    web = Timings()
    with simulator_process(args.patients) as launched:
        sim = simulated(launched.info, args.patients)
        try:
            with sim.user() as user:
                if user.open_spico().url.path != "/patients":
                    raise RuntimeError("could not sign in to SPICO")
                url = f"{user.spico_url}/patients"
                for round_ in range(rounds + 1):
                    for kind, params in mix.items():
                        start = time.perf_counter()
                        response = user.get(url, params=params)
                        elapsed = time.perf_counter() - start
                        if response.status_code != 200 or response.url.path != "/patients":
                            raise RuntimeError(f"{kind}: {response.status_code} {response.url}")
                        if round_:
                            web.add(kind, elapsed)
        finally:
            sim.control.close()
    yield Row(f"search, {args.patients} patients: HTTP GET /patients", web.all, SEARCH_TARGET, True)

    if args.by_kind:
        for kind in mix:
            q, w = statistics.median(query.by_kind[kind]), statistics.median(web.by_kind[kind])
            print(f"    {kind:<24} query {human(q):>9}   HTTP {human(w):>9}")


def bench_first_scenario(args: argparse.Namespace) -> Iterator[Row]:
    walls, scenario = [], []
    for _ in range(args.runs):
        wall, cases, failures = run_once(FIRST_SCENARIO, workers=0)
        if failures or len(cases) != 1:
            raise RuntimeError(f"the first scenario did not pass: {failures or cases}")
        walls.append(wall)
        scenario.extend(cases.values())
    yield Row("first scenario (EXI-WEB-ACCES): pytest process", walls)
    yield Row("first scenario (EXI-WEB-ACCES): scenario", scenario)


SECTIONS: list[Callable[[argparse.Namespace], Iterable[Row]]] = [
    bench_startup,
    bench_seeding,
    bench_search,
    bench_first_scenario,
]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.bench_simulator", description=__doc__)
    p.add_argument("--runs", type=int, default=7, help="runs behind each median")
    p.add_argument("--patients", type=int, default=50_000, help="patients for the large figures")
    p.add_argument("--requests", type=int, default=200, help="measured searches per way")
    p.add_argument("--by-kind", action="store_true", help="also print the median of each search")
    args = p.parse_args(argv)
    # A plain `kill` of the benchmark still runs the finally blocks that stop simulators.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    python = sys.version.split()[0]
    print(f"python {python}, {os.cpu_count()} CPUs, load {load}, --runs {args.runs}")
    print_header()
    for section in SECTIONS:
        for row in section(args):
            print_row(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
