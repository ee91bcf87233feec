"""Steps about logging out of SPICO and of PASS (EXI-WEB-DECONNEXION)."""

from __future__ import annotations

import pytest
from pytest_bdd import then, when

from audit import evidence
from audit.verdict import NOT_APPLICABLE
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
def logs_out_of_pass(web_user: WebUser, request: pytest.FixtureRequest) -> None:
    if not web_user.log_out_of_pass():
        evidence.note(
            request,
            "rien à faire : la déconnexion de SPICO avait déjà terminé la session PASS"
            " (ses cookies ne rouvrent plus le kiosque)",
        )


@then("le kiosque des services du PASS s'ouvre sans authentification")
def kiosk_still_open(web_user: WebUser) -> None:
    """What the guide's two steps are for; a deployment whose SPICO logout also ends PASS's
    session (single logout) has no second step to show: the scenario does not apply there,
    and the one that logs out of both still checks that both sessions end."""
    web_user.open_pass()
    if not web_user.pass_serves_kiosk():
        pytest.skip(
            f"{NOT_APPLICABLE}se déconnecter de SPICO a aussi terminé la session PASS"
            " (déconnexion unique) : il n'y a pas de seconde déconnexion à montrer"
        )
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
