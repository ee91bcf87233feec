"""The patient search: every filter, accent- and case-blind prefixes, paging, newest first."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest

from simulator import catalog, db, seed
from simulator.accounts import Accounts
from simulator.spico import patients

SEED = 2022
PROFESSIONALS = seed.professionals(SEED)

Row = sqlite3.Row


def add_patient(conn: sqlite3.Connection, family: str, given: str, updated_at: str) -> None:
    conn.execute(
        "INSERT INTO patients(family_name, given_name, family_key, given_key, birth_date, sex,"
        " themes, structures, professionals, status, favourite, archived, tasks,"
        " next_appointment, updated_at) VALUES (?,?,?,?,'1950-06-15','F',1,1,1,'Actif',0,0,0,"
        " NULL,?)",
        (family, given, seed.search_key(family), seed.search_key(given), updated_at),
    )


@pytest.fixture(scope="module")
def conn() -> sqlite3.Connection:
    """300 seeded patients plus a few with accents and apostrophes (read-only afterwards)."""
    conn = db.connect(":memory:")
    seed.seed_if_empty(conn, Accounts(conn), 300, SEED)
    add_patient(conn, "Dupré", "Élodie", "2025-01-03T10:00")
    add_patient(conn, "DUPRES", "Hélène", "2025-01-02T10:00")
    add_patient(conn, "Dupont", "Eloi", "2025-01-01T10:00")
    add_patient(conn, "D'Artagnan", "Charles", "2024-12-31T10:00")
    return conn


def search(conn: sqlite3.Connection, **params: str) -> list[Row]:
    """Every matching patient, page after page, in the order SPICO shows them."""
    found: list[Row] = []
    for number in range(1, 1000):
        parsed = patients.parse({**params, "page": str(number)}, PROFESSIONALS)
        assert parsed.valid, parsed.errors
        rows, total = patients.run(conn, parsed)
        found += rows
        if len(rows) < patients.PAGE_SIZE:
            assert len(found) == total
            return found
    raise AssertionError("no last page")


def everyone(conn: sqlite3.Connection) -> list[Row]:
    return conn.execute("SELECT * FROM patients").fetchall()


def ids(rows: list[Row]) -> set[int]:
    return {row["id"] for row in rows}


def has(names: tuple[str, ...] | list[str], name: str) -> Callable[[int], bool]:
    return lambda mask: name in catalog.names_in(mask, names)


# -- filters ------------------------------------------------------------------------------

FILTERS: list[tuple[dict[str, str], Callable[[Row], bool]]] = [
    ({}, lambda r: not r["archived"]),
    ({"sexe": "F"}, lambda r: r["sex"] == "F" and not r["archived"]),
    ({"sexe": "H"}, lambda r: r["sex"] == "H" and not r["archived"]),
    ({"statut": "En attente"}, lambda r: r["status"] == "En attente" and not r["archived"]),
    (
        {"thematique": "Médical"},
        lambda r: has(catalog.THEMES, "Médical")(r["themes"]) and not r["archived"],
    ),
    (
        {"structure": "DAC 81"},
        lambda r: has(catalog.STRUCTURES, "DAC 81")(r["structures"]) and not r["archived"],
    ),
    (
        {"professionnel": PROFESSIONALS[3]},
        lambda r: has(PROFESSIONALS, PROFESSIONALS[3])(r["professionals"]) and not r["archived"],
    ),
    ({"favoris": "oui"}, lambda r: r["favourite"] == 1 and not r["archived"]),
    ({"favoris": "non"}, lambda r: r["favourite"] == 0 and not r["archived"]),
    ({"archives": "oui"}, lambda r: r["archived"] == 1),
    ({"taches": "oui"}, lambda r: r["tasks"] > 0 and not r["archived"]),
    ({"taches": "non"}, lambda r: r["tasks"] == 0 and not r["archived"]),
    (
        {"sexe": "F", "statut": "Actif", "taches": "oui"},
        lambda r: r["sex"] == "F" and r["status"] == "Actif" and r["tasks"] and not r["archived"],
    ),
]


@pytest.mark.parametrize(("params", "expected"), FILTERS, ids=[str(p)[:40] for p, _ in FILTERS])
def test_filter(conn: sqlite3.Connection, params: dict, expected: Callable) -> None:
    wanted = ids([r for r in everyone(conn) if expected(r)])
    assert wanted, "the seed should give every filter something to find"
    assert ids(search(conn, **params)) == wanted


def test_birth_date(conn: sqlite3.Connection) -> None:
    born = everyone(conn)[42]["birth_date"]
    day = f"{born[8:10]}/{born[5:7]}/{born[0:4]}"
    wanted = [r for r in everyone(conn) if r["birth_date"] == born and not r["archived"]]
    assert ids(search(conn, naissance=day)) == ids(wanted)


# -- names: prefix, accents, case, apostrophes --------------------------------------------


@pytest.mark.parametrize("typed", ["dupre", "DUPRE", "Dupré", "dUpRé", " dupr ", "DUPR"])
def test_family_name_prefix_ignores_accents_and_case(conn: sqlite3.Connection, typed: str) -> None:
    names = {r["family_name"] for r in search(conn, nom=typed)}
    assert {"Dupré", "DUPRES"} <= names
    assert "Dupont" not in names
    assert all(seed.search_key(n).startswith(seed.search_key(typed)) for n in names)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("elo", {"Élodie", "Eloi"}), ("ÉLO", {"Élodie", "Eloi"}), ("élod", {"Élodie"})],
)
def test_given_name_prefix(conn: sqlite3.Connection, typed: str, expected: set[str]) -> None:
    found = search(conn, nom="dup", prenom=typed)
    ours = {r["given_name"] for r in found if r["family_name"] in ("Dupré", "DUPRES", "Dupont")}
    assert ours == expected


def test_apostrophe_in_a_name(conn: sqlite3.Connection) -> None:
    assert [r["family_name"] for r in search(conn, nom="d'art")] == ["D'Artagnan"]


@pytest.mark.parametrize("typed", ["\U0010ffff", "\ud7ff", "zzzzzz", "<script>"])
def test_names_nobody_has(conn: sqlite3.Connection, typed: str) -> None:
    assert search(conn, nom=typed) == []


# -- order and pages ----------------------------------------------------------------------


def test_newest_update_first(conn: sqlite3.Connection) -> None:
    found = search(conn)
    dates = [r["updated_at"] for r in found]
    assert dates == sorted(dates, reverse=True)
    assert found[0]["family_name"] == "Dupré"  # the newest update of all


def test_pages_split_the_results_without_overlap(conn: sqlite3.Connection) -> None:
    first = patients.run(conn, patients.parse({"page": "1"}, PROFESSIONALS))
    second = patients.run(conn, patients.parse({"page": "2"}, PROFESSIONALS))
    assert len(first[0]) == len(second[0]) == patients.PAGE_SIZE
    assert first[1] == second[1] > 2 * patients.PAGE_SIZE
    assert not ids(first[0]) & ids(second[0])
    assert first[0][-1]["updated_at"] >= second[0][0]["updated_at"]


def test_a_page_past_the_end_is_empty(conn: sqlite3.Connection) -> None:
    rows, total = patients.run(conn, patients.parse({"page": "999"}, PROFESSIONALS))
    assert rows == []
    assert total > 0


# -- validation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("naissance", "31/02/2020", "Date invalide : format attendu JJ/MM/AAAA."),
        ("naissance", "29/02/2023", "Date invalide : format attendu JJ/MM/AAAA."),
        ("naissance", "2020-01-01", "Date invalide : format attendu JJ/MM/AAAA."),
        ("naissance", "1/1/2020", "Date invalide : format attendu JJ/MM/AAAA."),
        ("nom", "A" * 101, "100 caractères au plus."),
        ("prenom", "é" * 101, "100 caractères au plus."),
        ("sexe", "X", "Valeur inconnue."),
        ("statut", "Perdu", "Valeur inconnue."),
        ("thematique", "médical", "Valeur inconnue."),
        ("structure", "DAC 99", "Valeur inconnue."),
        ("professionnel", "Dr Personne", "Valeur inconnue."),
        ("favoris", "peut-être", "Répondez oui ou non."),
        ("archives", "1", "Répondez oui ou non."),
        ("taches", "yes", "Répondez oui ou non."),
        ("page", "0", "Numéro de page invalide."),
        ("page", "-1", "Numéro de page invalide."),
        ("page", "abc", "Numéro de page invalide."),
        ("page", "²", "Numéro de page invalide."),
        ("page", "100001", "Numéro de page invalide."),
    ],
)
def test_invalid_field(field: str, value: str, message: str) -> None:
    parsed = patients.parse({field: value}, PROFESSIONALS)
    assert not parsed.valid
    assert parsed.errors == {field: message}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("naissance", "29/02/2024"),
        ("nom", "A" * 100),
        ("nom", "  Dupré  "),
        ("page", "100000"),
        ("favoris", ""),
    ],
)
def test_valid_field(field: str, value: str) -> None:
    parsed = patients.parse({field: value}, PROFESSIONALS)
    assert parsed.valid, parsed.errors


def test_empty_form_lists_current_patients() -> None:
    parsed = patients.parse({}, PROFESSIONALS)
    assert parsed.valid
    assert parsed.values["archives"] == "non"
    assert parsed.page == 1
    assert parsed.where == ["archived = 0"]


def test_record_lookup(conn: sqlite3.Connection) -> None:
    first = everyone(conn)[0]
    assert patients.get(conn, first["id"])["family_name"] == first["family_name"]
    assert patients.get(conn, 10**9) is None
    assert patients.get(conn, 10**30) is None
