"""A professional holding a phone: the state a mobile scenario carries between steps."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from fixtures.codes import CodeReader
from fixtures.control import Account, Control
from fixtures.http_probe import client
from fixtures.phone import Phone
from simulator.mobile.devices import DEVICE_KEY

from .screens.mobile_app import (
    ActivationScreen,
    BiometricsOfferScreen,
    CodeChannelScreen,
    CodeEntryScreen,
    PatientsScreen,
    PinCreationScreen,
    PinScreen,
)


@dataclass
class MobileUser:
    phone: Phone
    account: Account
    codes: CodeReader
    pin: str = "2580"
    #: The device credential as it was on the phone, to replay it after a reset: its
    #: token opens the account, so it stays out of the repr, which failures print.
    remembered_device: dict = field(default_factory=dict, repr=False)
    used_code: str = ""

    @property
    def driver(self):
        return self.phone.driver

    def start_activation(self, channel: str) -> None:
        """Credentials, then the code by ``channel``; stops on the code entry screen."""
        ActivationScreen(self.driver).sign_in(self.account)
        self.request_code(channel)
        CodeEntryScreen(self.driver).expect_shown()

    def request_code(self, channel: str) -> None:
        """Ask for an activation code by ``channel``, noting first what the inbox holds."""
        self.codes.requested(channel, self.account)
        CodeChannelScreen(self.driver).choose(channel)

    def enter_code(self, channel: str) -> None:
        """The latest code sent by ``channel``, once the app says it has been sent."""
        CodeEntryScreen(self.driver).expect_shown()
        self.used_code = self.codes.latest(channel, self.account)
        CodeEntryScreen(self.driver).enter(self.used_code)

    def activate(self, biometrics: bool = False) -> None:
        """Activate the app for ``account``, by the screens the app shows.

        A precondition, not the check: EXI-MOB-ACTIVATION's own feature asserts that a
        one-time code is required. Here, an app that skips the code step is still activated.
        """
        ActivationScreen(self.driver).sign_in(self.account)
        channel = CodeChannelScreen(self.driver)
        creation = PinCreationScreen(self.driver)
        channel.wait.until(
            lambda _: channel.is_shown() or creation.is_shown(),
            "après l'identification, l'application ne demande ni le canal du code ni le code PIN",
        )
        if channel.is_shown():
            self.request_code("e-mail")
            self.enter_code("e-mail")
        creation.create(self.pin, self.pin)
        offer = BiometricsOfferScreen(self.driver)
        offer.accept() if biometrics else offer.decline()
        PatientsScreen(self.driver).expect_shown()

    def restore_activation(self, control: Control) -> None:
        """The phone as activation leaves it, set up through the control API rather than
        walked: a device registered for the account with its PIN, what the app keeps of it
        written to the phone, the app started again and unlocked with the PIN.

        ``tests/test_activated_phone.py`` shows the phone then holds what a walked
        activation leaves, and behaves the same when closed and reopened.
        """
        self.phone.open_app()
        self.phone.restore_storage(control.activated_device(self.account, self.pin))
        self.unlock()

    def unlock(self) -> None:
        PinScreen(self.driver).enter(self.pin)
        PatientsScreen(self.driver).expect_shown()

    def wrong_pin(self) -> str:
        return "1111" if self.pin != "1111" else "2222"

    def remember_device(self) -> None:
        stored = self.phone.stored_item(DEVICE_KEY)
        assert stored, "l'application ne garde aucun identifiant d'appareil sur le téléphone"
        self.remembered_device = json.loads(stored)

    def server_accepts_remembered_device(self) -> bool:
        """The app's own unlock call, with the remembered device credential and right PIN."""
        with client() as http:
            response = http.post(
                f"{self.phone.app_url.rstrip('/')}/api/deverrouillage",
                json={**self.remembered_device, "pin": self.pin},
            )
        return response.status_code == 200
