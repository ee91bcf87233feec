"""PASS pages: login, one-time code, service kiosk."""

from __future__ import annotations

from playwright.sync_api import Page, expect

CHANNEL_LABELS = {"e-mail": "Par e-mail", "SMS": "Par SMS"}


class PassLoginPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="Connexion au PASS")

    def expect_shown(self) -> None:
        expect(self.heading).to_be_visible()

    def sign_in(self, identifier: str, password: str) -> None:
        self.page.get_by_label("Identifiant").fill(identifier)
        self.page.get_by_label("Mot de passe").fill(password)
        self.page.get_by_role("button", name="Se connecter").click()


class PassCodePage:
    def __init__(self, page: Page) -> None:
        self.page = page

    def choose(self, channel: str) -> None:
        """``channel`` as the feature says it: "e-mail" or "SMS"."""
        self.page.get_by_label(CHANNEL_LABELS[channel]).check()
        self.page.get_by_role("button", name="Recevoir le code").click()

    def enter(self, code: str) -> None:
        self.page.get_by_label("Code reçu").fill(code)
        self.page.get_by_role("button", name="Valider").click()

    def expect_refused(self) -> None:
        """Still on the code step, with an error shown."""
        expect(self.page.get_by_label("Code reçu")).to_be_visible()
        expect(self.page.get_by_role("alert")).to_be_visible()


class KioskPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="Kiosque des services")
        self.spico_tile = page.get_by_role("link", name="SPICO")

    def expect_shown(self) -> None:
        expect(self.heading).to_be_visible()
        expect(self.spico_tile).to_be_visible()

    def open_spico(self) -> None:
        self.spico_tile.click()

    def log_out(self) -> None:
        self.page.get_by_role("button", name="Se déconnecter").click()
        expect(
            self.page.get_by_role("heading", name="Vous êtes déconnecté du PASS")
        ).to_be_visible()
