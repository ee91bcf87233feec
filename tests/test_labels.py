"""A target whose labels differ from the guide's: the profile's ``[libelles]`` lets the same
page objects find its controls."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from steps import labels
from steps.pages.pass_portal import PassLoginPage

OTHER_LOGIN_PAGE = """
<h1>Authentification PASS</h1>
<form onsubmit="event.preventDefault(); document.title = 'envoyé'">
  <label>Nom d'utilisateur <input name="u"></label>
  <label>Secret <input name="p" type="password"></label>
  <button>Connexion</button>
</form>
"""


@pytest.fixture
def own_words() -> Iterator[None]:
    labels.use(
        {
            "Connexion au PASS": "Authentification PASS",
            "Identifiant": "Nom d'utilisateur",
            "Mot de passe": "Secret",
            "Se connecter": "Connexion",
        }
    )
    yield
    labels.use({})


def test_the_page_object_finds_controls_by_the_targets_own_words(page: Page, own_words) -> None:
    page.set_content(OTHER_LOGIN_PAGE)
    login = PassLoginPage(page)
    login.expect_shown()
    login.sign_in("audit.1", "x")
    assert page.locator("input[name=u]").input_value() == "audit.1"
    assert page.title() == "envoyé"


def test_without_them_the_guides_words_are_looked_for(page: Page) -> None:
    page.set_content(OTHER_LOGIN_PAGE)
    with pytest.raises(AssertionError, match="Connexion au PASS"):
        PassLoginPage(page).expect_shown()
