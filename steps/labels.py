"""The words pages and screens are found by (accessible names and labels): the simulator's,
which are the guide's, unless the target profile gives its own for a UI whose labels differ
(``[libelles]``: "Se déconnecter" = "Déconnexion")."""

from __future__ import annotations

from collections.abc import Mapping

_OWN: dict[str, str] = {}


def use(own: Mapping[str, str]) -> None:
    """The target's own words, for the rest of this test process."""
    _OWN.clear()
    _OWN.update(own)


def label(words: str) -> str:
    return _OWN.get(words, words)
