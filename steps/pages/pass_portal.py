"""PASS pages: login, one-time code, service kiosk."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from fixtures.channels import CHANNELS
from fixtures.control import Account

from ..labels import label
from .controls import click_through, field


class PassLoginPage:
    """Known by what it asks, an identifier and a password on PASS, whatever its layout."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.identifier = field(page, label("Identifiant", "pass"))
        self.password = field(page, label("Mot de passe", "pass"))
        self.stay_signed_in = page.get_by_label(label("Rester connecté", "pass"))

    def expect_shown(self, pass_url: str) -> None:
        expect(self.password, "la page de connexion du PASS n'est pas affichée").to_be_visible()
        expect(self.identifier, "le PASS ne demande pas l'identifiant").to_be_visible()
        host = urlsplit(self.page.url).netloc
        assert host == urlsplit(pass_url).netloc, f"la connexion demandée l'est par {host}"

    def sign_in(self, account: Account) -> None:
        """Where PASS offers to stay signed in, the professional accepts, as any user may:
        the guide's promises do not depend on declining it.

        Takes the account, whose repr leaves the password out, rather than the password: a
        failure prints the arguments of the function it ends in."""
        self.identifier.fill(account.identifier)
        try:
            self.password.fill(account.password)
        except PlaywrightError as exc:
            # Playwright's call log quotes what fill() types: « fill("…") »
            raise type(exc)(str(exc).replace(account.password, "********")) from None
        if self.stay_signed_in.count():
            self.stay_signed_in.first.check()
        self.page.get_by_role("button", name=label("Se connecter", "pass")).click()


class PassCodePage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.code = field(page, label("Code reçu", "pass"))

    def choose(self, channel: str) -> None:
        """``channel`` as the feature says it: "e-mail" or "SMS". A choice to tick then
        confirm, or a button per channel that sends at once."""
        words = label(CHANNELS[channel].label, "pass")
        option = self.page.get_by_role("radio", name=words)
        option = option.or_(self.page.get_by_role("button", name=words)).first
        expect(option, f"le PASS ne propose pas « {words} »").to_be_visible()
        if option.get_attribute("type") != "radio":
            option.click()
            return
        option.check()
        self.page.get_by_role("button", name=label("Recevoir le code", "pass")).click()

    def enter(self, code: str) -> None:
        self.code.fill(code)
        self.page.get_by_role("button", name=label("Valider", "pass")).click()

    def still_asks(self) -> bool:
        """Whether the code step is still there once the last code was answered: a portal
        may end the attempt at the first wrong code."""
        self.page.wait_for_load_state()
        return self.code.is_visible()

    def expect_refused(self) -> None:
        """An error is shown, and no session opened: neither the kiosk nor SPICO. The kiosk
        shown instead is the answer at once (no need to wait out the error's time)."""
        alert, kiosk = self.page.get_by_role("alert"), KioskPage(self.page).heading
        expect(alert.or_(kiosk).first, "aucun message n'explique le refus").to_be_visible()
        assert not kiosk.count(), "le PASS a ouvert sa session : il affiche son kiosque"
        expect(alert, "aucun message n'explique le refus").to_be_visible()


class KioskPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name=label("Kiosque des services", "pass"))
        self.spico_tile = page.get_by_role("link", name=label("SPICO", "pass"))

    def is_shown(self) -> bool:
        return self.heading.count() > 0 and self.spico_tile.count() > 0

    def expect_shown(self) -> None:
        expect(self.heading, "le kiosque des services du PASS n'est pas affiché").to_be_visible()
        expect(self.spico_tile, "le kiosque n'offre pas la tuile SPICO").to_be_visible()

    def open_spico(self) -> None:
        self.spico_tile.click()

    def log_out(self, flow: Sequence[str], settle: Callable[[], None]) -> None:
        click_through(self.page, flow, "pass", settle)
