"""``SHA256SUMS``: the fingerprint of every file of a report folder, written last, so that
whoever receives the folder can tell it is whole and unchanged: ``sha256sum -c SHA256SUMS``
in the folder checks it, with nothing but coreutils.

The lines are ``sha256sum``'s own: ``<hex>  <path>``, the path relative to the folder. Any
file name is written, as bytes: one holding a backslash, a line feed or a carriage return is
escaped the way GNU coreutils escapes it, the line then starting with a backslash.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

NAME = "SHA256SUMS"


def write(folder: Path) -> Path:
    manifest = folder / NAME
    lines = [_line(folder, relative) for relative in _files(folder) if relative != NAME]
    manifest.write_bytes(b"".join(lines))
    return manifest


def _files(folder: Path) -> list[str]:
    """Every file under ``folder``, relative to it, sorted as bytes (whatever the locale).

    Symbolic links are left out, files and folders alike: the manifest vouches for what the
    folder holds, and a link's target is elsewhere, can change without the folder changing,
    and is copied or dropped depending on how the folder is archived.
    """
    found = []
    for parent, _, names in os.walk(folder):  # does not enter linked folders
        for name in names:
            path = Path(parent, name)
            if not path.is_symlink():
                found.append(path.relative_to(folder).as_posix())
    return sorted(found, key=os.fsencode)


def _line(folder: Path, relative: str) -> bytes:
    with (folder / relative).open("rb") as file:
        digest = hashlib.file_digest(file, "sha256").hexdigest().encode("ascii")
    name = os.fsencode(relative)
    escaped = name.replace(b"\\", b"\\\\").replace(b"\n", b"\\n").replace(b"\r", b"\\r")
    marker = b"\\" if escaped != name else b""
    return marker + digest + b"  " + escaped + b"\n"
