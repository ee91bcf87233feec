"""The Django stack (``python -m realstack django``): SPICO a Django application with its own
sessions, signed in through PASS's CAS server (django-cas-ng), served by gunicorn. Its JSON
line and profile, its way to PASS, the ``--django`` settings and the variants reaching it,
PASS's back-channel logout deleting its session, and its stop leaving no gunicorn behind."""

from __future__ import annotations

import json
import os
import sqlite3
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, expect

from fixtures import profile as profiles
from processes.waiting import poll
from tests.stack_apart import interrupt, launch
from tests.test_realstack import _mentions, _signed_in, _tls_client
from tests.test_realstack import stack_browser as _chromium

pytestmark = pytest.mark.pile_reelle
#: The suite's Chromium, told to trust this module's stack.
stack_browser = _chromium

APPLICATION = "l'application SPICO (Django, gunicorn)"


@pytest.fixture(scope="module")
def stack() -> Iterator[dict]:
    launched = launch("django")
    try:
        yield launched.ready
    finally:
        interrupt(launched)


def _get(client: httpx.Client, url: str) -> httpx.Response:
    """GET ``url`` (its query kept) on loopback, its certificate checked against its name."""
    parts = urlsplit(url)
    return client.get(
        f"https://127.0.0.1:{parts.port}{parts.path}?{parts.query}",
        headers={"Host": parts.netloc},
        extensions={"sni_hostname": parts.hostname},
    )


def _sessions(ready: dict) -> set[str]:
    """The session keys Django's database holds, expired or not."""
    database = Path(ready["dossier"]) / "django" / "spico.sqlite3"
    with sqlite3.connect(database) as conn:
        return {key for (key,) in conn.execute("SELECT session_key FROM django_session")}


def test_launcher_prints_json_line_and_profile(stack: dict) -> None:
    assert stack["pile"] == "django"
    assert stack["urls"]["spico_deconnexion"] == stack["urls"]["spico"] + "deconnexion/"
    assert stack["urls"]["cas"] == stack["urls"]["pass"] + "cas/"
    target = profiles.load(stack["profil"], environ=stack["environnement"], reach=False)
    assert target.spico_url == stack["urls"]["spico"].rstrip("/")
    assert target.declared_timeouts == {"spico": 7200, "pass": 14400, "code": 120}
    versions = tomllib.loads(Path(stack["profil"]).read_text())["versions"]
    assert {"LemonLDAP::NG", "Django", "django-cas-ng", "gunicorn"} <= set(versions)
    assert versions["Django"].startswith("4.2")
    conf = json.loads((Path(stack["dossier"]) / "llng" / "conf" / "lmConf-1.json").read_text())
    assert (conf["issuerDBCASActivation"], conf["casBackChannelSingleLogout"]) == (1, 1)
    service = conf["casAppMetaDataOptions"]["spico"]["casAppMetaDataOptionsService"]
    assert service == stack["urls"]["spico"]
    assert conf["casAppMetaDataExportedVars"]["spico"] == {"uid": "uid", "cn": "cn"}
    # gunicorn under the stack's clock, resolving PASS's name through nss_wrapper
    group = stack["groupes"][APPLICATION]
    assert _mentions(group, stack["horloge_fichier"])
    assert _mentions(group, "NSS_WRAPPER_HOSTS")
    assert _mentions(group, "--no-control-socket")


def test_spico_sends_an_unknown_browser_to_pass_cas_login(stack: dict) -> None:
    with _tls_client(stack) as client:
        home = _get(client, stack["urls"]["spico"] + "?sexe=F")
        login = _get(client, urljoin(stack["urls"]["spico"], home.headers["location"]))
        ended = _get(client, stack["urls"]["spico"] + "session-terminee")
    assert home.status_code == 302
    assert "no-store" in home.headers["cache-control"]
    assert login.status_code == 302
    to_pass = urlsplit(login.headers["location"])
    assert f"https://{to_pass.netloc}{to_pass.path}" == stack["urls"]["cas"] + "login"
    (service,) = parse_qs(to_pass.query)["service"]
    assert service.startswith(stack["urls"]["spico"] + "connexion/")
    assert parse_qs(urlsplit(service).query)["next"] == ["/?sexe=F"]
    assert "set-cookie" not in home.headers and "set-cookie" not in login.headers
    assert ended.status_code == 200 and "no-store" in ended.headers["cache-control"]
    assert "<h1>Votre session SPICO est terminée</h1>" in ended.text


def test_pass_logout_deletes_the_django_session(stack_browser: Browser, stack: dict) -> None:
    """PASS's logout posts a CAS logout request to SPICO, server to server: the session's row
    is gone from Django's database, and its cookie replayed leads to PASS's sign-in."""
    signed_in = _signed_in(stack_browser, stack, stack["comptes"][1])
    try:
        spico_host = urlsplit(stack["urls"]["spico"]).hostname
        cookies = [c for c in signed_in.cookies() if c["domain"] == spico_host]
        (session,) = [c for c in cookies if c["name"] == "sessionid"]
        assert session["httpOnly"] and session["secure"] and session["expires"] == -1
        assert session["value"] in _sessions(stack)
        signed_in.pages[0].goto(stack["urls"]["pass"] + "?logout=1")
    finally:
        signed_in.close()
    assert poll(lambda: session["value"] not in _sessions(stack), 10, every=0.2)
    context = stack_browser.new_context(locale="fr-FR")
    try:
        context.add_cookies(cookies)
        page = context.new_page()
        page.goto(stack["urls"]["spico"])
        expect(page.locator("#userfield")).to_be_visible()
        expect(page.get_by_role("table", name="Patients")).to_have_count(0)
    finally:
        context.close()


def test_settings_and_variants_reach_django_and_the_stop_leaves_no_gunicorn() -> None:
    """Variants first, then ``--django`` (which wins), in the settings gunicorn's workers
    read; ``--llng`` in PASS's. CAS_STORE_NEXT makes the sign-in page save a session, so its
    cookie's flags show before anyone signs in."""
    launched = launch(
        "django",
        "--variante",
        "cookie-lisible",
        "--variante",
        "inactivite-8h",
        "--variante",
        "sans-propagation",
        "--django",
        "SESSION_COOKIE_AGE=600",
        "--django",
        "CAS_STORE_NEXT=True",
        "--django",
        "SECURE_REFERRER_POLICY='no-referrer'",
    )
    ready = launched.ready
    folder = ready["dossier"]
    try:
        with _tls_client(ready) as client:
            answer = _get(client, ready["urls"]["spico"] + "connexion/")
        assert answer.headers["referrer-policy"] == "no-referrer"
        cookie = answer.headers["set-cookie"]
        assert cookie.startswith("sessionid=") and "Secure" in cookie and "SameSite=Lax" in cookie
        assert "HttpOnly" not in cookie and "expires" not in cookie.lower()
        database = Path(folder) / "django" / "spico.sqlite3"
        with sqlite3.connect(database) as conn:
            (row,) = conn.execute("SELECT strftime('%s', expire_date) FROM django_session")
        assert abs(int(row[0]) - time.time() - 600) < 60
        conf = json.loads((Path(folder) / "llng" / "conf" / "lmConf-1.json").read_text())
        assert conf["casBackChannelSingleLogout"] == 0
        assert (
            "variantes : cookie-lisible, inactivite-8h, sans-propagation"
            in Path(ready["profil"]).read_text()
        )
    finally:
        assert interrupt(launched) == 0
    for name, group in ready["groupes"].items():
        with pytest.raises(ProcessLookupError):
            os.killpg(group, 0)
            pytest.fail(f"{name} : son groupe de processus existe encore")
    left = [int(p) for p in os.listdir("/proc") if p.isdigit() and _mentions(int(p), folder)]
    assert left == []
    assert not Path(folder).exists()
