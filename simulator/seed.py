"""Deterministic demo data: Faker ``fr_FR`` with a fixed seed, so every run shows the same patients.

Patients are generated with cheap Faker calls and a seeded ``random.Random`` so that
50,000 of them take well under a second.
"""

from __future__ import annotations

import random
import sqlite3
import unicodedata
from datetime import date, datetime, timedelta

from faker import Faker

from . import catalog
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
    conn.executemany(
        "INSERT INTO patients(family_name, given_name, family_key, given_key, birth_date, sex,"
        " themes, structures, professionals, status, favourite, archived, tasks,"
        " next_appointment, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        _patients(count, seed),
    )
    conn.execute("COMMIT")
    conn.execute("ANALYZE")  # without statistics SQLite picks the listing index for every search


def _patients(count: int, seed: int):
    fake = Faker("fr_FR")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    today = date(2024, 4, 11)
    last_update = datetime(2024, 4, 11, 15, 34)
    for _ in range(count):
        sex = rng.choice(catalog.SEXES)
        given = fake.first_name_male() if sex == "H" else fake.first_name_female()
        family = fake.last_name()
        birth = today - timedelta(days=rng.randrange(0, 100 * 365))
        updated = last_update - timedelta(minutes=rng.randrange(0, 3 * 365 * 24 * 60))
        appointment = (
            (today + timedelta(days=rng.randrange(1, 120))).isoformat()
            if rng.random() < 0.4
            else None
        )
        yield (
            family,
            given,
            search_key(family),
            search_key(given),
            birth.isoformat(),
            sex,
            rng.randrange(1, 1 << len(catalog.THEMES)) & rng.randrange(1, 1 << len(catalog.THEMES))
            or 1,
            1 << rng.randrange(len(catalog.STRUCTURES)),
            1 << rng.randrange(PROFESSIONAL_COUNT) | 1 << rng.randrange(PROFESSIONAL_COUNT),
            rng.choices(catalog.STATUSES, weights=(6, 3, 1))[0],
            int(rng.random() < 0.05),
            int(rng.random() < 0.1),
            rng.choices((0, 1, 2, 3), weights=(6, 2, 1, 1))[0],
            appointment,
            updated.isoformat(timespec="minutes"),
        )
