"""Start the whole simulator in one process: PASS, SPICO, the mobile app, the SMS gateway,
the SMTP server and (in test mode) the control API, each on its own port."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import signal
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import uvicorn

from . import control, db, faults, seed
from .accounts import Accounts
from .behaviour import Behaviour
from .clock import Clock
from .config import Settings, Urls, resolve_urls
from .context import Context
from .journal import Journal
from .mobile import app as mobile_app
from .one_time_codes import OneTimeCodes
from .outbox import Outbox, sms_gateway_app, start_smtp_server
from .pass_portal import app as pass_app
from .pass_portal.backchannel import notify_relying_parties
from .pass_portal.oidc import Client, Provider, SigningKey
from .sessions import SessionStore
from .spico import app as spico_app
from .spico.pass_client import PassClient

SWEEP_SECONDS = 30


@dataclass(frozen=True)
class Ready:
    """What a caller needs once the simulator listens."""

    urls: Urls
    control_token: str | None
    accounts: list[dict]


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: one handler stops every part together."""

    @contextlib.contextmanager
    def capture_signals(self):
        yield


def _listen(host: str, port: int) -> socket.socket:
    # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on sockets created with it, and
    # without it every keep-alive response waits ~40 ms for the client's delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise SystemExit(
            f"simulateur : impossible d'écouter sur {host}:{port} ({exc.strerror})"
        ) from exc
    sock.listen(128)
    sock.setblocking(False)
    return sock


def build_context(settings: Settings, urls: Urls) -> Context:
    conn = db.connect(settings.database)
    clock = Clock()
    journal = Journal(conn, clock)
    accounts = Accounts(conn, settings.scrypt_cost)
    seed.seed_if_empty(conn, accounts, settings.patients, settings.seed)
    compliant = Behaviour.compliant(settings.spico_idle_seconds, settings.pass_idle_seconds)
    behaviour = faults.behaviour_with(settings.faults, compliant)
    return Context(
        settings=settings,
        behaviour=behaviour,
        urls=urls,
        conn=conn,
        clock=clock,
        journal=journal,
        accounts=accounts,
        codes=OneTimeCodes(conn, clock, single_use=behaviour.codes_single_use),
        outbox=Outbox(conn, clock, echo=settings.echo_outbox),
        pass_sessions=SessionStore(conn, clock, journal, "pass", behaviour.pass_idle_seconds),
        spico_sessions=SessionStore(conn, clock, journal, "spico", behaviour.spico_idle_seconds),
        professionals=seed.professionals(settings.seed),
        http=httpx.AsyncClient(timeout=10, verify=False),
    )


def _client_secret(ctx: Context) -> str:
    secret = db.get_meta(ctx.conn, "spico_client_secret")
    if secret is None:
        secret = secrets.token_urlsafe(32)
        db.set_meta(ctx.conn, "spico_client_secret", secret)
    return secret


async def run(
    settings: Settings,
    on_ready: Callable[[Ready], None] | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    """Serve until ``stop`` is set, or until SIGINT or SIGTERM when no event is given."""
    if "AUTHLIB_INSECURE_TRANSPORT" not in os.environ:
        os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # plain http on loopback
    parts = {p: settings.bind for p in ("pass", "spico", "mobile")} | {"sms": "127.0.0.1"}
    if settings.test_mode:
        parts["control"] = "127.0.0.1"
    sockets = {part: _listen(host, settings.ports.get(part, 0)) for part, host in parts.items()}
    smtp_socket = _listen("127.0.0.1", settings.smtp_port)
    urls = resolve_urls(
        settings, {p: s.getsockname()[1] for p, s in sockets.items()}, smtp_socket.getsockname()[1]
    )
    ctx = build_context(settings, urls)
    spico = urls.public["spico"]
    secret = _client_secret(ctx)
    provider = Provider(
        ctx.conn,
        ctx.clock,
        ctx.accounts,
        urls.public["pass"],
        SigningKey(ctx.conn),
        [
            Client(
                "spico",
                secret,
                [f"{spico}/oidc/callback"],
                [f"{spico}/au-revoir"],
                f"{spico}/oidc/backchannel-logout",
            )
        ],
    )

    async def sweep() -> None:
        """End idle sessions now (and tell SPICO about ended PASS sessions)."""
        for session in ctx.pass_sessions.sweep_idle():
            await notify_relying_parties(ctx, provider, session)
        ctx.spico_sessions.sweep_idle()

    apps = {
        "pass": pass_app.create_app(ctx, provider),
        "spico": spico_app.create_app(
            ctx, PassClient(ctx.http, urls, ctx.clock, "spico", secret, f"{spico}/oidc/callback")
        ),
        "mobile": mobile_app.create_app(ctx),
        "sms": sms_gateway_app(ctx.outbox),
    }
    if settings.test_mode:
        apps["control"] = control.create_app(ctx, sweep)
    servers = [
        _Server(uvicorn.Config(apps[part], lifespan="off", log_level="warning", access_log=False))
        for part in sockets
    ]
    if stop is None:
        stop = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    smtp = await start_smtp_server(ctx.outbox, smtp_socket, settings.smtp_relay)
    tasks = [
        asyncio.create_task(s.serve(sockets=[sockets[p]]))
        for s, p in zip(servers, sockets, strict=True)
    ]
    while not all(s.started for s in servers):
        if any(t.done() for t in tasks):
            break
        await asyncio.sleep(0.005)
    if on_ready:
        demo = [{"identifier": a[0], "password": a[1]} for a in seed.DEMO_ACCOUNTS]
        on_ready(Ready(urls, settings.control_token if settings.test_mode else None, demo))

    async def sweep_forever() -> None:
        while True:
            await asyncio.sleep(SWEEP_SECONDS)
            await sweep()

    sweeper = asyncio.create_task(sweep_forever())
    await stop.wait()
    sweeper.cancel()
    for server in servers:
        server.should_exit = True
    await asyncio.gather(*tasks, return_exceptions=True)
    smtp.close()
    await ctx.http.aclose()
    ctx.conn.close()


class InThread:
    """A simulator on a background thread, for the project's tests and benchmarks.

    The suite itself starts the simulator as a separate process, like any target.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.ready: Ready | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._started = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._main, name="simulateur", daemon=True)

    def __enter__(self) -> Ready:
        self._thread.start()
        self._started.wait(timeout=30)
        if self.ready is None:
            raise RuntimeError(f"le simulateur n'a pas démarré : {self._error!r}")
        return self.ready

    def __exit__(self, *exc: object) -> None:
        if self._loop and self._stop:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=30)

    def _main(self) -> None:
        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            await run(self.settings, self._on_ready, self._stop)

        try:
            asyncio.run(main())
        except BaseException as exc:  # reported to the caller of __enter__
            self._error = exc
        finally:
            self._started.set()

    def _on_ready(self, ready: Ready) -> None:
        self.ready = ready
        self._started.set()
