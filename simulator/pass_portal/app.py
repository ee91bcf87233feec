"""PASS web pages and OpenID Connect endpoints.

Login = identifier + password, then a one-time code by e-mail or SMS; then the
"Kiosque des services". The PASS session has its own inactivity policy and logout.
The protocol's rules live in ``oidc.py``; the endpoints here read the context, the
provider and the browser's sessions from ``request.app.state``.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from urllib.parse import urlencode

from authlib.oauth2 import OAuth2Error
from starlette.applications import Starlette
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import code_messages, one_time_codes
from ..accounts import Account
from ..code_messages import CodeMessage
from ..context import Context
from ..outbox import DeliveryFailed
from ..sessions import Session
from ..web import (
    MIDDLEWARE,
    WebSessions,
    csrf_ok,
    error_page,
    expired_form,
    is_https,
    page,
    safe_next,
    server_error,
)
from .backchannel import end_pass_session
from .oidc import AuthorizedUser, Provider, oauth_request

COOKIE = "pass_session"
LOGIN_CODE = CodeMessage(
    "pass",
    "connexion-pass",
    "Votre code de connexion PASS",
    "Votre code de connexion au PASS : {code}. Il expire dans 10 minutes.",
)


def create_app(ctx: Context, provider: Provider) -> Starlette:
    app = Starlette(
        routes=ROUTES, exception_handlers={Exception: server_error}, middleware=MIDDLEWARE
    )
    app.state.ctx = ctx
    app.state.provider = provider
    app.state.web = WebSessions(
        ctx.pass_sessions,
        COOKIE,
        is_https(ctx.urls.public["pass"]),
        max_age=ctx.behaviour.pass_cookie_max_age,
    )
    return app


def expired(request: Request) -> Response:
    return expired_form(request, "du PASS")


# -- sign-in: password, then a one-time code ---------------------------------------------


async def home(request: Request) -> Response:
    signed_in = request.app.state.web.signed_in(request)
    return RedirectResponse("/kiosque" if signed_in else "/connexion", 303)


def login_page(request: Request, session: Session, status: int = 200, **context) -> Response:
    csrf = request.app.state.web.csrf_token(session)
    return page(request, "pass/login.html", status, csrf=csrf, **context)


async def login_form(request: Request) -> Response:
    web: WebSessions = request.app.state.web
    session, new_cookie = web.anonymous(request)
    suite = safe_next(request.query_params.get("suite"), "")
    if session.authenticated:
        return RedirectResponse(suite or "/kiosque", 303)
    return web.set_cookie(login_page(request, session, suite=suite), new_cookie)


async def login(request: Request) -> Response:
    ctx: Context = request.app.state.ctx
    session = request.app.state.web.current(request)
    form = await request.form()
    if not csrf_ok(session, form.get("csrf")):
        return expired(request)
    identifier = str(form.get("identifiant", "")).strip()[:200]
    suite = safe_next(str(form.get("suite", "")), "")
    account = ctx.accounts.authenticate(identifier, str(form.get("mot_de_passe", ""))[:200])
    if account is None:
        ctx.journal.record("pass", "echec_mot_de_passe", identifier or None)
        return login_page(
            request,
            session,
            401,
            suite=suite,
            identifiant=identifier,
            erreur="Identifiant ou mot de passe incorrect.",
        )
    session.data.update(pending_account=account.id, suite=suite)
    request.app.state.web.store.save_data(session)
    return RedirectResponse("/connexion/code", 303)


def pending(request: Request) -> tuple[Session | None, Account | None]:
    """The browser's session and the account whose password it gave, if any."""
    session = request.app.state.web.current(request)
    account_id = session.data.get("pending_account") if session else None
    return session, request.app.state.ctx.accounts.get(account_id) if account_id else None


CodeStep = Callable[[Request, Session, Account, FormData | None], Awaitable[Response]]


def after_password(step: CodeStep) -> Callable[[Request], Awaitable[Response]]:
    """The code steps: only once a password was accepted; a form posted must be PASS's own."""

    async def endpoint(request: Request) -> Response:
        session, account = pending(request)
        if account is None:
            return RedirectResponse("/connexion", 303)
        form = await request.form() if request.method == "POST" else None
        if form is not None and not csrf_ok(session, form.get("csrf")):
            return expired(request)
        return await step(request, session, account, form)

    return endpoint


def code_choice_page(
    request: Request, session: Session, account: Account, status: int = 200, **context
) -> Response:
    return page(
        request,
        "pass/code_choice.html",
        status,
        csrf=request.app.state.web.csrf_token(session),
        email=one_time_codes.mask_email(account.email),
        phone=one_time_codes.mask_phone(account.phone),
        **context,
    )


async def code_choice(request: Request, session: Session, account: Account, form: None) -> Response:
    return code_choice_page(request, session, account)


async def send_code(
    request: Request, session: Session, account: Account, form: FormData
) -> Response:
    channel = form.get("canal")
    if channel not in code_messages.CHANNELS:
        return code_choice_page(
            request,
            session,
            account,
            400,
            erreur="Choisissez comment recevoir votre code : e-mail ou SMS.",
        )
    try:
        await code_messages.send(request.app.state.ctx, LOGIN_CODE, account, channel)
    except DeliveryFailed:
        return error_page(
            request,
            "Envoi du code impossible",
            "Le code n'a pas pu être envoyé. Réessayez dans un instant"
            " ou choisissez l'autre moyen.",
            502,
        )
    session.data["channel"] = channel
    request.app.state.web.store.save_data(session)
    return RedirectResponse("/connexion/code/saisie", 303)


def code_entry_page(request: Request, session: Session, status: int = 200, **context) -> Response:
    return page(
        request,
        "pass/code_entry.html",
        status,
        csrf=request.app.state.web.csrf_token(session),
        canal=session.data.get("channel"),
        **context,
    )


async def code_form(request: Request, session: Session, account: Account, form: None) -> Response:
    return code_entry_page(request, session)


async def check_code(
    request: Request, session: Session, account: Account, form: FormData
) -> Response:
    ctx: Context = request.app.state.ctx
    web: WebSessions = request.app.state.web
    result = code_messages.check(ctx, LOGIN_CODE, account, form.get("code"))
    if result is not one_time_codes.Check.ACCEPTED:
        return code_entry_page(
            request,
            session,
            401,
            erreur=result.message,
            nouveau_code=result is not one_time_codes.Check.WRONG,
        )
    suite = session.data.get("suite") or "/kiosque"
    value = web.store.sign_in(
        session,
        request.cookies.get(COOKIE),
        account.id,
        sid=secrets.token_urlsafe(16),
        auth_time=int(ctx.clock.timestamp()),
    )
    ctx.journal.record("pass", "connexion", account.identifier)
    return web.set_cookie(RedirectResponse(suite, 303), value)


async def kiosk(request: Request) -> Response:
    ctx: Context = request.app.state.ctx
    web: WebSessions = request.app.state.web
    session = web.signed_in(request)
    if session is None:
        return RedirectResponse("/connexion?" + urlencode({"suite": "/kiosque"}), 303)
    web.store.touch(session)
    return page(
        request,
        "pass/kiosk.html",
        account=ctx.accounts.get(session.account_id),
        csrf=web.csrf_token(session),
        spico_url=ctx.urls.public["spico"] + "/",
    )


# -- logout ----------------------------------------------------------------------------------


async def logout(request: Request) -> Response:
    session = request.app.state.web.current(request)
    form = await request.form()
    if session is not None and not csrf_ok(session, form.get("csrf")):
        return expired(request)
    return await ending(request, session, page(request, "pass/logged_out.html"))


async def ending(request: Request, session: Session | None, response: Response) -> Response:
    """EXI-WEB-DECONNEXION: the PASS session ends on the server (and SPICO is told), the
    browser forgets its cookie; then ``response``."""
    ctx: Context = request.app.state.ctx
    signed_in = session is not None and session.authenticated
    if not ctx.behaviour.pass_logout_ends_session:
        if signed_in:
            ctx.journal.record("pass", "deconnexion_ignoree")
        return response
    if signed_in:
        await end_pass_session(ctx, request.app.state.provider, session, "déconnexion")
    return request.app.state.web.forget(response)


# -- OpenID Connect ------------------------------------------------------------------------


async def discovery(request: Request) -> Response:
    provider: Provider = request.app.state.provider
    return JSONResponse(provider.metadata(request.app.state.ctx.urls.public["pass"]))


async def jwks(request: Request) -> Response:
    return JSONResponse(request.app.state.provider.signing_key.public_jwks())


async def authorize(request: Request) -> Response:
    ctx: Context = request.app.state.ctx
    provider: Provider = request.app.state.provider
    oauth_req = await oauth_request(request)
    session = request.app.state.web.signed_in(request)
    user = None
    if session is not None:
        account = ctx.accounts.get(session.account_id)
        user = AuthorizedUser(account, session.sid, session.data["auth_time"])
    try:
        grant = provider.get_consent_grant(oauth_req, end_user=user)
    except OAuth2Error as error:
        if error.redirect_uri:
            return provider.handle_error_response(oauth_req, error)
        return error_page(
            request,
            "Demande de connexion refusée",
            f"Le service qui vous envoie ici n'est pas reconnu par le PASS "
            f"({error.error} : {error.description or 'paramètres invalides'}).",
            400,
        )
    if user is None:
        suite = request.url.path + "?" + request.url.query
        return RedirectResponse("/connexion?" + urlencode({"suite": suite}), 303)
    request.app.state.web.store.touch(session)
    ctx.journal.record(
        "pass", "autorisation", user.account.identifier, client=oauth_req.payload.client_id
    )
    return provider.create_authorization_response(oauth_req, grant_user=user, grant=grant)


async def token(request: Request) -> Response:
    return request.app.state.provider.create_token_response(await oauth_request(request))


async def userinfo(request: Request) -> Response:
    scheme, _, access_token = request.headers.get("authorization", "").partition(" ")
    provider: Provider = request.app.state.provider
    info = provider.userinfo(access_token) if scheme.lower() == "bearer" else None
    if info is None:
        return JSONResponse(
            {"error": "invalid_token"},
            401,
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    return JSONResponse(info)


async def end_session(request: Request) -> Response:
    provider: Provider = request.app.state.provider
    web: WebSessions = request.app.state.web
    oauth_req = await oauth_request(request)
    session = web.signed_in(request)
    try:
        validated, must_confirm = provider.logout_request(oauth_req, session and session.sid)
    except OAuth2Error as error:
        return error_page(request, "Déconnexion refusée", error.description or error.error, 400)
    if session is None and must_confirm:
        return page(request, "pass/logged_out.html")
    confirmed = request.method == "POST" and csrf_ok(session, oauth_req.form.get("csrf"))
    if must_confirm and not confirmed:
        return page(
            request,
            "pass/logout_confirm.html",
            csrf=web.csrf_token(session),
            params=oauth_req.args,
        )
    redirect = provider.create_endpoint_response("end_session", validated)
    response = (
        RedirectResponse(redirect.headers["location"], 302)
        if redirect is not None
        else page(request, "pass/logged_out.html")
    )
    return await ending(request, session, response)


ROUTES = [
    Route("/", home),
    Route("/connexion", login_form, methods=["GET"]),
    Route("/connexion", login, methods=["POST"]),
    Route("/connexion/code", after_password(code_choice), methods=["GET"]),
    Route("/connexion/code", after_password(send_code), methods=["POST"]),
    Route("/connexion/code/saisie", after_password(code_form), methods=["GET"]),
    Route("/connexion/code/saisie", after_password(check_code), methods=["POST"]),
    Route("/kiosque", kiosk),
    Route("/deconnexion", logout, methods=["POST"]),
    Route("/.well-known/openid-configuration", discovery),
    Route("/oidc/jwks", jwks),
    Route("/oidc/authorize", authorize),
    Route("/oidc/token", token, methods=["POST"]),
    Route("/oidc/userinfo", userinfo, methods=["GET", "POST"]),
    Route("/oidc/logout", end_session, methods=["GET", "POST"]),
    Mount("/static", StaticFiles(packages=[("simulator", "static")]), name="static"),
]
