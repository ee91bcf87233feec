"""Steps about closing a tab or the whole browser window (EXI-WEB-FERMETURE)."""

from __future__ import annotations

from pytest_bdd import given, when

from fixtures.browser import BrowserWindow

from .web_user import WebUser


@given("il utilise un navigateur qui garde son profil sur le disque")
def on_disk_profile(web_user: WebUser, browser_window: BrowserWindow) -> None:
    web_user.use(browser_window.open())


@when("il ferme l'onglet de SPICO et en ouvre un nouveau dans la même fenêtre")
def closes_tab(web_user: WebUser) -> None:
    context = web_user.page.context
    new_tab = context.new_page()
    web_user.page.close()
    web_user.use(new_tab)
    web_user.open_spico()


@when("il ferme la fenêtre de navigation puis relance le navigateur")
def closes_window(web_user: WebUser, browser_window: BrowserWindow) -> None:
    web_user.use(browser_window.reopen())
