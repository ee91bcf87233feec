"""SQLite storage: one connection, used from the event loop's thread only.

A file database survives a restart (accounts, patients, sessions, keys); ``:memory:``
gives a throw-away simulator.
"""

from __future__ import annotations

import sqlite3

#: The patient list's indexes (the guide's search panel); a bulk load drops them and builds them
#: again once the rows are in, which is faster than keeping them up to date row by row.
PATIENT_INDEXES = {
    "patients_listing": "patients(archived, updated_at DESC)",
    "patients_family": "patients(family_key)",
    "patients_given": "patients(given_key)",
    "patients_birth": "patients(birth_date)",
    # Covers every filter of the search form, so COUNT(*) never reads the table itself.
    "patients_filters": "patients(archived, sex, status, favourite, tasks, themes, structures,"
    " professionals)",
}

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS accounts (
    id INTEGER PRIMARY KEY,
    identifier TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS sessions (
    key TEXT PRIMARY KEY,          -- sha256 of the cookie value
    app TEXT NOT NULL,             -- 'pass' or 'spico'
    account_id INTEGER REFERENCES accounts(id),
    sid TEXT,                      -- PASS session id shared with relying parties
    created_at REAL NOT NULL,
    last_activity REAL NOT NULL,
    ended_at REAL,
    end_reason TEXT,
    data TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS sessions_sid ON sessions(app, sid);
CREATE INDEX IF NOT EXISTS sessions_live ON sessions(app, ended_at);

CREATE TABLE IF NOT EXISTS one_time_codes (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    purpose TEXT NOT NULL,
    channel TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    created_at REAL NOT NULL,
    expires_at REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    used_at REAL
);

CREATE TABLE IF NOT EXISTS oauth_codes (
    code TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    account_id INTEGER NOT NULL,
    redirect_uri TEXT NOT NULL,
    scope TEXT NOT NULL,
    nonce TEXT,
    code_challenge TEXT,
    code_challenge_method TEXT,
    sid TEXT NOT NULL,
    auth_time INTEGER NOT NULL,
    created_at REAL NOT NULL
);

CREATE TABLE IF NOT EXISTS oauth_tokens (
    access_token TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    account_id INTEGER NOT NULL,
    scope TEXT NOT NULL,
    sid TEXT,
    expires_at REAL NOT NULL
);

CREATE TABLE IF NOT EXISTS patients (
    id INTEGER PRIMARY KEY,
    family_name TEXT NOT NULL,
    given_name TEXT NOT NULL,
    family_key TEXT NOT NULL,      -- upper case, no accents: what the search compares
    given_key TEXT NOT NULL,
    birth_date TEXT NOT NULL,      -- ISO 8601
    sex TEXT NOT NULL,             -- 'H' or 'F'
    themes INTEGER NOT NULL,       -- bit set over catalog.THEMES
    structures INTEGER NOT NULL,   -- bit set over catalog.STRUCTURES
    professionals INTEGER NOT NULL,-- bit set over the seeded professionals
    status TEXT NOT NULL,
    favourite INTEGER NOT NULL,
    archived INTEGER NOT NULL,
    tasks INTEGER NOT NULL,
    next_appointment TEXT,
    updated_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL,         -- 'email' or 'sms'
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    sent_at REAL NOT NULL
);

-- Phones where the mobile app is activated (EXI-MOB-*). The app keeps the id and the
-- token; the server keeps only digests, and checks the PIN itself (BP-PIN-ESSAIS).
CREATE TABLE IF NOT EXISTS devices (
    id TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    token_hash TEXT NOT NULL,
    pin_hash TEXT NOT NULL,
    pin_failures INTEGER NOT NULL DEFAULT 0,
    challenge TEXT,                -- pending WebAuthn challenge (hex) and its end
    challenge_expires_at REAL,
    created_at REAL NOT NULL,
    revoked_at REAL,
    revoked_reason TEXT
);
CREATE INDEX IF NOT EXISTS devices_account ON devices(account_id);

-- The fingerprint or face: a WebAuthn platform credential bound to one device.
CREATE TABLE IF NOT EXISTS device_credentials (
    credential_id TEXT PRIMARY KEY, -- base64url
    device_id TEXT NOT NULL REFERENCES devices(id),
    public_key BLOB NOT NULL,
    sign_count INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS device_credentials_device ON device_credentials(device_id);

CREATE TABLE IF NOT EXISTS journal (
    id INTEGER PRIMARY KEY,
    at REAL NOT NULL,
    part TEXT NOT NULL,
    event TEXT NOT NULL,
    account TEXT,
    detail TEXT NOT NULL DEFAULT '{}'
);
"""


def connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    conn.row_factory = sqlite3.Row
    if path != ":memory:":
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
    conn.executescript(SCHEMA)
    create_patient_indexes(conn)
    return conn


def create_patient_indexes(conn: sqlite3.Connection) -> None:
    for name, columns in PATIENT_INDEXES.items():
        conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {columns}")


def drop_patient_indexes(conn: sqlite3.Connection) -> None:
    for name in PATIENT_INDEXES:
        conn.execute(f"DROP INDEX IF EXISTS {name}")


def get_meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row["value"] if row else None


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))
