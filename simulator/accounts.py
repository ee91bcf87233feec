"""PASS accounts: professionals who sign in with an identifier, a password and a one-time code."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
from dataclasses import dataclass

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


@dataclass(frozen=True)
class Account:
    id: int
    identifier: str
    given_name: str
    family_name: str
    email: str
    phone: str

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.family_name.upper()}"


def hash_secret(password: str) -> str:
    """scrypt digest of a password or a PIN, salted."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return f"{salt.hex()}${digest.hex()}"


def secret_matches(password: str, stored: str) -> bool:
    salt, digest = stored.split("$")
    candidate = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), **_SCRYPT)
    return hmac.compare_digest(candidate.hex(), digest)


class Accounts:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def create(
        self,
        identifier: str,
        password: str,
        given_name: str,
        family_name: str,
        email: str,
        phone: str,
    ) -> Account:
        cur = self._conn.execute(
            "INSERT INTO accounts(identifier, password_hash, given_name, family_name, email, phone)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (identifier, hash_secret(password), given_name, family_name, email, phone),
        )
        return self.get(cur.lastrowid)

    def get(self, account_id: int | None) -> Account | None:
        row = self._conn.execute("SELECT * FROM accounts WHERE id = ?", (account_id,)).fetchone()
        return _account(row) if row else None

    def by_identifier(self, identifier: str) -> Account | None:
        sql = "SELECT * FROM accounts WHERE identifier = ?"
        row = self._conn.execute(sql, (identifier,)).fetchone()
        return _account(row) if row else None

    def authenticate(self, identifier: str, password: str) -> Account | None:
        row = self._conn.execute(
            "SELECT * FROM accounts WHERE identifier = ?", (identifier,)
        ).fetchone()
        if row is None or not secret_matches(password, row["password_hash"]):
            return None
        return _account(row)


def _account(row: sqlite3.Row) -> Account:
    return Account(
        id=row["id"],
        identifier=row["identifier"],
        given_name=row["given_name"],
        family_name=row["family_name"],
        email=row["email"],
        phone=row["phone"],
    )
