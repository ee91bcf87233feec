"""Steps every feature shares: who the professional is."""

from __future__ import annotations

from pytest_bdd import given


@given("un professionnel disposant d'un compte PASS", target_fixture="professional")
def professional(account):
    return account
