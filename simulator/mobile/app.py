"""The SPICO mobile app: its screens (one page, ``static/mobile.js``) and its device API.

What the guide asks of the app, and where it lives:

* EXI-MOB-ACTIVATION: ``/api/activation*`` then ``/api/appareils`` (PASS identifier and
  password, a one-time code by e-mail or SMS, a 4-digit PIN);
* EXI-MOB-VERROUILLAGE: the unlocked session is a token the page keeps in memory only, so a
  closed app always comes back to the PIN screen; ``/api/deverrouillage`` checks the PIN,
  ``/api/biometrie/*`` the fingerprint or face (``biometrics.py``);
* EXI-MOB-REINITIALISATION / EXI-MOB-NOUVEAU-COMPTE: ``/api/reinitialisation`` revokes the
  device on the server, and the page wipes everything it stored on the phone;
* BP-PIN-ESSAIS: past ``Behaviour.pin_attempts`` wrong PINs the device is revoked.

The endpoints read the context and the app's stores from ``request.app.state``.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import code_messages, one_time_codes
from ..accounts import Account
from ..code_messages import CodeMessage
from ..context import Context
from ..outbox import DeliveryFailed
from ..sessions import Session, SessionStore
from ..spico import patients
from ..web import MIDDLEWARE, page, server_error
from .biometrics import Biometrics
from .devices import Device, Devices, Unlock, valid_pin

ACTIVATION_CODE = CodeMessage(
    "mobile",
    "activation-mobile",
    "Votre code d'activation SPICO mobile",
    "Votre code d'activation de SPICO mobile : {code}. Il expire dans 10 minutes.",
)
ACTIVATION_IDLE_SECONDS = 15 * 60
STATIC = Path(__file__).resolve().parent.parent / "static"

Api = Callable[[Request, dict], Awaitable[Response]]


def create_app(ctx: Context) -> Starlette:
    rules = ctx.behaviour
    origin = ctx.urls.public["mobile"]
    app = Starlette(routes=ROUTES, middleware=MIDDLEWARE, exception_handlers={500: server_error})
    app.state.ctx = ctx
    app.state.devices = Devices.of(ctx)
    app.state.biometrics = Biometrics(
        app.state.devices, origin, urlsplit(origin).hostname, rules.biometrics_must_recognise
    )
    app.state.activations = SessionStore(
        ctx.conn, ctx.clock, ctx.journal, "mobile-activation", ACTIVATION_IDLE_SECONDS
    )
    app.state.unlocked = SessionStore(
        ctx.conn, ctx.clock, ctx.journal, "mobile", rules.app_idle_seconds
    )
    return app


def refuse(message: str, status: int = 400, **detail: object) -> JSONResponse:
    """Every refusal has one French sentence the app shows as it is."""
    return JSONResponse({"erreur": message, **detail}, status)


def json_api(handler: Api) -> Callable[[Request], Awaitable[Response]]:
    """Parse the JSON body once; anything but a JSON object gets a clear 400."""

    async def endpoint(request: Request) -> Response:
        try:
            body = json.loads(await request.body() or b"{}")
        except (ValueError, UnicodeDecodeError):
            return refuse("Requête illisible : un objet JSON est attendu.")
        if not isinstance(body, dict):
            return refuse("Requête illisible : un objet JSON est attendu.")
        return await handler(request, body)

    return endpoint


def expired_activation() -> JSONResponse:
    return refuse("Activation expirée : recommencez depuis le début.", 401)


def ended_session() -> JSONResponse:
    return refuse("Session terminée : déverrouillez de nouveau l'application.", 401)


def revoked() -> JSONResponse:
    return refuse(
        "Ce compte n'est plus activé sur cet appareil. Suivez de nouveau la procédure"
        " de première connexion.",
        410,
        reinitialise=True,
    )


async def home(request: Request) -> Response:
    return page(request, "mobile/app.html", config=request.app.state.ctx.behaviour.app_script())


# -- activation (EXI-MOB-ACTIVATION) -----------------------------------------------------


def activation(request: Request, body: dict) -> tuple[Session | None, Account | None]:
    store: SessionStore = request.app.state.activations
    session = store.load(str(body.get("activation", ""))[:100] or None)
    account = request.app.state.ctx.accounts.get(session.data.get("compte")) if session else None
    return session, account


async def start_activation(request: Request, body: dict) -> Response:
    ctx: Context = request.app.state.ctx
    identifier = str(body.get("identifiant", "")).strip()[:200]
    account = ctx.accounts.authenticate(identifier, str(body.get("mot_de_passe", ""))[:200])
    if account is None:
        ctx.journal.record("mobile", "echec_mot_de_passe", identifier or None)
        return refuse("Identifiant ou mot de passe incorrect.", 401)
    without_code = not ctx.behaviour.activation_needs_code
    token = request.app.state.activations.create(compte=account.id, code_valide=without_code)
    return JSONResponse(
        {
            "activation": token,
            "etape": "pin" if without_code else "code",
            "email": one_time_codes.mask_email(account.email),
            "telephone": one_time_codes.mask_phone(account.phone),
        }
    )


async def send_code(request: Request, body: dict) -> Response:
    _, account = activation(request, body)
    if account is None:
        return expired_activation()
    channel = body.get("canal")
    if channel not in code_messages.CHANNELS:
        return refuse("Choisissez comment recevoir votre code : e-mail ou SMS.")
    try:
        await code_messages.send(request.app.state.ctx, ACTIVATION_CODE, account, channel)
    except DeliveryFailed:
        return refuse("Le code n'a pas pu être envoyé. Réessayez dans un instant.", 502)
    return JSONResponse({"canal": channel})


async def check_code(request: Request, body: dict) -> Response:
    session, account = activation(request, body)
    if account is None:
        return expired_activation()
    result = code_messages.check(request.app.state.ctx, ACTIVATION_CODE, account, body.get("code"))
    if result is not one_time_codes.Check.ACCEPTED:
        return refuse(result.message, 401, nouveau_code=result is not one_time_codes.Check.WRONG)
    session.data["code_valide"] = True
    request.app.state.activations.save_data(session)
    return JSONResponse({"etape": "pin"})


async def register_device(request: Request, body: dict) -> Response:
    ctx: Context = request.app.state.ctx
    session, account = activation(request, body)
    if account is None or not session.data.get("code_valide"):
        return expired_activation()
    pin = body.get("pin")
    if not valid_pin(pin):
        return refuse("Le code PIN doit comporter 4 chiffres.")
    device, token = request.app.state.devices.register(account.id, pin)
    request.app.state.activations.end(session, "activation terminée", record=False)
    ctx.journal.record("mobile", "activation", account.identifier, appareil=device.id)
    opened = open_session(request, device, "activation")
    return JSONResponse({**opened, "appareil": device.id, "jeton": token}, 201)


# -- unlocking (EXI-MOB-VERROUILLAGE, BP-PIN-ESSAIS) -----------------------------------------


def device_of(request: Request, body: dict) -> Device | None:
    return request.app.state.devices.authenticate(body.get("appareil"), body.get("jeton"))


def unlocked_session(request: Request) -> Session | None:
    store: SessionStore = request.app.state.unlocked
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    session = store.load(token.strip() or None) if scheme.lower() == "bearer" else None
    if session is not None:
        store.touch(session)
    return session


def unlocked_device(request: Request, body: dict) -> Device | None:
    """The device of the unlocked session, when the body also proves it (its token)."""
    session = unlocked_session(request)
    if session is None:
        return None
    return request.app.state.devices.authenticate(session.sid, body.get("jeton"))


def open_session(request: Request, device: Device, how: str) -> dict:
    """An unlocked session for the device's account: the token the page keeps in memory."""
    ctx: Context = request.app.state.ctx
    account = ctx.accounts.get(device.account_id)
    token = request.app.state.unlocked.create(account_id=account.id, sid=device.id)
    ctx.journal.record("mobile", "deverrouillage", account.identifier, moyen=how)
    return {"session": token, "compte": account.display_name}


def identifier_of(request: Request, device: Device) -> str:
    return request.app.state.ctx.accounts.get(device.account_id).identifier


async def unlock_with_pin(request: Request, body: dict) -> Response:
    device = device_of(request, body)
    if device is None:
        return revoked()
    outcome, left = request.app.state.devices.check_pin(device, str(body.get("pin", ""))[:10])
    if outcome is Unlock.ACCEPTED:
        return JSONResponse(open_session(request, device, "pin"))
    identifier = identifier_of(request, device)
    request.app.state.ctx.journal.record("mobile", "pin_refuse", identifier, essais_restants=left)
    if outcome is Unlock.REVOKED:
        request.app.state.unlocked.end_by_sid(device.id, "appareil révoqué")
        return revoked()
    message = "Code PIN incorrect."
    if left is not None:
        message += f" Il vous reste {left} essai{'s' if left > 1 else ''}."
    return refuse(message, 401, essais_restants=left)


async def enrolment_options(request: Request, body: dict) -> Response:
    device = unlocked_device(request, body)
    if device is None:
        return ended_session()
    account = request.app.state.ctx.accounts.get(device.account_id)
    return JSONResponse(request.app.state.biometrics.registration_options(device, account))


async def enrol(request: Request, body: dict) -> Response:
    device = unlocked_device(request, body)
    if device is None:
        return ended_session()
    if not request.app.state.biometrics.register(device, body.get("credential")):
        return refuse("L'empreinte ou le visage n'a pas pu être enregistré.", 400)
    identifier = identifier_of(request, device)
    request.app.state.ctx.journal.record("mobile", "biometrie_enregistree", identifier)
    return JSONResponse({"biometrie": True}, 201)


async def challenge(request: Request, body: dict) -> Response:
    device = device_of(request, body)
    if device is None:
        return revoked()
    options = request.app.state.biometrics.authentication_options(device)
    if options is None:
        return refuse("Aucune empreinte ni visage n'est enregistré sur cet appareil.", 404)
    return JSONResponse(options)


async def unlock_with_biometrics(request: Request, body: dict) -> Response:
    device = device_of(request, body)
    if device is None:
        return revoked()
    if not request.app.state.biometrics.authenticate(device, body.get("assertion")):
        identifier = identifier_of(request, device)
        request.app.state.ctx.journal.record("mobile", "biometrie_refusee", identifier)
        return refuse("Empreinte ou visage non reconnu. Saisissez votre code PIN.", 401)
    return JSONResponse(open_session(request, device, "biometrie"))


# -- reset (EXI-MOB-REINITIALISATION) ----------------------------------------------------------


async def reset(request: Request, body: dict) -> Response:
    ctx: Context = request.app.state.ctx
    device = device_of(request, body)
    if device is not None and ctx.behaviour.reset_revokes_device:
        request.app.state.devices.revoke(device, "réinitialisation")
        request.app.state.unlocked.end_by_sid(device.id, "réinitialisation")
        identifier = identifier_of(request, device)
        ctx.journal.record("mobile", "reinitialisation", identifier, appareil=device.id)
    return Response(status_code=204)


# -- patients ----------------------------------------------------------------------------------


async def patient_list(request: Request) -> Response:
    if unlocked_session(request) is None:
        return ended_session()
    ctx: Context = request.app.state.ctx
    rows, total = patients.run(ctx.conn, patients.parse({}, ctx.professionals))
    return JSONResponse({"total": total, "patients": [summary(r) for r in rows]})


async def patient_record(request: Request) -> Response:
    if unlocked_session(request) is None:
        return ended_session()
    row = patients.get(request.app.state.ctx.conn, request.path_params["patient_id"])
    if row is None:
        return refuse("Ce dossier n'existe pas.", 404)
    return JSONResponse(
        {**summary(row), "statut": row["status"], "prochain_rdv": row["next_appointment"]}
    )


def summary(row) -> dict:
    return {
        "id": row["id"],
        "identite": f"{row['family_name'].upper()} {row['given_name']}",
        "naissance": row["birth_date"],
    }


def post(path: str, handler: Api) -> Route:
    return Route(path, json_api(handler), methods=["POST"])


ROUTES = [
    Route("/", home),
    post("/api/activation", start_activation),
    post("/api/activation/code/envoi", send_code),
    post("/api/activation/code", check_code),
    post("/api/appareils", register_device),
    post("/api/deverrouillage", unlock_with_pin),
    post("/api/biometrie/inscription/options", enrolment_options),
    post("/api/biometrie/inscription", enrol),
    post("/api/biometrie/defi", challenge),
    post("/api/biometrie/deverrouillage", unlock_with_biometrics),
    post("/api/reinitialisation", reset),
    Route("/api/patients", patient_list),
    Route("/api/patients/{patient_id:int}", patient_record),
    Mount("/static", StaticFiles(directory=STATIC), name="static"),
]
