"""SPICO's side of OpenID Connect: authorization request with PKCE, code exchange,
ID-token and logout-token validation.

Protocol only: no web framework here. Server-to-server calls go to PASS's internal
origin; the browser is sent to PASS's public origin.
"""

from __future__ import annotations

import secrets

import httpx
from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from ..clock import Clock
from ..config import Urls

BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"


class LoginFailed(Exception):
    """The code exchange or the ID token did not check out; the message says why, in French."""


class PassClient:
    def __init__(
        self,
        http: httpx.AsyncClient,
        urls: Urls,
        clock: Clock,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
    ) -> None:
        self._http = http
        self._urls = urls
        self._clock = clock
        self.client_id = client_id
        self._client_secret = client_secret
        self.redirect_uri = redirect_uri
        self._metadata: dict | None = None
        self._keys: KeySet | None = None

    async def metadata(self) -> dict:
        if self._metadata is None:
            url = self._urls.internal["pass"] + "/.well-known/openid-configuration"
            self._metadata = (await self._http.get(url)).raise_for_status().json()
        return self._metadata

    async def keys(self) -> KeySet:
        if self._keys is None:
            url = self._urls.to_internal("pass", (await self.metadata())["jwks_uri"])
            self._keys = KeySet.import_key_set(
                (await self._http.get(url)).raise_for_status().json()
            )
        return self._keys

    async def start(self) -> tuple[str, dict]:
        """The URL to send the browser to, and what to remember until it comes back."""
        pending = {
            "state": secrets.token_urlsafe(16),
            "nonce": secrets.token_urlsafe(16),
            "code_verifier": secrets.token_urlsafe(48),
        }
        url = add_params_to_uri(
            (await self.metadata())["authorization_endpoint"],
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": self.redirect_uri,
                "scope": "openid profile email",
                "state": pending["state"],
                "nonce": pending["nonce"],
                "code_challenge": create_s256_code_challenge(pending["code_verifier"]),
                "code_challenge_method": "S256",
            },
        )
        return url, pending

    async def finish(self, code: str, pending: dict) -> tuple[dict, str]:
        """Exchange the code; returns the ID token's claims and the raw ID token."""
        metadata = await self.metadata()
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.redirect_uri,
            "code_verifier": pending["code_verifier"],
        }
        try:
            response = await self._http.post(
                self._urls.to_internal("pass", metadata["token_endpoint"]),
                data=form,
                auth=(self.client_id, self._client_secret),
            )
            token = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise LoginFailed(f"le PASS ne répond pas ({exc.__class__.__name__})") from exc
        if response.status_code != 200:
            raise LoginFailed(f"le PASS a refusé l'échange du code ({token.get('error')})")
        raw = token.get("id_token")
        if not raw:
            raise LoginFailed("le PASS n'a pas fourni de jeton d'identité")
        claims = await self._decode(
            raw,
            iss={"essential": True, "value": metadata["issuer"]},
            aud={"essential": True, "value": self.client_id},
            exp={"essential": True},
            nonce={"essential": True, "value": pending["nonce"]},
        )
        return claims, raw

    async def logout_claims(self, logout_token: str) -> dict:
        """Validate a back-channel logout token (OIDC Back-Channel Logout 1.0, section 2.6)."""
        metadata = await self.metadata()
        claims = await self._decode(
            logout_token,
            iss={"essential": True, "value": metadata["issuer"]},
            aud={"essential": True, "value": self.client_id},
            iat={"essential": True},
            jti={"essential": True},
            events={"essential": True},
        )
        if BACKCHANNEL_EVENT not in claims["events"] or "nonce" in claims:
            raise LoginFailed("ce n'est pas un jeton de déconnexion")
        if not (claims.get("sid") or claims.get("sub")):
            raise LoginFailed("le jeton de déconnexion ne désigne aucune session")
        return claims

    async def _decode(self, raw: str, **options: dict) -> dict:
        try:
            token = jwt.decode(raw, await self.keys(), algorithms=["ES256"])
            jwt.JWTClaimsRegistry(
                now=lambda: int(self._clock.timestamp()), leeway=60, **options
            ).validate(token.claims)
        except (JoseError, ValueError) as exc:
            raise LoginFailed(f"jeton invalide ({exc})") from exc
        return dict(token.claims)
