"""Steps about logging out of SPICO and of PASS (EXI-WEB-DECONNEXION)."""

from __future__ import annotations

from pytest_bdd import then, when

from fixtures.failure_kinds import judged_by

from .pages.pass_portal import KioskPage, PassLoginPage
from .pages.spico import PatientListPage
from .web_user import WebUser


@when("il se déconnecte de SPICO")
@judged_by("EXI-WEB-DECONNEXION")
def logs_out_of_spico(web_user: WebUser) -> None:
    web_user.remember_session()
    web_user.log_out_of_spico()


@when("il se déconnecte du PASS")
@judged_by("EXI-WEB-DECONNEXION")
def logs_out_of_pass(web_user: WebUser) -> None:
    web_user.log_out_of_pass()


@then("le kiosque des services du PASS s'ouvre sans authentification")
def kiosk_still_open(web_user: WebUser) -> None:
    web_user.open_pass()
    KioskPage(web_user.page).expect_shown()


@then("la tuile SPICO donne de nouveau accès aux patients sans identifiant ni code")
def tile_reenters(web_user: WebUser) -> None:
    """Nothing is typed on the way, as for the first visit."""
    KioskPage(web_user.page).open_spico()
    PatientListPage(web_user.page).expect_shown()


@then("le PASS refuse sa session")
def pass_refuses(web_user: WebUser) -> None:
    assert not web_user.pass_serves_kiosk(), "le serveur PASS accepte encore la session"


@then("le PASS demande de nouveau l'identifiant et le mot de passe")
def pass_asks_again(web_user: WebUser) -> None:
    web_user.open_pass()
    PassLoginPage(web_user.page).expect_shown(web_user.target.pass_url)


@then("SPICO renvoie de nouveau vers la connexion du PASS")
def spico_sends_to_pass(web_user: WebUser) -> None:
    web_user.open_spico()
    PassLoginPage(web_user.page).expect_shown(web_user.target.pass_url)
