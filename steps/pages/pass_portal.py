"""PASS pages: login, one-time code, service kiosk."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from ..labels import label

CHANNEL_LABELS = {"e-mail": "Par e-mail", "SMS": "Par SMS"}


class PassLoginPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name=label("Connexion au PASS"))

    def expect_shown(self) -> None:
        expect(self.heading, "la page de connexion du PASS n'est pas affichée").to_be_visible()

    def sign_in(self, identifier: str, password: str) -> None:
        self.page.get_by_label(label("Identifiant")).fill(identifier)
        self.page.get_by_label(label("Mot de passe")).fill(password)
        self.page.get_by_role("button", name=label("Se connecter")).click()


class PassCodePage:
    def __init__(self, page: Page) -> None:
        self.page = page

    def choose(self, channel: str) -> None:
        """``channel`` as the feature says it: "e-mail" or "SMS"."""
        self.page.get_by_label(label(CHANNEL_LABELS[channel])).check()
        self.page.get_by_role("button", name=label("Recevoir le code")).click()

    def enter(self, code: str) -> None:
        self.page.get_by_label(label("Code reçu")).fill(code)
        self.page.get_by_role("button", name=label("Valider")).click()

    def expect_refused(self) -> None:
        """Still on the code step, with an error shown."""
        expect(
            self.page.get_by_label(label("Code reçu")), "le PASS a quitté l'étape du code"
        ).to_be_visible()
        expect(self.page.get_by_role("alert"), "aucun message n'explique le refus").to_be_visible()


class KioskPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name=label("Kiosque des services"))
        self.spico_tile = page.get_by_role("link", name=label("SPICO"))

    def is_shown(self) -> bool:
        return self.heading.count() > 0 and self.spico_tile.count() > 0

    def expect_shown(self) -> None:
        expect(self.heading, "le kiosque des services du PASS n'est pas affiché").to_be_visible()
        expect(self.spico_tile, "le kiosque n'offre pas la tuile SPICO").to_be_visible()

    def open_spico(self) -> None:
        self.spico_tile.click()

    def log_out(self) -> None:
        self.page.get_by_role("button", name=label("Se déconnecter")).click()
        expect(
            self.page.get_by_role("heading", name=label("Vous êtes déconnecté du PASS")),
            "le PASS n'affiche pas qu'il a déconnecté l'utilisateur",
        ).to_be_visible()
