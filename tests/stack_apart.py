"""The reference real stack started apart (``python -m realstack --json``), as a user starts
it: its JSON line, and Ctrl-C to stop it."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from processes.lifetime import die_with_parent, stop_group
from tests.verdict_outcomes import Outcomes, read

ROOT = Path(__file__).resolve().parent.parent
AUDIT = str(Path(sys.executable).with_name("spico-audit"))
READY_SECONDS = 120  # a first run may install the Debian packages


class Launched:
    def __init__(self, process: subprocess.Popen, ready: dict) -> None:
        self.process = process
        self.ready = ready


def launch(*options: str) -> Launched:
    """``python -m realstack --json`` in a group of its own, until its JSON line."""
    process = subprocess.Popen(
        [sys.executable, "-m", "realstack", "--json", *options],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=die_with_parent,  # a test run killed outright still stops its stack
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in process.stdout], daemon=True).start()
    try:
        line = lines.get(timeout=READY_SECONDS)
    except queue.Empty:
        line = ""
    if not line.startswith("{"):
        stop_group(process)
        why = process.stderr.read().strip()
        if "paquet Debian manquant" in why:
            pytest.skip(why)
        pytest.fail(f"la pile n'a pas démarré (code {process.returncode}) : {why}")
    return Launched(process, json.loads(line))


def interrupt(launched: Launched) -> int:
    """Ctrl-C, as in a terminal: SIGINT to the launcher; its exit status."""
    launched.process.send_signal(signal.SIGINT)
    try:
        return launched.process.wait(timeout=30)
    finally:
        stop_group(launched.process)


@contextlib.contextmanager
def stack_apart(*options: str) -> Iterator[dict]:
    """The stack, started with ``options``, until the block ends: its JSON line."""
    launched = launch(*options)
    try:
        yield launched.ready
    finally:
        interrupt(launched)


def timed(command: list[str], ready: dict) -> tuple[float, subprocess.CompletedProcess]:
    """A run of the suite against the stack ``ready`` describes, and its wall time."""
    started = time.perf_counter()
    env = {**os.environ, **ready["environnement"]}
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env)
    return time.perf_counter() - started, done


def audit(ready: dict, profile: str, folder: Path, *options: str) -> tuple[float, Outcomes]:
    """``spico-audit`` of the web suite through one of the stack's profiles, in a report
    folder of its own under ``folder``: its wall time and what its report says."""
    report = Path(tempfile.mkdtemp(prefix="audit-", dir=folder)) / "rapport"
    command = [AUDIT, f"--cible={profile}", "-m", "web", f"--rapport={report}", *options]
    wall, done = timed(command, ready)
    if not (report / "verdict.json").exists():
        raise RuntimeError(f"l'audit n'a pas tourné : {done.stdout[-1500:]}{done.stderr[-1500:]}")
    return wall, read(report)


#: A log line worth showing, and what in it could be a session id, a code or a token.
WORRYING = re.compile(r"error|warn|erreur|fail|échec", re.IGNORECASE)
TOKEN_LIKE = re.compile(r"[A-Za-z0-9_\-+/=]{16,}")


def logs_tail(folder: str | Path, lines: int = 8) -> str:
    """The last errors and warnings of each log of a stack's run folder, to see why one of its
    servers refused (the folder is gone with the stack); anything token-like masked."""
    tails = []
    for log in sorted(Path(folder).rglob("*.log")):
        with contextlib.suppress(OSError):
            text = log.read_text(errors="replace").splitlines()
            text = [TOKEN_LIKE.sub("…", line) for line in text if WORRYING.search(line)]
            if text:
                tails.append(f"--- {log.name}\n" + "\n".join(text[-lines:]))
    return "\n".join(tails)
