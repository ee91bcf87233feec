"""PASS web pages and OpenID Connect endpoints.

Login = identifier + password, then a one-time code by e-mail or SMS; then the
"Kiosque des services". The PASS session has its own inactivity policy and logout.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from authlib.oauth2 import OAuth2Error
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import one_time_codes as otp
from ..context import Context
from ..outbox import DeliveryFailed
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
from .backchannel import end_pass_session
from .oidc import AuthorizedUser, Provider, oauth_request

COOKIE = "pass_session"
REMEMBER_ME_SECONDS = 30 * 24 * 3600
LOGIN_PURPOSE = "connexion-pass"


def create_app(ctx: Context, provider: Provider) -> Starlette:
    store = ctx.pass_sessions
    secure = is_https(ctx.urls.public["pass"])

    def current(request: Request) -> Session | None:
        return store.load(request.cookies.get(COOKIE))

    def anonymous(request: Request) -> tuple[Session, str | None]:
        """The browser's pre-login session, created on first visit (holds CSRF and progress)."""
        session = current(request)
        if session is not None:
            return session, None
        value = store.create()
        return store.load(value), value

    def with_cookie(response: Response, value: str | None, persistent: bool = False) -> Response:
        if value:
            max_age = REMEMBER_ME_SECONDS if persistent else None
            set_session_cookie(response, COOKIE, value, secure, max_age=max_age)
        return response

    async def home(request: Request) -> Response:
        session = current(request)
        target = "/kiosque" if session and session.authenticated else "/connexion"
        return RedirectResponse(target, 303)

    async def login_form(request: Request) -> Response:
        session, new_cookie = anonymous(request)
        if session.authenticated:
            return RedirectResponse(safe_next(request.query_params.get("suite"), "/kiosque"), 303)
        response = page(
            request,
            "pass/login.html",
            csrf=csrf_token(store, session),
            suite=safe_next(request.query_params.get("suite"), ""),
        )
        return with_cookie(response, new_cookie)

    async def login(request: Request) -> Response:
        session = current(request)
        form = await request.form()
        if not csrf_ok(session, form.get("csrf")):
            return expired_form(request)
        identifier = str(form.get("identifiant", "")).strip()[:200]
        suite = safe_next(str(form.get("suite", "")), "")
        account = ctx.accounts.authenticate(identifier, str(form.get("mot_de_passe", ""))[:200])
        if account is None:
            ctx.journal.record("pass", "echec_mot_de_passe", identifier or None)
            return page(
                request,
                "pass/login.html",
                401,
                csrf=csrf_token(store, session),
                suite=suite,
                identifiant=identifier,
                erreur="Identifiant ou mot de passe incorrect.",
            )
        session.data.update(pending_account=account.id, suite=suite)
        store.save_data(session)
        return RedirectResponse("/connexion/code", 303)

    def pending(session: Session | None):
        account_id = session.data.get("pending_account") if session else None
        return ctx.accounts.get(account_id) if account_id else None

    async def code_choice(request: Request) -> Response:
        session = current(request)
        account = pending(session)
        if account is None:
            return RedirectResponse("/connexion", 303)
        return page(
            request,
            "pass/code_choice.html",
            csrf=csrf_token(store, session),
            email=otp.mask_email(account.email),
            phone=otp.mask_phone(account.phone),
        )

    async def send_code(request: Request) -> Response:
        session = current(request)
        account = pending(session)
        form = await request.form()
        if account is None:
            return RedirectResponse("/connexion", 303)
        if not csrf_ok(session, form.get("csrf")):
            return expired_form(request)
        channel = form.get("canal")
        if channel not in ("email", "sms"):
            return page(
                request,
                "pass/code_choice.html",
                400,
                csrf=csrf_token(store, session),
                email=otp.mask_email(account.email),
                phone=otp.mask_phone(account.phone),
                erreur="Choisissez comment recevoir votre code : e-mail ou SMS.",
            )
        code = ctx.codes.issue(account.id, LOGIN_PURPOSE, channel)
        text = f"Votre code de connexion au PASS : {code}. Il expire dans 10 minutes."
        try:
            await ctx.send_code(account, channel, "Votre code de connexion PASS", text)
        except DeliveryFailed:
            return error_page(
                request,
                "Envoi du code impossible",
                "Le code n'a pas pu être envoyé. Réessayez dans un instant"
                " ou choisissez l'autre moyen.",
                502,
            )
        ctx.journal.record("pass", "code_envoye", account.identifier, canal=channel)
        session.data["channel"] = channel
        store.save_data(session)
        return RedirectResponse("/connexion/code/saisie", 303)

    async def code_form(request: Request) -> Response:
        session = current(request)
        if pending(session) is None:
            return RedirectResponse("/connexion", 303)
        return page(
            request,
            "pass/code_entry.html",
            csrf=csrf_token(store, session),
            canal=session.data.get("channel"),
        )

    async def check_code(request: Request) -> Response:
        session = current(request)
        account = pending(session)
        form = await request.form()
        if account is None:
            return RedirectResponse("/connexion", 303)
        if not csrf_ok(session, form.get("csrf")):
            return expired_form(request)
        result = ctx.codes.check(account.id, LOGIN_PURPOSE, str(form.get("code", ""))[:20])
        if result is not otp.Check.ACCEPTED:
            ctx.journal.record("pass", "code_refuse", account.identifier, motif=result.value)
            return page(
                request,
                "pass/code_entry.html",
                401,
                csrf=csrf_token(store, session),
                canal=session.data.get("channel"),
                erreur=result.message,
                nouveau_code=result is not otp.Check.WRONG,
            )
        suite = session.data.get("suite") or "/kiosque"
        value = store.sign_in(
            session,
            request.cookies.get(COOKIE),
            account.id,
            sid=secrets.token_urlsafe(16),
            auth_time=int(ctx.clock.timestamp()),
        )
        ctx.journal.record("pass", "connexion", account.identifier)
        response = RedirectResponse(suite, 303)
        return with_cookie(response, value, persistent=ctx.fault("pass-se-souvenir-de-moi"))

    async def kiosk(request: Request) -> Response:
        session = current(request)
        if session is None or not session.authenticated:
            return RedirectResponse("/connexion?" + urlencode({"suite": "/kiosque"}), 303)
        store.touch(session)
        return page(
            request,
            "pass/kiosk.html",
            account=ctx.accounts.get(session.account_id),
            csrf=csrf_token(store, session),
            spico_url=ctx.urls.public["spico"] + "/",
        )

    async def logout(request: Request) -> Response:
        session = current(request)
        form = await request.form()
        if session is not None and not csrf_ok(session, form.get("csrf")):
            return expired_form(request)
        return await logged_out(request, session)

    async def logged_out(request: Request, session: Session | None, redirect: str | None = None):
        if session is not None and session.authenticated:
            if ctx.fault("deconnexion-pass-inoperante"):
                ctx.journal.record("pass", "deconnexion_ignoree")
            else:
                await end_pass_session(ctx, provider, session, "déconnexion")
        response = (
            RedirectResponse(redirect, 302) if redirect else page(request, "pass/logged_out.html")
        )
        if not ctx.fault("deconnexion-pass-inoperante"):
            response.delete_cookie(COOKIE, path="/")
        return response

    def expired_form(request: Request) -> Response:
        return error_page(
            request,
            "Formulaire expiré",
            "Ce formulaire a expiré ou ne vient pas du PASS. Revenez à la page précédente et "
            "recommencez.",
            400,
        )

    # -- OpenID Connect ---------------------------------------------------------
    async def discovery(request: Request) -> Response:
        return JSONResponse(provider.metadata(ctx.urls.public["pass"]))

    async def jwks(request: Request) -> Response:
        return JSONResponse(provider.signing_key.public_jwks())

    async def authorize(request: Request) -> Response:
        oauth_req = await oauth_request(request)
        session = current(request)
        user = None
        if session is not None and session.authenticated:
            user = AuthorizedUser(
                ctx.accounts.get(session.account_id), session.sid, session.data["auth_time"]
            )
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
        store.touch(session)
        ctx.journal.record(
            "pass", "autorisation", user.account.identifier, client=oauth_req.payload.client_id
        )
        return provider.create_authorization_response(oauth_req, grant_user=user, grant=grant)

    async def token(request: Request) -> Response:
        return provider.create_token_response(await oauth_request(request))

    async def userinfo(request: Request) -> Response:
        scheme, _, access_token = request.headers.get("authorization", "").partition(" ")
        info = provider.userinfo(access_token) if scheme.lower() == "bearer" else None
        if info is None:
            return JSONResponse(
                {"error": "invalid_token"},
                401,
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        return JSONResponse(info)

    async def end_session(request: Request) -> Response:
        oauth_req = await oauth_request(request)
        session = current(request)
        try:
            validated = provider.validate_endpoint_request("end_session", oauth_req)
        except OAuth2Error as error:
            return error_page(request, "Déconnexion refusée", error.description or error.error, 400)
        # A hint from another PASS session is suspect (RP-Initiated Logout 1.0, section 2):
        # ask, or any page holding some valid ID token could log this browser out.
        foreign_hint = (
            not validated.needs_confirmation
            and session is not None
            and session.authenticated
            and validated.id_token_claims.get("sid") != session.sid
        )
        confirmed = request.method == "POST" and csrf_ok(session, oauth_req.form.get("csrf"))
        if (validated.needs_confirmation or foreign_hint) and not confirmed:
            if session is None or not session.authenticated:
                return page(request, "pass/logged_out.html")
            return page(
                request,
                "pass/logout_confirm.html",
                csrf=csrf_token(store, session),
                params=oauth_req.args,
            )
        response = provider.create_endpoint_response("end_session", validated)
        redirect = response.headers["location"] if response is not None else None
        return await logged_out(request, session, redirect)

    return Starlette(
        routes=[
            Route("/", home),
            Route("/connexion", login_form, methods=["GET"]),
            Route("/connexion", login, methods=["POST"]),
            Route("/connexion/code", code_choice, methods=["GET"]),
            Route("/connexion/code", send_code, methods=["POST"]),
            Route("/connexion/code/saisie", code_form, methods=["GET"]),
            Route("/connexion/code/saisie", check_code, methods=["POST"]),
            Route("/kiosque", kiosk),
            Route("/deconnexion", logout, methods=["POST"]),
            Route("/.well-known/openid-configuration", discovery),
            Route("/oidc/jwks", jwks),
            Route("/oidc/authorize", authorize),
            Route("/oidc/token", token, methods=["POST"]),
            Route("/oidc/userinfo", userinfo, methods=["GET", "POST"]),
            Route("/oidc/logout", end_session, methods=["GET", "POST"]),
            Mount("/static", StaticFiles(packages=[("simulator", "static")]), name="static"),
        ],
        exception_handlers={Exception: server_error},
        middleware=MIDDLEWARE,
    )
