"""What PASS and SPICO pages share: templates, session cookies, CSRF tokens, safe redirects."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .sessions import Session, SessionStore

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.filters["jjmmaaaa"] = lambda iso: f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}" if iso else ""


def page(request: Request, name: str, status: int = 200, **context: object) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status)


def error_page(request: Request, title: str, message: str, status: int) -> HTMLResponse:
    return page(request, "error.html", status, title=title, message=message)


@dataclass(frozen=True)
class WebSessions:
    """A site's sessions as a browser holds them: one cookie naming a row of a ``SessionStore``.

    The cookie is session-only by default (no Expires/Max-Age: closing the browser drops it),
    HttpOnly and SameSite=Lax; a site's ``Behaviour`` may say otherwise.
    """

    store: SessionStore
    cookie: str
    secure: bool
    max_age: int | None = None
    httponly: bool = True
    samesite: str | None = "lax"

    def current(self, request: Request) -> Session | None:
        return self.store.load(request.cookies.get(self.cookie))

    def signed_in(self, request: Request) -> Session | None:
        session = self.current(request)
        return session if session is not None and session.authenticated else None

    def anonymous(self, request: Request) -> tuple[Session, str | None]:
        """The browser's session, created on first visit; the new cookie value, if any."""
        session = self.current(request)
        if session is not None:
            return session, None
        value = self.store.create()
        return self.store.load(value), value

    def set_cookie(self, response: Response, value: str | None) -> Response:
        if value:
            response.set_cookie(
                self.cookie,
                value,
                max_age=self.max_age,
                httponly=self.httponly,
                samesite=self.samesite,
                secure=self.secure,
                path="/",
            )
        return response

    def forget(self, response: Response) -> Response:
        response.delete_cookie(self.cookie, path="/")
        return response

    def csrf_token(self, session: Session) -> str:
        token = session.data.get("csrf")
        if token is None:
            token = session.data["csrf"] = secrets.token_urlsafe(24)
            self.store.save_data(session)
        return token


def csrf_ok(session: Session | None, submitted: object) -> bool:
    expected = session.data.get("csrf") if session else None
    return bool(expected and isinstance(submitted, str) and submitted) and secrets.compare_digest(
        expected, submitted
    )


def expired_form(request: Request, origin: str) -> HTMLResponse:
    """A form whose CSRF token is missing or stale: one message, nothing lost."""
    return error_page(
        request,
        "Formulaire expiré",
        f"Ce formulaire a expiré ou ne vient pas {origin}. Revenez à la page précédente et"
        " recommencez.",
        400,
    )


def safe_next(target: str | None, default: str) -> str:
    """A path on this site, never an absolute or protocol-relative URL (no open redirect)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target:
        return default
    return target


def is_https(public_url: str) -> bool:
    return public_url.startswith("https://")


async def server_error(request: Request, exc: Exception) -> HTMLResponse:
    """Last resort: a French page instead of a traceback (the log keeps the details)."""
    return error_page(
        request,
        "Erreur du service",
        "Le service a rencontré une erreur inattendue. Réessayez dans un instant.",
        500,
    )


class NoStoreByDefault:
    """Every response that does not say otherwise is ``Cache-Control: no-store``.

    Not only pages with patient data: a cached login redirect replayed by the Back button
    sends the browser round an authorization loop with a spent code. Static files keep
    their own caching.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return

        async def send_no_store_unless_said(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_no_store_unless_said)


#: What both PASS and SPICO wrap themselves in.
MIDDLEWARE = [Middleware(NoStoreByDefault)]
