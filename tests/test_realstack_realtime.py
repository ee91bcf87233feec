"""A real-time audit proven on a real stack: the reference stack started with a short policy on
purpose (SPICO 5 minutes, PASS 10), its web suite audited with time passing for real
(``profil-reel.toml``, one process per account, the waits side by side) gives the same
verdicts as the same stack audited with its clock moved by libfaketime (``profil.toml``).
About 15 minutes: nightly (``--temps-reel``)."""

from __future__ import annotations

import pytest

from tests.stack_apart import audit, stack_apart
from tests.verdict_outcomes import differences

pytestmark = pytest.mark.pile_reelle


def test_a_real_time_audit_gives_the_faketime_audits_verdicts(
    request: pytest.FixtureRequest, tmp_path
) -> None:
    if not request.config.getoption("--temps-reel"):
        pytest.skip("un quart d'heure d'attente réelle : --temps-reel (nuit)")
    with stack_apart("oidc", "--politique-courte") as ready:
        _, real = audit(ready, ready["profil_reel"], tmp_path)
        _, faketime = audit(ready, ready["profil"], tmp_path, "-n", "2")
    assert not differences(real, faketime), differences(real, faketime)
    # every @horloge scenario judged, each after waiting real time out
    assert all(outcome in ("passed", "failed") for outcome in real.clocked().values())
    assert all(real.waited[key] > 0 for key in real.clocked())
