"""The words pages and screens are found by (accessible names and labels): the simulator's,
which are the guide's, unless the target profile gives an application its own for a UI
whose labels differ (``[libelles.spico]``: "Se déconnecter" = "Déconnexion"). Each page
object asks in the name of its application, so PASS and SPICO may word the same thing
differently."""

from __future__ import annotations

from collections.abc import Mapping

_OWN: dict[str, dict[str, str]] = {}


def use(own: Mapping[str, Mapping[str, str]]) -> None:
    """The target's own words per application, for the rest of this test process."""
    _OWN.clear()
    _OWN.update({app: dict(words) for app, words in own.items()})


def label(words: str, app: str) -> str:
    """``words`` as ``app`` ("pass", "spico", "mobile") writes them."""
    return _OWN.get(app, {}).get(words, words)
