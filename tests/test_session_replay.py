"""A replayed session is judged by what the browser shows (``fixtures/session_replay.py``):
the protected page means honoured, PASS's sign-in means refused, and a 404, a 5xx, an
unreachable target or a page that is neither is an error of the audit (not run, with the
reason), never "refused".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import BrowserContext
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from fixtures.session_replay import Cookies, SessionReplay
from processes.ports import free_port
from steps.web_user import patient_data_shown
from tests.reverse_proxy import serve

PATIENTS = "<title>SPICO</title><table aria-label='Patients'><tr><td>DUPONT</td></tr></table>"
SIGN_IN = "<title>PASS</title><form><input name=u><input type=password name=p></form>"


def target(port: int) -> Starlette:
    """SPICO and PASS on one port, told apart by host name, as the simulator's are."""

    async def spico(request: Request) -> Response:
        if request.cookies.get("session") == "vivante":
            return HTMLResponse(PATIENTS)
        return RedirectResponse(f"http://pass.localhost:{port}/connexion", 303)

    async def pass_sign_in(request: Request) -> Response:
        return HTMLResponse(SIGN_IN)

    async def elsewhere(request: Request) -> Response:
        return HTMLResponse("<title>Accueil</title><p>Bienvenue</p>")

    return Starlette(
        routes=[
            Route("/patients", spico),
            Route("/connexion", pass_sign_in),
            Route("/accueil", elsewhere),
            Route("/panne", lambda request: Response("panne", 502)),
            Route("/interdit", lambda request: Response("interdit", 403)),
        ]
    )


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    port = free_port()
    with serve(target(port), port):
        yield port


@pytest.fixture
def replay(new_context: Callable[..., BrowserContext], port: int) -> SessionReplay:
    return SessionReplay(new_context, f"http://pass.localhost:{port}")


def honoured(replay: SessionReplay, port: int, path: str, session: str) -> bool:
    spico = f"http://spico.localhost:{port}"
    return replay.honoured(spico + path, Cookies({"session": session}), spico, patient_data_shown)


def test_a_live_session_opens_the_protected_page(replay: SessionReplay, port: int) -> None:
    assert honoured(replay, port, "/patients", "vivante") is True


def test_a_refused_session_lands_on_the_sign_in(replay: SessionReplay, port: int) -> None:
    assert honoured(replay, port, "/patients", "terminée") is False


def test_a_forbidden_answer_is_a_refusal(replay: SessionReplay, port: int) -> None:
    assert honoured(replay, port, "/interdit", "terminée") is False


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/absent", "/absent répond 404 à la session rejouée, ni accès ni refus"),
        ("/panne", "/panne répond 502 à la session rejouée, ni accès ni refus"),
        ("/accueil", "ne montre ni le contenu protégé ni la connexion au PASS"),
    ],
)
def test_what_says_nothing_of_the_session_is_not_run(
    replay: SessionReplay, port: int, path: str, reason: str
) -> None:
    with pytest.raises(pytest.skip.Exception) as skipped:
        honoured(replay, port, path, "vivante")
    assert str(skipped.value).startswith("non exécuté : "), skipped.value
    assert reason in str(skipped.value)


def test_an_unreachable_target_is_not_run(replay: SessionReplay) -> None:
    closed = f"http://spico.localhost:{free_port()}"
    with pytest.raises(pytest.skip.Exception) as skipped:
        replay.honoured(
            closed + "/patients", Cookies({"session": "vivante"}), closed, patient_data_shown
        )
    assert str(skipped.value).startswith(f"non exécuté : {closed}/patients injoignable"), str(
        skipped.value
    )
