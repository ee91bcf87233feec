"""A target whose labels differ from the guide's: the profile's ``[libelles]`` (for every
application, or per application) lets the same page objects find its controls; a portal
with placeholders rather than labels is found too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from fixtures.control import Account
from steps import labels
from steps.pages.controls import click_through
from steps.pages.pass_portal import PassLoginPage

PASS_URL = "https://pass.example.test"
AUDIT = Account("audit.1", "x", "audit1@example.org", "+33600000001", "Camille AUDIT")
DWHO = Account("dwho", "x", "dwho@example.org", "+33600000011", "Doctor Who")
OTHER_LOGIN_PAGE = """
<form onsubmit="event.preventDefault(); document.title = 'envoyé'">
  <label>Nom d'utilisateur <input name="u"></label>
  <label>Secret <input name="p" type="password"></label>
  <button>Connexion</button>
</form>
"""
PLACEHOLDER_LOGIN_PAGE = """
<div role="status">Veuillez vous authentifier</div>
<form onsubmit="event.preventDefault(); document.title = 'envoyé'">
  <span class="icon"></span><input name="u" placeholder="Identifiant">
  <span class="icon"></span><input name="p" type="password" placeholder="Mot de passe">
  <button><span class="icon"></span> Se connecter</button>
</form>
"""
CONFIRMATION_PAGE = """
<button aria-expanded="false" onclick="this.setAttribute('aria-expanded', 'true');
  document.getElementById('m').hidden = false">Menu</button>
<div id="m" hidden><a role="button" href="#" onclick="document.title = 'spico'">Sortir</a></div>
<button onclick="document.title = 'pass'">Se déconnecter</button>
"""


def on_pass(page: Page, content: str) -> None:
    page.route(
        f"{PASS_URL}/",
        lambda route: route.fulfill(body=content, content_type="text/html; charset=utf-8"),
    )
    page.goto(f"{PASS_URL}/")


@pytest.fixture
def own_words() -> Iterator[None]:
    with labels.used(
        {
            "pass": {"Identifiant": "Nom d'utilisateur", "Mot de passe": "Secret"},
            "spico": {"Se déconnecter": "Sortir", "Menu utilisateur": "Menu"},
        }
    ):
        yield


def test_the_page_object_finds_controls_by_the_targets_own_words(page: Page, own_words) -> None:
    words = {
        "pass": {
            "Identifiant": "Nom d'utilisateur",
            "Mot de passe": "Secret",
            "Se connecter": "Connexion",
        }
    }
    with labels.used(words):
        on_pass(page, OTHER_LOGIN_PAGE)
        login = PassLoginPage(page)
        login.expect_shown(PASS_URL)
        login.sign_in(AUDIT)
    assert page.locator("input[name=u]").input_value() == "audit.1"
    assert page.title() == "envoyé"


def test_a_portal_with_placeholders_instead_of_labels(page: Page) -> None:
    on_pass(page, PLACEHOLDER_LOGIN_PAGE)
    login = PassLoginPage(page)
    login.expect_shown(PASS_URL)
    login.sign_in(DWHO)
    assert page.locator("input[name=p]").input_value() == "x"
    assert page.title() == "envoyé"


def test_without_them_the_guides_words_are_looked_for(page: Page) -> None:
    on_pass(page, OTHER_LOGIN_PAGE)
    with pytest.raises(AssertionError, match="connexion du PASS n'est pas affichée"):
        PassLoginPage(page).expect_shown(PASS_URL)


def test_a_login_form_elsewhere_than_on_pass_is_not_passs(page: Page) -> None:
    on_pass(page, PLACEHOLDER_LOGIN_PAGE)
    with pytest.raises(AssertionError, match=r"pass\.example\.test"):
        PassLoginPage(page).expect_shown("https://pass.ailleurs.test")


def test_the_same_words_are_each_applications_own(page: Page, own_words) -> None:
    """ "Se déconnecter" is SPICO's "Sortir" here, and PASS's own "Se déconnecter"."""
    page.set_content(CONFIRMATION_PAGE)
    click_through(page, ["Menu utilisateur", "Se déconnecter"], "spico", lambda: None)
    assert page.title() == "spico"
    click_through(page, ["Se déconnecter"], "pass", lambda: None)
    assert page.title() == "pass"
