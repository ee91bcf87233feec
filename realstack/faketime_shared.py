"""One libfaketime shared state for all of a stack's servers, made by the stack.

Left to itself, every process libfaketime loads into makes a semaphore and a shared memory
segment named after its pid in ``/dev/shm``, readable by its own user only, hands their
names to its children (``FAKETIME_SHARED``), and removes them only at a clean exit: a
server stopped by a signal leaves them behind. A child of another user (the portal's SMS
send command, run as www-data under a manager started by root) cannot open its parent's,
makes its own, and exits with status 1 when a stale pair already bears its pid. The portal
then fails to send a code, once in a while, more often as leftovers pile up.

Given one pair that every server of the stack can open, no process makes its own: nothing
is left behind, nothing collides. libfaketime uses the segment only for clock rates and
recorded timestamps, which the stack's offsets (``+Ns``) never use; zeros are its empty state.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from .servers import StackError, give_to

SHM = Path("/dev/shm")
#: libfaketime maps a few dozen bytes of it; a page is what it gets anyway.
SEGMENT_BYTES = 4096


def paths(name: str) -> list[Path]:
    """Where glibc keeps the semaphore ``/name`` and the segment ``/name``."""
    return [SHM / f"sem.{name}", SHM / name]


def _create_semaphore(name: str) -> None:
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.sem_open.restype = ctypes.c_void_p
    libc.sem_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_uint, ctypes.c_uint]
    handle = libc.sem_open(f"/{name}".encode(), os.O_CREAT | os.O_EXCL, 0o600, 1)
    if not handle:  # glibc's SEM_FAILED is a null pointer
        reason = os.strerror(ctypes.get_errno())
        raise StackError(f"sémaphore de libfaketime impossible dans {SHM} : {reason}")
    libc.sem_close(ctypes.c_void_p(handle))


@contextlib.contextmanager
def shared_state(user: str | None) -> Iterator[tuple[str, list[Path]]]:
    """The value of ``FAKETIME_SHARED`` for the stack's servers and the files behind it,
    owned by ``user`` (root opens them too), until the block ends; then removed."""
    name = f"pile-spico-{secrets.token_hex(6)}"
    files = paths(name)
    try:
        _create_semaphore(name)
        with open(files[1], "xb") as segment:
            segment.truncate(SEGMENT_BYTES)
        for path in files:
            path.chmod(0o600)
            give_to(path, user)
        yield f"/{name} /{name}", files
    finally:
        for path in files:
            path.unlink(missing_ok=True)
