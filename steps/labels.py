"""The words pages and screens are found by (accessible names and labels): the simulator's,
which are the guide's, unless the target profile gives an application its own for a UI
whose labels differ (``[libelles.spico]``: "Se déconnecter" = "Déconnexion"). Each page
object asks in the name of its application, so PASS and SPICO may word the same thing
differently.

The words are the target's, and a process audits one target: they are set for as long as
one user of the pages runs (the session's ``target_labels`` fixture, or the pre-flight's
walk), and put back after.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping

_OWN: dict[str, dict[str, str]] = {}


@contextlib.contextmanager
def used(own: Mapping[str, Mapping[str, str]]) -> Iterator[None]:
    """The target's own words per application, while the block runs."""
    before = {app: dict(words) for app, words in _OWN.items()}
    _OWN.clear()
    _OWN.update({app: dict(words) for app, words in own.items()})
    try:
        yield
    finally:
        _OWN.clear()
        _OWN.update(before)


def label(words: str, app: str) -> str:
    """``words`` as ``app`` ("pass", "spico", "mobile") writes them."""
    return _OWN.get(app, {}).get(words, words)
