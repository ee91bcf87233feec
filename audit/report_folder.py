"""Where an audit's report goes, and what it must never do there: an audit's evidence is what
an auditor archives and signs, so a folder that already holds anything is never written into,
and an output folder holding an earlier audit's evidence is never emptied (pytest-playwright
empties its ``--output`` folder when a run starts). Checked before anything is written; the
folder is made only once the run starts, so a refused run leaves nothing behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

#: What a report folder holds once an audit has written it.
AUDIT_FILES = ("verdict.json", "rapport.html")


def problems(folder: Path) -> list[str]:
    """Why ``folder`` cannot receive a new audit, one French line each (none: it can)."""
    where = f"--rapport {folder}"
    if folder.is_symlink() and not folder.exists():
        return [f"{where} : lien symbolique vers un dossier absent"]
    if folder.exists():
        if not folder.is_dir():
            return [f"{where} : c'est un fichier, pas un dossier"]
        if any(folder.iterdir()):
            held = "le rapport d'un audit" if holds_audit(folder) else "des fichiers"
            return [
                f"{where} : ce dossier contient déjà {held} ; les preuves d'un audit ne sont"
                " jamais écrasées : choisissez un dossier nouveau ou vide"
            ]
    return _writable(folder, where)


def output_problems(output: Path) -> list[str]:
    """The folder pytest-playwright empties at start must hold no audit's evidence."""
    if output.is_dir() and (holds_audit(output) or holds_audit(output.parent)):
        return [
            f"--output {output} : ce dossier contient les preuves d'un audit, que"
            " pytest-playwright viderait au démarrage : choisissez un autre dossier"
        ]
    return []


def holds_audit(folder: Path) -> bool:
    return any((folder / name).exists() for name in AUDIT_FILES)


def unused(folder: Path) -> Path:
    """``folder``, or the first of ``folder-2``, ``folder-3``… that is free: for the dated
    folder chosen when none is named, two runs in the same second keep both."""
    candidate, number = folder, 1
    while candidate.exists():
        number += 1
        candidate = folder.with_name(f"{folder.name}-{number}")
    return candidate


def _writable(folder: Path, where: str) -> list[str]:
    """Can a folder be made where ``folder`` would be? Tried for real in its nearest existing
    parent (and removed at once): permissions alone do not tell (/proc, read-only mounts)."""
    parent = folder.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        return [f"{where} : {parent} est un fichier, pas un dossier"]
    try:
        probe = tempfile.mkdtemp(prefix=".essai-ecriture-", dir=parent)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return [f"{where} : impossible d'écrire dans {parent} ({reason})"]
    with contextlib.suppress(OSError):
        os.rmdir(probe)
    return []
