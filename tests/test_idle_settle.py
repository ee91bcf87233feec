"""Before idle time moves the clock on, the browser's pages and the phone's app have been
answered what they asked (``fixtures/clocked_browser.py``, ``fixtures/phone_network.py``): a
late answer is waited for, a failed request is not, and a request that never ends gives one
French line naming it, not a hang.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from fixtures.clocked_browser import ClockedBrowser, RequestNeverEnded
from fixtures.phone import Phone, emulated_phone
from fixtures.phone_network import PhoneNetwork
from processes.ports import free_port
from tests.reverse_proxy import serve

PAGE = "<!doctype html><meta name=viewport content='width=device-width'><title>essai</title>"
#: How far away the late answer is.
LATE_SECONDS = 0.5
ANSWER_SETS_TITLE = "r => r.json().then(d => { document.title = d.titre; })"


async def home(request: Request) -> Response:
    return HTMLResponse(PAGE)


async def late(request: Request) -> Response:
    await asyncio.sleep(LATE_SECONDS)  # the answer's way back from a distant server
    return JSONResponse({"titre": "répondu"})


async def never(request: Request) -> Response:
    while (await request.receive())["type"] != "http.disconnect":
        pass
    return Response(status_code=204)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    port = free_port()
    routes = [Route("/", home), Route("/lent", late), Route("/jamais", never)]
    with serve(Starlette(routes=routes), port):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def browser(page: Page, server: str) -> ClockedBrowser:
    clocked = ClockedBrowser(page.context, patience=2)
    page.goto(server + "/")
    return clocked


def test_a_late_answer_is_waited_for(browser: ClockedBrowser, page: Page) -> None:
    page.evaluate(f"() => {{ fetch('/lent').then({ANSWER_SETS_TITLE}); }}")
    browser.settle()
    assert page.title() == "répondu"


def test_a_request_the_clock_fires_is_waited_for(browser: ClockedBrowser, page: Page) -> None:
    """A page's timer due in a minute, fired by moving the browser's clock."""
    page.evaluate(f"() => {{ setTimeout(() => fetch('/lent').then({ANSWER_SETS_TITLE}), 60000); }}")
    browser.run_for(61)
    browser.settle()
    assert page.title() == "répondu"
    assert [str(r) for r in browser.own_requests_since(0)] == [f"GET {page.url}lent"]


def test_a_failed_request_is_not_waited_for(browser: ClockedBrowser, page: Page) -> None:
    page.evaluate(f"() => {{ fetch('http://127.0.0.1:{free_port()}/').catch(() => {{}}); }}")
    browser.settle()


def test_a_request_that_never_ends_is_named(browser: ClockedBrowser, page: Page) -> None:
    page.evaluate("() => { fetch('/jamais'); }")
    with pytest.raises(RequestNeverEnded) as raised:
        browser.settle()
    assert str(raised.value) == (
        f"la requête GET {page.url}jamais lancée par la page n'a pas abouti en 2 s :"
        " le temps ne peut pas avancer sans fausser le verdict"
    )


@pytest.fixture
def phone(request: pytest.FixtureRequest, server: str, tmp_path: Path) -> Iterator[Phone]:
    appium_url = request.getfixturevalue("appium_url")
    phone = emulated_phone(appium_url, server + "/", "android", tmp_path / "telephone", True)
    try:
        phone.open_app()
        phone.network = PhoneNetwork(patience=2)
        yield phone
    finally:
        phone.close_app()


def test_the_phone_waits_for_a_late_answer_and_names_one_that_never_comes(phone: Phone) -> None:
    phone.driver.execute_script(f"fetch('/lent').then({ANSWER_SETS_TITLE})")
    phone.settle()
    assert phone.driver.title == "répondu"
    phone.driver.execute_script("fetch('/jamais')")
    with pytest.raises(RequestNeverEnded) as raised:
        phone.settle()
    assert str(raised.value).startswith(
        f"la requête GET {phone.app_url}jamais lancée par l'application n'a pas abouti en 2 s"
    )
