"""Fixtures for the project's own tests: simulators on a thread, HTTP "browsers", control API."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from subprocess import CompletedProcess

import httpx
import pytest

from fixtures.control import CODE, Control
from fixtures.handset import Handset
from fixtures.phone import emulated, new_directories
from simulator.accounts import SCRYPT_MIN_COST
from simulator.config import Settings
from simulator.server import InThread, Ready
from tests import parallel
from tests.http_user import HttpUser


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--matrice-complete",
        action="store_true",
        help="matrices complètes : chaque défaut contre tous les scénarios de sa surface, et"
        " aucun échec hors de ce que le catalogue dit qu'il casse aussi (environ 12 minutes au"
        " lieu de 5) ; chaque défaut contre le contrôle de chacun des autres (420 cas au lieu"
        " de 40)",
    )
    parser.addoption(
        "--toutes-distances",
        action="store_true",
        help="suite vue de loin : la cible conforme à 50, 150 et 300 ms (150 ms seulement sinon)",
    )
    parser.addoption(
        "--temps-reel",
        action="store_true",
        help="audit en temps réel de la pile de référence à politique courte (environ 15 minutes),"
        " comparé à son audit sous libfaketime (sinon non exécuté)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """How the project's tests share the processes of a parallel run (``tests/parallel.py``)."""
    config.pluginmanager.register(parallel, "spico-tests-en-parallele")


class Simulated:
    """A running simulator as a test sees it: URLs, control API, a way to make users."""

    def __init__(self, ready: Ready, settings: Settings) -> None:
        self.ready = ready
        self.settings = settings
        self.public = ready.urls.public
        self.internal = ready.urls.internal
        #: ``None`` outside test mode: the simulator then has no control API at all.
        self.control = (
            Control(ready.urls.internal["control"], ready.control_token)
            if "control" in ready.urls.internal
            else None
        )

    def user(self) -> HttpUser:
        return HttpUser(self, self.control.new_account())

    def last_code(self, channel: str, recipient: str) -> str:
        """The one-time code in the newest message sent to ``recipient``."""
        messages = self.control.messages(channel, recipient)
        match = CODE.search(messages[-1]["body"]) if messages else None
        if match is None:
            raise LookupError(f"aucun code reçu par {channel} pour {recipient}")
        return match.group(1)


@contextmanager
def simulator(**changes: object) -> Iterator[Simulated]:
    """A simulator in test mode with chosen settings, for any scope (a test, a module); its
    secrets stored at scrypt's lowest cost, as the suite's."""
    defaults = {"test_mode": True, "patients": 300, "scrypt_cost": SCRYPT_MIN_COST}
    settings = Settings(**{**defaults, **changes})
    with InThread(settings) as ready:
        simulated = Simulated(ready, settings)
        try:
            yield simulated
        finally:
            if simulated.control is not None:
                simulated.control.close()


@pytest.fixture
def start_simulator() -> Iterator[Callable[..., Simulated]]:
    """Start simulators with chosen settings; all stop at the end of the test."""
    with ExitStack() as stack:

        def start(**changes: object) -> Simulated:
            return stack.enter_context(simulator(**changes))

        yield start


@pytest.fixture
def sim(start_simulator) -> Simulated:
    return start_simulator()


@pytest.fixture
def user(sim: Simulated) -> Iterator[HttpUser]:
    with sim.user() as u:
        yield u


@pytest.fixture
def handset(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Handset]:
    """An emulated phone of the test's own, as a test process keeps one for its scenarios."""
    kept = Handset(
        request.getfixturevalue("appium_url"), emulated("android", new_directories(tmp_path), True)
    )
    try:
        yield kept
    finally:
        kept.close()


#: The two faults of the shared whole audit: one the clock shows, one the back-channel does.
AUDIT_FAULTS = ("expiration-3h", "sans-deconnexion-backchannel")


@pytest.fixture(scope="session")
def audit_with_faults(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, CompletedProcess]:
    """One whole audit of the simulator (web and mobile) under -n 2 with ``AUDIT_FAULTS``: its
    report folder and its run. Several tests read it back (the report, the cucumber JSON), as
    its readers do, rather than each paying most of a minute for an audit of its own."""
    from tests.test_report import audit

    folder = tmp_path_factory.mktemp("audit-avec-defauts")
    faults = [option for fault in AUDIT_FAULTS for option in ("--defaut", fault)]
    return folder, audit(folder, "-n", "2", *faults)


def anonymous_client() -> httpx.Client:
    from tests.http_user import RoutingTransport

    return httpx.Client(transport=RoutingTransport(), timeout=10)
