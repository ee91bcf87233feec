"""The event journal: what happened to sessions and codes, readable through the control API.

It is the server-side evidence the compliance report quotes (logins, logouts,
expiries, back-channel calls, codes sent).
"""

from __future__ import annotations

import json
import sqlite3

from .clock import Clock


class Journal:
    def __init__(self, conn: sqlite3.Connection, clock: Clock) -> None:
        self._conn = conn
        self._clock = clock

    def record(self, part: str, event: str, account: str | None = None, **detail: object) -> None:
        self._conn.execute(
            "INSERT INTO journal(at, part, event, account, detail) VALUES (?, ?, ?, ?, ?)",
            (self._clock.timestamp(), part, event, account, json.dumps(detail, ensure_ascii=False)),
        )

    def read(self, since_id: int = 0, account: str | None = None) -> list[dict]:
        sql = "SELECT * FROM journal WHERE id > ?"
        args: list[object] = [since_id]
        if account:
            sql += " AND account = ?"
            args.append(account)
        rows = self._conn.execute(sql + " ORDER BY id", args).fetchall()
        return [{**dict(r), "detail": json.loads(r["detail"])} for r in rows]
