"""Before auditing a profile's target: the journey every web scenario takes (SPICO sends to
PASS's sign-in, the sign-in with a code leads to the patient list, the kiosk shows, SPICO's
logout goes through) is walked once. ``--sans-verification`` skips it.

It stops the run only where nothing could be judged at all: SPICO does not lead to PASS's
sign-in, or the sign-in does not lead to SPICO (a profile that does not fit the target, one
line per problem, rather than two dozen scenarios not run). What the guide promises and the
target lacks (a kiosk, a logout control) is a finding, not a reason to refuse the audit: the
run goes on, the requirements that judge it say Non conforme, and the report's first page
says what the pre-flight met (``PREFLIGHT_FINDINGS``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from fixtures.browser import chromium_args, connect
from fixtures.chromium import find_chromium
from fixtures.codes import CodeReader
from fixtures.control import Account, Control
from fixtures.profile import Profile
from fixtures.session_replay import SessionReplay
from fixtures.target import PREFLIGHT_FINDINGS, Target, account_of, profile_of
from fixtures.usage import stop_if_refused

from . import labels
from .pages.pass_portal import KioskPage, PassLoginPage
from .pages.spico import PatientListPage
from .web_user import WebUser

#: What makes a leg of the journey fail: the target's pages, not the harness.
MISSES = (AssertionError, PlaywrightError, pytest.fail.Exception)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("spico").addoption(
        "--sans-verification",
        action="store_true",
        help="ne pas parcourir la cible (connexion, liste, kiosque, déconnexion) avant l'audit",
    )


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    stop_if_refused(config)
    profile = profile_of(config)
    if profile is None or hasattr(config, "workerinput") or config.option.collectonly:
        return
    if config.getoption("--sans-verification") or not _runs_web(config):
        return
    blocking, findings = walk(profile)
    if blocking:
        raise pytest.UsageError(*(f"vérification préalable de la cible : {p}" for p in blocking))
    config.stash[PREFLIGHT_FINDINGS] = findings


def _runs_web(config: pytest.Config) -> bool:
    selection = config.getoption("-m") or ""
    return "mobile" not in selection.split() or "web" in selection


def walk(profile: Profile) -> tuple[list[str], list[str]]:
    """What stops the audit, and what it goes on with (findings), one line each."""
    control = Control(profile.control_url, profile.control_token) if profile.control_token else None
    target = Target.of(profile, control, shared=True)
    blocking: list[str] = []
    findings: list[str] = []
    try:
        account = _account(target)
        with labels.used(profile.labels), sync_playwright() as playwright:
            browser = _browser(playwright, profile)
            try:
                context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
                user = WebUser(
                    context.new_page(),
                    account,
                    target,
                    CodeReader(control, profile.codes),
                    SessionReplay(browser.new_context, profile.pass_url),
                )
                _legs(user, blocking, findings)
            finally:
                browser.close()
    finally:
        if control is not None:
            control.close()
    return blocking, findings


def _legs(user: WebUser, blocking: list[str], findings: list[str]) -> None:
    """Reaching the sign-in, then signing in: each needs the one before, and the first that
    fails ends the walk. Then the kiosk and SPICO's logout, each on its own: findings."""
    channel = user.any_channel
    spico, pass_, flows = user.target.spico_url, user.target.pass_url, user.flows

    def to_sign_in() -> None:
        user.open_spico()
        PassLoginPage(user.page).expect_shown(pass_)

    def sign_in() -> None:
        user.authenticate(channel)
        PatientListPage(user.page).expect_shown()

    def kiosk() -> None:
        user.open_pass()
        KioskPage(user.page).expect_shown()

    def log_out() -> None:
        user.open_spico()
        user.log_out_of_spico()

    if not _went(
        to_sign_in,
        f"SPICO ({spico}{flows.patient_list}) ne mène pas à la connexion du PASS",
        blocking,
    ):
        return
    if not user.target.codes:
        blocking.append("aucune source de codes ([codes]) : la connexion ne peut pas aboutir")
        return
    if not _went(
        sign_in, f"la connexion avec un code reçu par {channel} ne mène pas à la liste", blocking
    ):
        return
    _went(kiosk, f"le kiosque du PASS ({pass_}{flows.kiosk}) ne s'affiche pas", findings)
    logout = f"la déconnexion de SPICO ({' → '.join(flows.spico_logout)}) échoue"
    _went(log_out, logout, findings)


def _went(leg: Callable[[], None], problem: str, met: list[str]) -> bool:
    try:
        leg()
    except MISSES as exc:
        met.append(f"{problem} : {_first_line(exc)}")
        return False
    return True


def _account(target: Target) -> Account:
    if target.accounts:
        return account_of(target.accounts[0])
    return target.require_control().new_account()


def _browser(playwright, profile: Profile):
    """Where the scenarios' browsers run: the profile's server, or Chromium here."""
    if profile.browser is not None:
        return connect(playwright.chromium, profile, {"headless": True})
    return playwright.chromium.launch(
        executable_path=find_chromium(headless=True), args=chromium_args(profile)
    )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
