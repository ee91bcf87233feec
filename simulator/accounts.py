"""PASS accounts: professionals who sign in with an identifier, a password and a one-time code."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
from dataclasses import dataclass

#: scrypt's cost (log2 of N) unless the simulator is told otherwise (``--cout-scrypt``).
SCRYPT_COST = 14
#: The cheapest cost the simulator accepts: a test's simulator, whose secrets guard nothing.
SCRYPT_MIN_COST = 10


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


def _scrypt(secret: str, salt: bytes, cost: int) -> str:
    return hashlib.scrypt(secret.encode(), salt=salt, n=2**cost, r=8, p=1).hex()


def hash_secret(password: str, cost: int) -> str:
    """scrypt digest of a password or a PIN, salted, with the cost it was made at: a
    database keeps working whatever cost the simulator is later started with."""
    salt = secrets.token_bytes(16)
    return f"{cost}${salt.hex()}${_scrypt(password, salt, cost)}"


def secret_matches(password: str, stored: str) -> bool:
    """Does ``password`` match the digest? (A digest without its cost is from before costs
    were written: the default's.)"""
    *cost, salt, digest = stored.split("$")
    candidate = _scrypt(password, bytes.fromhex(salt), int(cost[0]) if cost else SCRYPT_COST)
    return hmac.compare_digest(candidate, digest)


class Accounts:
    def __init__(self, conn: sqlite3.Connection, scrypt_cost: int = SCRYPT_COST) -> None:
        self._conn = conn
        self._scrypt_cost = scrypt_cost

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
            (
                identifier,
                hash_secret(password, self._scrypt_cost),
                given_name,
                family_name,
                email,
                phone,
            ),
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
