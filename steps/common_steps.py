"""Steps every feature shares: who the professional is; and the target's own words for the
labels pages and screens are found by."""

from __future__ import annotations

import pytest
from pytest_bdd import given

from fixtures.target import PROFILE_KEY

from . import labels


@pytest.fixture(autouse=True, scope="session")
def target_labels(pytestconfig: pytest.Config) -> None:
    profile = pytestconfig.stash.get(PROFILE_KEY, None)
    labels.use(profile.labels if profile is not None else {})


@given("un professionnel disposant d'un compte PASS", target_fixture="professional")
def professional(account):
    return account
