"""The SAML stack (``python -m realstack saml``): LemonLDAP::NG as SAML identity provider,
Apache with mod_auth_mellon as SPICO's gate. Its JSON line and profile, its gate sending a
browser to PASS's single sign-on with a signed request, and its overrides and variants
reaching both ends' configuration. A sign-in through it is the suite's to judge
(tests/test_realstack_verdicts.py); stopping it, tests/test_realstack.py's."""

from __future__ import annotations

import json
import ssl
import tomllib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import httpx
import pytest

from fixtures import profile as profiles
from realstack import saml
from tests.stack_apart import interrupt, launch, stack_apart

pytestmark = pytest.mark.pile_reelle

SLO = "SingleLogoutService"


@pytest.fixture(scope="module")
def stack() -> Iterator[dict]:
    launched = launch("saml")
    try:
        yield launched.ready
    finally:
        interrupt(launched)


def _get(ready: dict, url: str) -> httpx.Response:
    """GET on loopback (Python does not resolve *.localhost), the certificate checked
    against the host name (SNI)."""
    parts = urlsplit(url)
    with httpx.Client(verify=ssl.create_default_context(cafile=ready["ca"]), timeout=10) as c:
        return c.get(
            f"https://127.0.0.1:{parts.port}{parts.path or '/'}?{parts.query}",
            headers={"Host": parts.netloc},
            extensions={"sni_hostname": parts.hostname},
        )


def test_launcher_prints_json_line_and_profile(stack: dict) -> None:
    assert stack["pile"] == "saml"
    spico = stack["urls"]["spico"]
    assert (
        stack["urls"]["spico_deconnexion"]
        == f"{spico}mellon/logout?ReturnTo={quote(spico, safe='')}"
    )
    target = profiles.load(stack["profil"], environ=stack["environnement"], reach=False)
    assert target.spico_url == spico.rstrip("/")
    assert target.declared_timeouts == {"spico": 7200, "pass": 14400, "code": 120}
    assert target.flows.pass_logout == ("Accepter",)
    profile = tomllib.loads(Path(stack["profil"]).read_text())
    assert profile["nom"] == saml.title
    assert {"mod_auth_mellon", "Lasso", "LemonLDAP::NG"} <= set(profile["versions"])
    folder = Path(stack["dossier"])
    conf = json.loads((folder / "llng" / "conf" / "lmConf-1.json").read_text())
    options = conf["samlSPMetaDataOptions"]["spico"]
    assert options["samlSPMetaDataOptionsSignSLOMessage"] == 1
    assert options["samlSPMetaDataOptionsSessionNotOnOrAfterTimeout"] == 14400
    assert conf["sameSite"] == "Lax"
    # SOAP first: PASS's logout reaches the gate server to server
    metadata = (folder / "mellon" / "sp.xml").read_text()
    assert metadata.index("bindings:SOAP") < metadata.index("bindings:HTTP-Redirect")
    assert conf["samlSPMetaDataXML"]["spico"]["samlSPMetaDataXML"] == metadata


def test_the_gate_sends_a_browser_to_pass_single_sign_on(stack: dict) -> None:
    """Through mellon's login endpoint, a signed request to PASS's SSO service; the public
    page starts no session; PASS's metadata is served."""
    first = _get(stack, stack["urls"]["spico"])
    assert first.status_code == 303
    login = first.headers["location"]
    assert login.startswith(stack["urls"]["spico"] + "mellon/login?")
    second = _get(stack, login)
    assert second.status_code == 303
    sso = urlsplit(second.headers["location"])
    assert f"https://{sso.netloc}/" == stack["urls"]["pass"]
    assert sso.path == "/saml/singleSignOn"
    assert {"SAMLRequest", "Signature", "SigAlg"} <= set(parse_qs(sso.query))
    ended = _get(stack, stack["urls"]["spico"] + "session-terminee")
    assert ended.status_code == 200 and "set-cookie" not in ended.headers
    metadata = _get(stack, stack["urls"]["metadonnees"])
    assert metadata.status_code == 200 and "IDPSSODescriptor" in metadata.text


def test_overrides_and_variants_pass_through() -> None:
    """Every variant at once, an Apache directive and a LemonLDAP::NG key: each reaches the
    configuration it is for, the metadata both ends read included."""
    options = [arg for name in saml.variants for arg in ("--variante", name)]
    options += ["--apache", "Header always set X-Pile saml", "--llng", "portalDisplayLogout=0"]
    with stack_apart("saml", *options) as ready:
        folder = Path(ready["dossier"])
        gate = (folder / "apache" / "apache2.conf").read_text()
        location = gate[gate.index("<Location />") : gate.index("</Location>")]
        assert location.index("MellonSessionIdleTimeout 28800") > location.index(
            "MellonSessionIdleTimeout 7200"
        )
        assert "Header always set X-Pile saml" in location
        conf = json.loads((folder / "llng" / "conf" / "lmConf-1.json").read_text())
        assert (conf["stayConnected"], conf["portalDisplayLogout"]) == (1, 0)
        metadata = (folder / "mellon" / "sp.xml").read_text()
        assert SLO not in metadata and "AssertionConsumerService" in metadata
        assert conf["samlSPMetaDataXML"]["spico"]["samlSPMetaDataXML"] == metadata
        answer = _get(ready, ready["urls"]["spico"])
        assert answer.status_code == 303 and answer.headers["x-pile"] == "saml"
