"""Server-side web sessions in SQLite, shared by PASS and SPICO.

The browser only holds a random identifier; the table holds who is signed in and
when they were last active. Only a digest of the identifier is stored.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
from dataclasses import dataclass, field

from .clock import Clock
from .journal import Journal


def _key(cookie_value: str) -> str:
    return hashlib.sha256(cookie_value.encode()).hexdigest()


@dataclass
class Session:
    key: str
    account_id: int | None
    sid: str | None
    last_activity: float
    data: dict = field(default_factory=dict)

    @property
    def authenticated(self) -> bool:
        return self.account_id is not None

    def seconds_left(self, idle_seconds: float, now: float) -> float:
        """What is left at ``now`` of an ``idle_seconds`` limit on inactivity: the server's
        (``SessionStore``) and the page's countdown (``Behaviour.screen_idle_seconds``) count
        the same way."""
        return self.last_activity + idle_seconds - now


class SessionStore:
    def __init__(
        self,
        conn: sqlite3.Connection,
        clock: Clock,
        journal: Journal,
        app: str,
        idle_seconds: float | None,
    ) -> None:
        self._conn = conn
        self._clock = clock
        self._journal = journal
        self.app = app
        #: ``None`` means the server never ends an idle session (a fault, never the default).
        self.idle_seconds = idle_seconds

    def create(self, account_id: int | None = None, sid: str | None = None, **data: object) -> str:
        """Start a session; returns the cookie value (never stored as such)."""
        value = secrets.token_urlsafe(32)
        now = self._clock.timestamp()
        self._conn.execute(
            "INSERT INTO sessions(key, app, account_id, sid, created_at, last_activity, data)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (_key(value), self.app, account_id, sid, now, now, json.dumps(data)),
        )
        return value

    def load(self, cookie_value: str | None) -> Session | None:
        """The live session for a cookie, ending it first if it has been idle too long."""
        if not cookie_value:
            return None
        row = self._conn.execute(
            "SELECT * FROM sessions WHERE key = ? AND app = ? AND ended_at IS NULL",
            (_key(cookie_value), self.app),
        ).fetchone()
        if row is None:
            return None
        session = _session(row)
        if self._idle_expired(session):
            self.end(session, "inactivité")
            return None
        return session

    def touch(self, session: Session) -> None:
        """Record user activity: the inactivity count starts again."""
        session.last_activity = self._clock.timestamp()
        self._conn.execute(
            "UPDATE sessions SET last_activity = ? WHERE key = ?",
            (session.last_activity, session.key),
        )

    def save_data(self, session: Session) -> None:
        self._conn.execute(
            "UPDATE sessions SET data = ? WHERE key = ?", (json.dumps(session.data), session.key)
        )

    def sign_in(
        self,
        session: Session | None,
        cookie_value: str | None,
        account_id: int,
        sid: str,
        rotate: bool = True,
        **data: object,
    ) -> str:
        """Attach an account to the browser, normally under a brand-new identifier (BP-ID-ROTATION).

        With ``rotate=False`` (``Behaviour.rotate_session_id`` bent by a fault) the pre-login
        identifier is kept, which is what makes session fixation possible.
        """
        if session is not None and cookie_value and not rotate:
            self._conn.execute(
                "UPDATE sessions SET account_id = ?, sid = ?, last_activity = ?, data = ?"
                " WHERE key = ?",
                (account_id, sid, self._clock.timestamp(), json.dumps(data), session.key),
            )
            return cookie_value
        if session is not None:
            self.end(session, "rotation", record=False)
        return self.create(account_id=account_id, sid=sid, **data)

    def end(self, session: Session, reason: str, record: bool = True) -> None:
        self._conn.execute(
            "UPDATE sessions SET ended_at = ?, end_reason = ? WHERE key = ? AND ended_at IS NULL",
            (self._clock.timestamp(), reason, session.key),
        )
        if record and session.authenticated:
            self._journal.record(
                self.app, "fin_de_session", self._identifier(session.account_id), raison=reason
            )

    def end_by_sid(self, sid: str, reason: str) -> int:
        rows = self._conn.execute(
            "SELECT * FROM sessions WHERE app = ? AND sid = ? AND ended_at IS NULL",
            (self.app, sid),
        ).fetchall()
        for row in rows:
            self.end(_session(row), reason)
        return len(rows)

    def sweep_idle(self) -> list[Session]:
        """End every session idle for too long; returns them (PASS notifies relying parties)."""
        if self.idle_seconds is None:
            return []
        limit = self._clock.timestamp() - self.idle_seconds
        rows = self._conn.execute(
            "SELECT * FROM sessions WHERE app = ? AND ended_at IS NULL AND last_activity <= ?",
            (self.app, limit),
        ).fetchall()
        expired = [_session(r) for r in rows]
        for session in expired:
            self.end(session, "inactivité")
        return expired

    def _idle_expired(self, session: Session) -> bool:
        if self.idle_seconds is None:
            return False
        return session.seconds_left(self.idle_seconds, self._clock.timestamp()) <= 0

    def _identifier(self, account_id: int | None) -> str | None:
        row = self._conn.execute(
            "SELECT identifier FROM accounts WHERE id = ?", (account_id,)
        ).fetchone()
        return row["identifier"] if row else None


def _session(row: sqlite3.Row) -> Session:
    return Session(
        key=row["key"],
        account_id=row["account_id"],
        sid=row["sid"],
        last_activity=row["last_activity"],
        data=json.loads(row["data"]),
    )
