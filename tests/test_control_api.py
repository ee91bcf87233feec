"""The control API: absent without test mode, loopback only, token required, strict inputs."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import httpx
import pytest

from simulator.control import MAX_ADVANCE_SECONDS
from tests.conftest import Simulated
from tests.http_user import HttpUser


def port_of(url: str) -> int:
    return urlsplit(url).port


def raw(sim: Simulated) -> httpx.Client:
    """The control API with the right token, for requests ``fixtures.control`` never sends."""
    return httpx.Client(
        base_url=sim.internal["control"],
        headers={"Authorization": f"Bearer {sim.ready.control_token}"},
    )


def accepts(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def test_absent_without_test_mode(start_simulator) -> None:
    sim: Simulated = start_simulator(test_mode=False)
    assert "control" not in sim.internal
    assert sim.ready.control_token is None
    assert sim.control is None
    for part in ("pass", "spico", "sms"):
        for path in ("/status", "/journal", "/outbox/email"):
            assert httpx.get(sim.internal[part] + path).status_code in (404, 405)
        assert httpx.post(sim.internal[part] + "/clock/advance").status_code in (404, 405)


@pytest.mark.parametrize("authorization", [None, "Bearer", "Bearer faux-jeton", "Basic abc"])
def test_refused_without_the_token(sim: Simulated, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    calls = [
        ("GET", "/status"),
        ("POST", "/clock/advance"),
        ("POST", "/accounts"),
        ("POST", "/devices"),
    ]
    for method, path in calls:
        response = httpx.request(
            method,
            sim.internal["control"] + path,
            headers=headers,
            json={"seconds": 3600},
        )
        assert response.status_code == 401
        assert response.json() == {"error": "jeton de contrôle absent ou invalide"}
    assert sim.control.status()["offset"] == 0


def test_token_of_another_simulator_is_refused(start_simulator) -> None:
    first, second = start_simulator(), start_simulator()
    response = httpx.get(
        second.internal["control"] + "/status",
        headers={"Authorization": f"Bearer {first.ready.control_token}"},
    )
    assert response.status_code == 401


def test_bound_to_loopback_even_when_the_pages_are_not(start_simulator) -> None:
    sim: Simulated = start_simulator(bind="0.0.0.0")
    control = sim.internal["control"]
    assert urlsplit(control).hostname == "127.0.0.1"
    assert sim.control.status()["offset"] == 0
    # 127.0.0.2 is loopback too, but another address: only wildcard sockets answer there.
    if not accepts("127.0.0.2", port_of(sim.internal["pass"])):
        pytest.skip("127.0.0.2 is not routed to this machine")
    assert accepts("127.0.0.2", port_of(sim.internal["spico"]))
    assert not accepts("127.0.0.2", port_of(control))
    assert not accepts("127.0.0.2", port_of(sim.internal["sms"]))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"seconds": -1}', "seconds doit être entre 0 et"),
        (b'{"seconds": "abc"}', "corps attendu"),
        (b'{"seconds": null}', "corps attendu"),
        (b'{"seconds": "nan"}', "seconds doit être entre 0 et"),
        (b'{"seconds": "inf"}', "seconds doit être entre 0 et"),
        (f'{{"seconds": {MAX_ADVANCE_SECONDS + 1}}}'.encode(), "seconds doit être entre 0 et"),
        (b'{"secondes": 60}', "corps attendu"),
        (b"[60]", "corps attendu"),
        (b"pas du json", "corps attendu"),
    ],
)
def test_clock_advance_refuses_bad_values(sim: Simulated, body: bytes, message: str) -> None:
    with raw(sim) as http:
        response = http.post(
            "/clock/advance", content=body, headers={"content-type": "application/json"}
        )
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert sim.control.status()["offset"] == 0


def test_clock_advance_moves_time_forward(sim: Simulated) -> None:
    before = sim.control.status()["now"]
    after = sim.control.advance(90)
    assert after - before >= 90
    assert sim.control.status()["offset"] == 90


def test_status_names_the_active_faults(start_simulator) -> None:
    sim: Simulated = start_simulator(faults=frozenset({"pages-en-cache", "expiration-3h"}))
    status = sim.control.status()
    assert status["faults"] == {
        "expiration-3h": "EXI-WEB-INACTIVITE",
        "pages-en-cache": "BP-RETOUR-ARRIERE",
    }
    assert status["urls"] == sim.public


def test_status_reports_the_rules_in_force(start_simulator) -> None:
    """What a fault bends is what the control API reports, not the guide's figures."""
    sim: Simulated = start_simulator(faults=frozenset({"pages-en-cache", "expiration-3h"}))
    rules = sim.control.status()["rules"]
    assert rules["spico_idle_seconds"] == rules["screen_idle_seconds"] == 3 * 3600
    assert rules["patient_pages_cache_control"] == "private, max-age=3600"
    assert rules["pass_idle_seconds"] == 4 * 3600
    assert rules["codes_single_use"] is True


def test_journal_and_outboxes_are_readable(sim: Simulated, user: HttpUser) -> None:
    user.submit_credentials()
    user.request_code("sms")
    user.request_code("email")
    user.submit_code(user.code("email"))
    [sms] = sim.control.messages("sms", user.account.phone)
    [mail] = sim.control.messages("email", user.account.email)
    assert "Votre code de connexion au PASS" in sms["body"]
    assert mail["subject"] == "Votre code de connexion PASS"
    assert sim.control.messages("sms", user.account.phone, since=sms["id"]) == []
    events = sim.control.journal(account=user.account.identifier)
    assert [e["event"] for e in events] == ["code_envoye", "code_envoye", "connexion"]
    assert events[0]["detail"] == {"canal": "sms"}
    assert sim.control.journal(since=events[-1]["id"], account=user.account.identifier) == []


@pytest.mark.parametrize("path", ["/outbox/fax", "/outbox/email?since=abc", "/journal?since=²"])
def test_odd_reads_get_a_clear_answer(sim: Simulated, path: str) -> None:
    with raw(sim) as http:
        response = http.get(path)
    if path.startswith("/outbox/fax"):
        assert response.status_code == 404
        assert response.json() == {"error": "canal inconnu : email ou sms"}
    else:
        assert response.status_code == 200  # an unreadable "since" means from the start
        assert isinstance(response.json(), list)
