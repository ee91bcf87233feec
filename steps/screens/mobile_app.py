"""Screens of the SPICO mobile app, found by accessibility id (what a screen reader says).

Each screen is identified by its accessible name; controls by their labels. Waits are
explicit conditions (WebDriverWait), never pauses.
"""

from __future__ import annotations

from collections.abc import Callable

from appium.webdriver.common.appiumby import AppiumBy
from selenium.common.exceptions import (
    ElementClickInterceptedException,
    ElementNotInteractableException,
    NoSuchElementException,
    StaleElementReferenceException,
    TimeoutException,
)
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.actions.interaction import POINTER_TOUCH
from selenium.webdriver.common.actions.pointer_input import PointerInput
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from fixtures.channels import CHANNELS
from fixtures.control import Account

from ..labels import label

WAIT_SECONDS = 10
#: How often a wait looks again (Selenium's default, half a second, is most of a scenario).
POLL_SECONDS = 0.02
#: What a control not on screen yet raises; a wait tries again.
NOT_READY = (
    NoSuchElementException,
    ElementNotInteractableException,
    ElementClickInterceptedException,
    StaleElementReferenceException,
)
ALERT = (AppiumBy.CSS_SELECTOR, "[role=alert]")
STATUS = (AppiumBy.CSS_SELECTOR, "[role=status]")


def by_label(words: str) -> tuple[str, str]:
    return AppiumBy.ACCESSIBILITY_ID, label(words, "mobile")


class Screen:
    """One screen of the app; ``name`` is its accessible name.

    Actions do not check the screen first: each control is looked for until it takes the
    action, and a failure names the screen on display.
    """

    name = ""

    def __init__(self, driver: WebDriver) -> None:
        self.driver = driver
        self.wait = WebDriverWait(
            driver, WAIT_SECONDS, poll_frequency=POLL_SECONDS, ignored_exceptions=NOT_READY
        )

    def expect_shown(self) -> Screen:
        try:
            self.wait.until(ec.visibility_of_element_located(by_label(self.name)))
        except TimeoutException:
            raise AssertionError(
                f"l'application n'affiche pas l'écran « {self.name} » ; elle affiche"
                f" « {current_screen(self.driver)} »"
            ) from None
        return self

    def is_shown(self) -> bool:
        return shown(self.driver, self.name)

    def _act(self, control: str, action: Callable[[WebElement], None]) -> None:
        """Find the control and act on it, again until it can take the action: two commands
        per action, where waiting for "clickable" first costs four."""

        def attempt(driver: WebDriver) -> bool:
            action(driver.find_element(*by_label(control)))
            return True

        try:
            self.wait.until(attempt)
        except TimeoutException:
            raise AssertionError(
                f"« {control} » reste introuvable ou inactif sur l'écran"
                f" « {current_screen(self.driver)} »"
            ) from None

    def tap(self, control: str) -> None:
        """A finger's tap on the control, once it is on screen (a WebDriver element click
        takes more than twice as long in mobile emulation)."""
        self._act(control, self._touch)

    def _touch(self, element: WebElement) -> None:
        if not element.is_displayed():
            raise ElementNotInteractableException(f"{element.accessible_name} n'est pas affiché")
        finger = ActionBuilder(self.driver, mouse=PointerInput(POINTER_TOUCH, "doigt"), duration=0)
        finger.pointer_action.move_to(element).pointer_down().pointer_up()
        finger.perform()

    def type(self, control: str, text: str) -> None:
        self._act(control, lambda element: element.send_keys(text))

    #: The screens the app goes on to only once it has accepted what this one asked.
    accepted_by: tuple[str, ...] = ()

    def error(self) -> str:
        """The error the app shows, waiting for one to appear; or the failure, as soon as the
        app shows a screen it reaches only by accepting (no need to wait out the time)."""

        def answer(driver: WebDriver) -> WebElement | str | bool:
            alerts = visible(driver.find_elements(*ALERT))
            if alerts:
                return alerts[0]
            return next((name for name in self.accepted_by if shown(driver, name)), False)

        try:
            found = self.wait.until(answer)
        except TimeoutException:
            raise AssertionError("l'application n'affiche aucun message d'erreur") from None
        if isinstance(found, str):
            raise AssertionError(
                f"l'application n'affiche aucun message d'erreur : elle est passée à l'écran"
                f" « {found} »"
            )
        return found.text


def shown(driver: WebDriver, name: str) -> bool:
    """Is the screen whose accessible name is ``name`` on display?"""
    found = driver.find_elements(*by_label(name))
    return bool(found) and found[0].is_displayed()


def visible(elements: list[WebElement]) -> list[WebElement]:
    return [element for element in elements if element.is_displayed()]


def current_screen(driver: WebDriver) -> str:
    """The accessible name of the screen on display, for failure messages."""
    for section in driver.find_elements(AppiumBy.CSS_SELECTOR, "section[aria-label]"):
        if section.is_displayed():
            return section.get_attribute("aria-label")
    return "aucun écran"


class ActivationScreen(Screen):
    name = "Activation du compte mobile"

    def sign_in(self, account: Account) -> None:
        """Takes the account, whose repr leaves the password out, as the web's sign-in does."""
        self.type("Identifiant", account.identifier)
        self.type("Mot de passe", account.password)
        self.tap("Continuer")


class CodeChannelScreen(Screen):
    name = "Réception du code"

    def choose(self, channel: str) -> None:
        """``channel`` as the feature says it: "e-mail" or "SMS"."""
        self.tap(CHANNELS[channel].label)


class CodeEntryScreen(Screen):
    name = "Saisie du code"

    @property
    def accepted_by(self) -> tuple[str, ...]:
        return (PinCreationScreen.name,)

    def enter(self, code: str) -> None:
        self.type("Code reçu", code)
        self.tap("Valider le code")


class PinCreationScreen(Screen):
    name = "Création du code PIN"

    def create(self, pin: str, confirmation: str) -> None:
        self.type("Nouveau code PIN", pin)
        self.type("Confirmez le code PIN", confirmation)
        self.tap("Enregistrer le code PIN")


class BiometricsOfferScreen(Screen):
    name = "Activation de la biométrie"

    def accept(self) -> None:
        self.tap("Activer l'empreinte ou le visage")

    def decline(self) -> None:
        self.tap("Plus tard")


class PinScreen(Screen):
    name = "Code PIN"
    RESET = "Réinitialiser mon compte (ex : oubli de mot de passe)"

    @property
    def accepted_by(self) -> tuple[str, ...]:
        return (PatientsScreen.name, RecordScreen.name)

    def enter(self, pin: str) -> None:
        for digit in pin:
            self.tap(digit)

    def wait_for_answer(self) -> None:
        """After a PIN: a message on this screen, or another screen."""
        self.wait.until(
            lambda driver: not self.is_shown() or bool(visible(driver.find_elements(*ALERT))),
            "l'application ne répond pas au code PIN saisi",
        )

    def present_biometrics(self) -> None:
        self.tap("Empreinte ou visage")

    def ask_reset(self) -> ResetDialog:
        self.tap(self.RESET)
        return ResetDialog(self.driver).expect_shown()


class ResetDialog(Screen):
    name = "Réinitialisation du compte"
    CLOSED = "la fenêtre de réinitialisation reste ouverte"

    def cancel(self) -> None:
        self.tap("Annuler")
        self.wait.until(ec.invisibility_of_element_located(by_label(self.name)), self.CLOSED)

    def confirm(self) -> None:
        self.tap("Réinitialiser")
        self.wait.until(ec.invisibility_of_element_located(by_label(self.name)), self.CLOSED)


class PatientsScreen(Screen):
    name = "Patients"

    ENROL = "Déverrouiller avec l'empreinte ou le visage"

    def greeting(self) -> str:
        self.expect_shown()
        return self.driver.find_element(*by_label(self.name)).find_element(By.TAG_NAME, "h1").text

    def enrol_biometrics(self) -> None:
        self.tap(self.ENROL)
        self.wait.until(
            ec.text_to_be_present_in_element(STATUS, "enregistré"),
            "l'application n'annonce pas l'enregistrement de l'empreinte ou du visage",
        )

    def patients(self) -> list[str]:
        self.expect_shown()
        listing = self.driver.find_element(*by_label("Liste des patients"))
        return [b.text for b in listing.find_elements(By.TAG_NAME, "button")]

    def recently_opened(self) -> list[str] | None:
        """The records the zone of recent ones lists; ``None`` when the screen has no such
        zone at all (then nothing can be said of what it would show)."""
        self.expect_shown()
        zone = self.driver.find_elements(*by_label("Consultés récemment"))
        if not zone:
            return None
        if not zone[0].is_displayed():
            return []
        return [b.text for b in zone[0].find_elements(By.TAG_NAME, "button")]

    def open_first_record(self) -> str:
        name = self.patients()[0]
        self.tap(name)
        RecordScreen(self.driver).expect_shown()
        return name


class RecordScreen(Screen):
    name = "Dossier du patient"


def patient_data_shown(driver: WebDriver) -> bool:
    """Is any patient's name or record on display?"""
    return PatientsScreen(driver).is_shown() or RecordScreen(driver).is_shown()
