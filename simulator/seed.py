"""Deterministic demo data: Faker ``fr_FR`` with a fixed seed, so every run shows the same patients.

Patients draw from Faker's ``fr_FR`` name lists with one seeded ``random.Random``, and
go into a table whose indexes are built once the rows are in: 50,000 patients take about
half a second, so the simulator starts fast even at that size.
"""

from __future__ import annotations

import random
import sqlite3
import unicodedata
from datetime import date, datetime, timedelta

from faker import Faker
from faker.providers.person.fr_FR import Provider as FrenchNames

from . import catalog, db
from .accounts import Accounts

PROFESSIONAL_COUNT = 8

#: Accounts every simulator has; tests make their own through the control API.
DEMO_ACCOUNTS = (
    ("lucy.darras", "Spico-Demo-2024", "Lucy", "Darras", "lucy.darras@exemple.fr", "+33600000001"),
    ("marc.vidal", "Spico-Demo-2024", "Marc", "Vidal", "marc.vidal@exemple.fr", "+33600000002"),
)


def search_key(text: str) -> str:
    """Upper case without accents: 'Élodie' and 'elodie' find the same patient."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper().strip()


def professionals(seed: int) -> list[str]:
    fake = Faker("fr_FR")
    fake.seed_instance(seed + 1)
    return [f"Dr {fake.last_name()}" for _ in range(PROFESSIONAL_COUNT)]


def seed_if_empty(conn: sqlite3.Connection, accounts: Accounts, count: int, seed: int) -> None:
    if conn.execute("SELECT 1 FROM accounts LIMIT 1").fetchone():
        return
    for values in DEMO_ACCOUNTS:
        accounts.create(*values)
    conn.execute("BEGIN")
    db.drop_patient_indexes(conn)
    conn.executemany(
        "INSERT INTO patients(family_name, given_name, family_key, given_key, birth_date, sex,"
        " themes, structures, professionals, status, favourite, archived, tasks,"
        " next_appointment, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        _patients(count, seed),
    )
    db.create_patient_indexes(conn)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")  # without statistics SQLite picks the listing index for every search


def _weighted(values: tuple, weights: tuple[int, ...]) -> tuple:
    """Each value repeated by its weight: one uniform pick from it is a weighted pick."""
    return tuple(v for v, w in zip(values, weights, strict=True) for _ in range(w))


def _patients(count: int, seed: int):
    rng = random.Random(seed)
    uniform = rng.random  # int(uniform() * n) is a third of the cost of randrange(n)
    names = {
        "H": FrenchNames.first_names_male,
        "F": FrenchNames.first_names_female,
        "family": FrenchNames.last_names,
    }
    keys = {name: search_key(name) for pool in names.values() for name in pool}
    statuses = _weighted(catalog.STATUSES, (6, 3, 1))
    task_counts = _weighted((0, 1, 2, 3), (6, 2, 1, 1))
    themes = 1 << len(catalog.THEMES)
    today = date(2024, 4, 11).toordinal()
    last_update = datetime(2024, 4, 11, 15, 34)
    for _ in range(count):
        sex = catalog.SEXES[int(uniform() * len(catalog.SEXES))]
        given = names[sex][int(uniform() * len(names[sex]))]
        family = names["family"][int(uniform() * len(names["family"]))]
        minutes_ago = int(uniform() * 3 * 365 * 24 * 60)
        yield (
            family,
            given,
            keys[family],
            keys[given],
            date.fromordinal(today - int(uniform() * 100 * 365)).isoformat(),
            sex,
            (1 + int(uniform() * (themes - 1))) & (1 + int(uniform() * (themes - 1))) or 1,
            1 << int(uniform() * len(catalog.STRUCTURES)),
            1 << int(uniform() * PROFESSIONAL_COUNT) | 1 << int(uniform() * PROFESSIONAL_COUNT),
            statuses[int(uniform() * len(statuses))],
            int(uniform() < 0.05),
            int(uniform() < 0.1),
            task_counts[int(uniform() * len(task_counts))],
            date.fromordinal(today + 1 + int(uniform() * 119)).isoformat()
            if uniform() < 0.4
            else None,
            (last_update - timedelta(minutes=minutes_ago)).isoformat(timespec="minutes"),
        )
