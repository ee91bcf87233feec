"""Phones where the mobile app is activated: registration, the PIN checked by the server,
revocation (EXI-MOB-ACTIVATION, EXI-MOB-VERROUILLAGE, EXI-MOB-REINITIALISATION, BP-PIN-ESSAIS).

The app keeps a device id and a device token; the server keeps digests only. A revoked
device is refused for good: the app must be activated again.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import json
import secrets
import sqlite3
from dataclasses import dataclass

from ..accounts import hash_secret, secret_matches
from ..clock import Clock
from ..context import Context


class Unlock(enum.Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    REVOKED = "revoked"  # revoked now (attempts used up) or earlier (reset, unknown token)


@dataclass(frozen=True)
class Device:
    id: str
    account_id: int
    pin_failures: int


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


#: Where the app (``static/mobile.js``) keeps its device credential on the phone.
DEVICE_KEY = "spico.appareil"


def kept_on_phone(device: Device, token: str) -> dict[str, str]:
    """What the app keeps in the phone's storage once activated, as ``mobile.js`` writes it:
    the device id and token, no fingerprint or face enrolled yet."""
    kept = {"appareil": device.id, "jeton": token, "biometrie": False}
    return {DEVICE_KEY: json.dumps(kept, separators=(",", ":"))}


def valid_pin(pin: object) -> bool:
    return isinstance(pin, str) and len(pin) == 4 and pin.isascii() and pin.isdigit()


class Devices:
    def __init__(
        self, conn: sqlite3.Connection, clock: Clock, pin_limit: int | None, scrypt_cost: int
    ) -> None:
        self._conn = conn
        self._clock = clock
        #: ``None`` (fault "pin-essais-illimites") never revokes after wrong PINs.
        self._pin_limit = pin_limit
        self._scrypt_cost = scrypt_cost

    @classmethod
    def of(cls, ctx: Context) -> Devices:
        """The devices as the simulator's rules (its faults) and settings say."""
        return cls(ctx.conn, ctx.clock, ctx.behaviour.pin_attempts, ctx.settings.scrypt_cost)

    def register(self, account_id: int, pin: str) -> tuple[Device, str]:
        """A new device for the account; returns it with the token only the app will hold."""
        device_id, token = secrets.token_urlsafe(12), secrets.token_urlsafe(32)
        self._conn.execute(
            "INSERT INTO devices(id, account_id, token_hash, pin_hash, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (
                device_id,
                account_id,
                _digest(token),
                hash_secret(pin, self._scrypt_cost),
                self._clock.timestamp(),
            ),
        )
        return Device(device_id, account_id, 0), token

    def authenticate(self, device_id: object, token: object) -> Device | None:
        """The live device these credentials belong to, or ``None``."""
        if not (isinstance(device_id, str) and isinstance(token, str)):
            return None
        row = self._conn.execute(
            "SELECT * FROM devices WHERE id = ? AND revoked_at IS NULL", (device_id[:100],)
        ).fetchone()
        if row is None or not hmac.compare_digest(row["token_hash"], _digest(token)):
            return None
        return Device(row["id"], row["account_id"], row["pin_failures"])

    def check_pin(self, device: Device, pin: str) -> tuple[Unlock, int | None]:
        """The outcome and the attempts left (``None`` when there is no limit)."""
        stored = self._conn.execute(
            "SELECT pin_hash FROM devices WHERE id = ?", (device.id,)
        ).fetchone()["pin_hash"]
        if valid_pin(pin) and secret_matches(pin, stored):
            self._conn.execute("UPDATE devices SET pin_failures = 0 WHERE id = ?", (device.id,))
            return Unlock.ACCEPTED, self._pin_limit
        failures = device.pin_failures + 1
        self._conn.execute(
            "UPDATE devices SET pin_failures = ? WHERE id = ?", (failures, device.id)
        )
        if self._pin_limit is None:
            return Unlock.WRONG, None
        if failures >= self._pin_limit:
            self.revoke(device, "essais PIN épuisés")
            return Unlock.REVOKED, 0
        return Unlock.WRONG, self._pin_limit - failures

    def revoke(self, device: Device, reason: str) -> None:
        self._conn.execute(
            "UPDATE devices SET revoked_at = ?, revoked_reason = ? WHERE id = ?",
            (self._clock.timestamp(), reason, device.id),
        )

    # -- WebAuthn state kept with the device ----------------------------------------------

    def set_challenge(self, device: Device, challenge: bytes, lifetime: float) -> None:
        self._conn.execute(
            "UPDATE devices SET challenge = ?, challenge_expires_at = ? WHERE id = ?",
            (challenge.hex(), self._clock.timestamp() + lifetime, device.id),
        )

    def take_challenge(self, device: Device) -> bytes | None:
        """The pending challenge, once: a second use of it finds nothing."""
        row = self._conn.execute(
            "SELECT challenge, challenge_expires_at FROM devices WHERE id = ?", (device.id,)
        ).fetchone()
        self._conn.execute("UPDATE devices SET challenge = NULL WHERE id = ?", (device.id,))
        if row["challenge"] is None or row["challenge_expires_at"] <= self._clock.timestamp():
            return None
        return bytes.fromhex(row["challenge"])

    def add_credential(self, device: Device, credential_id: str, public_key: bytes, count: int):
        self._conn.execute(
            "INSERT OR REPLACE INTO device_credentials(credential_id, device_id, public_key,"
            " sign_count) VALUES (?, ?, ?, ?)",
            (credential_id, device.id, public_key, count),
        )

    def credentials(self, device: Device) -> list[sqlite3.Row]:
        return self._conn.execute(
            "SELECT * FROM device_credentials WHERE device_id = ?", (device.id,)
        ).fetchall()

    def update_sign_count(self, credential_id: str, count: int) -> None:
        self._conn.execute(
            "UPDATE device_credentials SET sign_count = ? WHERE credential_id = ?",
            (count, credential_id),
        )
