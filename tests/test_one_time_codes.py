"""One-time codes (BP-OTP): single use, 10 minutes, 3 attempts, the newest code wins."""

from __future__ import annotations

import sqlite3

import pytest

from simulator import db, seed
from simulator.accounts import Accounts
from simulator.clock import Clock
from simulator.one_time_codes import LIFETIME_SECONDS, MAX_ATTEMPTS, Check, OneTimeCodes

LOGIN = "connexion-pass"
LUCY, MARC = 1, 2  # the demo accounts, in seeding order


@pytest.fixture
def conn() -> sqlite3.Connection:
    conn = db.connect(":memory:")
    seed.seed_if_empty(conn, Accounts(conn), 0, 2022)
    return conn


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def codes(conn: sqlite3.Connection, clock: Clock) -> OneTimeCodes:
    return OneTimeCodes(conn, clock)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_codes_are_six_digits_and_random(codes: OneTimeCodes) -> None:
    issued = {codes.issue(LUCY, LOGIN, "email") for _ in range(20)}
    assert all(len(c) == 6 and c.isdigit() for c in issued)
    assert len(issued) > 1


def test_a_code_works_once(codes: OneTimeCodes) -> None:
    code = codes.issue(LUCY, LOGIN, "email")
    assert codes.check(LUCY, LOGIN, code) is Check.ACCEPTED
    assert codes.check(LUCY, LOGIN, code) is Check.NONE


def test_surrounding_spaces_are_ignored(codes: OneTimeCodes) -> None:
    code = codes.issue(LUCY, LOGIN, "sms")
    assert codes.check(LUCY, LOGIN, f"  {code} ") is Check.ACCEPTED


def test_a_code_expires_after_ten_minutes(codes: OneTimeCodes, clock: Clock) -> None:
    still_good = codes.issue(LUCY, LOGIN, "email")
    clock.advance(LIFETIME_SECONDS - 5)
    assert codes.check(LUCY, LOGIN, still_good) is Check.ACCEPTED
    late = codes.issue(LUCY, LOGIN, "email")
    clock.advance(LIFETIME_SECONDS)
    assert codes.check(LUCY, LOGIN, late) is Check.EXPIRED


def test_three_attempts_then_even_the_right_code_is_refused(codes: OneTimeCodes) -> None:
    code = codes.issue(LUCY, LOGIN, "email")
    outcomes = [codes.check(LUCY, LOGIN, wrong(code)) for _ in range(MAX_ATTEMPTS)]
    assert outcomes == [Check.WRONG] * (MAX_ATTEMPTS - 1) + [Check.EXHAUSTED]
    assert codes.check(LUCY, LOGIN, code) is Check.EXHAUSTED


def test_two_wrong_attempts_leave_the_right_one(codes: OneTimeCodes) -> None:
    code = codes.issue(LUCY, LOGIN, "email")
    for _ in range(MAX_ATTEMPTS - 1):
        assert codes.check(LUCY, LOGIN, wrong(code)) is Check.WRONG
    assert codes.check(LUCY, LOGIN, code) is Check.ACCEPTED


def test_a_newer_code_supersedes_the_older(codes: OneTimeCodes) -> None:
    older = codes.issue(LUCY, LOGIN, "email")
    newer = codes.issue(LUCY, LOGIN, "sms")
    while newer == older:  # one chance in a million
        newer = codes.issue(LUCY, LOGIN, "sms")
    assert codes.check(LUCY, LOGIN, older) is Check.WRONG
    assert codes.check(LUCY, LOGIN, newer) is Check.ACCEPTED


def test_a_new_code_restores_the_attempts(codes: OneTimeCodes) -> None:
    code = codes.issue(LUCY, LOGIN, "email")
    for _ in range(MAX_ATTEMPTS):
        codes.check(LUCY, LOGIN, wrong(code))
    fresh = codes.issue(LUCY, LOGIN, "email")
    assert codes.check(LUCY, LOGIN, fresh) is Check.ACCEPTED


def test_no_code_issued(codes: OneTimeCodes) -> None:
    assert codes.check(LUCY, LOGIN, "123456") is Check.NONE


def test_codes_belong_to_one_account_and_one_purpose(codes: OneTimeCodes) -> None:
    code = codes.issue(LUCY, LOGIN, "email")
    assert codes.check(MARC, LOGIN, code) is Check.NONE
    assert codes.check(LUCY, "activation-mobile", code) is Check.NONE
    assert codes.check(LUCY, LOGIN, code) is Check.ACCEPTED


def test_only_a_digest_is_stored(codes: OneTimeCodes, conn: sqlite3.Connection) -> None:
    code = codes.issue(LUCY, LOGIN, "email")
    row = conn.execute("SELECT * FROM one_time_codes").fetchone()
    assert code not in [str(value) for value in tuple(row)]


def test_every_refusal_has_a_french_message() -> None:
    refusals = [c for c in Check if c is not Check.ACCEPTED]
    assert all(c.message.endswith(".") and "code" in c.message.lower() for c in refusals)
    assert "Demandez un nouveau code" in Check.EXPIRED.message
    assert "Trop d'essais" in Check.EXHAUSTED.message


# -- fault "code-reutilisable" --------------------------------------------------------------


@pytest.fixture
def reusable(conn: sqlite3.Connection, clock: Clock) -> OneTimeCodes:
    return OneTimeCodes(conn, clock, single_use=False)


def test_fault_lets_a_code_work_again(reusable: OneTimeCodes) -> None:
    code = reusable.issue(LUCY, LOGIN, "email")
    assert reusable.check(LUCY, LOGIN, code) is Check.ACCEPTED
    assert reusable.check(LUCY, LOGIN, code) is Check.ACCEPTED


def test_fault_keeps_older_codes_alive(reusable: OneTimeCodes) -> None:
    older = reusable.issue(LUCY, LOGIN, "email")
    reusable.issue(LUCY, LOGIN, "email")
    assert reusable.check(LUCY, LOGIN, older) is Check.ACCEPTED


def test_fault_still_lets_codes_expire(reusable: OneTimeCodes, clock: Clock) -> None:
    code = reusable.issue(LUCY, LOGIN, "email")
    clock.advance(LIFETIME_SECONDS + 1)
    assert reusable.check(LUCY, LOGIN, code) is Check.EXPIRED
