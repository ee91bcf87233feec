"""Steps many features share: who the professional is, signed in on the patient list, and
whether SPICO still honours the session; and the target's own words for the labels pages and
screens are found by."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_bdd import given, then

from fixtures.target import Target

from . import labels
from .pages.spico import PatientListPage
from .web_user import WebUser


@pytest.fixture(autouse=True, scope="session")
def target_labels(target: Target) -> Iterator[None]:
    with labels.used(target.labels):
        yield


@given("un professionnel disposant d'un compte PASS", target_fixture="professional")
def professional(account):
    return account


@given("il est connecté à SPICO et consulte la liste des patients")
def signed_in_on_list(web_user: WebUser) -> None:
    web_user.open_spico()
    web_user.authenticate(web_user.any_channel)
    PatientListPage(web_user.page).expect_shown()
    web_user.remember_session()


@then("SPICO accepte toujours sa session")
def session_accepted(web_user: WebUser) -> None:
    assert web_user.spico_serves_patients(), "le serveur SPICO a refusé la session"


@then("SPICO refuse sa session")
def session_refused(web_user: WebUser) -> None:
    assert not web_user.spico_serves_patients(), "le serveur SPICO accepte encore la session"
