"""Steps of the web features (Playwright)."""

from __future__ import annotations

from functools import partial

import pytest
from pytest_bdd import given, parsers, then, when

from audit.evidence import Screens, observe, reporting
from audit.scenario_record import Fact
from fixtures.failure_kinds import judged_by
from fixtures.session_replay import SCREENSHOT, SessionReplay, shown_address

from .pages.pass_portal import KioskPage, PassLoginPage
from .pages.spico import PatientListPage
from .web_user import WebUser


@pytest.fixture
def web_user(page, professional, target, codes, screens: Screens, new_context, request) -> WebUser:
    witness = partial(_witness_replay, request) if reporting(request.config) else None
    replay = SessionReplay(new_context, target.pass_url, witness)
    user = WebUser(page, professional, target, codes, replay)
    screens.add(
        "navigateur",
        lambda: user.page.screenshot(**SCREENSHOT),
        lambda: shown_address(user.page.url),
    )
    return user


def _witness_replay(
    request: pytest.FixtureRequest, row: list[str], png: bytes | None, address: str
) -> None:
    """A replayed session, as the report shows it: what was sent, answered and found."""
    fact = Fact(
        kind="rejeu",
        title=f"Session rejouée sur {row[0]} : {row[-1]}",
        columns=SessionReplay.COLUMNS,
        rows=[row],
    )
    observe(request, fact, png, "session rejouée", address)


@given("il est devant un navigateur sans session ouverte")
def fresh_browser(web_user: WebUser) -> WebUser:
    return web_user


@when("il ouvre SPICO sans être connecté")
@when("il ouvre SPICO")
def open_spico(web_user: WebUser) -> None:
    web_user.open_spico()


@when(
    parsers.parse(
        "il ouvre directement l'adresse de la liste des patients filtrée sur le sexe {sexe}"
    )
)
def open_filtered_list(web_user: WebUser, sexe: str) -> None:
    web_user.open_filtered_list(sexe)


@then("la page de connexion du PASS s'affiche")
def pass_login_shown(web_user: WebUser) -> None:
    PassLoginPage(web_user.page).expect_shown(web_user.target.pass_url)


@then("aucune donnée patient n'est visible")
def no_patient_data(web_user: WebUser) -> None:
    PatientListPage(web_user.page).expect_no_patient_data()


@when(parsers.re(r"il s'authentifie au PASS avec un code reçu par (?P<canal>e-mail|SMS)"))
@judged_by("EXI-WEB-ACCES")
def authenticate(web_user: WebUser, canal: str) -> None:
    web_user.authenticate(canal)


@when(parsers.re(r"il se connecte au PASS avec un code reçu par (?P<canal>e-mail|SMS)"))
@judged_by("EXI-WEB-ACCES")
def sign_in_to_pass(web_user: WebUser, canal: str) -> None:
    web_user.open_pass()
    web_user.authenticate(canal)


@then("le kiosque des services affiche la tuile SPICO")
def kiosk_shown(web_user: WebUser) -> None:
    KioskPage(web_user.page).expect_shown()


@when("il clique sur la tuile SPICO")
@judged_by("EXI-WEB-ACCES")
def click_tile(web_user: WebUser) -> None:
    KioskPage(web_user.page).open_spico()


@then("la liste des patients s'affiche sans nouvelle authentification")
def list_without_login(web_user: WebUser) -> None:
    """Nothing is typed on the way: had PASS asked to sign in again, the list could not
    show."""
    PatientListPage(web_user.page).expect_shown()


@then("la liste des patients s'affiche")
def list_shown(web_user: WebUser) -> None:
    PatientListPage(web_user.page).expect_shown()


@then("elle contient des patients")
def list_has_patients(web_user: WebUser) -> None:
    PatientListPage(web_user.page).expect_patients()


@then(parsers.parse("le filtre sur le sexe {sexe} est conservé"))
def filter_kept(web_user: WebUser, sexe: str) -> None:
    PatientListPage(web_user.page).expect_filter("sexe", sexe)
