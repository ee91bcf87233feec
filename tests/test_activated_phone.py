"""An activated phone set up through the control API (``MobileUser.restore_activation``) is
the phone a walked activation leaves: the same things kept on the phone, in the same shape, a
device the server knows, and the same app once closed and reopened. The scenarios whose Given
is "an activated phone" start from it; EXI-MOB-ACTIVATION's own scenarios walk activation."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from fixtures.codes import CodeReader
from fixtures.handset import Handset
from fixtures.phone import Phone
from fixtures.target import SIMULATOR_CODES
from simulator.mobile.devices import DEVICE_KEY
from steps.mobile_user import MobileUser
from steps.screens.mobile_app import PatientsScreen, PinScreen
from tests.conftest import Simulated, simulator
from tests.mobile_client import PIN, MobileClient
from tests.test_control_api import raw


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulated]:
    with simulator(patients=60) as simulated:
        yield simulated


def user_of(sim: Simulated, handset: Handset) -> MobileUser:
    """A new account, and the handset wiped for it."""
    app_url = sim.public["mobile"] + "/"
    phone = Phone(handset.appium_url, handset.capabilities, app_url, handset=handset)
    codes = CodeReader(sim.control, SIMULATOR_CODES)
    return MobileUser(phone, sim.control.new_account(), codes, pin=PIN)


def kept(user: MobileUser) -> dict[str, object]:
    """What the app keeps on the phone: each key, and for the device credential its fields."""
    stored = {key: user.phone.stored_item(key) for key in sorted(user.phone.stored_keys())}
    return {
        key: sorted(json.loads(value)) if key == DEVICE_KEY else value
        for key, value in stored.items()
    }


def reopened_asks_pin_then_unlocks(user: MobileUser) -> bool:
    user.phone.reopen_app()
    PinScreen(user.driver).expect_shown()
    user.unlock()
    return bool(PatientsScreen(user.driver).patients())


def test_a_restored_phone_is_a_walked_one(sim: Simulated, handset: Handset) -> None:
    walked = user_of(sim, handset)
    walked.phone.open_app()
    walked.activate()
    walked_kept = kept(walked)
    assert reopened_asks_pin_then_unlocks(walked)
    walked.phone.close_app()

    restored = user_of(sim, handset)
    restored.restore_activation(sim.control)
    try:
        assert kept(restored) == walked_kept
        assert PatientsScreen(restored.driver).patients()
        assert reopened_asks_pin_then_unlocks(restored)
        restored.remember_device()
        assert restored.server_accepts_remembered_device()
    finally:
        restored.phone.close_app()


def test_the_restored_device_is_the_accounts_and_follows_the_rules(sim: Simulated) -> None:
    account = sim.control.new_account()
    stored = sim.control.activated_device(account, PIN)
    device = {k: v for k, v in json.loads(stored[DEVICE_KEY]).items() if k != "biometrie"}
    with MobileClient(sim) as app:
        assert app.unlock(device, "1111").status_code == 401
        unlocked = app.unlock(device)
        assert unlocked.status_code == 200
        assert unlocked.json()["compte"] == account.display_name
        assert app.call("reinitialisation", device).status_code == 204
        assert app.unlock(device).status_code == 410
    events = [
        (e["event"], e["detail"].get("par"))
        for e in sim.control.journal(account=account.identifier)
    ]
    assert ("activation", "controle") in events


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (b"{}", 400, "corps attendu"),
        (b"pas du json", 400, "corps attendu"),
        (b'{"identifiant": "personne", "pin": "1234"}', 404, "compte inconnu"),
    ],
)
def test_bad_requests_get_a_french_answer(sim: Simulated, body: bytes, status: int, message: str):
    with raw(sim) as http:
        response = http.post("/devices", content=body)
    assert response.status_code == status
    assert message in response.json()["error"]


@pytest.mark.parametrize("pin", ["123", "12345", "abcd", 1234, None])
def test_a_pin_that_is_not_four_digits_is_refused(sim: Simulated, pin: object) -> None:
    account = sim.control.new_account()
    with raw(sim) as http:
        response = http.post("/devices", json={"identifiant": account.identifier, "pin": pin})
    assert response.status_code == 400
    assert response.json() == {"error": "le code PIN doit comporter 4 chiffres"}
    assert not [
        e for e in sim.control.journal(account=account.identifier) if e["event"] == "activation"
    ]
