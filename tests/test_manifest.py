"""``SHA256SUMS`` checked as whoever receives a report checks it: ``sha256sum -c`` in the
folder passes on the folder as written, and fails once a byte has changed."""

from __future__ import annotations

import subprocess
from pathlib import Path

from audit import manifest

FILES = {
    "rapport.html": b"<html></html>",
    "verdict.json": b"{}",
    "preuves/ecrans/capture du navigateur.png": b"\x89PNG",
    "preuves/journaux/cible.log": b"connexion\n",
    "preuves/a\\b\nc.txt": b"un nom que sha256sum echappe",
}


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "rapport"
    for name, data in FILES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    (folder / "preuves" / "lien.html").symlink_to(folder / "rapport.html")
    (folder / "preuves" / "dossier-lie").symlink_to(folder / "preuves" / "ecrans")
    return folder


def _check(folder: Path) -> subprocess.CompletedProcess:
    command = ["sha256sum", "--check", "--strict", manifest.NAME]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True)


def test_sha256sum_verifies_every_file_of_the_folder(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    written = manifest.write(folder)
    assert written == folder / manifest.NAME
    first = written.read_bytes()
    checked = _check(folder)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count(": OK") == len(FILES)  # neither the links nor the manifest
    # written again (a manifest already there): the same, never listing itself
    assert manifest.write(folder).read_bytes() == first


def test_sha256sum_fails_once_a_byte_has_changed(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    manifest.write(folder)
    screen = folder / "preuves/ecrans/capture du navigateur.png"
    screen.write_bytes(b"\x89PNH")
    checked = _check(folder)
    assert checked.returncode == 1
    assert "preuves/ecrans/capture du navigateur.png: FAILED" in checked.stdout
