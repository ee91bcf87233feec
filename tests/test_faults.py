"""Every fault of ``simulator.faults.CATALOG`` bends exactly the behaviour it names, over HTTP.

One check per fault drives PASS and SPICO like a browser and asserts the compliant
behaviour, or the faulty one with ``faulty=True``. The matrix runs every check against
the compliant build and against a simulator with each single fault: a check sees its
own fault, and no other fault except the overlaps declared in ``OVERLAPS``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack

import httpx
import pytest

from simulator.faults import CATALOG
from simulator.mobile.devices import MAX_PIN_ATTEMPTS
from tests.conftest import Simulated, simulator
from tests.cookies import persistent, replaying, set_cookie
from tests.mobile_client import PIN, MobileClient

HOUR = 3600
MINUTE = 60

Check = Callable[[Simulated, bool], None]
CHECKS: dict[str, Check] = {}

#: Faults that also break another fault's behaviour, for a stated reason. The matrix checks
#: these overlaps exist (the other check fails) and that there are no others.
OVERLAPS: dict[str, set[str]] = {
    # The server keeps idle sessions past 2 h, polling or not.
    "expiration-3h": {"expiration-navigateur-seulement", "interrogation-maintient-session"},
    "expiration-navigateur-seulement": {"expiration-3h", "interrogation-maintient-session"},
    # No PASS logout, hence nothing to propagate to SPICO.
    "deconnexion-pass-inoperante": {"sans-deconnexion-backchannel"},
}


def check(name: str) -> Callable[[Check], Check]:
    def register(function: Check) -> Check:
        CHECKS[name] = function
        return function

    return register


# -- helpers ---------------------------------------------------------------------------


def spico_get(sim: Simulated, cookie: str, path: str = "/patients") -> httpx.Response:
    """Replay a SPICO session cookie in a fresh client (no PASS cookie, no redirect)."""
    with replaying("spico.localhost", "spico_session", cookie) as client:
        return client.get(sim.public["spico"] + path)


def shows_patients(sim: Simulated, response: httpx.Response) -> bool:
    """True for the patient list; False for a redirect to PASS; anything else fails."""
    if response.status_code == 200:
        assert "Liste des patients" in response.text
        return True
    assert response.status_code == 303, response.text
    assert response.headers["location"].startswith(sim.public["pass"] + "/")
    return False


CONFIG = re.compile(r'<script id="session-config" type="application/json">(.*?)</script>')


def session_config(page: httpx.Response) -> dict:
    match = CONFIG.search(page.text)
    assert match, "no session-config in the page"
    return json.loads(match.group(1))


def first_record(page: httpx.Response) -> str:
    match = re.search(r'href="(/patients/\d+)"', page.text)
    assert match, "no patient in the list"
    return match.group(1)


# -- one check per fault ---------------------------------------------------------------


@check("expiration-3h")
def _timeout_3h(sim: Simulated, faulty: bool) -> None:
    """2 h + 1 s idle ends the session; with the fault it lives until 3 h.

    Probes use ``/api/session``, which is not activity: PASS's own 4-hour policy (which
    also ends SPICO sessions through the back-channel) must not be reached either.
    """
    with sim.user() as user:
        user.open_spico()
        cookie = user.spico_cookie()
    sim.control.advance(2 * HOUR + 1)
    alive = spico_get(sim, cookie, "/api/session").status_code == 200
    assert alive is faulty
    if faulty:
        sim.control.advance(HOUR - 2)  # 3 h - 1 s
        assert spico_get(sim, cookie, "/api/session").status_code == 200
        sim.control.advance(2)  # 3 h + 1 s
    assert not shows_patients(sim, spico_get(sim, cookie))


@check("expiration-navigateur-seulement")
def _timeout_in_browser_only(sim: Simulated, faulty: bool) -> None:
    """At 2 h + 1 s the server refuses the session; with the fault only the screen gives up."""
    with sim.user() as user:
        user.open_spico()
        cookie = user.spico_cookie()
    sim.control.advance(2 * HOUR + 1)
    status = spico_get(sim, cookie, "/api/session")
    if faulty:
        assert status.status_code == 200
        assert status.json()["remaining"] <= 0
        assert shows_patients(sim, spico_get(sim, cookie))
    else:
        assert status.status_code == 401
        assert status.json() == {"active": False}


@check("expiration-serveur-seulement")
def _timeout_on_server_only(sim: Simulated, faulty: bool) -> None:
    """Pages tell their script to watch the session; with the fault they do not."""
    with sim.user() as user:
        listing = user.open_spico()
        record = user.get(user.spico_url + first_record(listing))
    for page in (listing, record):
        assert session_config(page)["verifie"] is not faulty


@check("interrogation-maintient-session")
def _polling_keeps_alive(sim: Simulated, faulty: bool) -> None:
    """Polling every 30 minutes does not keep the session past 2 h; with the fault it does."""
    with sim.user() as user:
        user.open_spico()
        cookie = user.spico_cookie()
    for _ in range(3):
        sim.control.advance(30 * MINUTE)
        assert spico_get(sim, cookie, "/api/notifications").status_code == 200
    sim.control.advance(30 * MINUTE + 1)  # 2 h + 1 s after the last user action
    status = spico_get(sim, cookie, "/api/session")
    assert status.status_code == (200 if faulty else 401)


@check("cookie-spico-persistant")
def _spico_cookie_persistent(sim: Simulated, faulty: bool) -> None:
    """SPICO's session cookie has no expiry; with the fault it has one."""
    with sim.user() as user:
        page = user.open_spico()
    assert persistent(set_cookie(page, "spico_session", "/oidc/callback")) is faulty


@check("pass-se-souvenir-de-moi")
def _pass_cookie_persistent(sim: Simulated, faulty: bool) -> None:
    """PASS's session cookie has no expiry; with the fault it has one."""
    with sim.user() as user:
        kiosk = user.login_pass()
    assert "Kiosque des services" in kiosk.text
    assert persistent(set_cookie(kiosk, "pass_session", "/connexion/code/saisie")) is faulty


@check("cookie-sans-httponly")
def _spico_cookie_flags(sim: Simulated, faulty: bool) -> None:
    """SPICO's session cookie is HttpOnly and SameSite=lax; with the fault it is neither."""
    with sim.user() as user:
        page = user.open_spico()
    cookie = set_cookie(page, "spico_session", "/oidc/callback")
    assert ("httponly" in cookie) is not faulty
    assert cookie.get("samesite", "").lower() == ("" if faulty else "lax")


@check("deconnexion-spico-cookie-seul")
def _spico_logout_server_side(sim: Simulated, faulty: bool) -> None:
    """After SPICO logout the old cookie is refused; with the fault it still opens the list."""
    with sim.user() as user:
        user.open_spico()
        cookie = user.spico_cookie()
        out = user.logout_spico()
        assert "Vous êtes déconnecté de SPICO" in out.text
        assert user.spico_cookie() != cookie
    assert shows_patients(sim, spico_get(sim, cookie)) is faulty


@check("deconnexion-pass-inoperante")
def _pass_logout(sim: Simulated, faulty: bool) -> None:
    """After PASS logout the old PASS cookie is refused; with the fault it opens the kiosk."""
    with sim.user() as user:
        user.login_pass()
        cookie = user.http.cookies.get("pass_session", domain="pass.localhost")
        out = user.logout_pass()
    assert "Vous êtes déconnecté du PASS" in out.text
    with replaying("pass.localhost", "pass_session", cookie) as client:
        kiosk = client.get(sim.public["pass"] + "/kiosque")
    if faulty:
        assert kiosk.status_code == 200
        assert "Kiosque des services" in kiosk.text
    else:
        assert kiosk.status_code == 303
        assert kiosk.headers["location"].startswith("/connexion")


@check("sans-deconnexion-backchannel")
def _backchannel(sim: Simulated, faulty: bool) -> None:
    """PASS logout ends the SPICO session too; with the fault SPICO keeps it."""
    with sim.user() as user:
        user.open_spico()
        cookie = user.spico_cookie()
        user.logout_pass()
    assert shows_patients(sim, spico_get(sim, cookie)) is faulty


@check("pages-en-cache")
def _cache_control(sim: Simulated, faulty: bool) -> None:
    """Patient pages are sent ``no-store``; with the fault they are cacheable."""
    with sim.user() as user:
        listing = user.open_spico()
        record = user.get(user.spico_url + first_record(listing))
    for page in (listing, record):
        header = page.headers["cache-control"]
        if faulty:
            assert "no-store" not in header
            assert re.search(r"max-age=[1-9]", header)
        else:
            assert header == "no-store"


@check("identifiant-session-fixe")
def _session_rotation(sim: Simulated, faulty: bool) -> None:
    """Login gives SPICO a new session id; with the fault the pre-login one becomes signed in."""
    with sim.user() as user:
        first = user.http.get(user.spico_url + "/patients", follow_redirects=False)
        assert first.status_code == 303
        before = user.spico_cookie()
        assert before
        user.open_spico()
        after = user.spico_cookie()
    assert (after == before) is faulty
    assert shows_patients(sim, spico_get(sim, before)) is faulty


@check("page-sans-deconnexion")
def _logout_control(sim: Simulated, faulty: bool) -> None:
    """The patient record page has a logout button; with the fault it has none."""
    with sim.user() as user:
        listing = user.open_spico()
        record = user.get(user.spico_url + first_record(listing))
    assert "Se déconnecter" in listing.text
    assert record.status_code == 200
    assert ("Se déconnecter" in record.text) is not faulty


@check("code-reutilisable")
def _reused_code(sim: Simulated, faulty: bool) -> None:
    """A used one-time code is refused at the next login; with the fault it works again."""
    with sim.user() as user:
        again = user.reuse_login_code()
    if faulty:
        assert "Kiosque des services" in again.text
    else:
        assert again.status_code == 401
        assert "Aucun code en cours" in again.text


# -- the mobile app ---------------------------------------------------------------------

APP_CONFIG = re.compile(r'<script id="app-config" type="application/json">(.*?)</script>')


def app_config(sim: Simulated) -> dict:
    """The switches the app served to the phone carries (faults that live in the app)."""
    with MobileClient(sim) as app:
        page = app.http.get(sim.public["mobile"] + "/")
    match = APP_CONFIG.search(page.text)
    assert match, "no app-config in the app"
    return json.loads(match.group(1))


@check("activation-sans-code")
def _activation_code(sim: Simulated, faulty: bool) -> None:
    with MobileClient(sim) as app:
        started = app.start(sim.control.new_account())
        assert started["etape"] == ("pin" if faulty else "code")
        device = app.call("appareils", {"activation": started["activation"], "pin": PIN})
        assert (device.status_code == 201) is faulty


@check("application-deverrouillee-a-la-reouverture")
def _reopens_unlocked(sim: Simulated, faulty: bool) -> None:
    assert app_config(sim)["reouverture_deverrouillee"] is faulty


@check("reinitialisation-garde-donnees-locales")
def _reset_keeps_local_data(sim: Simulated, faulty: bool) -> None:
    assert app_config(sim)["garde_donnees_locales"] is faulty


@check("biometrie-echec-accepte")
def _biometrics_verify_user(sim: Simulated, faulty: bool) -> None:
    with MobileClient(sim) as app:
        device = app.activate(sim.control.new_account())
        session = app.unlock(device).json()["session"]
        options = app.call("biometrie/inscription/options", device, session=session).json()
    wanted = options["authenticatorSelection"]["userVerification"]
    assert wanted == ("discouraged" if faulty else "required")


@check("reinitialisation-garde-appareil-serveur")
def _reset_revokes(sim: Simulated, faulty: bool) -> None:
    with MobileClient(sim) as app:
        device = app.activate(sim.control.new_account())
        assert app.call("reinitialisation", device).status_code == 204
        assert app.unlock(device).status_code == (200 if faulty else 410)


@check("pin-essais-illimites")
def _pin_attempts(sim: Simulated, faulty: bool) -> None:
    with MobileClient(sim) as app:
        device = app.activate(sim.control.new_account())
        for _ in range(MAX_PIN_ATTEMPTS):
            app.unlock(device, "1111")
        assert app.unlock(device).status_code == (200 if faulty else 410)


# -- the matrix ------------------------------------------------------------------------


def test_every_fault_has_a_check() -> None:
    assert set(CHECKS) == set(CATALOG)
    assert set(OVERLAPS) <= set(CATALOG)
    assert all(names <= set(CATALOG) for names in OVERLAPS.values())


def matrix() -> Iterator[pytest.param]:
    """(active fault, behaviour checked), row by row; the off-diagonal is marked slow."""
    for active in [None, *sorted(CATALOG)]:
        for behaviour in sorted(CATALOG):
            off_diagonal = active not in (None, behaviour)
            yield pytest.param(
                active,
                behaviour,
                id=f"{active or 'conforme'}:{behaviour}",
                marks=[pytest.mark.slow] if off_diagonal else [],
            )


class Rows:
    """The simulator of the current matrix row: consecutive tests of a row share it."""

    def __init__(self) -> None:
        self._fault: str | None = None
        self._stack = ExitStack()
        self._sim: Simulated | None = None

    def get(self, fault: str | None) -> Simulated:
        if self._sim is None or fault != self._fault:
            self.stop()
            faults = frozenset({fault} if fault else ())
            self._sim = self._stack.enter_context(simulator(patients=60, faults=faults))
            self._fault = fault
        return self._sim

    def stop(self) -> None:
        self._stack.close()
        self._sim = None


@pytest.fixture(scope="module")
def rows() -> Iterator[Rows]:
    rows = Rows()
    yield rows
    rows.stop()


@pytest.mark.parametrize(("active", "behaviour"), list(matrix()))
def test_fault_matrix(rows: Rows, active: str | None, behaviour: str) -> None:
    """Compliant row and diagonal: each fault shows; off the diagonal: the others stay put."""
    sim = rows.get(active)
    verify = CHECKS.get(behaviour)
    if verify is None:
        pytest.fail(f"no check for fault {behaviour}")
    if active == behaviour:
        verify(sim, True)
    elif behaviour in OVERLAPS.get(active, set()):
        with pytest.raises(AssertionError):
            verify(sim, False)
    else:
        verify(sim, False)
