"""What the harness cannot find or do is "Non exécuté" with the reason, never a verdict: a
"Given" whose page is not where the profile says, and a target that answers 404 to the
replayed session (neither access nor refusal). Each is a run of the suite against the
simulator started apart, as a user's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.reverse_proxy import NEAR
from tests.target_apart import profile_text, simulator_apart
from tests.test_profiles import run_suite, write

pytestmark = pytest.mark.lent


def outcomes_of(tmp_path: Path, profile: Path, token: str, *selection: str) -> dict[str, dict]:
    results = tmp_path / "resultats.json"
    run_suite(
        f"--cible={profile}",
        *selection,
        f"--resultats-json={results}",
        f"--rapport={tmp_path / 'rapport'}",
        env={"JETON_ESSAI": token},
    )
    return json.loads(results.read_text())


def test_a_given_whose_page_cannot_be_found_is_not_run(tmp_path: Path) -> None:
    """Without the pre-flight, which would stop the run on that path first."""
    with simulator_apart() as sim:
        text = profile_text(sim, "JETON_ESSAI") + '[parcours]\nliste_patients = "/introuvable"\n'
        outcomes = outcomes_of(
            tmp_path,
            write(tmp_path, text),
            sim.control_token,
            "--sans-verification",
            "-m",
            "BP-LIEN-DECONNEXION",
        )
    [outcome] = outcomes.values()
    assert outcome["outcome"] == "skipped", outcome
    assert outcome["message"].startswith(
        "non exécuté : « il est connecté à SPICO et consulte la liste des patients »"
        " n'a pas pu être mis en place"
    ), outcome


def test_a_404_to_the_replayed_session_is_not_run(tmp_path: Path) -> None:
    """The list is there while signed in, and gone once the logout has passed: the replayed
    cookie meets a 404, which says nothing of the session."""
    with simulator_apart(NEAR, gone_after=("/deconnexion", "/patients")) as sim:
        text = profile_text(sim, "JETON_ESSAI")
        outcomes = outcomes_of(
            tmp_path,
            write(tmp_path, text),
            sim.control_token,
            "--sans-verification",  # its logout would take the list away before the run
            "-k",
            "cookie_de_session_rejoué",
        )
    [outcome] = outcomes.values()
    assert outcome["outcome"] == "skipped", outcome
    assert outcome["message"].startswith("non exécuté : http://spico.localhost:"), outcome
    assert "/patients répond 404 à la session rejouée, ni accès ni refus" in outcome["message"]
    assert outcome["requirements"] == ["BP-RETOUR-ARRIERE"]


def test_a_journey_that_does_not_fit_the_target_stops_the_run_before_it(tmp_path: Path) -> None:
    """The pre-flight walks the profile's journey once: a logout button the target does not
    have stops the run with one line naming it, and no scenario runs."""
    with simulator_apart() as sim:
        text = profile_text(sim, "JETON_ESSAI") + (
            '[parcours]\ndeconnexion_spico = ["Menu utilisateur", "Quitter"]\n'
        )
        results = tmp_path / "resultats.json"
        done = run_suite(
            f"--cible={write(tmp_path, text)}",
            "-m",
            "web",
            f"--resultats-json={results}",
            env={"JETON_ESSAI": sim.control_token},
        )
    assert done.returncode == 4, done.stdout[-2000:]
    assert done.stderr.strip() == (
        "ERROR: vérification préalable de la cible : la déconnexion de SPICO"
        " (Menu utilisateur → Quitter) échoue : « Quitter » introuvable sur"
        f" {sim.public['spico']}/patients"
    )
    assert not results.exists()
