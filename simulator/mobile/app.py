"""The SPICO mobile app: its screens (one page, ``static/mobile.js``) and its device API.

What the guide asks of the app, and where it lives:

* EXI-MOB-ACTIVATION: ``/api/activation*`` then ``/api/appareils`` (PASS identifier and
  password, a one-time code by e-mail or SMS, a 4-digit PIN);
* EXI-MOB-VERROUILLAGE: the unlocked session is a token the page keeps in memory only, so a
  closed app always comes back to the PIN screen; ``/api/deverrouillage`` checks the PIN,
  ``/api/biometrie/*`` the fingerprint or face (``biometrics.py``);
* EXI-MOB-REINITIALISATION / EXI-MOB-NOUVEAU-COMPTE: ``/api/reinitialisation`` revokes the
  device on the server, and the page wipes everything it stored on the phone;
* BP-PIN-ESSAIS: past ``devices.MAX_PIN_ATTEMPTS`` wrong PINs the device is revoked.
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

from .. import one_time_codes as otp
from ..context import Context
from ..outbox import DeliveryFailed
from ..sessions import Session, SessionStore
from ..spico import patients
from ..web import MIDDLEWARE, page, server_error
from .biometrics import Biometrics
from .devices import MAX_PIN_ATTEMPTS, Device, Devices, Unlock, valid_pin

ACTIVATION_PURPOSE = "activation-mobile"
ACTIVATION_IDLE_SECONDS = 15 * 60
STATIC = Path(__file__).resolve().parent.parent / "static"

Api = Callable[[Request, dict], Awaitable[Response]]


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


def create_app(ctx: Context) -> Starlette:
    origin = ctx.urls.public["mobile"]
    devices = Devices(
        ctx.conn, ctx.clock, None if ctx.fault("pin-essais-illimites") else MAX_PIN_ATTEMPTS
    )
    biometrics = Biometrics(
        devices, origin, urlsplit(origin).hostname, not ctx.fault("biometrie-echec-accepte")
    )
    activations = SessionStore(
        ctx.conn, ctx.clock, ctx.journal, "mobile-activation", ACTIVATION_IDLE_SECONDS
    )
    unlocked = SessionStore(
        ctx.conn, ctx.clock, ctx.journal, "mobile", ctx.settings.spico_idle_seconds
    )

    def client_faults() -> dict[str, bool]:
        """Faults that live in the app on the phone rather than on the server."""
        return {
            "reouverture_deverrouillee": ctx.fault("application-deverrouillee-a-la-reouverture"),
            "garde_donnees_locales": ctx.fault("reinitialisation-garde-donnees-locales"),
        }

    async def home(request: Request) -> Response:
        return page(request, "mobile/app.html", config=client_faults())

    def activation(body: dict) -> tuple[Session | None, object]:
        session = activations.load(str(body.get("activation", ""))[:100] or None)
        account = ctx.accounts.get(session.data.get("compte")) if session else None
        return session, account

    def device_of(body: dict) -> Device | None:
        return devices.authenticate(body.get("appareil"), body.get("jeton"))

    def unlocked_session(request: Request) -> Session | None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        session = unlocked.load(token.strip() or None) if scheme.lower() == "bearer" else None
        if session is not None:
            unlocked.touch(session)
        return session

    def open_session(device: Device, how: str) -> dict:
        """An unlocked session for the device's account: the token the page keeps in memory."""
        account = ctx.accounts.get(device.account_id)
        token = unlocked.create(account_id=account.id, sid=device.id)
        ctx.journal.record("mobile", "deverrouillage", account.identifier, moyen=how)
        return {"session": token, "compte": account.display_name}

    async def start_activation(request: Request, body: dict) -> Response:
        identifier = str(body.get("identifiant", "")).strip()[:200]
        account = ctx.accounts.authenticate(identifier, str(body.get("mot_de_passe", ""))[:200])
        if account is None:
            ctx.journal.record("mobile", "echec_mot_de_passe", identifier or None)
            return refuse("Identifiant ou mot de passe incorrect.", 401)
        without_code = ctx.fault("activation-sans-code")
        token = activations.create(compte=account.id, code_valide=without_code)
        return JSONResponse(
            {
                "activation": token,
                "etape": "pin" if without_code else "code",
                "email": otp.mask_email(account.email),
                "telephone": otp.mask_phone(account.phone),
            }
        )

    async def send_code(request: Request, body: dict) -> Response:
        _, account = activation(body)
        if account is None:
            return refuse("Activation expirée : recommencez depuis le début.", 401)
        channel = body.get("canal")
        if channel not in ("email", "sms"):
            return refuse("Choisissez comment recevoir votre code : e-mail ou SMS.")
        code = ctx.codes.issue(account.id, ACTIVATION_PURPOSE, channel)
        text = f"Votre code d'activation de SPICO mobile : {code}. Il expire dans 10 minutes."
        try:
            await ctx.send_code(account, channel, "Votre code d'activation SPICO mobile", text)
        except DeliveryFailed:
            return refuse("Le code n'a pas pu être envoyé. Réessayez dans un instant.", 502)
        ctx.journal.record("mobile", "code_envoye", account.identifier, canal=channel)
        return JSONResponse({"canal": channel})

    async def check_code(request: Request, body: dict) -> Response:
        session, account = activation(body)
        if account is None:
            return refuse("Activation expirée : recommencez depuis le début.", 401)
        result = ctx.codes.check(account.id, ACTIVATION_PURPOSE, str(body.get("code", ""))[:20])
        if result is not otp.Check.ACCEPTED:
            ctx.journal.record("mobile", "code_refuse", account.identifier, motif=result.value)
            return refuse(result.message, 401, nouveau_code=result is not otp.Check.WRONG)
        session.data["code_valide"] = True
        activations.save_data(session)
        return JSONResponse({"etape": "pin"})

    async def register_device(request: Request, body: dict) -> Response:
        session, account = activation(body)
        if account is None or not session.data.get("code_valide"):
            return refuse("Activation expirée : recommencez depuis le début.", 401)
        pin = body.get("pin")
        if not valid_pin(pin):
            return refuse("Le code PIN doit comporter 4 chiffres.")
        device, token = devices.register(account.id, pin)
        activations.end(session, "activation terminée", record=False)
        ctx.journal.record("mobile", "activation", account.identifier, appareil=device.id)
        session = open_session(device, "activation")
        return JSONResponse({**session, "appareil": device.id, "jeton": token}, 201)

    def revoked() -> JSONResponse:
        return refuse(
            "Ce compte n'est plus activé sur cet appareil. Suivez de nouveau la procédure"
            " de première connexion.",
            410,
            reinitialise=True,
        )

    async def unlock_with_pin(request: Request, body: dict) -> Response:
        device = device_of(body)
        if device is None:
            return revoked()
        outcome, left = devices.check_pin(device, str(body.get("pin", ""))[:10])
        if outcome is Unlock.ACCEPTED:
            return JSONResponse(open_session(device, "pin"))
        account = ctx.accounts.get(device.account_id)
        ctx.journal.record("mobile", "pin_refuse", account.identifier, essais_restants=left)
        if outcome is Unlock.REVOKED:
            unlocked.end_by_sid(device.id, "appareil révoqué")
            return revoked()
        message = "Code PIN incorrect."
        if left is not None:
            message += f" Il vous reste {left} essai{'s' if left > 1 else ''}."
        return refuse(message, 401, essais_restants=left)

    async def enrolment_options(request: Request, body: dict) -> Response:
        session = unlocked_session(request)
        device = devices.authenticate(session.sid, body.get("jeton")) if session else None
        if device is None:
            return refuse("Session terminée : déverrouillez de nouveau l'application.", 401)
        return JSONResponse(
            biometrics.registration_options(device, ctx.accounts.get(device.account_id))
        )

    async def enrol(request: Request, body: dict) -> Response:
        session = unlocked_session(request)
        device = devices.authenticate(session.sid, body.get("jeton")) if session else None
        if device is None:
            return refuse("Session terminée : déverrouillez de nouveau l'application.", 401)
        if not biometrics.register(device, body.get("credential")):
            return refuse("L'empreinte ou le visage n'a pas pu être enregistré.", 400)
        ctx.journal.record(
            "mobile", "biometrie_enregistree", ctx.accounts.get(device.account_id).identifier
        )
        return JSONResponse({"biometrie": True}, 201)

    async def challenge(request: Request, body: dict) -> Response:
        device = device_of(body)
        if device is None:
            return revoked()
        options = biometrics.authentication_options(device)
        if options is None:
            return refuse("Aucune empreinte ni visage n'est enregistré sur cet appareil.", 404)
        return JSONResponse(options)

    async def unlock_with_biometrics(request: Request, body: dict) -> Response:
        device = device_of(body)
        if device is None:
            return revoked()
        if not biometrics.authenticate(device, body.get("assertion")):
            identifier = ctx.accounts.get(device.account_id).identifier
            ctx.journal.record("mobile", "biometrie_refusee", identifier)
            return refuse("Empreinte ou visage non reconnu. Saisissez votre code PIN.", 401)
        return JSONResponse(open_session(device, "biometrie"))

    async def reset(request: Request, body: dict) -> Response:
        device = device_of(body)
        if device is not None and not ctx.fault("reinitialisation-garde-appareil-serveur"):
            devices.revoke(device, "réinitialisation")
            unlocked.end_by_sid(device.id, "réinitialisation")
            identifier = ctx.accounts.get(device.account_id).identifier
            ctx.journal.record("mobile", "reinitialisation", identifier, appareil=device.id)
        return Response(status_code=204)

    async def patient_list(request: Request) -> Response:
        if unlocked_session(request) is None:
            return refuse("Session terminée : déverrouillez de nouveau l'application.", 401)
        rows, total = patients.run(ctx.conn, patients.parse({}, ctx.professionals))
        return JSONResponse({"total": total, "patients": [_summary(r) for r in rows]})

    async def patient_record(request: Request) -> Response:
        if unlocked_session(request) is None:
            return refuse("Session terminée : déverrouillez de nouveau l'application.", 401)
        row = patients.get(ctx.conn, request.path_params["patient_id"])
        if row is None:
            return refuse("Ce dossier n'existe pas.", 404)
        return JSONResponse(
            {**_summary(row), "statut": row["status"], "prochain_rdv": row["next_appointment"]}
        )

    def post(path: str, handler: Api) -> Route:
        return Route(path, json_api(handler), methods=["POST"])

    return Starlette(
        routes=[
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
        ],
        middleware=MIDDLEWARE,
        exception_handlers={500: server_error},
    )


def _summary(row) -> dict:
    return {
        "id": row["id"],
        "identite": f"{row['family_name'].upper()} {row['given_name']}",
        "naissance": row["birth_date"],
    }
