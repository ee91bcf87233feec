"""Cookies as evidence: replay a copied session cookie in a fresh client, read Set-Cookie."""

from __future__ import annotations

import httpx

from fixtures.http_probe import RoutingTransport


def replaying(host: str, name: str, value: str) -> httpx.Client:
    """A new "browser" holding only this cookie (as a thief or a reopened window would)."""
    transport = RoutingTransport(verify=False)  # plain http on loopback: no TLS context to build
    client = httpx.Client(transport=transport, timeout=10, follow_redirects=False)
    client.cookies.set(name, value, domain=host)
    return client


def set_cookie(response: httpx.Response, name: str, path: str) -> dict[str, str]:
    """The attributes of the last ``name`` cookie set by the response to ``path`` in the chain.

    Keys are lower case; the value is under ``"value"``; flags (HttpOnly) map to ``""``.
    """
    found = None
    for step in [*response.history, response]:
        if step.url.path != path:
            continue
        for header in step.headers.get_list("set-cookie"):
            pair, *attributes = (part.strip() for part in header.split(";"))
            key, _, value = pair.partition("=")
            if key == name:
                found = {"value": value}
                for attribute in attributes:
                    attr, _, attr_value = attribute.partition("=")
                    found[attr.lower()] = attr_value
    assert found is not None, f"no {name} cookie set by {path}"
    return found


def persistent(attributes: dict[str, str]) -> bool:
    """A cookie with an expiry survives closing the browser."""
    return "max-age" in attributes or "expires" in attributes
