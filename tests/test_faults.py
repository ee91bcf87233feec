"""Every fault of ``simulator.faults.CATALOG`` bends exactly the behaviour it names.

One check per fault drives PASS, SPICO and the app like a browser or a phone would (over
HTTP, or in Chromium where the pages' scripts do the work) and asserts the compliant
behaviour, or the faulty one with ``faulty=True``. The matrix runs every check against the
compliant build and against a simulator with each single fault. Each check declares the rules
of ``Behaviour`` its outcome rests on; a fault that bends one of them must make the check fail,
and a fault that bends none must leave it passing. No table of overlaps: they follow from what
the catalog says each fault changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, fields

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from fixtures.clocked_browser import ClockedBrowser
from simulator.behaviour import Behaviour
from simulator.faults import CATALOG
from tests.conftest import Simulated, simulator
from tests.cookies import persistent, replaying, set_cookie
from tests.mobile_client import PIN, MobileClient

PIN_ATTEMPTS = Behaviour().pin_attempts
HOUR = 3600
MINUTE = 60


@dataclass(frozen=True)
class Check:
    verify: Callable[..., None]
    #: The rules of ``Behaviour`` the outcome rests on.
    observes: frozenset[str]
    #: Called with a fresh browser context as third argument.
    in_browser: bool = False


CHECKS: dict[str, Check] = {}


def check(name: str, *observes: str, in_browser: bool = False) -> Callable:
    def register(function: Callable[..., None]) -> Callable[..., None]:
        CHECKS[name] = Check(function, frozenset(observes), in_browser)
        return function

    return register


def bends(active: str, behaviour: str) -> bool:
    """Does fault ``active`` change a rule the check of ``behaviour`` rests on?"""
    return bool(set(CATALOG[active].changes) & CHECKS[behaviour].observes)


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


def first_record(page: httpx.Response) -> str:
    match = re.search(r'href="(/patients/\d+)"', page.text)
    assert match, "no patient in the list"
    return match.group(1)


# -- one check per fault ---------------------------------------------------------------


@check("expiration-3h", "spico_idle_seconds")
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


@check("expiration-navigateur-seulement", "spico_idle_seconds")
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


@check("expiration-serveur-seulement", "screen_asks_server", "screen_idle_seconds", in_browser=True)
def _screen_ends_with_server(sim: Simulated, faulty: bool, context: BrowserContext) -> None:
    """Once the server has ended the session, the open page removes the patients within its
    own 2 hours; with the fault it keeps showing them."""
    clocked = ClockedBrowser(context)
    with sim.user() as user:
        user.open_spico()
        cookie = user.spico_cookie()
    context.add_cookies([{"name": "spico_session", "value": cookie, "url": sim.public["spico"]}])
    page = context.new_page()
    page.goto(sim.public["spico"] + "/patients")
    patients = page.get_by_role("heading", name="Liste des patients")
    expect(patients).to_be_visible()
    clocked.settle()
    sim.control.advance(2 * HOUR + 1)
    clocked.run_for(2 * HOUR + 1)
    clocked.settle()
    assert patients.is_visible() is faulty
    if not faulty:
        expect(page).to_have_title("Session expirée — SPICO")


@check("interrogation-maintient-session", "polling_is_activity", "spico_idle_seconds")
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


@check("cookie-spico-persistant", "spico_cookie_max_age")
def _spico_cookie_persistent(sim: Simulated, faulty: bool) -> None:
    """SPICO's session cookie has no expiry; with the fault it has one."""
    with sim.user() as user:
        page = user.open_spico()
    assert persistent(set_cookie(page, "spico_session", "/oidc/callback")) is faulty


@check("pass-se-souvenir-de-moi", "pass_cookie_max_age")
def _pass_cookie_persistent(sim: Simulated, faulty: bool) -> None:
    """PASS's session cookie has no expiry; with the fault it has one."""
    with sim.user() as user:
        kiosk = user.login_pass()
    assert "Kiosque des services" in kiosk.text
    assert persistent(set_cookie(kiosk, "pass_session", "/connexion/code/saisie")) is faulty


@check("cookie-sans-httponly", "spico_cookie_httponly", "spico_cookie_samesite")
def _spico_cookie_flags(sim: Simulated, faulty: bool) -> None:
    """SPICO's session cookie is HttpOnly and SameSite=lax; with the fault it is neither."""
    with sim.user() as user:
        page = user.open_spico()
    cookie = set_cookie(page, "spico_session", "/oidc/callback")
    assert ("httponly" in cookie) is not faulty
    assert cookie.get("samesite", "").lower() == ("" if faulty else "lax")


@check("deconnexion-spico-cookie-seul", "spico_logout_ends_session")
def _spico_logout_server_side(sim: Simulated, faulty: bool) -> None:
    """After SPICO logout the old cookie is refused; with the fault it still opens the list."""
    with sim.user() as user:
        user.open_spico()
        cookie = user.spico_cookie()
        out = user.logout_spico()
        assert "Vous êtes déconnecté de SPICO" in out.text
        assert user.spico_cookie() != cookie
    assert shows_patients(sim, spico_get(sim, cookie)) is faulty


@check("deconnexion-pass-inoperante", "pass_logout_ends_session")
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


@check("sans-deconnexion-backchannel", "backchannel_logout", "pass_logout_ends_session")
def _backchannel(sim: Simulated, faulty: bool) -> None:
    """PASS logout ends the SPICO session too; with the fault SPICO keeps it."""
    with sim.user() as user:
        user.open_spico()
        cookie = user.spico_cookie()
        user.logout_pass()
    assert shows_patients(sim, spico_get(sim, cookie)) is faulty


@check("pages-en-cache", "patient_pages_cache_control")
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


@check("identifiant-session-fixe", "rotate_session_id")
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


@check("page-sans-deconnexion", "logout_on_record_page")
def _logout_control(sim: Simulated, faulty: bool) -> None:
    """The patient record page has a logout button; with the fault it has none."""
    with sim.user() as user:
        listing = user.open_spico()
        record = user.get(user.spico_url + first_record(listing))
    assert "Se déconnecter" in listing.text
    assert record.status_code == 200
    assert ("Se déconnecter" in record.text) is not faulty


@check("code-reutilisable", "codes_single_use")
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


def unlocked_app(sim: Simulated, context: BrowserContext) -> Page:
    """The app on a phone where an account was activated (over its API), unlocked with the
    PIN on its keypad."""
    with MobileClient(sim) as app:
        device = app.activate(sim.control.new_account())
    page = context.new_page()
    page.goto(sim.public["mobile"] + "/")
    page.evaluate("d => localStorage.setItem('spico.appareil', JSON.stringify(d))", device)
    page.reload()
    for digit in PIN:
        page.get_by_role("button", name=digit, exact=True).click()
    expect(page.get_by_role("region", name="Patients")).to_be_visible()
    return page


def reopened(page: Page) -> Page:
    """The app closed, then opened again: a new page on the same phone."""
    context = page.context
    page.close()
    again = context.new_page()
    again.goto(page.url)
    locked = again.get_by_role("region", name="Code PIN")
    expect(locked.or_(again.get_by_role("region", name="Patients"))).to_be_visible()
    return again


@check("activation-sans-code", "activation_needs_code")
def _activation_code(sim: Simulated, faulty: bool) -> None:
    with MobileClient(sim) as app:
        started = app.start(sim.control.new_account())
        assert started["etape"] == ("pin" if faulty else "code")
        device = app.call("appareils", {"activation": started["activation"], "pin": PIN})
        assert (device.status_code == 201) is faulty


@check("application-deverrouillee-a-la-reouverture", "app_locks_when_closed", in_browser=True)
def _reopens_locked(sim: Simulated, faulty: bool, context: BrowserContext) -> None:
    """Reopened, the app asks for the PIN; with the fault it shows the patients at once."""
    page = reopened(unlocked_app(sim, context))
    assert page.get_by_role("region", name="Patients").is_visible() is faulty
    assert page.get_by_role("region", name="Code PIN").is_visible() is not faulty


@check(
    "reinitialisation-garde-donnees-locales",
    "reset_wipes_phone",
    "app_locks_when_closed",
    in_browser=True,
)
def _reset_wipes_phone(sim: Simulated, faulty: bool, context: BrowserContext) -> None:
    """A reset leaves nothing of the records opened on the phone; with the fault they stay."""
    page = unlocked_app(sim, context)
    page.get_by_role("list", name="Liste des patients").get_by_role("button").first.click()
    expect(page.get_by_role("region", name="Dossier du patient")).to_be_visible()
    page = reopened(page)
    expect(page.get_by_role("region", name="Code PIN")).to_be_visible()  # the reset is there
    page.get_by_role("button", name=re.compile("^Réinitialiser mon compte")).click()
    page.get_by_role("button", name="Réinitialiser", exact=True).click()
    expect(page.get_by_role("region", name="Activation du compte mobile")).to_be_visible()
    recents = page.evaluate("() => JSON.parse(localStorage.getItem('spico.recents') || '[]')")
    assert bool(recents) is faulty


@check("biometrie-echec-accepte", "biometrics_must_recognise")
def _biometrics_verify_user(sim: Simulated, faulty: bool) -> None:
    with MobileClient(sim) as app:
        device = app.activate(sim.control.new_account())
        session = app.unlock(device).json()["session"]
        options = app.call("biometrie/inscription/options", device, session=session).json()
    wanted = options["authenticatorSelection"]["userVerification"]
    assert wanted == ("discouraged" if faulty else "required")


@check("reinitialisation-garde-appareil-serveur", "reset_revokes_device")
def _reset_revokes(sim: Simulated, faulty: bool) -> None:
    with MobileClient(sim) as app:
        device = app.activate(sim.control.new_account())
        assert app.call("reinitialisation", device).status_code == 204
        assert app.unlock(device).status_code == (200 if faulty else 410)


@check("pin-essais-illimites", "pin_attempts")
def _pin_attempts(sim: Simulated, faulty: bool) -> None:
    with MobileClient(sim) as app:
        device = app.activate(sim.control.new_account())
        for _ in range(PIN_ATTEMPTS):
            app.unlock(device, "1111")
        assert app.unlock(device).status_code == (200 if faulty else 410)


# -- the matrix ------------------------------------------------------------------------


def test_every_fault_has_a_check_resting_on_what_it_bends() -> None:
    assert set(CHECKS) == set(CATALOG)
    rules = {field.name for field in fields(Behaviour)}
    for name, fault in CATALOG.items():
        assert set(fault.changes) <= rules, f"{name} change une règle inconnue"
        assert CHECKS[name].observes <= rules, f"le contrôle de {name} lit une règle inconnue"
        assert bends(name, name), f"le contrôle de {name} ne regarde rien de ce qu'il change"


def matrix(complete: bool) -> Iterator[pytest.param]:
    """(active fault, behaviour checked), row by row: the compliant row and the diagonal, and
    with ``complete`` every other cell (marked `lent`)."""
    for active in [None, *sorted(CATALOG)]:
        for behaviour in sorted(CATALOG):
            off_diagonal = active not in (None, behaviour)
            if off_diagonal and not complete:
                continue
            yield pytest.param(
                active,
                behaviour,
                id=f"{active or 'conforme'}:{behaviour}",
                marks=[pytest.mark.lent] if off_diagonal else [],
            )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """The whole matrix with ``--matrice-complete`` (``.ci/nightly``): 420 cells instead of 40."""
    if metafunc.definition.name == "test_fault_matrix":
        complete = metafunc.config.getoption("--matrice-complete")
        metafunc.parametrize(("active", "behaviour"), list(matrix(complete)))


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


def test_fault_matrix(
    rows: Rows, active: str | None, behaviour: str, request: pytest.FixtureRequest
) -> None:
    """Compliant row and diagonal: each fault shows; off the diagonal, a check fails exactly
    when the active fault bends a rule it rests on."""
    sim = rows.get(active)
    chosen = CHECKS[behaviour]
    browser = (request.getfixturevalue("context"),) if chosen.in_browser else ()
    if active == behaviour:
        chosen.verify(sim, True, *browser)
    elif active is not None and bends(active, behaviour):
        with pytest.raises(AssertionError):
            chosen.verify(sim, False, *browser)
    else:
        chosen.verify(sim, False, *browser)
