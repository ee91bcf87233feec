"""SPICO web pages: the patient list behind PASS, the 2-hour inactivity policy, logout.

EXI-WEB-INACTIVITE is enforced twice: by the server (``SessionStore`` ends a session
idle for 2 hours) and on the screen (``static/spico.js`` removes patient data when the
server says the session is over). Only user requests count as activity; the page's
background polling does not (BP-SANS-MAINTIEN).
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
    csrf_ok,
    csrf_token,
    error_page,
    is_https,
    page,
    safe_next,
    server_error,
    set_session_cookie,
)
from . import patients
from .pass_client import LoginFailed, PassClient

COOKIE = "spico_session"
PERSISTENT_COOKIE_SECONDS = 30 * 24 * 3600
POLL_SECONDS = 300
NO_STORE = "no-store"
CACHEABLE = "private, max-age=3600"  # fault "pages-en-cache"

Handler = Callable[[Request, Session], Awaitable[Response]]


def screen_timeout(ctx: Context) -> int:
    """The inactivity delay the page and /api/session announce (3 h with fault "expiration-3h")."""
    return 3 * 3600 if ctx.fault("expiration-3h") else ctx.settings.spico_idle_seconds


def create_app(ctx: Context, client: PassClient) -> Starlette:
    store = ctx.spico_sessions
    secure = is_https(ctx.urls.public["spico"])

    def current(request: Request) -> Session | None:
        return store.load(request.cookies.get(COOKIE))

    def set_cookie(response: Response, value: str) -> Response:
        set_session_cookie(
            response,
            COOKIE,
            value,
            secure,
            max_age=PERSISTENT_COOKIE_SECONDS if ctx.fault("cookie-spico-persistant") else None,
            httponly=not ctx.fault("cookie-sans-httponly"),
            samesite=None if ctx.fault("cookie-sans-httponly") else "lax",
        )
        return response

    def anonymous(request: Request) -> tuple[Session, str | None]:
        session = current(request)
        if session is not None:
            return session, None
        value = store.create()
        return store.load(value), value

    async def to_pass(request: Request) -> Response:
        """Not signed in: remember where the user was going, send the browser to PASS."""
        session, new_cookie = anonymous(request)
        url, pending = await client.start()
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        session.data["oidc"] = {**pending, "next": safe_next(target, "/patients")}
        store.save_data(session)
        response = RedirectResponse(url, 303)
        return set_cookie(response, new_cookie) if new_cookie else response

    def signed_in(handler: Handler, activity: bool = True, api: bool = False):
        async def endpoint(request: Request) -> Response:
            session = current(request)
            if session is None or not session.authenticated:
                if api:
                    return JSONResponse({"active": False}, 401)
                return await to_pass(request)
            if activity:
                store.touch(session)
            return await handler(request, session)

        return endpoint

    def layout(session: Session) -> dict:
        return {
            "user_name": session.data.get("name", ""),
            "csrf": csrf_token(store, session),
            "session_config": {
                "delai": screen_timeout(ctx),
                "verifie": not ctx.fault("expiration-serveur-seulement"),
                "interrogation": POLL_SECONDS,
                "csrf": csrf_token(store, session),
            },
        }

    def patient_page(response: Response) -> Response:
        response.headers["Cache-Control"] = CACHEABLE if ctx.fault("pages-en-cache") else NO_STORE
        return response

    async def home(request: Request, session: Session) -> Response:
        return RedirectResponse("/patients", 303)

    async def patient_list(request: Request, session: Session) -> Response:
        search = patients.parse(dict(request.query_params), ctx.professionals)
        rows, total = patients.run(ctx.conn, search) if search.valid else ([], 0)
        pages = max(1, -(-total // patients.PAGE_SIZE))
        query = {k: v for k, v in search.values.items() if v and k != "page"}
        return patient_page(
            page(
                request,
                "spico/patients.html",
                200 if search.valid else 400,
                **layout(session),
                search=search,
                rows=rows,
                total=total,
                pages=pages,
                catalog=catalog,
                professionals=ctx.professionals,
                query=urlencode(query),
            )
        )

    async def patient_record(request: Request, session: Session) -> Response:
        row = patients.get(ctx.conn, request.path_params["patient_id"])
        if row is None:
            return error_page(request, "Patient introuvable", "Ce dossier n'existe pas.", 404)
        return patient_page(
            page(
                request,
                "spico/patient.html",
                **layout(session),
                patient=row,
                catalog=catalog,
                professionals=ctx.professionals,
                show_logout=not ctx.fault("page-sans-deconnexion"),
            )
        )

    async def callback(request: Request) -> Response:
        session = current(request)
        pending = session.data.get("oidc") if session else None
        if session is not None and session.authenticated and pending is None:
            return RedirectResponse("/patients", 303)
        if request.query_params.get("error"):
            return login_error(request, f"le PASS a répondu « {request.query_params['error']} »")
        if not pending or request.query_params.get("state") != pending["state"]:
            return login_error(request, "la demande de connexion a expiré ou ne vient pas de SPICO")
        try:
            claims, id_token = await client.finish(request.query_params.get("code", ""), pending)
        except LoginFailed as exc:
            return login_error(request, str(exc))
        account = ctx.accounts.by_identifier(claims["sub"])
        if account is None:
            return login_error(request, "ce compte PASS n'a pas accès à SPICO")
        value = store.sign_in(
            session,
            request.cookies.get(COOKIE),
            account.id,
            sid=claims.get("sid"),
            rotate=not ctx.fault("identifiant-session-fixe"),
            id_token=id_token,
            name=claims.get("name", account.display_name),
        )
        ctx.journal.record("spico", "connexion", account.identifier)
        return set_cookie(RedirectResponse(pending["next"], 303), value)

    def login_error(request: Request, reason: str) -> Response:
        return error_page(
            request,
            "Connexion à SPICO impossible",
            f"Connexion impossible : {reason}. Recommencez depuis le kiosque des services.",
            400,
        )

    async def logout(request: Request) -> Response:
        session = current(request)
        form = await request.form()
        if session is None or not session.authenticated:
            return RedirectResponse("/deconnecte", 303)
        if not csrf_ok(session, form.get("csrf")):
            return error_page(
                request,
                "Formulaire expiré",
                "Ce formulaire a expiré. Rechargez la page et recommencez.",
                400,
            )
        account = ctx.accounts.get(session.account_id)
        if not ctx.fault("deconnexion-spico-cookie-seul"):
            store.end(session, "déconnexion")
        ctx.journal.record("spico", "deconnexion", account.identifier if account else None)
        # A fresh anonymous session keeps the ID token, the hint for PASS's logout.
        value = store.create(id_token_hint=session.data.get("id_token"))
        return set_cookie(RedirectResponse("/deconnecte", 303), value)

    async def logged_out(request: Request) -> Response:
        session = current(request)
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

    async def session_status(request: Request, session: Session) -> Response:
        remaining = session.last_activity + screen_timeout(ctx) - ctx.clock.timestamp()
        return JSONResponse({"active": True, "remaining": round(remaining, 3)})

    async def notifications(request: Request, session: Session) -> Response:
        if ctx.fault("interrogation-maintient-session"):
            store.touch(session)
        return JSONResponse({"taches": 0})

    async def activity(request: Request, session: Session) -> Response:
        if not csrf_ok(session, request.headers.get("x-csrf-token")):
            return JSONResponse({"erreur": "jeton CSRF manquant ou invalide"}, 403)
        store.touch(session)
        return JSONResponse({"active": True})

    async def backchannel_logout(request: Request) -> Response:
        form = await request.form()
        try:
            claims = await client.logout_claims(str(form.get("logout_token", "")))
        except LoginFailed as exc:
            return JSONResponse({"error": "invalid_request", "error_description": str(exc)}, 400)
        ended = store.end_by_sid(claims["sid"], "déconnexion PASS") if claims.get("sid") else 0
        ctx.journal.record("spico", "backchannel_recu", claims.get("sub"), sessions=ended)
        return Response(status_code=200)

    return Starlette(
        routes=[
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
        ],
        exception_handlers={Exception: server_error},
        middleware=MIDDLEWARE,
    )
