"""Everything a simulator's parts share, built once at start-up."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import httpx

from .accounts import Account, Accounts
from .clock import Clock
from .config import Settings, Urls
from .journal import Journal
from .one_time_codes import OneTimeCodes
from .outbox import Outbox, send_email, send_sms
from .sessions import SessionStore


@dataclass
class Context:
    settings: Settings
    urls: Urls
    conn: sqlite3.Connection
    clock: Clock
    journal: Journal
    accounts: Accounts
    codes: OneTimeCodes
    outbox: Outbox
    pass_sessions: SessionStore
    spico_sessions: SessionStore
    professionals: list[str]
    #: One client for every server-to-server call (plain http on loopback, kept alive).
    http: httpx.AsyncClient

    async def send_code(self, account: Account, channel: str, subject: str, text: str) -> None:
        """Send a one-time code by the channel the user chose ("email" or "sms").

        Raises ``DeliveryFailed`` when the SMTP server or the SMS gateway refuses it.
        """
        if channel == "email":
            await send_email(self.urls.smtp, account.email, subject, text)
        else:
            await send_sms(self.http, self.urls.internal["sms"], account.phone, text)

    def fault(self, name: str) -> bool:
        """Is this fault of ``faults.CATALOG`` switched on?"""
        return name in self.settings.faults
