"""Everything a simulator's parts share, built once at start-up."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import httpx

from .accounts import Accounts
from .behaviour import Behaviour
from .clock import Clock
from .config import Settings, Urls
from .journal import Journal
from .one_time_codes import OneTimeCodes
from .outbox import Outbox
from .sessions import SessionStore


@dataclass
class Context:
    settings: Settings
    #: The rules in force: the guide's, or a fault's bent copy of them.
    behaviour: Behaviour
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
