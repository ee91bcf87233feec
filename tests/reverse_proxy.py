"""A plain reverse proxy, as an operator puts in front of a deployment: one port, requests
routed by host name to the simulator's parts, the Host header kept, nothing rewritten.

It can also stand for distance: each response is held back for a delay, give or take a
jitter, as a deployment 150 ms away over a VPN would answer. Runs uvicorn on a background
thread for the length of a ``with`` block.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
import uvicorn
from starlette.requests import Request
from starlette.responses import Response

#: Hop-by-hop headers (RFC 9110, 7.6.1) and those the proxy recomputes.
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "content-length",
}


@dataclass(frozen=True)
class Distance:
    """How long each response takes to come back: ``delay`` ± ``jitter`` seconds."""

    delay: float = 0.0
    jitter: float = 0.0

    def draw(self, rng: random.Random) -> float:
        return max(0.0, self.delay + rng.uniform(-self.jitter, self.jitter))

    def __str__(self) -> str:
        return f"{self.delay * 1000:.0f} ms ± {self.jitter * 1000:.0f} ms"


NEAR = Distance()


#: What a load balancer with sticky sessions adds to every answer (HAProxy's ``cookie
#: SERVERID insert``): a cookie that is not the application's session, persistent, readable.
STICKY_COOKIE = "SERVERID=s1; Path=/; Max-Age=31536000"


def proxy_app(
    backends: dict[str, str],
    distance: Distance = NEAR,
    lost: frozenset[str] = frozenset(),
    sticky: bool = False,
    gone_after: tuple[str, str] | None = None,
    rewrite: Callable[[str, bytes], bytes] | None = None,
):
    """An ASGI app sending ``host name -> backend origin``; other hosts get a 502.

    Straight to the transport: no client-side cookie jar (it would hand one browser's session
    to the next), no redirect following, no decoding of the body. Each answer leaves
    ``distance`` after the backend gave it (responses may overtake one another, as on a
    network whose delay varies). Requests for a path in ``lost`` are never answered: the
    proxy holds them until the client gives up. ``sticky``: each answer also sets the
    load balancer's own cookie. ``gone_after`` (trigger, path): once a request for the
    trigger has passed, the path answers 404, as a page removed under a live deployment.
    ``rewrite(host, body)``: what the HTML pages of that host become on the way (a control
    taken out of every page, as a deployment that lacks it).
    """
    transport = httpx.AsyncHTTPTransport()
    rng = random.Random(0)
    gone: set[str] = set()

    async def app(scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        backend = backends.get(request.url.hostname or "")
        if backend is None:
            await Response("hôte inconnu du proxy", status_code=502)(scope, receive, send)
            return
        if request.url.path in lost:
            while (await receive())["type"] != "http.disconnect":
                pass
            return
        if request.url.path in gone:
            await Response("page introuvable", status_code=404)(scope, receive, send)
            return
        if gone_after is not None and request.url.path == gone_after[0]:
            gone.add(gone_after[1])
        headers = [(k, v) for k, v in request.headers.items() if k not in HOP_BY_HOP]
        headers += [("x-forwarded-for", request.client.host if request.client else "")]
        upstream = await transport.handle_async_request(
            httpx.Request(
                request.method,
                backend + request.url.path + (f"?{request.url.query}" if request.url.query else ""),
                headers=headers,
                content=await request.body(),
            )
        )
        body = b"".join([chunk async for chunk in upstream.aiter_raw()])
        await upstream.aclose()
        if rewrite is not None and "text/html" in upstream.headers.get("content-type", ""):
            body = rewrite(request.url.hostname or "", body)
        answer = Response(body, status_code=upstream.status_code)
        del answer.headers["content-length"]
        for name, value in upstream.headers.multi_items():
            if name.lower() not in HOP_BY_HOP:
                answer.headers.append(name, value)
        answer.headers["content-length"] = str(len(body))
        if sticky:
            answer.headers.append("set-cookie", STICKY_COOKIE)
        await asyncio.sleep(distance.draw(rng))  # the way back over the network
        await answer(scope, receive, send)

    return app


@contextlib.contextmanager
def reverse_proxy(
    port: int,
    backends: dict[str, str],
    distance: Distance = NEAR,
    lost: frozenset[str] = frozenset(),
    sticky: bool = False,
    gone_after: tuple[str, str] | None = None,
    rewrite: Callable[[str, bytes], bytes] | None = None,
) -> Iterator[None]:
    """Listen on 127.0.0.1:``port`` until the block ends."""
    app = proxy_app(backends, distance, lost, sticky, gone_after, rewrite)
    with serve(app, port, "le proxy"):
        yield


@contextlib.contextmanager
def serve(app, port: int, name: str = "le serveur") -> Iterator[None]:
    """An ASGI ``app`` on 127.0.0.1:``port``, on a thread, until the block ends (requests
    still held then are dropped after a second)."""
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="error", timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError(f"{name} n'a pas démarré sur le port {port}")
            thread.join(0.02)
        yield
    finally:
        server.should_exit = True
        thread.join(10)


def backends_by_host(public: dict[str, str], internal: dict[str, str]) -> dict[str, str]:
    """For each part with a public URL, its host name and the internal origin it runs on."""
    return {
        urlsplit(url).hostname: internal[part] for part, url in public.items() if part in internal
    }
