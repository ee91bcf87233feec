"""SPICO web pages: the patient list behind PASS, the 2-hour inactivity policy, logout.

EXI-WEB-INACTIVITE is enforced twice: by the server (``SessionStore`` ends a session
idle for 2 hours) and on the screen (``static/spico.js`` removes patient data when the
server says the session is over). Only user requests count as activity; the page's
background polling does not (BP-SANS-MAINTIEN). What each rule is comes from
``ctx.behaviour``; the endpoints read it, and everything else, from ``request.app.state``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import catalog
from ..context import Context
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
from . import patients
from .pass_client import LoginFailed, PassClient

COOKIE = "spico_session"

Handler = Callable[[Request, Session], Awaitable[Response]]


def create_app(ctx: Context, client: PassClient) -> Starlette:
    rules = ctx.behaviour
    app = Starlette(
        routes=ROUTES, exception_handlers={Exception: server_error}, middleware=MIDDLEWARE
    )
    app.state.ctx = ctx
    app.state.client = client
    app.state.web = WebSessions(
        ctx.spico_sessions,
        COOKIE,
        is_https(ctx.urls.public["spico"]),
        max_age=rules.spico_cookie_max_age,
        httponly=rules.spico_cookie_httponly,
        samesite=rules.spico_cookie_samesite,
    )
    return app


# -- signing in through PASS -------------------------------------------------------------


async def to_pass(request: Request) -> Response:
    """Not signed in: remember where the user was going, send the browser to PASS."""
    web: WebSessions = request.app.state.web
    session, new_cookie = web.anonymous(request)
    url, pending = await request.app.state.client.start()
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    session.data["oidc"] = {**pending, "next": safe_next(target, "/patients")}
    web.store.save_data(session)
    return web.set_cookie(RedirectResponse(url, 303), new_cookie)


def signed_in(handler: Handler, activity: bool = True, api: bool = False):
    """Only for a signed-in session; ``activity``: the request counts as the user's."""

    async def endpoint(request: Request) -> Response:
        web: WebSessions = request.app.state.web
        session = web.signed_in(request)
        if session is None:
            return JSONResponse({"active": False}, 401) if api else await to_pass(request)
        if activity:
            web.store.touch(session)
        return await handler(request, session)

    return endpoint


async def callback(request: Request) -> Response:
    ctx: Context = request.app.state.ctx
    web: WebSessions = request.app.state.web
    session = web.current(request)
    pending = session.data.get("oidc") if session else None
    if session is not None and session.authenticated and pending is None:
        return RedirectResponse("/patients", 303)
    if request.query_params.get("error"):
        return login_error(request, f"le PASS a répondu « {request.query_params['error']} »")
    if not pending or request.query_params.get("state") != pending["state"]:
        return login_error(request, "la demande de connexion a expiré ou ne vient pas de SPICO")
    try:
        claims, id_token = await request.app.state.client.finish(
            request.query_params.get("code", ""), pending
        )
    except LoginFailed as exc:
        return login_error(request, str(exc))
    account = ctx.accounts.by_identifier(claims["sub"])
    if account is None:
        return login_error(request, "ce compte PASS n'a pas accès à SPICO")
    value = web.store.sign_in(
        session,
        request.cookies.get(COOKIE),
        account.id,
        sid=claims.get("sid"),
        rotate=ctx.behaviour.rotate_session_id,
        id_token=id_token,
        name=claims.get("name", account.display_name),
    )
    ctx.journal.record("spico", "connexion", account.identifier)
    return web.set_cookie(RedirectResponse(pending["next"], 303), value)


def login_error(request: Request, reason: str) -> Response:
    return error_page(
        request,
        "Connexion à SPICO impossible",
        f"Connexion impossible : {reason}. Recommencez depuis le kiosque des services.",
        400,
    )


# -- pages with patient data ---------------------------------------------------------------


def layout(request: Request, session: Session) -> dict:
    """What every signed-in page shows, and what its script is told."""
    csrf = request.app.state.web.csrf_token(session)
    return {
        "user_name": session.data.get("name", ""),
        "csrf": csrf,
        "session_config": request.app.state.ctx.behaviour.spico_page_script(csrf),
    }


def patient_page(request: Request, template: str, status: int, **context: object) -> Response:
    ctx: Context = request.app.state.ctx
    response = page(
        request,
        template,
        status,
        catalog=catalog,
        professionals=ctx.professionals,
        **context,
    )
    response.headers["Cache-Control"] = ctx.behaviour.patient_pages_cache_control
    return response


async def home(request: Request, session: Session) -> Response:
    return RedirectResponse("/patients", 303)


async def patient_list(request: Request, session: Session) -> Response:
    ctx: Context = request.app.state.ctx
    search = patients.parse(dict(request.query_params), ctx.professionals)
    rows, total = patients.run(ctx.conn, search) if search.valid else ([], 0)
    query = {k: v for k, v in search.values.items() if v and k != "page"}
    return patient_page(
        request,
        "spico/patients.html",
        200 if search.valid else 400,
        **layout(request, session),
        search=search,
        rows=rows,
        total=total,
        pages=max(1, -(-total // patients.PAGE_SIZE)),
        query=urlencode(query),
    )


async def patient_record(request: Request, session: Session) -> Response:
    row = patients.get(request.app.state.ctx.conn, request.path_params["patient_id"])
    if row is None:
        return error_page(request, "Patient introuvable", "Ce dossier n'existe pas.", 404)
    show_logout = request.app.state.ctx.behaviour.logout_on_record_page
    return patient_page(
        request,
        "spico/patient.html",
        200,
        **layout(request, session),
        patient=row,
        show_logout=show_logout,
    )


# -- the page's own requests -----------------------------------------------------------------


async def session_status(request: Request, session: Session) -> Response:
    ctx: Context = request.app.state.ctx
    remaining = session.seconds_left(ctx.behaviour.screen_idle_seconds, ctx.clock.timestamp())
    return JSONResponse({"active": True, "remaining": round(remaining, 3)})


async def notifications(request: Request, session: Session) -> Response:
    if request.app.state.ctx.behaviour.polling_is_activity:
        request.app.state.web.store.touch(session)
    return JSONResponse({"taches": 0})


async def activity(request: Request, session: Session) -> Response:
    if not csrf_ok(session, request.headers.get("x-csrf-token")):
        return JSONResponse({"erreur": "jeton CSRF manquant ou invalide"}, 403)
    request.app.state.web.store.touch(session)
    return JSONResponse({"active": True})


# -- logout ------------------------------------------------------------------------------------


async def logout(request: Request) -> Response:
    ctx: Context = request.app.state.ctx
    web: WebSessions = request.app.state.web
    session = web.signed_in(request)
    form = await request.form()
    if session is None:
        return RedirectResponse("/deconnecte", 303)
    if not csrf_ok(session, form.get("csrf")):
        return expired_form(request, "de SPICO")
    account = ctx.accounts.get(session.account_id)
    if ctx.behaviour.spico_logout_ends_session:
        web.store.end(session, "déconnexion")
    ctx.journal.record("spico", "deconnexion", account.identifier if account else None)
    # A fresh anonymous session keeps the ID token, the hint for PASS's logout.
    value = web.store.create(id_token_hint=session.data.get("id_token"))
    return web.set_cookie(RedirectResponse("/deconnecte", 303), value)


async def logged_out(request: Request) -> Response:
    ctx: Context = request.app.state.ctx
    client: PassClient = request.app.state.client
    session = request.app.state.web.current(request)
    metadata = await client.metadata()
    params = {
        "client_id": client.client_id,
        "post_logout_redirect_uri": ctx.urls.public["spico"] + "/au-revoir",
    }
    if session is not None and session.data.get("id_token_hint"):
        params["id_token_hint"] = session.data["id_token_hint"]
    link = f"{metadata['end_session_endpoint']}?{urlencode(params)}"
    return page(request, "spico/logged_out.html", pass_logout_url=link)


async def goodbye(request: Request) -> Response:
    return page(request, "spico/goodbye.html")


async def backchannel_logout(request: Request) -> Response:
    """BP-PROPAGATION-SSO, SPICO's half: PASS says a PASS session ended; end SPICO's too."""
    ctx: Context = request.app.state.ctx
    form = await request.form()
    try:
        claims = await request.app.state.client.logout_claims(str(form.get("logout_token", "")))
    except LoginFailed as exc:
        return JSONResponse({"error": "invalid_request", "error_description": str(exc)}, 400)
    store = request.app.state.web.store
    ended = store.end_by_sid(claims["sid"], "déconnexion PASS") if claims.get("sid") else 0
    ctx.journal.record("spico", "backchannel_recu", claims.get("sub"), sessions=ended)
    return Response(status_code=200)


ROUTES = [
    Route("/", signed_in(home)),
    Route("/patients", signed_in(patient_list)),
    Route("/patients/{patient_id:int}", signed_in(patient_record)),
    Route("/oidc/callback", callback),
    Route("/oidc/backchannel-logout", backchannel_logout, methods=["POST"]),
    Route("/deconnexion", logout, methods=["POST"]),
    Route("/deconnecte", logged_out),
    Route("/au-revoir", goodbye),
    Route("/api/session", signed_in(session_status, activity=False, api=True)),
    Route("/api/notifications", signed_in(notifications, activity=False, api=True)),
    Route("/api/activite", signed_in(activity, activity=False, api=True), methods=["POST"]),
    Mount("/static", StaticFiles(packages=[("simulator", "static")]), name="static"),
]
