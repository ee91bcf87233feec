"""A simulator in its own process, reached as a real deployment is: through its public URLs,
directly or behind a reverse proxy (near, or as far away as a remote deployment), and a
target profile that names it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from fixtures.simulator_process import RunningSimulator, simulator_process
from processes.ports import free_port
from tests.reverse_proxy import Distance, backends_by_host, reverse_proxy

PARTS = ("pass", "spico", "mobile")


@contextlib.contextmanager
def simulator_apart(
    proxy: Distance | None = None,
    options: tuple[str, ...] = (),
    lost: frozenset[str] = frozenset(),
    sticky: bool = False,
    gone_after: tuple[str, str] | None = None,
    rewrite: Callable[[str, bytes], bytes] | None = None,
) -> Iterator[RunningSimulator]:
    """The simulator alone (``proxy=None``), or behind a reverse proxy whose answers take
    ``proxy`` to come back, never come for the paths in ``lost``, set a load balancer's
    cookie if ``sticky``, answer 404 for a path once ``gone_after``'s trigger has passed, and
    change HTML pages by ``rewrite``: its public URLs are then the proxy's (one port, another
    one)."""
    if proxy is None:
        with simulator_process([], options=options) as sim:
            yield sim
        return
    port = free_port()
    public = {part: f"http://{part}.localhost:{port}" for part in PARTS}
    options += tuple(f"--public-{part}-url={url}" for part, url in public.items())
    with simulator_process([], options=options) as sim:
        assert {part: sim.public[part] for part in public} == public
        backends = backends_by_host(public, sim.internal)
        with reverse_proxy(port, backends, proxy, lost, sticky, gone_after, rewrite):
            yield sim


def profile_text(sim: RunningSimulator, token_env: str, name: str = "simulateur à part") -> str:
    """A target profile for ``sim``: its public URLs, its control API (the token read from
    ``token_env``)."""
    urls = "".join(f'{part} = "{sim.public[part]}"\n' for part in PARTS)
    return (
        f'nom = "{name}"\n[urls]\n{urls}'
        f'[controle]\nurl = "{sim.internal["control"]}"\njeton_env = "{token_env}"\n'
    )
