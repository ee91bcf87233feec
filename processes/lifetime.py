"""A started process's end: it dies with its parent, and stopping it stops its whole group
(the drivers and browsers it started), SIGTERM first, SIGKILL for what stays."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess

STOP_TIMEOUT_SECONDS = 10


def die_with_parent() -> None:
    """Linux: the child gets SIGTERM if the test process dies without cleaning up."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def stop(process: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL if it has not ended within STOP_TIMEOUT_SECONDS."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def stop_group(process: subprocess.Popen) -> None:
    """``stop`` the leader of a process group (started with ``start_new_session``), then
    SIGKILL whatever is left of the group (drivers, browsers)."""
    stop(process)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
