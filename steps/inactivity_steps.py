"""Steps about time passing without the user doing anything (EXI-WEB-INACTIVITE)."""

from __future__ import annotations

import pytest
from pytest_bdd import parsers, then, when

from audit.evidence import observe
from audit.scenario_record import Fact
from audit.verdict import NOT_APPLICABLE, NOT_RUN
from fixtures.clock import IdleTime
from fixtures.durations import format_duration, parse_duration
from fixtures.session_replay import shown_address

from .pages.spico import PatientListPage
from .web_user import WebUser


@when(parsers.parse("il reste inactif pendant {duration}"))
def stays_idle(web_user: WebUser, idle_time: IdleTime, duration: str) -> None:
    idle_time.pass_(parse_duration(duration), web_user.clocked)


@when("il lance une recherche de patients")
def searches(web_user: WebUser) -> None:
    PatientListPage(web_user.page).search()


@then("la liste des patients est toujours affichée")
def list_still_shown(web_user: WebUser) -> None:
    PatientListPage(web_user.page).expect_patients()


@when("il ouvre aussi la liste des patients dans un second onglet")
def second_tab(web_user: WebUser) -> None:
    tab = web_user.page.context.new_page()  # same context: its clock is already installed
    tab.goto(web_user.target.spico_url + web_user.flows.patient_list)
    PatientListPage(tab).expect_shown()


@then("aucun des onglets n'affiche plus de données patient")
def no_tab_shows_data(web_user: WebUser) -> None:
    for tab in web_user.page.context.pages:
        PatientListPage(tab).expect_no_patient_data()


@when(parsers.parse("il laisse la page ouverte sans rien faire pendant {duration}"))
def leaves_page_open(
    web_user: WebUser, idle_time: IdleTime, duration: str, request: pytest.FixtureRequest
) -> None:
    """The scenario is about a page that asks the server things of its own accord (fetch,
    XHR, EventSource, beacons) while left open: one that asked nothing during a whole
    inactivity timeout makes it non applicable; a shorter observation says nothing."""
    browser = web_user.clocked
    browser.settle()  # what the page did while loading is not polling
    mark = len(browser.requests)
    seconds = parse_duration(duration)
    idle_time.pass_(seconds, browser)
    own = browser.own_requests_since(mark)
    observed = idle_time.on_target(seconds)
    spent = format_duration(round(observed))
    observe(
        request,
        Fact(
            kind="requetes-inactivite",
            title=f"Requêtes faites par la page d'elle-même pendant {spent} d'inactivité :"
            f" {len(own)}",
            columns=["Méthode", "Adresse", "Type"],
            rows=[[r.method, shown_address(r.url), r.resource_type] for r in own[:50]],
        ),
    )
    if own:
        return
    if observed < idle_time.timeout("spico"):
        pytest.skip(
            f"{NOT_RUN}la page n'a rien demandé d'elle-même en {spent},"
            " moins que le délai d'inactivité de la cible"
        )
    pytest.skip(
        f"{NOT_APPLICABLE}la page n'a fait aucune requête d'elle-même en {spent} d'inactivité"
        " (0 requête fetch, XHR, EventSource ou balise) : elle n'interroge pas le serveur"
    )
