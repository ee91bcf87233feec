"""The control API, for tests only: move the clock, read outboxes and journal, make accounts
and activated phones.

Off unless the simulator starts in test mode; always bound to loopback; every call
needs ``Authorization: Bearer <token>`` (a random token printed at start-up).
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable

from faker import Faker
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .context import Context
from .faults import CATALOG
from .mobile.devices import Devices, kept_on_phone, valid_pin
from .seed import search_key

MAX_ADVANCE_SECONDS = 30 * 24 * 3600


def _int(value: str | None, default: int = 0) -> int:
    return int(value) if value and value.isascii() and value.isdigit() else default


def create_app(ctx: Context, sweep: Callable[[], Awaitable[None]]) -> Starlette:
    fake = Faker("fr_FR")

    async def status(request: Request) -> Response:
        return JSONResponse(
            {
                "now": ctx.clock.timestamp(),
                "offset": ctx.clock.offset,
                "faults": {name: CATALOG[name].requirement for name in sorted(ctx.settings.faults)},
                "urls": ctx.urls.public,
                "rules": ctx.behaviour.rules(),
            }
        )

    async def advance(request: Request) -> Response:
        try:
            seconds = float((await request.json())["seconds"])
        except (ValueError, KeyError, TypeError):
            return JSONResponse({"error": 'corps attendu : {"seconds": <nombre>}'}, 400)
        if not 0 <= seconds <= MAX_ADVANCE_SECONDS:
            return JSONResponse(
                {"error": f"seconds doit être entre 0 et {MAX_ADVANCE_SECONDS}"}, 400
            )
        ctx.clock.advance(seconds)
        await sweep()
        return JSONResponse({"now": ctx.clock.timestamp(), "offset": ctx.clock.offset})

    async def outbox(request: Request) -> Response:
        channel = request.path_params["channel"]
        if channel not in ("email", "sms"):
            return JSONResponse({"error": "canal inconnu : email ou sms"}, 404)
        q = request.query_params
        return JSONResponse(ctx.outbox.read(channel, q.get("recipient"), _int(q.get("since"))))

    async def journal(request: Request) -> Response:
        q = request.query_params
        return JSONResponse(ctx.journal.read(_int(q.get("since")), q.get("account")))

    async def new_account(request: Request) -> Response:
        given, family = fake.first_name(), fake.last_name()
        name = search_key(f"{given}.{family}").lower().replace(" ", "-").replace("'", "")
        identifier = f"{name}.{secrets.token_hex(3)}"
        password = secrets.token_urlsafe(12)
        account = ctx.accounts.create(
            identifier,
            password,
            given,
            family,
            f"{identifier}@exemple.test",
            "+336" + "".join(str(secrets.randbelow(10)) for _ in range(8)),
        )
        return JSONResponse(
            {
                "identifier": identifier,
                "password": password,
                "email": account.email,
                "phone": account.phone,
                "given_name": given,
                "family_name": family,
                "display_name": account.display_name,
            },
            201,
        )

    async def new_device(request: Request) -> Response:
        """An activated phone for an account without walking activation: the device record
        activation registers, and what the app keeps on the phone, for the harness to write
        there (EXI-MOB-ACTIVATION keeps its own scenarios, which walk it)."""
        try:
            body = await request.json()
            identifier, pin = str(body["identifiant"]), body["pin"]
        except (ValueError, KeyError, TypeError):
            return JSONResponse({"error": 'corps attendu : {"identifiant": …, "pin": "1234"}'}, 400)
        account = ctx.accounts.by_identifier(identifier)
        if account is None:
            return JSONResponse({"error": f"compte inconnu : {identifier[:100]}"}, 404)
        if not valid_pin(pin):
            return JSONResponse({"error": "le code PIN doit comporter 4 chiffres"}, 400)
        devices = Devices.of(ctx)
        device, token = devices.register(account.id, pin)
        ctx.journal.record("mobile", "activation", identifier, appareil=device.id, par="controle")
        return JSONResponse({"stockage": kept_on_phone(device, token)}, 201)

    app = Starlette(
        routes=[
            Route("/status", status),
            Route("/clock/advance", advance, methods=["POST"]),
            Route("/outbox/{channel}", outbox),
            Route("/journal", journal),
            Route("/accounts", new_account, methods=["POST"]),
            Route("/devices", new_device, methods=["POST"]),
        ]
    )

    async def guarded(scope, receive, send) -> None:
        if scope["type"] == "http":
            header = dict(scope["headers"]).get(b"authorization", b"").decode()
            expected = f"Bearer {ctx.settings.control_token}"
            if not secrets.compare_digest(header.encode(), expected.encode()):
                await JSONResponse({"error": "jeton de contrôle absent ou invalide"}, 401)(
                    scope, receive, send
                )
                return
        await app(scope, receive, send)

    return guarded
