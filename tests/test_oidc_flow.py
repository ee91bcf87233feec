"""The OpenID Connect chain end to end, over HTTP: SPICO → PASS login + code → SPICO."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from tests.http_user import HttpUser


def test_unauthenticated_spico_visit_lands_on_pass_login(user: HttpUser) -> None:
    response = user.get(f"{user.spico_url}/patients")
    assert response.url.host == "pass.localhost"
    assert response.url.path == "/connexion"
    assert "Identifiant" in response.text


def test_authorization_request_uses_pkce_and_nonce(user: HttpUser) -> None:
    first = user.http.get(f"{user.spico_url}/patients", follow_redirects=False)
    query = parse_qs(urlsplit(first.headers["location"]).query)
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["nonce"] and query["state"] and query["code_challenge"]


def test_full_login_shows_the_patient_list(user: HttpUser) -> None:
    page = user.open_spico()
    assert page.url.host == "spico.localhost"
    assert "Liste des patients" in page.text
    assert user.account.display_name in page.text
    events = [e["event"] for e in user.sim.control.journal(account=user.account.identifier)]
    assert events == ["code_envoye", "connexion", "autorisation", "connexion"]


def test_deep_link_survives_the_login(user: HttpUser) -> None:
    page = user.open_spico("/patients?sexe=F")
    assert page.url.path == "/patients"
    assert page.url.params["sexe"] == "F"


def test_kiosk_tile_enters_spico_without_credentials(user: HttpUser) -> None:
    user.login_pass()
    kiosk = user.get(f"{user.pass_url}/kiosque")
    assert "Kiosque des services" in kiosk.text
    page = user.get(f"{user.spico_url}/")
    assert "Liste des patients" in page.text


def test_discovery_jwks_and_userinfo(sim, user: HttpUser) -> None:
    metadata = user.get(f"{sim.internal['pass']}/.well-known/openid-configuration").json()
    assert metadata["issuer"] == sim.public["pass"]
    assert metadata["backchannel_logout_supported"] is True
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    jwks = user.get(f"{sim.internal['pass']}/oidc/jwks").json()
    assert jwks["keys"] and "d" not in jwks["keys"][0]
    refused = user.get(f"{sim.internal['pass']}/oidc/userinfo")
    assert refused.status_code == 401
