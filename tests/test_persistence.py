"""A file database survives a restart: accounts, patients, sessions, PASS's signing key; and
passwords stored at one scrypt cost, under a simulator started at another."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from simulator.accounts import SCRYPT_COST
from tests.conftest import Simulated, simulator
from tests.cookies import replaying
from tests.http_user import HttpUser

TABLE = re.compile(r"<tbody>.*?</tbody>", re.S)
COUNT = re.compile(r'role="status">\d+ patients?<')


def listing(page: httpx.Response) -> tuple[str, str]:
    """The count and the first page of the patient list."""
    table, count = TABLE.search(page.text), COUNT.search(page.text)
    assert table and count and "/patients/" in table.group(0)
    return count.group(0), table.group(0)


def same_ports(sim: Simulated) -> dict:
    """Restart on the same ports, so public URLs (and cookie hosts) stay the same."""
    ports = {part: int(url.rsplit(":", 1)[1]) for part, url in sim.internal.items()}
    return {"ports": ports, "smtp_port": sim.ready.urls.smtp[1]}


def test_restart_keeps_accounts_patients_sessions_and_keys(tmp_path: Path) -> None:
    database = str(tmp_path / "simulateur.sqlite")
    with simulator(database=database, patients=50) as first:
        account = first.control.new_account()
        with HttpUser(first, account) as user:
            patients = listing(user.open_spico())
            spico_cookie = user.spico_cookie()
            pass_cookie = user.http.cookies.get("pass_session", domain="pass.localhost")
        jwks = httpx.get(first.internal["pass"] + "/oidc/jwks").json()
        journal = first.control.journal(account=account.identifier)
        restart = same_ports(first)

    with simulator(database=database, patients=10, scrypt_cost=SCRYPT_COST, **restart) as second:
        assert second.public == first.public
        assert httpx.get(second.internal["pass"] + "/oidc/jwks").json() == jwks
        assert second.control.journal(account=account.identifier) == journal

        with replaying("spico.localhost", "spico_session", spico_cookie) as browser:
            page = browser.get(second.public["spico"] + "/patients")
        assert page.status_code == 200
        assert listing(page) == patients  # the same patients, not 10 new ones

        with replaying("pass.localhost", "pass_session", pass_cookie) as browser:
            kiosk = browser.get(second.public["pass"] + "/kiosque")
        assert kiosk.status_code == 200
        assert "Kiosque des services" in kiosk.text

        with HttpUser(second, account) as again:  # the account still signs in, OIDC and all
            assert "Liste des patients" in again.open_spico().text


def test_memory_database_starts_afresh() -> None:
    with simulator(patients=5) as first:
        account = first.control.new_account()
        jwks = httpx.get(first.internal["pass"] + "/oidc/jwks").json()
    with simulator(patients=5) as second:
        assert httpx.get(second.internal["pass"] + "/oidc/jwks").json() != jwks
        with HttpUser(second, account) as user:
            refused = user.submit_credentials()
        assert refused.status_code == 401
