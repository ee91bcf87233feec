"""A professional driving PASS and SPICO over plain HTTP, cookies and all.

``*.localhost`` names resolve to loopback in browsers but not in Python: the transport
sends those requests to 127.0.0.1 while the cookie jar still sees the real host names.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

import httpx

from fixtures.control import Account
from fixtures.http_probe import RoutingTransport

if TYPE_CHECKING:
    from tests.conftest import Simulated

_HIDDEN = re.compile(r'type="hidden" name="(\w+)" value="([^"]*)"')


def hidden_fields(response: httpx.Response) -> dict[str, str]:
    return {name: html.unescape(value) for name, value in _HIDDEN.findall(response.text)}


def csrf_of(response: httpx.Response) -> str:
    token = hidden_fields(response).get("csrf")
    assert token, f"no CSRF field in {response.url}"
    return token


class HttpUser:
    def __init__(self, sim: Simulated, account: Account) -> None:
        self.sim = sim
        self.account = account
        self.http = httpx.Client(transport=RoutingTransport(), timeout=10, follow_redirects=True)

    def __enter__(self) -> HttpUser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.close()

    @property
    def pass_url(self) -> str:
        return self.sim.public["pass"]

    @property
    def spico_url(self) -> str:
        return self.sim.public["spico"]

    def get(self, url: str, **kwargs) -> httpx.Response:
        return self.http.get(url, **kwargs)

    def submit_credentials(
        self, password: str | None = None, login_page: httpx.Response | None = None
    ) -> httpx.Response:
        """Fill PASS's login form (the one given, e.g. reached through SPICO, or a fresh one)."""
        login_page = login_page or self.http.get(f"{self.pass_url}/connexion")
        return self.http.post(
            f"{self.pass_url}/connexion",
            data={
                **hidden_fields(login_page),
                "identifiant": self.account.identifier,
                "mot_de_passe": password or self.account.password,
            },
        )

    def request_code(self, channel: str = "email") -> httpx.Response:
        page = self.http.get(f"{self.pass_url}/connexion/code")
        return self.http.post(
            f"{self.pass_url}/connexion/code", data={"csrf": csrf_of(page), "canal": channel}
        )

    def code(self, channel: str = "email") -> str:
        recipient = self.account.email if channel == "email" else self.account.phone
        return self.sim.last_code(channel, recipient)

    def submit_code(self, code: str) -> httpx.Response:
        page = self.http.get(f"{self.pass_url}/connexion/code/saisie")
        return self.http.post(
            f"{self.pass_url}/connexion/code/saisie", data={"csrf": csrf_of(page), "code": code}
        )

    def login_pass(self, channel: str = "email") -> httpx.Response:
        self.submit_credentials()
        self.request_code(channel)
        return self.submit_code(self.code(channel))

    def open_spico(self, path: str = "/patients") -> httpx.Response:
        """Visit SPICO; when PASS asks, sign in there; end on the SPICO page."""
        response = self.http.get(f"{self.spico_url}{path}")
        if response.url.path == "/connexion":
            self.submit_credentials(login_page=response)
            self.request_code()
            response = self.submit_code(self.code())
        return response

    def spico_cookie(self) -> str | None:
        return self.http.cookies.get("spico_session", domain="spico.localhost")

    def logout_spico(self) -> httpx.Response:
        page = self.http.get(f"{self.spico_url}/patients")
        return self.http.post(f"{self.spico_url}/deconnexion", data={"csrf": csrf_of(page)})

    def logout_pass(self) -> httpx.Response:
        page = self.http.get(f"{self.pass_url}/kiosque")
        return self.http.post(f"{self.pass_url}/deconnexion", data={"csrf": csrf_of(page)})

    def reuse_login_code(self) -> httpx.Response:
        """Sign in to PASS, sign out, then sign in again offering the first code once more."""
        self.submit_credentials()
        self.request_code()
        code = self.code()
        assert "Kiosque des services" in self.submit_code(code).text
        self.logout_pass()
        self.submit_credentials()
        return self.submit_code(code)
