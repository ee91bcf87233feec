"""The mobile app's calls to its device API, made over HTTP by the project's tests."""

from __future__ import annotations

import httpx

from fixtures.control import Account
from tests.conftest import Simulated, anonymous_client

PIN = "2580"


class MobileClient:
    def __init__(self, sim: Simulated) -> None:
        self.sim = sim
        self.http: httpx.Client = anonymous_client()

    def __enter__(self) -> MobileClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.close()

    def call(self, path: str, body: object = None, session: str | None = None) -> httpx.Response:
        """POST a JSON body (or GET without one) to ``/api/<path>``."""
        url = f"{self.sim.public['mobile']}/api/{path}"
        headers = {"Authorization": f"Bearer {session}"} if session else {}
        if body is None:
            return self.http.get(url, headers=headers)
        return self.http.post(url, json=body, headers=headers)

    def start(self, account: Account) -> dict:
        credentials = {"identifiant": account.identifier, "mot_de_passe": account.password}
        return self.call("activation", credentials).json()

    def activate(self, account: Account) -> dict:
        """Credentials, a code by SMS, a PIN: the registered device (id and token)."""
        token = self.start(account)["activation"]
        self.call("activation/code/envoi", {"activation": token, "canal": "sms"})
        code = self.sim.last_code("sms", account.phone)
        self.call("activation/code", {"activation": token, "code": code})
        device = self.call("appareils", {"activation": token, "pin": PIN})
        assert device.status_code == 201, device.text
        return {k: device.json()[k] for k in ("appareil", "jeton")}

    def unlock(self, device: dict, pin: str = PIN) -> httpx.Response:
        return self.call("deverrouillage", {**device, "pin": pin})
