"""Before auditing a profile's target: the journey every web scenario takes (SPICO sends to
PASS's sign-in, the sign-in with a code leads to the patient list, the kiosk shows, SPICO's
logout goes through) is walked once. Where the profile's paths, flows or words do not fit
the target, the run stops there with one line per problem, rather than reporting two dozen
scenarios not run. ``--sans-verification`` skips it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from fixtures.browser import CHROMIUM_ARGS, connect
from fixtures.chromium import find_chromium
from fixtures.codes import CodeReader
from fixtures.control import Account, Control
from fixtures.profile import Profile
from fixtures.session_replay import SessionReplay
from fixtures.target import PROFILE_KEY, Target

from . import labels
from .pages.pass_portal import KioskPage, PassLoginPage
from .pages.spico import PatientListPage
from .web_user import WebUser

#: What makes a leg of the journey fail: the target's pages, not the harness.
MISSES = (AssertionError, PlaywrightError, LookupError, pytest.fail.Exception)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("spico").addoption(
        "--sans-verification",
        action="store_true",
        help="ne pas parcourir la cible (connexion, liste, kiosque, déconnexion) avant l'audit",
    )


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    profile = config.stash.get(PROFILE_KEY, None)
    if profile is None or hasattr(config, "workerinput") or config.option.collectonly:
        return
    if config.getoption("--sans-verification") or not _runs_web(config):
        return
    problems = walk(profile)
    if problems:
        raise pytest.UsageError(*(f"vérification préalable de la cible : {p}" for p in problems))


def _runs_web(config: pytest.Config) -> bool:
    selection = config.getoption("-m") or ""
    return "mobile" not in selection.split() or "web" in selection


def walk(profile: Profile) -> list[str]:
    """The problems met on the way, one line each; an empty list when it all fits."""
    control = Control(profile.control_url, profile.control_token) if profile.control_token else None
    target = Target.of(profile, control, shared=True)
    labels.use(profile.labels)
    problems: list[str] = []
    try:
        account = _account(target)
        with sync_playwright() as playwright:
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
                _legs(user, problems)
            finally:
                browser.close()
    finally:
        if control is not None:
            control.close()
    return problems


def _legs(user: WebUser, problems: list[str]) -> None:
    """Each leg needs the ones before it: the first that fails ends the walk."""
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

    legs: list[tuple[str, Callable[[], None]]] = [
        (f"SPICO ({spico}{flows.patient_list}) ne mène pas à la connexion du PASS", to_sign_in),
    ]
    if not user.target.codes:
        problems.append("aucune source de codes ([codes]) : la connexion ne peut pas aboutir")
    else:
        legs += [
            (f"la connexion avec un code reçu par {channel} ne mène pas à la liste", sign_in),
            (f"le kiosque du PASS ({pass_}{flows.kiosk}) ne s'affiche pas", kiosk),
            (f"la déconnexion de SPICO ({' → '.join(flows.spico_logout)}) échoue", log_out),
        ]
    for problem, leg in legs:
        try:
            leg()
        except MISSES as exc:
            problems.append(f"{problem} : {_first_line(exc)}")
            return


def _account(target: Target) -> Account:
    if target.accounts:
        chosen = target.accounts[0]
        return Account(
            chosen.identifier, chosen.password, chosen.email, chosen.phone, chosen.display_name
        )
    return target.require_control().new_account()


def _browser(playwright, profile: Profile):
    """Where the scenarios' browsers run: the profile's server, or Chromium here."""
    if profile.browser is not None:
        return connect(playwright.chromium, profile, {"headless": True})
    args = [*CHROMIUM_ARGS, *profile.network.chromium_args()]
    return playwright.chromium.launch(executable_path=find_chromium(headless=True), args=args)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
