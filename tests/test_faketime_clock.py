"""The file libfaketime reads the servers' offset from, as the suite moves it: every server
reads it at each clock call (``FAKETIME_NO_CACHE``), so it must never be seen half-written."""

from __future__ import annotations

import threading
from pathlib import Path

from fixtures.clock import FaketimeClock


def test_advancing_adds_to_the_offset_and_keeps_the_file_readable(tmp_path: Path) -> None:
    path = tmp_path / "horloge"
    path.write_text("+0\n")
    path.chmod(0o644)
    clock = FaketimeClock(str(path), {})
    clock.advance(7200)
    clock.advance(1.4)
    assert path.read_text() == "+7201s\n"
    assert path.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["horloge"]


def test_a_reader_never_sees_the_file_empty(tmp_path: Path) -> None:
    """A server reading the file while the suite moves the clock sees the old offset or the
    new one, never an empty file (which libfaketime takes as no offset: back to real time)."""
    path = tmp_path / "horloge"
    path.write_text("+0\n")
    clock = FaketimeClock(str(path), {})
    seen: list[str] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            seen.append(path.read_text())

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for _ in range(2000):
            clock.advance(1)
    finally:
        done.set()
        reader.join()
    assert seen and "" not in seen
