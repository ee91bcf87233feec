"""One-time codes sent by e-mail or SMS: single use, 10 minutes, 3 attempts (BP-OTP)."""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
import sqlite3

from .clock import Clock

LIFETIME_SECONDS = 10 * 60
MAX_ATTEMPTS = 3


def mask_email(email: str) -> str:
    """Where an e-mailed code goes, as the choice of channel shows it."""
    name, _, domain = email.partition("@")
    return f"{name[:1]}•••@{domain}"


def mask_phone(phone: str) -> str:
    """Where a texted code goes, as the choice of channel shows it."""
    return f"•• •• •• {phone[-4:-2]} {phone[-2:]}"


class Check(enum.Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    EXPIRED = "expired"
    EXHAUSTED = "exhausted"
    NONE = "none"

    @property
    def message(self) -> str:
        return {
            Check.ACCEPTED: "",
            Check.WRONG: "Code incorrect. Vérifiez le code reçu et réessayez.",
            Check.EXPIRED: "Ce code a expiré. Demandez un nouveau code.",
            Check.EXHAUSTED: "Trop d'essais pour ce code. Demandez un nouveau code.",
            Check.NONE: "Aucun code en cours. Demandez un nouveau code.",
        }[self]


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


class OneTimeCodes:
    def __init__(self, conn: sqlite3.Connection, clock: Clock, single_use: bool = True) -> None:
        self._conn = conn
        self._clock = clock
        #: ``False`` (a fault): a code is neither marked used nor superseded by the next one.
        self._reusable = not single_use

    def issue(self, account_id: int, purpose: str, channel: str) -> str:
        """A fresh code; earlier codes for the same purpose stop working."""
        now = self._clock.timestamp()
        if not self._reusable:
            self._conn.execute(
                "UPDATE one_time_codes SET expires_at = ? WHERE account_id = ? AND purpose = ?"
                " AND used_at IS NULL AND expires_at > ?",
                (now, account_id, purpose, now),
            )
        code = f"{secrets.randbelow(10**6):06d}"
        self._conn.execute(
            "INSERT INTO one_time_codes(account_id, purpose, channel, code_hash, created_at,"
            " expires_at) VALUES (?, ?, ?, ?, ?, ?)",
            (account_id, purpose, channel, _digest(code), now, now + LIFETIME_SECONDS),
        )
        return code

    def check(self, account_id: int, purpose: str, code: str) -> Check:
        now = self._clock.timestamp()
        digest = _digest(code.strip())
        if (
            self._reusable
            and self._conn.execute(
                "SELECT 1 FROM one_time_codes WHERE account_id = ? AND purpose = ?"
                " AND code_hash = ? AND expires_at > ?",
                (account_id, purpose, digest, now),
            ).fetchone()
        ):
            return Check.ACCEPTED
        row = self._conn.execute(
            "SELECT * FROM one_time_codes WHERE account_id = ? AND purpose = ?"
            " ORDER BY id DESC LIMIT 1",
            (account_id, purpose),
        ).fetchone()
        if row is None or row["used_at"] is not None:
            return Check.NONE
        if row["expires_at"] <= now:
            return Check.EXPIRED
        if row["attempts"] >= MAX_ATTEMPTS:
            return Check.EXHAUSTED
        if not hmac.compare_digest(row["code_hash"], digest):
            self._conn.execute(
                "UPDATE one_time_codes SET attempts = attempts + 1 WHERE id = ?", (row["id"],)
            )
            return Check.EXHAUSTED if row["attempts"] + 1 >= MAX_ATTEMPTS else Check.WRONG
        self._conn.execute("UPDATE one_time_codes SET used_at = ? WHERE id = ?", (now, row["id"]))
        return Check.ACCEPTED
