"""Bad input gets a clear French answer, never a 500, and never a redirect off PASS or SPICO."""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import ECKey

from fixtures.channels import wrong_code
from tests.conftest import Simulated, anonymous_client, simulator
from tests.http_user import HttpUser, csrf_of

REGISTERED_HOSTS = {"pass.localhost", "spico.localhost", "127.0.0.1", None}


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulated]:
    """One simulator for the module; every test makes its own user."""
    with simulator(patients=60) as simulated:
        yield simulated


@pytest.fixture(scope="module")
def signed_in(sim: Simulated) -> Iterator[HttpUser]:
    """A user signed in to SPICO, shared by the read-only search tests."""
    with sim.user() as user:
        user.open_spico()
        yield user


def clear_refusal(response: httpx.Response, status: int, message: str) -> None:
    """The expected status, a French message, no traceback, no redirect off our hosts."""
    assert response.status_code == status, response.text
    assert message in html.unescape(response.text)
    assert "Traceback" not in response.text
    stays_home(response)


def stays_home(response: httpx.Response) -> None:
    for step in [*response.history, response]:
        location = step.headers.get("location")
        if location is not None:
            assert urlsplit(location).hostname in REGISTERED_HOSTS, location


def authorize_url(sim: Simulated, **changes: str) -> str:
    params = {
        "response_type": "code",
        "client_id": "spico",
        "redirect_uri": sim.public["spico"] + "/oidc/callback",
        "scope": "openid profile email",
        "state": "etat",
        "nonce": "nonce-" + str(id(changes)),
        "code_challenge": "a" * 43,
        "code_challenge_method": "S256",
        **changes,
    }
    return f"{sim.public['pass']}/oidc/authorize?{urlencode(params)}"


def pass_logout_link(user: HttpUser) -> str:
    """Log out of SPICO; its "logged out" page links to PASS's logout with the ID token."""
    page = user.logout_spico()
    match = re.search(r'href="([^"]*/oidc/logout\?[^"]*)"', page.text)
    assert match, "no PASS logout link on SPICO's logged-out page"
    link = html.unescape(match.group(1))
    assert "id_token_hint" in parse_qs(urlsplit(link).query)
    return link


def pass_signed_in(user: HttpUser) -> bool:
    kiosk = user.http.get(user.pass_url + "/kiosque", follow_redirects=False)
    return kiosk.status_code == 200


def spico_signed_in(user: HttpUser) -> bool:
    page = user.http.get(user.spico_url + "/patients", follow_redirects=False)
    return page.status_code == 200


# -- OpenID Connect: unknown client, unregistered addresses ------------------------------


def test_unknown_client_gets_an_error_page(sim: Simulated, user: HttpUser) -> None:
    response = user.http.get(authorize_url(sim, client_id="inconnu"), follow_redirects=False)
    clear_refusal(response, 400, "n'est pas reconnu par le PASS")
    assert "location" not in response.headers


def test_unregistered_redirect_uri_is_not_followed(sim: Simulated, user: HttpUser) -> None:
    user.login_pass()  # even a signed-in user is not sent there
    url = authorize_url(sim, redirect_uri="https://evil.example/callback")
    response = user.http.get(url, follow_redirects=False)
    clear_refusal(response, 400, "Demande de connexion refusée")
    assert "location" not in response.headers


def test_unregistered_post_logout_redirect_uri_is_not_followed(user: HttpUser) -> None:
    user.open_spico()
    link = pass_logout_link(user)
    query = parse_qs(urlsplit(link).query)
    query["post_logout_redirect_uri"] = ["https://evil.example/"]
    evil = link.split("?")[0] + "?" + urlencode(query, doseq=True)
    response = user.http.get(evil, follow_redirects=False)
    clear_refusal(response, 200, "Vous êtes déconnecté du PASS")
    assert "location" not in response.headers


def forge(id_token: str) -> str:
    """Same header and claims, signed with a key that is not PASS's."""
    header, claims = (
        json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
        for part in id_token.split(".")[:2]
    )
    return jwt.encode(header, claims, ECKey.generate_key("P-256"))


def test_forged_id_token_hint_is_refused(user: HttpUser) -> None:
    user.open_spico()
    link = pass_logout_link(user)
    query = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    query["id_token_hint"] = forge(query["id_token_hint"])
    response = user.http.get(link.split("?")[0] + "?" + urlencode(query), follow_redirects=False)
    clear_refusal(response, 400, "Déconnexion refusée")
    assert pass_signed_in(user)


# -- logout is protected against cross-site requests -------------------------------------


def test_spico_logout_without_csrf_token_keeps_the_session(user: HttpUser) -> None:
    user.open_spico()
    for form in ({}, {"csrf": "jeton-invente"}):
        response = user.http.post(user.spico_url + "/deconnexion", data=form)
        clear_refusal(response, 400, "Ce formulaire a expiré")
    assert spico_signed_in(user)


def test_pass_logout_without_csrf_token_keeps_the_session(user: HttpUser) -> None:
    user.login_pass()
    for form in ({}, {"csrf": "jeton-invente"}):
        response = user.http.post(user.pass_url + "/deconnexion", data=form)
        clear_refusal(response, 400, "Ce formulaire a expiré ou ne vient pas du PASS")
    assert pass_signed_in(user)


def test_oidc_logout_get_without_hint_asks_first(sim: Simulated, user: HttpUser) -> None:
    user.login_pass()
    params = {"client_id": "spico", "post_logout_redirect_uri": sim.public["spico"] + "/au-revoir"}
    url = f"{user.pass_url}/oidc/logout?{urlencode(params)}"
    confirm = user.http.get(url, follow_redirects=False)
    clear_refusal(confirm, 200, "Se déconnecter du PASS ?")
    assert pass_signed_in(user)
    forged_post = user.http.post(url, data={"csrf": "jeton-invente"}, follow_redirects=False)
    clear_refusal(forged_post, 200, "Se déconnecter du PASS ?")
    assert pass_signed_in(user)
    done = user.http.post(url, data={"csrf": csrf_of(confirm)}, follow_redirects=False)
    clear_refusal(done, 200, "Vous êtes déconnecté du PASS")
    assert not pass_signed_in(user)


def test_oidc_logout_get_with_hint_ends_pass_and_returns_to_spico(
    sim: Simulated, user: HttpUser
) -> None:
    user.open_spico()
    response = user.http.get(pass_logout_link(user), follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == sim.public["spico"] + "/au-revoir"
    assert not pass_signed_in(user)
    goodbye = user.get(response.headers["location"])
    assert "Vous êtes déconnecté de SPICO et du PASS" in goodbye.text


def test_hint_of_another_session_asks_first(sim: Simulated, user: HttpUser) -> None:
    """Any valid ID token (the attacker's own) must not log a victim's browser out."""
    with sim.user() as attacker:
        attacker.open_spico()
        link = pass_logout_link(attacker)
    user.login_pass()
    response = user.http.get(link, follow_redirects=False)
    clear_refusal(response, 200, "Se déconnecter du PASS ?")
    assert pass_signed_in(user)


# -- PASS login: password and one-time code -----------------------------------------------


def test_wrong_password(user: HttpUser) -> None:
    response = user.submit_credentials(password="pas-le-bon")
    clear_refusal(response, 401, "Identifiant ou mot de passe incorrect.")
    assert user.account.identifier in response.text  # kept in the form
    assert not pass_signed_in(user)


def test_identifier_with_markup_is_echoed_escaped(user: HttpUser) -> None:
    page = user.http.get(user.pass_url + "/connexion")
    response = user.http.post(
        user.pass_url + "/connexion",
        data={"csrf": csrf_of(page), "identifiant": "<b>x</b>'", "mot_de_passe": "y"},
    )
    clear_refusal(response, 401, "Identifiant ou mot de passe incorrect.")
    assert "<b>x</b>" not in response.text
    assert 'value="&lt;b&gt;x&lt;/b&gt;&#39;"' in response.text


def test_wrong_code_three_times_exhausts_it(user: HttpUser) -> None:
    user.submit_credentials()
    user.request_code()
    code = user.code()
    for _ in range(2):
        clear_refusal(user.submit_code(wrong_code(code)), 401, "Code incorrect.")
    clear_refusal(user.submit_code(wrong_code(code)), 401, "Trop d'essais pour ce code.")
    clear_refusal(user.submit_code(code), 401, "Trop d'essais pour ce code.")
    assert not pass_signed_in(user)
    user.request_code()  # a new code works
    assert "Kiosque des services" in user.submit_code(user.code()).text


def test_expired_code(sim: Simulated, user: HttpUser) -> None:
    user.submit_credentials()
    user.request_code("sms")
    code = user.code("sms")
    sim.control.advance(601)
    clear_refusal(user.submit_code(code), 401, "Ce code a expiré. Demandez un nouveau code.")
    assert not pass_signed_in(user)


def test_reused_code(user: HttpUser) -> None:
    clear_refusal(user.reuse_login_code(), 401, "Aucun code en cours. Demandez un nouveau code.")
    assert not pass_signed_in(user)


def test_unknown_code_channel(user: HttpUser) -> None:
    user.submit_credentials()
    page = user.http.get(user.pass_url + "/connexion/code")
    response = user.http.post(
        user.pass_url + "/connexion/code", data={"csrf": csrf_of(page), "canal": "pigeon"}
    )
    clear_refusal(response, 400, "Choisissez comment recevoir votre code : e-mail ou SMS.")


@pytest.mark.parametrize(
    "suite",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example/",
        "/\t/evil.example/",
        "javascript:alert(1)",
    ],
)
def test_login_never_redirects_off_pass(user: HttpUser, suite: str) -> None:
    form = user.http.get(f"{user.pass_url}/connexion?{urlencode({'suite': suite})}")
    assert "evil.example" not in form.text
    user.submit_credentials(login_page=form)
    user.request_code()
    landed = user.submit_code(user.code())
    stays_home(landed)
    assert landed.url.host == "pass.localhost"
    assert landed.url.path == "/kiosque"


# -- SPICO: sign-in callback, patient search, records -------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"code": "x", "state": "pas-le-bon"}, "la demande de connexion a expiré"),
        ({"error": "<script>alert(1)</script>"}, "le PASS a répondu « <script>alert(1)</script> »"),
    ],
)
def test_bad_sign_in_callback(sim: Simulated, query: dict, message: str) -> None:
    with anonymous_client() as client:
        response = client.get(f"{sim.public['spico']}/oidc/callback?{urlencode(query)}")
    clear_refusal(response, 400, message)
    assert "<script>" not in response.text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("naissance", "31/02/2020", "Date invalide : format attendu JJ/MM/AAAA."),
        ("naissance", "2020-01-01", "Date invalide : format attendu JJ/MM/AAAA."),
        ("nom", "A" * 500, "100 caractères au plus."),
        ("sexe", "X", "Valeur inconnue."),
        ("thematique", "Astrologie", "Valeur inconnue."),
        ("favoris", "peut-être", "Répondez oui ou non."),
        ("page", "0", "Numéro de page invalide."),
        ("page", "abc", "Numéro de page invalide."),
        ("page", "²", "Numéro de page invalide."),
    ],
)
def test_malformed_search_field(signed_in: HttpUser, field: str, value: str, message: str) -> None:
    response = signed_in.get(f"{signed_in.spico_url}/patients", params={field: value})
    clear_refusal(response, 400, message)
    assert 'role="status">0 patients<' in response.text  # no query ran


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("D'Artagnan", "D&#39;Artagnan"),
        ('"><img src=x onerror=alert(1)>', "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"),
    ],
)
def test_search_text_is_echoed_escaped(signed_in: HttpUser, value: str, escaped: str) -> None:
    response = signed_in.get(f"{signed_in.spico_url}/patients", params={"nom": value})
    assert response.status_code == 200
    assert f'value="{escaped}"' in response.text
    assert value not in response.text


@pytest.mark.parametrize("value", ["\U0010ffff", "\ud7ff", "é" * 100, "   "])
def test_odd_characters_in_names_are_searched(signed_in: HttpUser, value: str) -> None:
    response = signed_in.get(f"{signed_in.spico_url}/patients", params={"prenom": value})
    assert response.status_code == 200
    assert "Traceback" not in response.text


@pytest.mark.parametrize("patient_id", ["999999", "99999999999999999999999"])
def test_unknown_patient_record(signed_in: HttpUser, patient_id: str) -> None:
    response = signed_in.get(f"{signed_in.spico_url}/patients/{patient_id}")
    clear_refusal(response, 404, "Ce dossier n'existe pas.")


# -- servers behind the pages ---------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [b"pas du json", b"[1, 2]", b'{"to": "+33600000000"}', b'{"text": "bonjour"}', b"null"],
)
def test_sms_gateway_refuses_a_bad_body(sim: Simulated, body: bytes) -> None:
    response = httpx.post(
        sim.internal["sms"] + "/messages",
        content=body,
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json() == {"erreur": 'corps attendu : {"to": …, "text": …}'}


def test_sms_gateway_lists_what_a_number_received(sim: Simulated) -> None:
    gateway = sim.internal["sms"] + "/messages"
    httpx.post(gateway, json={"to": "+33600000009", "text": "Votre code : 123456"})
    assert httpx.get(gateway).json() == {"erreur": "paramètre attendu : ?to=numéro"}
    received = httpx.get(gateway, params={"to": "+33600000009"}).json()
    assert [m["text"] for m in received] == ["Votre code : 123456"]


def test_token_endpoint_refuses_an_unknown_client(sim: Simulated) -> None:
    response = httpx.post(
        sim.internal["pass"] + "/oidc/token",
        data={"grant_type": "authorization_code", "code": "x", "redirect_uri": "y"},
        auth=("inconnu", "secret"),
    )
    assert response.status_code in (400, 401)
    assert response.json()["error"] == "invalid_client"


def test_backchannel_logout_refuses_a_bad_token(sim: Simulated) -> None:
    response = httpx.post(
        sim.internal["spico"] + "/oidc/backchannel-logout", data={"logout_token": "x.y.z"}
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    assert "jeton invalide" in response.json()["error_description"]
