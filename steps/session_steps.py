"""Steps about the session identifier itself: rotation, cookies, cache and Back
(BP-ID-ROTATION, BP-COOKIES, BP-RETOUR-ARRIERE, BP-LIEN-DECONNEXION)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError
from pytest_bdd import then, when

from audit.evidence import facts_so_far, note, observe
from audit.scenario_record import Fact
from fixtures.http_probe import fetch
from fixtures.session_replay import fingerprint, shown_address

from .pages.spico import PatientListPage, SpicoPage
from .web_user import WebUser

MAX_BACK = 10


@when("le navigateur a reçu de SPICO un identifiant de session avant l'authentification")
def pre_login_session(web_user: WebUser) -> None:
    web_user.remember_session()


@then("SPICO lui a attribué un nouvel identifiant de session")
def new_session_id(web_user: WebUser, request: pytest.FixtureRequest) -> None:
    before = web_user.remembered[web_user.target.spico_url]
    after = web_user.cookies(web_user.target.spico_url)
    kept = sorted(name for name, value in before.items() if after.get(name) == value)
    rows = [
        [
            name,
            fingerprint(before[name]) if name in before else "absent",
            fingerprint(after[name]) if name in after else "absent",
            "non" if name in kept else "oui",
        ]
        for name in sorted(set(before) | set(after))
    ]
    title = (
        f"Identifiant de session conservé à l'authentification : {', '.join(kept)}"
        if kept
        else "Chaque cookie de SPICO d'avant l'authentification a changé ou disparu"
    )
    columns = ["Cookie", "Avant (empreinte)", "Après (empreinte)", "Changé"]
    observe(request, Fact(kind="identifiant-session", title=title, columns=columns, rows=rows))
    assert not kept, f"identifiant de session conservé à l'authentification : {', '.join(kept)}"


@then("l'identifiant d'avant l'authentification ne donne accès à aucune donnée patient")
def old_id_useless(web_user: WebUser) -> None:
    assert not web_user.spico_serves_patients(), "l'ancien identifiant ouvre la liste des patients"


def _judge_cookies(
    request: pytest.FixtureRequest, web_user: WebUser, attribute: str, wrong: list[str], fault: str
) -> None:
    """The cookie table once per scenario (the first cookie check), then what each check
    judged in it; fails naming the wrong cookies."""
    if not any(f.kind == "cookies" for f in facts_so_far(request)):
        observe(request, web_user.cookie_table())
    judged = len(web_user.session_cookies())
    title = (
        f"{attribute} : {fault} : {', '.join(wrong)}"
        if wrong
        else f"{attribute} : conforme pour les {judged} cookie(s) de session"
    )
    observe(request, Fact(kind="cookies-attribut", title=title))
    assert not wrong, f"{fault} : {', '.join(wrong)}"


@then("les cookies de SPICO et du PASS disparaissent à la fermeture du navigateur")
def session_only_cookies(web_user: WebUser, request: pytest.FixtureRequest) -> None:
    unjudged = web_user.unjudged_cookies()
    if unjudged:
        note(
            request, f"non jugés, car posés avant la connexion et inchangés : {', '.join(unjudged)}"
        )
    persistent = [c["name"] for c in web_user.session_cookies() if c["expires"] != -1]
    _judge_cookies(request, web_user, "Durée", persistent, "cookies persistants")


@then("ils sont inaccessibles au JavaScript des pages")
def http_only_cookies(web_user: WebUser, request: pytest.FixtureRequest) -> None:
    readable = [c["name"] for c in web_user.session_cookies() if not c["httpOnly"]]
    _judge_cookies(request, web_user, "HttpOnly", readable, "cookies lisibles par JavaScript")


@then("ils ne sont pas envoyés par les requêtes venant d'autres sites")
def same_site_cookies(web_user: WebUser, request: pytest.FixtureRequest) -> None:
    loose = [
        c["name"] for c in web_user.session_cookies() if c["sameSite"] not in ("Lax", "Strict")
    ]
    _judge_cookies(request, web_user, "SameSite", loose, "cookies sans SameSite=Lax ou Strict")


@then("ils ne circulent qu'en HTTPS quand le service est en HTTPS")
def secure_cookies(web_user: WebUser, request: pytest.FixtureRequest) -> None:
    clear = [
        c["name"] for c in web_user.session_cookies() if c["secure"] is False and web_user.https
    ]
    fault = "cookies sans l'attribut Secure sur un site HTTPS"
    _judge_cookies(request, web_user, "Secure", clear, fault)


@when(
    "il remonte tout l'historique avec le bouton Retour du navigateur",
    target_fixture="pages_with_data",
)
def goes_back_through_history(web_user: WebUser, request: pytest.FixtureRequest) -> list[str]:
    """Back, as far as the history goes; the pages that showed patient data on the way."""
    page = web_user.page
    shown, visited = [], []
    for _ in range(MAX_BACK):
        page.wait_for_load_state()
        try:
            if page.go_back() is None:
                break
        except PlaywrightError:
            # The page navigated by itself (a timer ending the session) while Back was
            # pressed, which aborts Back: look at where it went, then carry on up the history.
            page.wait_for_load_state()
        with_data = SpicoPage(page).shows_patient_data()
        visited.append([shown_address(page.url), "oui" if with_data else "non"])
        if with_data:
            shown.append(page.url)
    title = f"Pages rouvertes par le bouton Retour : {len(visited)}, dont {len(shown)} avec données"
    columns = ["Adresse", "Données patient affichées"]
    observe(request, Fact(kind="historique", title=title, columns=columns, rows=visited))
    return shown


@then("aucune page de l'historique n'affiche de données patient")
def history_without_data(pages_with_data: list[str]) -> None:
    assert not pages_with_data, (
        f"données patient réaffichées par Retour : {', '.join(pages_with_data)}"
    )


@then("les pages de données patient interdisent leur conservation en cache")
def no_store(web_user: WebUser, request: pytest.FixtureRequest) -> None:
    spico, network = web_user.target.spico_url, web_user.target.network
    record = PatientListPage(web_user.page).first_record_url()
    rows, stored = [], []
    for url in (spico + web_user.flows.patient_list, record):
        answer = fetch(url, web_user.cookies(spico), network)
        cache_control = answer.headers.get("cache-control")
        headers = [answer.headers.get(name, "absent") for name in ("pragma", "expires")]
        shown = shown_address(url)
        rows.append([shown, str(answer.status_code), cache_control or "absent", *headers])
        if "no-store" not in (cache_control or ""):
            stored.append(f"{shown} : Cache-Control « {cache_control or 'absent'} »")
    title = (
        "Pages de données patient sans Cache-Control: no-store : " + " ; ".join(stored)
        if stored
        else "Les pages de données patient répondent Cache-Control: no-store"
    )
    columns = ["Adresse", "Statut", "Cache-Control", "Pragma", "Expires"]
    observe(request, Fact(kind="en-tetes", title=title, columns=columns, rows=rows))
    assert not stored, " ; ".join(stored)


@when("il ouvre le dossier d'un patient")
def opens_record(web_user: WebUser) -> None:
    PatientListPage(web_user.page).open_first_record()


@then("la page offre de se déconnecter")
def logout_offered(web_user: WebUser) -> None:
    SpicoPage(web_user.page).expect_logout_offered(web_user.flows.spico_logout, web_user.settle)
