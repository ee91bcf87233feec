"""Where one-time codes go: a real SMTP server for e-mail and an HTTP SMS gateway.

Both store what they receive in the ``outbox`` table, which the control API (and a
person exploring the simulator, with ``--echo-outbox``) reads.
"""

from __future__ import annotations

import asyncio
import smtplib
import socket
import sqlite3
from email import message_from_bytes, policy
from email.message import EmailMessage

import httpx
from aiosmtpd.smtp import SMTP, Envelope
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .clock import Clock


class Outbox:
    def __init__(self, conn: sqlite3.Connection, clock: Clock, echo: bool = False) -> None:
        self._conn = conn
        self._clock = clock
        self._echo = echo

    def store(self, channel: str, recipient: str, body: str, subject: str = "") -> None:
        self._conn.execute(
            "INSERT INTO outbox(channel, recipient, subject, body, sent_at) VALUES (?, ?, ?, ?, ?)",
            (channel, recipient, subject, body, self._clock.timestamp()),
        )
        if self._echo:
            print(f"[{channel} → {recipient}] {subject} {body.strip()}", flush=True)

    def read(self, channel: str, recipient: str | None = None, since_id: int = 0) -> list[dict]:
        sql = "SELECT * FROM outbox WHERE channel = ? AND id > ?"
        args: list[object] = [channel, since_id]
        if recipient:
            sql += " AND recipient = ?"
            args.append(recipient)
        return [dict(r) for r in self._conn.execute(sql + " ORDER BY id", args)]


class _StoreMail:
    """aiosmtpd handler: every accepted message lands in the outbox, one row per recipient,
    once the relay (if there is one) has taken it."""

    def __init__(self, outbox: Outbox, relay: tuple[str, int] | None) -> None:
        self._outbox = outbox
        self._relay = relay

    async def handle_DATA(self, server: SMTP, session: object, envelope: Envelope) -> str:
        if self._relay is not None:
            try:
                await asyncio.to_thread(_hand_on, self._relay, envelope)
            except (OSError, smtplib.SMTPException):
                return "451 4.4.1 Relais de messagerie injoignable"
        message = message_from_bytes(envelope.original_content or b"", policy=policy.default)
        body = message.get_body(("plain",))
        text = body.get_content() if body else ""
        for recipient in envelope.rcpt_tos:
            self._outbox.store("email", recipient, text, subject=str(message["Subject"] or ""))
        return "250 Message accepted"


def _hand_on(relay: tuple[str, int], envelope: Envelope) -> None:
    with smtplib.SMTP(*relay, timeout=10) as client:
        client.sendmail(envelope.mail_from, envelope.rcpt_tos, envelope.original_content or b"")


async def start_smtp_server(
    outbox: Outbox, sock: socket.socket, relay: tuple[str, int] | None = None
) -> asyncio.Server:
    loop = asyncio.get_running_loop()
    handler = _StoreMail(outbox, relay)
    return await loop.create_server(
        lambda: SMTP(handler, hostname="smtp.simulateur.local", enable_SMTPUTF8=True), sock=sock
    )


class DeliveryFailed(Exception):
    """The SMTP server or the SMS gateway did not take the message."""


async def send_email(smtp: tuple[str, int], to: str, subject: str, text: str) -> None:
    """Deliver through SMTP like production would; smtplib blocks, so it runs in a thread."""
    message = EmailMessage()
    message["From"] = "PASS e-santé Occitanie <ne-pas-repondre@pass.simulateur.local>"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)

    def deliver() -> None:
        with smtplib.SMTP(*smtp, timeout=10) as client:
            client.send_message(message)

    try:
        await asyncio.to_thread(deliver)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryFailed(str(exc)) from exc


async def send_sms(http: httpx.AsyncClient, gateway_url: str, to: str, text: str) -> None:
    try:
        response = await http.post(f"{gateway_url}/messages", json={"to": to, "text": text})
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise DeliveryFailed(str(exc)) from exc


def sms_gateway_app(outbox: Outbox) -> Starlette:
    """A minimal SMS operator API: POST /messages {"to", "text"} sends; GET /messages?to=N
    lists what number N received, as operators offer for test numbers."""

    async def send(request: Request) -> JSONResponse:
        try:
            payload = await request.json()
            to, text = str(payload["to"]), str(payload["text"])
        except (ValueError, KeyError, TypeError):
            return JSONResponse({"erreur": 'corps attendu : {"to": …, "text": …}'}, 400)
        outbox.store("sms", to, text)
        return JSONResponse({"statut": "envoyé"}, 202)

    async def received(request: Request) -> JSONResponse:
        to = request.query_params.get("to")
        if not to:
            return JSONResponse({"erreur": "paramètre attendu : ?to=numéro"}, 400)
        return JSONResponse(
            [
                {"to": m["recipient"], "text": m["body"], "sent_at": m["sent_at"]}
                for m in outbox.read("sms", to)
            ]
        )

    return Starlette(
        routes=[Route("/messages", send, methods=["POST"]), Route("/messages", received)]
    )
