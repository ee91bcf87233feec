"""Whether a file can be the simulator's SQLite database (``--database``): missing or empty
(a new database), or one of its own, in a folder it can write to. Read without writing
anything, so a refused file is left exactly as it was."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from . import db
from .command_line import shown

SQLITE_HEADER = b"SQLite format 3\x00"


def problem(path: Path) -> str | None:
    """Why ``path`` cannot be the simulator's database, in French; None when it can."""
    try:
        return _file_problem(path) or _folder_problem(path.absolute().parent)
    except OSError:
        return "chemin inaccessible"


def _file_problem(path: Path) -> str | None:
    if not path.exists():
        return None
    if path.is_dir():
        return "c'est un dossier, pas un fichier SQLite"
    if not path.is_file():
        return "ce n'est pas un fichier ordinaire"
    if not os.access(path, os.R_OK | os.W_OK):
        return "fichier non modifiable (droits)"
    with path.open("rb") as file:
        header = file.read(len(SQLITE_HEADER))
    if header and header != SQLITE_HEADER:
        return "ce n'est pas une base SQLite (un fichier vide ou absent en crée une)"
    return _schema_problem(path) if header else None


def _folder_problem(folder: Path) -> str | None:
    if not folder.exists():
        return f"le dossier « {shown(str(folder))} » n'existe pas"
    if not folder.is_dir():
        return f"« {shown(str(folder))} » n'est pas un dossier"
    if not os.access(folder, os.W_OK | os.X_OK):
        return (
            f"le dossier « {shown(str(folder))} » n'est pas modifiable (SQLite y écrit son journal)"
        )
    return None


def _schema_problem(path: Path) -> str | None:
    """Whether a SQLite file is the simulator's (its tables, with at least their columns),
    read as immutable: SQLite then writes nothing, not even its shared-memory file."""
    try:
        uri = f"{path.resolve().as_uri()}?immutable=1"
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
            found = _columns(conn)
    except sqlite3.DatabaseError:
        return "base SQLite illisible (abîmée ?)"
    with contextlib.closing(sqlite3.connect(":memory:")) as conn:
        conn.executescript(db.SCHEMA)
        expected = _columns(conn)
    if not found.keys() <= expected.keys():
        return "ce n'est pas une base du simulateur (elle a d'autres tables)"
    if any(not expected[table] <= columns for table, columns in found.items()):
        return "base d'une autre version du simulateur (colonnes différentes)"
    return None


def _columns(conn: sqlite3.Connection) -> dict[str, set[str]]:
    """Each table's columns."""
    tables = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return {
        table: {row[0] for row in conn.execute("SELECT name FROM pragma_table_info(?)", (table,))}
        for (table,) in tables.fetchall()
    }
