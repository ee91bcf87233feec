"""PASS as an OpenID Connect provider, on Authlib's protocol engine.

Authlib does the protocol (authorization code + PKCE, client authentication,
ID tokens, RP-initiated logout); this module gives it storage in SQLite, the
simulator's clock, and a Starlette request/response adapter. Back-channel logout
tokens are signed with joserfc.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from dataclasses import dataclass, field
from typing import ClassVar

from authlib.oauth2 import AuthorizationServer, OAuth2Request
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oauth2.rfc6749.errors import InvalidRequestError
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from authlib.oidc.rpinitiated import EndSessionEndpoint, EndSessionRequest
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from ..accounts import Account, Accounts
from ..clock import Clock
from ..db import get_meta, set_meta

ALGORITHM = "ES256"
ACCESS_TOKEN_SECONDS = 3600
CODE_SECONDS = 600
BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"


@dataclass
class Client(ClientMixin):
    """A registered relying party (SPICO's web front, later its mobile app)."""

    client_id: str
    client_secret: str
    redirect_uris: list[str]
    post_logout_redirect_uris: list[str] = field(default_factory=list)
    backchannel_logout_uri: str | None = None
    scope: str = "openid profile email"

    @property
    def client_metadata(self) -> dict:
        return {"post_logout_redirect_uris": self.post_logout_redirect_uris}

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str) -> str:
        allowed = set(self.scope.split())
        return " ".join(s for s in (scope or "").split() if s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret.encode(), self.client_secret.encode())

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class AuthorizedUser:
    """The account behind a PASS session, with the session id shared with relying parties."""

    account: Account
    sid: str
    auth_time: int


@dataclass
class AuthorizationCode:
    row: sqlite3.Row

    def __getattr__(self, name: str):
        return self.row[name]

    def get_redirect_uri(self) -> str:
        return self.row["redirect_uri"]

    def get_scope(self) -> str:
        return self.row["scope"]

    def get_nonce(self) -> str | None:
        return self.row["nonce"]

    def get_auth_time(self) -> int:
        return self.row["auth_time"]

    def get_acr(self) -> None:
        return None

    def get_amr(self) -> list[str]:
        return ["pwd", "otp"]


class SigningKey:
    """PASS's signing key, kept in the database so tokens stay valid across restarts."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        stored = get_meta(conn, "signing_key")
        if stored is None:
            key = ECKey.generate_key(
                "P-256", parameters={"use": "sig", "alg": ALGORITHM}, private=True
            )
            key.ensure_kid()
            set_meta(conn, "signing_key", json.dumps(key.as_dict(private=True)))
        else:
            key = ECKey.import_key(json.loads(stored))
        self.key = key
        self.key_set = KeySet([key])

    def public_jwks(self) -> dict:
        return self.key_set.as_dict(private=False)


class _StarletteRequest(OAuth2Request):
    """Authlib's view of a Starlette request whose query and form were read beforehand."""

    def __init__(self, request: Request, form: dict[str, str]) -> None:
        super().__init__(request.method, str(request.url), headers=request.headers)
        self._args = dict(request.query_params)
        self._form = form
        self.payload = BasicOAuth2Payload({**self._args, **form})

    @property
    def args(self) -> dict:
        return self._args

    @property
    def form(self) -> dict:
        return self._form


async def oauth_request(request: Request) -> _StarletteRequest:
    form = {}
    if request.method == "POST":
        form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    return _StarletteRequest(request, form)


class Provider(AuthorizationServer):
    """The PASS authorization server: what Authlib needs from storage and the web framework."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        clock: Clock,
        accounts: Accounts,
        issuer: str,
        signing_key: SigningKey,
        clients: list[Client],
    ) -> None:
        super().__init__(scopes_supported=["openid", "profile", "email"])
        self.conn = conn
        self.clock = clock
        self.accounts = accounts
        self.issuer = issuer
        self.signing_key = signing_key
        self.clients = {c.client_id: c for c in clients}
        self.register_token_generator(
            "default",
            BearerTokenGenerator(
                access_token_generator=lambda **_: secrets.token_urlsafe(32),
                expires_generator=lambda *_: ACCESS_TOKEN_SECONDS,
            ),
        )
        self.register_grant(_CodeGrant, [CodeChallenge(required=True), _OpenIDCode(self)])
        self.register_endpoint(_EndSession(self))

    # -- storage --------------------------------------------------------------
    def query_client(self, client_id: str) -> Client | None:
        return self.clients.get(client_id)

    def save_token(self, token: dict, request: OAuth2Request) -> None:
        user: AuthorizedUser = request.user
        self.conn.execute(
            "INSERT INTO oauth_tokens(access_token, client_id, account_id, scope, sid, expires_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                token["access_token"],
                request.client.client_id,
                user.account.id,
                token["scope"],
                user.sid,
                self.clock.timestamp() + token["expires_in"],
            ),
        )

    def userinfo(self, access_token: str) -> dict | None:
        row = self.conn.execute(
            "SELECT * FROM oauth_tokens WHERE access_token = ? AND expires_at > ?",
            (access_token, self.clock.timestamp()),
        ).fetchone()
        if row is None:
            return None
        return dict(_user_info(self.accounts.get(row["account_id"]), row["scope"]))

    def clients_of_session(self, sid: str) -> list[Client]:
        rows = self.conn.execute("SELECT DISTINCT client_id FROM oauth_codes WHERE sid = ?", (sid,))
        return [self.clients[r["client_id"]] for r in rows if r["client_id"] in self.clients]

    def logout_request(
        self, request: OAuth2Request, browser_sid: str | None
    ) -> tuple[EndSessionRequest, bool]:
        """Validate an RP-initiated logout; and must the user confirm it?

        Yes when the request carries no ID token hint, and when its hint names another PASS
        session than the browser's (RP-Initiated Logout 1.0, section 2): otherwise any page
        holding some valid ID token could log this browser out. Raises ``OAuth2Error``.
        """
        validated = self.validate_endpoint_request("end_session", request)
        foreign_hint = (
            not validated.needs_confirmation
            and browser_sid is not None
            and validated.id_token_claims.get("sid") != browser_sid
        )
        return validated, validated.needs_confirmation or foreign_hint

    def logout_token(self, client: Client, sid: str, sub: str) -> str:
        now = int(self.clock.timestamp())
        claims = {
            "iss": self.issuer,
            "aud": client.client_id,
            "iat": now,
            "exp": now + 120,
            "jti": secrets.token_urlsafe(16),
            "sid": sid,
            "sub": sub,
            "events": {BACKCHANNEL_EVENT: {}},
        }
        header = {"alg": ALGORITHM, "typ": "logout+jwt", "kid": self.signing_key.key.kid}
        return jwt.encode(header, claims, self.signing_key.key)

    # -- web framework --------------------------------------------------------
    def create_oauth2_request(self, request: OAuth2Request) -> OAuth2Request:
        return request

    def create_json_request(self, request: OAuth2Request) -> OAuth2Request:
        return request

    def send_signal(self, name: str, *args: object, **kwargs: object) -> None:
        pass

    def handle_response(self, status: int, body: object, headers: list) -> Response:
        headers = dict(headers)
        if status in (301, 302, 303):
            return RedirectResponse(headers.pop("Location"), status_code=302, headers=headers)
        if isinstance(body, dict):
            return JSONResponse(body, status_code=status, headers=headers)
        return Response(body, status_code=status, headers=headers)

    # -- discovery ------------------------------------------------------------
    def metadata(self, public: str) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{public}/oidc/authorize",
            "token_endpoint": f"{public}/oidc/token",
            "userinfo_endpoint": f"{public}/oidc/userinfo",
            "jwks_uri": f"{public}/oidc/jwks",
            "end_session_endpoint": f"{public}/oidc/logout",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": [ALGORITHM],
            "scopes_supported": self.scopes_supported,
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "name", "given_name", "family_name", "email", "sid"],
            "backchannel_logout_supported": True,
            "backchannel_logout_session_supported": True,
        }


def _user_info(account: Account, scope: str) -> UserInfo:
    info = UserInfo(sub=account.identifier)
    if "profile" in scope:
        info.update(
            name=account.display_name,
            given_name=account.given_name,
            family_name=account.family_name,
        )
    if "email" in scope:
        info["email"] = account.email
    return info


class _CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar = ["client_secret_basic", "client_secret_post"]

    @property
    def provider(self) -> Provider:
        return self.server

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        user: AuthorizedUser = request.user
        data = request.payload.data
        self.provider.conn.execute(
            "INSERT INTO oauth_codes(code, client_id, account_id, redirect_uri, scope, nonce,"
            " code_challenge, code_challenge_method, sid, auth_time, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                code,
                request.client.client_id,
                user.account.id,
                request.payload.redirect_uri,
                request.payload.scope,
                data.get("nonce"),
                data.get("code_challenge"),
                data.get("code_challenge_method"),
                user.sid,
                user.auth_time,
                self.provider.clock.timestamp(),
            ),
        )

    def query_authorization_code(self, code: str, client: Client) -> AuthorizationCode | None:
        row = self.provider.conn.execute(
            "SELECT * FROM oauth_codes WHERE code = ? AND client_id = ? AND created_at > ?",
            (code, client.client_id, self.provider.clock.timestamp() - CODE_SECONDS),
        ).fetchone()
        return AuthorizationCode(row) if row else None

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        # Keep a trace (the back-channel needs to know which clients used a session) but
        # make the code unusable.
        self.provider.conn.execute(
            "UPDATE oauth_codes SET created_at = 0 WHERE code = ?", (authorization_code.code,)
        )

    def authenticate_user(self, authorization_code: AuthorizationCode) -> AuthorizedUser | None:
        account = self.provider.accounts.get(authorization_code.account_id)
        if account is None:
            return None
        return AuthorizedUser(account, authorization_code.sid, authorization_code.auth_time)


class _OpenIDCode(OpenIDCode):
    def __init__(self, provider: Provider) -> None:
        super().__init__(require_nonce=True)
        self.provider = provider

    def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
        row = self.provider.conn.execute(
            "SELECT 1 FROM oauth_codes WHERE client_id = ? AND nonce = ?",
            (request.payload.client_id, nonce),
        ).fetchone()
        return row is not None

    def resolve_client_private_key(self, client: Client) -> KeySet:
        return self.provider.signing_key.key_set

    def get_client_algorithm(self, client: Client) -> str:
        return ALGORITHM

    def get_client_claims(self, client: Client) -> dict:
        now = int(self.provider.clock.timestamp())
        return {
            "iss": self.provider.issuer,
            "aud": [client.client_id],
            "iat": now,
            "exp": now + ACCESS_TOKEN_SECONDS,
        }

    def get_encode_header(self, client: Client) -> dict:
        return {"alg": ALGORITHM, "kid": self.provider.signing_key.key.kid}

    def get_authorization_code_claims(self, authorization_code: AuthorizationCode) -> dict:
        claims = super().get_authorization_code_claims(authorization_code)
        claims["sid"] = authorization_code.sid
        return claims

    def generate_user_info(self, user: AuthorizedUser, scope: str) -> UserInfo:
        return _user_info(user.account, scope)


class _HintClaims(jwt.JWTClaimsRegistry):
    def validate_exp(self, value: object) -> None:
        """An expired id_token_hint is still a valid hint (RP-Initiated Logout 1.0, section 2)."""


class _EndSession(EndSessionEndpoint):
    """RP-initiated logout. Authlib validates the request and builds the redirect;
    ``Provider.logout_request`` decides whether the user must confirm; the route ends the PASS
    session itself (it must notify relying parties, which is asynchronous)."""

    def get_server_jwks(self) -> KeySet:
        return self.server.signing_key.key_set

    def _validate_id_token_hint(self, id_token_hint: str) -> dict:
        # Authlib checks "iat" against the wall clock; the simulator's clock may be ahead.
        try:
            token = jwt.decode(id_token_hint, self.get_server_jwks(), algorithms=[ALGORITHM])
            _HintClaims(
                now=lambda: int(self.server.clock.timestamp()),
                iss={"essential": True, "value": self.server.issuer},
            ).validate(token.claims)
        except (JoseError, ValueError) as exc:
            raise InvalidRequestError("id_token_hint invalide") from exc
        return dict(token.claims)

    def end_session(self, end_session_request: EndSessionRequest) -> None:
        """Nothing to do here: the route ends the PASS session, which is asynchronous."""
