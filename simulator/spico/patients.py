"""The patient list: the search form of the guide's screenshot, validated, as one SQL query.

Multi-valued columns (themes, structures, professionals) are bit sets, so every
filter stays a cheap test on one row and 50,000 patients search in milliseconds.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from datetime import date

from .. import catalog
from ..seed import search_key

PAGE_SIZE = 20
MAX_TEXT = 100
_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
_YES_NO = {"": None, "oui": 1, "non": 0}


@dataclass
class Search:
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    where: list[str] = field(default_factory=list)
    args: list[object] = field(default_factory=list)
    page: int = 1

    @property
    def valid(self) -> bool:
        return not self.errors


def parse(params: dict[str, str], professionals: list[str]) -> Search:
    """Read the search form; every invalid field gets a French message and no query runs."""
    values = {k: str(params.get(k, "")).strip() for k in FIELDS}
    values["archives"] = values["archives"] or "non"
    search = Search(values)
    for name, read in FIELDS.items():
        if len(values[name]) > MAX_TEXT:
            search.errors[name] = f"{MAX_TEXT} caractères au plus."
        elif values[name]:
            read(search, values[name], professionals)
    return search


def _name(column: str):
    def read(search: Search, value: str, _: list[str]) -> None:
        key = search_key(value)
        if not key:
            return
        # A prefix range uses the index: 'DUP' <= key < 'DUP' + the highest code point
        # (incrementing the last character fails past U+10FFFF or into surrogates).
        search.where.append(f"{column} >= ? AND {column} < ?")
        search.args += [key, key + "\U0010ffff"]

    return read


def _birth_date(search: Search, value: str, _: list[str]) -> None:
    match = _DATE.match(value)
    try:
        if not match:
            raise ValueError
        day, month, year = (int(g) for g in match.groups())
        iso = date(year, month, day).isoformat()
    except ValueError:
        search.errors["naissance"] = "Date invalide : format attendu JJ/MM/AAAA."
        return
    search.where.append("birth_date = ?")
    search.args.append(iso)


def _choice(column: str, name: str, options: tuple[str, ...]):
    def read(search: Search, value: str, _: list[str]) -> None:
        if value not in options:
            search.errors[name] = "Valeur inconnue."
            return
        search.where.append(f"{column} = ?")
        search.args.append(value)

    return read


def _bit(column: str, name: str, options_of):
    def read(search: Search, value: str, professionals: list[str]) -> None:
        bit = catalog.bit_of(value, options_of(professionals))
        if bit is None:
            search.errors[name] = "Valeur inconnue."
            return
        search.where.append(f"({column} & ?) != 0")
        search.args.append(bit)

    return read


def _yes_no(condition_yes: str, condition_no: str, name: str):
    def read(search: Search, value: str, _: list[str]) -> None:
        if value not in _YES_NO:
            search.errors[name] = "Répondez oui ou non."
            return
        search.where.append(condition_yes if _YES_NO[value] else condition_no)

    return read


def _page(search: Search, value: str, _: list[str]) -> None:
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= 100_000:
        search.errors["page"] = "Numéro de page invalide."
        return
    search.page = int(value)


FIELDS = {
    "nom": _name("family_key"),
    "prenom": _name("given_key"),
    "naissance": _birth_date,
    "sexe": _choice("sex", "sexe", catalog.SEXES),
    "statut": _choice("status", "statut", catalog.STATUSES),
    "thematique": _bit("themes", "thematique", lambda _: catalog.THEMES),
    "professionnel": _bit("professionals", "professionnel", lambda pros: pros),
    "structure": _bit("structures", "structure", lambda _: catalog.STRUCTURES),
    "favoris": _yes_no("favourite = 1", "favourite = 0", "favoris"),
    "archives": _yes_no("archived = 1", "archived = 0", "archives"),
    "taches": _yes_no("tasks > 0", "tasks = 0", "taches"),
    "page": _page,
}


def run(conn: sqlite3.Connection, search: Search) -> tuple[list[sqlite3.Row], int]:
    """One page of matching patients, newest update first, and the total count."""
    where = " AND ".join(search.where) or "1"
    total = conn.execute(f"SELECT COUNT(*) FROM patients WHERE {where}", search.args).fetchone()[0]
    rows = conn.execute(
        f"SELECT * FROM patients WHERE {where} ORDER BY updated_at DESC LIMIT ? OFFSET ?",
        [*search.args, PAGE_SIZE, (search.page - 1) * PAGE_SIZE],
    ).fetchall()
    return rows, total


def get(conn: sqlite3.Connection, patient_id: int) -> sqlite3.Row | None:
    if not 0 < patient_id < 2**63:  # beyond SQLite's integers: no such patient
        return None
    return conn.execute("SELECT * FROM patients WHERE id = ?", (patient_id,)).fetchone()
