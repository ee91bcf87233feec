"""What the harness cannot find or do is "Non exécuté" with the reason, never a verdict: a
"Given" whose page is not where the profile says, a target that answers 404 to the replayed
session (neither access nor refusal), another requirement's action the target does not offer.
Only a journey that cannot be judged at all stops the run. Each is a run of the suite against
the simulator started apart, as a user's."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from processes.ports import free_port
from tests.reverse_proxy import NEAR, serve
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


def test_a_journey_that_cannot_be_judged_at_all_stops_the_run_before_it(tmp_path: Path) -> None:
    """The pre-flight walks the profile's journey once: a SPICO path that does not lead to
    PASS's sign-in stops the run with one line naming it, and no scenario runs."""
    with simulator_apart() as sim:
        text = profile_text(sim, "JETON_ESSAI") + '[parcours]\nliste_patients = "/introuvable"\n'
        results = tmp_path / "resultats.json"
        done = run_suite(
            f"--cible={write(tmp_path, text)}",
            "-m",
            "web",
            f"--resultats-json={results}",
            f"--rapport={tmp_path / 'rapport'}",
            env={"JETON_ESSAI": sim.control_token},
        )
    assert done.returncode == 4, done.stdout[-2000:]
    assert done.stderr.startswith(
        "ERROR: vérification préalable de la cible : SPICO"
        f" ({sim.public['spico']}/introuvable) ne mène pas à la connexion du PASS"
    ), done.stderr
    assert not results.exists() and not (tmp_path / "rapport").exists()


def without_logout(host: str, body: bytes) -> bytes:
    """SPICO's pages without their logout control, as a deployment that lacks it."""
    if not host.startswith("spico."):
        return body
    return re.sub(rb'<form method="post" action="/deconnexion">.*?</form>', b"", body, flags=re.S)


def test_a_spico_without_logout_control_is_audited_not_refused(tmp_path: Path) -> None:
    """What the guide promises and the target lacks is a finding: the pre-flight says so, the
    requirements that judge it are Non conforme, the scenarios of others that needed it are
    Non exécuté with that reason, and everything else is judged."""
    selection = "EXI-WEB-DECONNEXION or BP-LIEN-DECONNEXION or BP-RETOUR-ARRIERE or EXI-WEB-ACCES"
    report = tmp_path / "rapport"
    with simulator_apart(NEAR, rewrite=without_logout) as sim:
        done = run_suite(
            f"--cible={write(tmp_path, profile_text(sim, 'JETON_ESSAI'))}",
            "-m",
            selection,
            "-n",
            "2",
            f"--rapport={report}",
            env={"JETON_ESSAI": sim.control_token},
        )
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-2000:]
    verdict = json.loads((report / "verdict.json").read_text(encoding="utf-8"))
    status = {r["id"]: r["status"] for r in verdict["requirements"]}
    assert status["EXI-WEB-DECONNEXION"] == status["BP-LIEN-DECONNEXION"] == "Non conforme"
    assert status["EXI-WEB-ACCES"] == "Conforme", done.stdout[-3000:]
    [finding] = verdict["preflight_findings"]
    assert finding.startswith("la déconnexion de SPICO (Menu utilisateur → Se déconnecter) échoue")
    back = next(r for r in verdict["requirements"] if r["id"] == "BP-RETOUR-ARRIERE")
    needing = [s for s in back["scenarios"] if "déconnexion" in s["name"]]
    assert needing and all(s["outcome"] == "skipped" for s in needing), needing
    reason = "« il se déconnecte de SPICO » n'a pas pu être fait"
    assert all(reason in s["message"] for s in needing), needing
    cache = next(s for s in back["scenarios"] if "cache" in s["name"])
    assert cache["outcome"] == "passed", back["scenarios"]
    assert "Ce que la vérification préalable a rencontré" in (report / "rapport.html").read_text(
        encoding="utf-8"
    )
    assert "Vérification préalable : l'audit a continué malgré ceci" in done.stdout


async def out_of_order(scope, receive, send) -> None:
    """An SMS operator's API that answers every request 503."""
    await send({"type": "http.response.start", "status": 503, "headers": []})
    await send({"type": "http.response.body", "body": b""})


def test_a_code_the_inbox_never_shows_is_not_run(tmp_path: Path) -> None:
    """The profile's SMS gateway is out of order: the code PASS sends cannot be read, which
    says nothing of the codes' rules (and is not the tool's error either)."""
    port = free_port()
    with simulator_apart() as sim, serve(out_of_order, port):
        text = profile_text(sim, "JETON_ESSAI")
        text += f'[codes.sms]\nsource = "passerelle"\nurl = "http://127.0.0.1:{port}/messages"\n'
        outcomes = outcomes_of(
            tmp_path, write(tmp_path, text), sim.control_token, "-m", "web and BP-OTP and horloge"
        )
    [outcome] = outcomes.values()
    assert outcome["outcome"] == "skipped", outcome
    assert re.fullmatch(
        r"non exécuté : « il demande un code par SMS et attend 11 minutes avant de le saisir » :"
        r" passerelle SMS http://127\.0\.0\.1:\d+/messages illisible \(Server error '503 .*",
        outcome["message"],
    ), outcome
