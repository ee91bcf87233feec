"""Steps about the session identifier itself: rotation, cookies, cache and Back
(BP-ID-ROTATION, BP-COOKIES, BP-RETOUR-ARRIERE, BP-LIEN-DECONNEXION)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError
from pytest_bdd import then, when

from audit.evidence import note
from fixtures.http_probe import fetch

from .pages.spico import PatientListPage, SpicoPage
from .web_user import WebUser

MAX_BACK = 10


@when("le navigateur a reçu de SPICO un identifiant de session avant l'authentification")
def pre_login_session(web_user: WebUser) -> None:
    web_user.remember_session()


@then("SPICO lui a attribué un nouvel identifiant de session")
def new_session_id(web_user: WebUser) -> None:
    before = web_user.remembered[web_user.target.spico_url]
    after = web_user.cookies(web_user.target.spico_url)
    kept = {name for name, value in before.items() if after.get(name) == value}
    assert not kept, f"identifiant de session conservé à l'authentification : {sorted(kept)}"


@then("l'identifiant d'avant l'authentification ne donne accès à aucune donnée patient")
def old_id_useless(web_user: WebUser) -> None:
    assert not web_user.spico_serves_patients(), "l'ancien identifiant ouvre la liste des patients"


@then("les cookies de SPICO et du PASS disparaissent à la fermeture du navigateur")
def session_only_cookies(web_user: WebUser, request: pytest.FixtureRequest) -> None:
    unjudged = web_user.unjudged_cookies()
    if unjudged:
        note(request, f"non jugés, car posés avant la connexion et inchangés : {unjudged}")
    persistent = [c["name"] for c in web_user.session_cookies() if c["expires"] != -1]
    assert not persistent, f"cookies persistants : {persistent}"


@then("ils sont inaccessibles au JavaScript des pages")
def http_only_cookies(web_user: WebUser) -> None:
    readable = [c["name"] for c in web_user.session_cookies() if not c["httpOnly"]]
    assert not readable, f"cookies lisibles par JavaScript : {readable}"


@then("ils ne sont pas envoyés par les requêtes venant d'autres sites")
def same_site_cookies(web_user: WebUser) -> None:
    loose = [
        c["name"] for c in web_user.session_cookies() if c["sameSite"] not in ("Lax", "Strict")
    ]
    assert not loose, f"cookies sans SameSite=Lax ou Strict : {loose}"


@then("ils ne circulent qu'en HTTPS quand le service est en HTTPS")
def secure_cookies(web_user: WebUser) -> None:
    clear = [
        c["name"] for c in web_user.session_cookies() if c["secure"] is False and web_user.https
    ]
    assert not clear, f"cookies sans l'attribut Secure sur un site HTTPS : {clear}"


@when(
    "il remonte tout l'historique avec le bouton Retour du navigateur",
    target_fixture="pages_with_data",
)
def goes_back_through_history(web_user: WebUser) -> list[str]:
    """Back, as far as the history goes; the pages that showed patient data on the way."""
    page = web_user.page
    shown = []
    for _ in range(MAX_BACK):
        page.wait_for_load_state()
        try:
            if page.go_back() is None:
                break
        except PlaywrightError:
            # The page navigated by itself (a timer ending the session) while Back was
            # pressed, which aborts Back: look at where it went, then carry on up the history.
            page.wait_for_load_state()
        if SpicoPage(page).shows_patient_data():
            shown.append(page.url)
    return shown


@then("aucune page de l'historique n'affiche de données patient")
def history_without_data(pages_with_data: list[str]) -> None:
    assert not pages_with_data, f"données patient réaffichées par Retour : {pages_with_data}"


@then("les pages de données patient interdisent leur conservation en cache")
def no_store(web_user: WebUser) -> None:
    spico, network = web_user.target.spico_url, web_user.target.network
    record = PatientListPage(web_user.page).first_record_url()
    for url in (spico + web_user.flows.patient_list, record):
        answer = fetch(url, web_user.cookies(spico), network)
        cache_control = answer.headers.get("cache-control")
        assert "no-store" in (cache_control or ""), f"{url} : Cache-Control « {cache_control} »"


@when("il ouvre le dossier d'un patient")
def opens_record(web_user: WebUser) -> None:
    PatientListPage(web_user.page).open_first_record()


@then("la page offre de se déconnecter")
def logout_offered(web_user: WebUser) -> None:
    SpicoPage(web_user.page).expect_logout_offered(web_user.flows.spico_logout, web_user.settle)
