"""The mobile app's device API over HTTP: activation, PIN checked by the server, reset,
biometrics refused without a valid assertion, and bad input answered in French, never a 500.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simulator.behaviour import Behaviour
from tests.conftest import Simulated, simulator
from tests.mobile_client import PIN, MobileClient

PIN_ATTEMPTS = Behaviour().pin_attempts


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulated]:
    with simulator(patients=60) as simulated:
        yield simulated


@pytest.fixture
def app(sim: Simulated) -> Iterator[MobileClient]:
    with MobileClient(sim) as client:
        yield client


def test_activation_needs_the_one_time_code(sim: Simulated, app: MobileClient) -> None:
    started = app.start(sim.control.new_account())
    assert started["etape"] == "code"
    refused = app.call("appareils", {"activation": started["activation"], "pin": PIN})
    assert refused.status_code == 401
    assert "recommencez" in refused.json()["erreur"]


def test_right_pin_unlocks_and_the_session_reads_patients(sim, app: MobileClient) -> None:
    device = app.activate(sim.control.new_account())
    unlocked = app.unlock(device)
    assert unlocked.status_code == 200
    patients = app.call("patients", session=unlocked.json()["session"])
    assert patients.status_code == 200 and patients.json()["patients"]


def test_wrong_pins_revoke_the_device(sim: Simulated, app: MobileClient) -> None:
    device = app.activate(sim.control.new_account())
    for left in range(PIN_ATTEMPTS - 1, 0, -1):
        refused = app.unlock(device, "1111")
        assert refused.status_code == 401
        assert refused.json()["essais_restants"] == left
    last = app.unlock(device, "1111")
    assert last.status_code == 410 and last.json()["reinitialise"] is True
    assert app.unlock(device).status_code == 410


def test_reset_revokes_the_device_and_its_sessions(sim: Simulated, app: MobileClient) -> None:
    device = app.activate(sim.control.new_account())
    session = app.unlock(device).json()["session"]
    assert app.call("reinitialisation", device).status_code == 204
    assert app.unlock(device).status_code == 410
    assert app.call("patients", session=session).status_code == 401


def test_biometrics_without_a_valid_assertion_is_refused(sim, app: MobileClient) -> None:
    device = app.activate(sim.control.new_account())
    assert app.call("biometrie/defi", device).status_code == 404  # nothing enrolled
    forged = {**device, "assertion": {"id": "AAAA", "response": {}, "type": "public-key"}}
    refused = app.call("biometrie/deverrouillage", forged)
    assert refused.status_code == 401
    assert "non reconnu" in refused.json()["erreur"]


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("activation", b"{not json", 400),
        ("activation", b"[1, 2]", 400),
        ("activation", {"identifiant": ["x"], "mot_de_passe": {"a": 1}}, 401),
        ("activation/code/envoi", {"activation": "inconnue", "canal": "email"}, 401),
        ("activation/code", {"activation": 12, "code": None}, 401),
        ("appareils", {"activation": None, "pin": "12"}, 401),
        ("deverrouillage", {"appareil": ["x"], "jeton": 3, "pin": 2580}, 410),
        ("deverrouillage", {"appareil": "x" * 10_000, "jeton": "y", "pin": "2580"}, 410),
        ("biometrie/deverrouillage", {"appareil": "x", "jeton": "y", "assertion": 7}, 410),
        ("biometrie/inscription/options", {"jeton": "y"}, 401),
        ("biometrie/inscription", {"jeton": "y", "credential": "z"}, 401),
        ("reinitialisation", {"appareil": None}, 204),
    ],
)
def test_bad_input_gets_a_french_answer(app: MobileClient, path, body, status) -> None:
    if isinstance(body, bytes):
        response = app.http.post(
            f"{app.sim.public['mobile']}/api/{path}",
            content=body,
            headers={"Content-Type": "application/json"},
        )
    else:
        response = app.call(path, body)
    assert response.status_code == status, response.text
    if status != 204:
        message = response.json()["erreur"]
        assert message and "Traceback" not in message


def test_bad_pin_at_registration(sim: Simulated, app: MobileClient) -> None:
    account = sim.control.new_account()
    token = app.start(account)["activation"]
    app.call("activation/code/envoi", {"activation": token, "canal": "email"})
    code = sim.last_code("email", account.email)
    app.call("activation/code", {"activation": token, "code": code})
    for pin in ("123", "12345", "abcd", "١٢٣٤", 1234):
        refused = app.call("appareils", {"activation": token, "pin": pin})
        assert refused.status_code == 400
        assert refused.json()["erreur"] == "Le code PIN doit comporter 4 chiffres."
