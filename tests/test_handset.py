"""The emulated phone a test process keeps (``fixtures/handset.py``) is, for each scenario, a
phone never used: a scenario leaves behind everything a page can keep, and the next
scenario's phone, on the same browser, sees none of it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from fixtures.handset import Handset
from fixtures.phone import Phone
from processes.ports import free_port
from tests.reverse_proxy import serve

PAGE = "<!doctype html><meta name=viewport content='width=device-width'><title>essai</title>"
WORKER = "self.addEventListener('fetch', () => {});"
#: Everything a page can leave on a phone, and a flag once it is all written.
LEAVE = """
const done = arguments[arguments.length - 1];
(async () => {
  localStorage.setItem("reste", "1");
  sessionStorage.setItem("reste", "1");
  document.cookie = "persistant=1; max-age=3600; path=/";
  document.cookie = "session=1; path=/";
  await new Promise((ok, ko) => {
    const opening = indexedDB.open("reste", 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore("choses");
    opening.onsuccess = () => {
      const writing = opening.result.transaction("choses", "readwrite");
      writing.objectStore("choses").put("1", "cle");
      writing.oncomplete = () => { opening.result.close(); ok(); };
      writing.onerror = ko;
    };
    opening.onerror = ko;
  });
  await (await caches.open("reste")).put("/chose", new Response("1"));
  await navigator.serviceWorker.register("/travailleur.js");
  await navigator.serviceWorker.ready;
  await navigator.credentials.create({ publicKey: {
    challenge: new Uint8Array(16), rp: { id: location.hostname, name: "essai" },
    user: { id: new Uint8Array([1]), name: "essai", displayName: "essai" },
    pubKeyCredParams: [{ type: "public-key", alg: -7 }],
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
  }});
  await fetch("/cache");
  window.open("/", "_blank");
})().then(() => done("laissé"), (error) => done(String(error)));
"""
#: What a page finds of it.
FIND = """
const done = arguments[arguments.length - 1];
(async () => {
  let credential;
  try {
    credential = await navigator.credentials.get({ publicKey: {
      challenge: new Uint8Array(16), rpId: location.hostname, timeout: 2000,
      userVerification: "required",
    }});
  } catch (error) {
    credential = null;
  }
  const camera = await navigator.permissions.query({ name: "camera" });
  await fetch("/cache");
  return {
    local: localStorage.length,
    session: sessionStorage.length,
    cookies: document.cookie,
    bases: (await indexedDB.databases()).map((d) => d.name),
    caches: await caches.keys(),
    workers: (await navigator.serviceWorker.getRegistrations()).length,
    credential: credential !== null,
    camera: camera.state,
  };
})().then(done, (error) => done(String(error)));
"""


@pytest.fixture(scope="module")
def server() -> Iterator[dict]:
    """The app's origin (``*.localhost``, where WebAuthn accepts an RP id), and how often its
    cacheable resource was fetched from it."""
    port = free_port()
    served = {"url": f"http://essai.localhost:{port}", "cache": 0}

    async def home(request: Request) -> Response:
        return HTMLResponse(PAGE)

    async def worker(request: Request) -> Response:
        return Response(WORKER, media_type="text/javascript")

    async def cacheable(request: Request) -> Response:
        served["cache"] += 1
        return JSONResponse({}, headers={"Cache-Control": "max-age=3600"})

    routes = [Route("/", home), Route("/travailleur.js", worker), Route("/cache", cacheable)]
    with serve(Starlette(routes=routes), port):
        yield served


def scenario_phone(handset: Handset, server: dict) -> Phone:
    phone = Phone(handset.appium_url, handset.capabilities, server["url"] + "/", handset=handset)
    phone.open_app()
    return phone


def test_the_next_scenario_sees_nothing_of_the_last(handset: Handset, server: dict) -> None:
    first = scenario_phone(handset, server)
    session = first.driver.session_id
    assert first.driver.execute_async_script(LEAVE) == "laissé"
    handset.devtools("Browser.grantPermissions", origin=server["url"], permissions=["videoCapture"])
    assert first.driver.execute_async_script(FIND) == {
        "local": 1,
        "session": 1,
        "cookies": "persistant=1; session=1",
        "bases": ["reste"],
        "caches": ["reste"],
        "workers": 1,
        "credential": True,
        "camera": "granted",
    }
    assert server["cache"] == 1  # the second fetch came from the browser's cache
    assert len(first.driver.window_handles) == 2
    first.close_app()

    second = scenario_phone(handset, server)
    try:
        assert second.driver.session_id == session  # the same browser, not a new one
        assert second.driver.window_handles == [second.driver.current_window_handle]
        assert second.driver.get_cookies() == []
        assert second.driver.execute_async_script(FIND) == {
            "local": 0,
            "session": 0,
            "cookies": "",
            "bases": [],
            "caches": [],
            "workers": 0,
            "credential": False,
            "camera": "prompt",
        }
        assert server["cache"] == 2
    finally:
        second.close_app()


def test_a_phone_that_cannot_be_wiped_is_started_again(handset: Handset, server: dict) -> None:
    """Started again as a phone never used: nothing of the lost session's storage either (as
    when Appium ends a session left idle, between two mobile scenarios far apart)."""
    first = scenario_phone(handset, server)
    lost = first.driver.session_id
    assert first.driver.execute_async_script(LEAVE) == "laissé"
    first.driver.quit()  # its session ended behind the handset's back
    first.close_app()
    second = scenario_phone(handset, server)
    try:
        assert second.driver.session_id != lost
        assert second.driver.execute_script("return document.title") == "essai"
        found = second.driver.execute_async_script(FIND)
        assert (found["local"], found["bases"], found["caches"], found["workers"]) == (0, [], [], 0)
        assert (found["cookies"], found["credential"]) == ("", False), found
    finally:
        second.close_app()
