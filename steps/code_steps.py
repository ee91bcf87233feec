"""Steps about PASS's one-time codes on the web (BP-OTP)."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from fixtures.channels import wrong_code
from fixtures.clock import IdleTime
from fixtures.durations import parse_duration

from .pages.pass_portal import PassCodePage
from .web_user import WebUser


@given("il s'est déjà connecté au PASS avec un code reçu par e-mail", target_fixture="used_code")
def signed_in_once(web_user: WebUser) -> str:
    web_user.open_pass()
    web_user.authenticate("e-mail")
    code = web_user.codes.latest("e-mail", web_user.account)
    web_user.page.context.clear_cookies()
    return code


@when("il se reconnecte en saisissant de nouveau ce code déjà utilisé")
def reuses_code(web_user: WebUser, used_code: str) -> None:
    web_user.open_pass()
    web_user.sign_in_until_code("e-mail")
    PassCodePage(web_user.page).enter(used_code)


@when(parsers.parse("il demande un code par SMS et attend {duration} avant de le saisir"))
def waits_too_long(web_user: WebUser, idle_time: IdleTime, duration: str) -> None:
    web_user.open_pass()
    web_user.sign_in_until_code("SMS")
    idle_time.pass_(parse_duration(duration), web_user.clocked, policy="code")
    PassCodePage(web_user.page).enter(web_user.codes.latest("SMS", web_user.account))


@when(parsers.parse("il se trompe de code {count:d} fois puis saisit le bon code"))
def wrong_codes_then_right(web_user: WebUser, count: int) -> None:
    """A portal that ends the attempt at a wrong code, before the count, leaves nothing to
    type the right code into: that is refusing it too."""
    web_user.open_pass()
    web_user.sign_in_until_code("e-mail")
    right = web_user.codes.latest("e-mail", web_user.account)
    wrong = wrong_code(right)
    code_page = PassCodePage(web_user.page)
    for _ in range(count):
        code_page.enter(wrong)
        if not code_page.still_asks():
            return
    code_page.enter(right)


@then("le PASS refuse le code")
def code_refused(web_user: WebUser) -> None:
    PassCodePage(web_user.page).expect_refused()
