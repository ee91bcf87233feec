"""Stops the stack's servers when its launcher dies without stopping them (SIGKILL, a
crash). The kernel's parent-death signal does not do it for all: a server that switches to
another user (the portal, as www-data) loses it. So a process of the stack's own, which
never switches, watches the launcher: it reads the process groups the launcher started, one
per line, and when the launcher's end of the pipe closes, stops every group still there and
removes the run folder and the stack's files outside it (libfaketime's shared state). After a
clean stop there is nothing left for it to do.

    python -m realstack.reaper [RUN_FOLDER] [FILE...]   # started by realstack/stack.py, not by hand
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys

from processes.waiting import poll

GRACE_SECONDS = 5


def alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop(groups: list[int]) -> None:
    """SIGTERM to each group, SIGKILL to what is left after the grace period."""
    for group in groups:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGTERM)
    if poll(lambda: not any(alive(g) for g in groups), GRACE_SECONDS, every=0.1):
        return
    for group in filter(alive, groups):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C is the launcher's to handle
    groups = [int(line) for line in sys.stdin if line.strip()]  # until the launcher is gone
    stop([group for group in groups if alive(group)])
    for path in sys.argv[1:]:
        if os.path.isdir(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(path)


if __name__ == "__main__":
    main()
