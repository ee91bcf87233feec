"""Steps about the single sign-on session ending SPICO's (BP-PROPAGATION-SSO)."""

from __future__ import annotations

from pytest_bdd import when

from fixtures.clock import IdleTime

from .pages.spico import PatientListPage
from .web_user import WebUser


@when("il se déconnecte depuis le kiosque des services du PASS")
def logs_out_from_kiosk(web_user: WebUser) -> None:
    web_user.remember_session()
    web_user.open_pass()
    web_user.log_out_from_kiosk()


@when("il travaille dans SPICO sans repasser par le PASS jusqu'à l'expiration de la session PASS")
def works_in_spico_only(web_user: WebUser, idle_time: IdleTime) -> None:
    """One search an hour keeps SPICO active while PASS sees nothing until its own timeout."""
    pass_timeout = idle_time.timeout("pass")
    hour = idle_time.on_target(3600)
    elapsed = 0.0
    while elapsed + hour < pass_timeout:
        idle_time.elapse(hour, web_user.clocked)
        PatientListPage(web_user.page).search()
        elapsed += hour
    idle_time.elapse(pass_timeout - elapsed + idle_time.on_target(60), web_user.clocked)


@when("il reste inactif jusqu'à l'expiration de sa session PASS")
def idle_until_pass_expires(web_user: WebUser, idle_time: IdleTime) -> None:
    beyond = idle_time.timeout("pass") + idle_time.on_target(60)
    idle_time.elapse(beyond, web_user.clocked)
