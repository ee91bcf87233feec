"""The reference real stack started apart (``python -m realstack --json``), as a user starts
it: its JSON line, and Ctrl-C to stop it."""

from __future__ import annotations

import contextlib
import json
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from processes.lifetime import die_with_parent, stop_group

ROOT = Path(__file__).resolve().parent.parent
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
