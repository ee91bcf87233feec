"""The suite on real software nobody here wrote (``realstack``): each stack, configured as
the guide asks, gets the verdicts the README documents; each misconfiguration, made with the
real components' own settings (a stack's named variants, ``Side.variants``), is caught on its
requirement. Each case is a run of the suite against the stack started apart (the compliant
stacks' under -n 2, whose @horloge scenarios then run at the end, alone; the variants'
serially), with nothing but the profile the launcher writes. With ``--matrice-complete``
(nightly), each variant meets the whole web suite, and nothing may fail outside what it is
declared to break."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from realstack.stack import STACKS
from tests import report_folder_check
from tests.stack_apart import logs_tail, stack_apart
from tests.test_profiles import run_suite

pytestmark = [pytest.mark.pile_reelle, pytest.mark.lent]

#: The web requirements, and the one of the workstation: the others are the phone's.
WEB = {
    "EXI-WEB-ACCES",
    "EXI-WEB-INACTIVITE",
    "EXI-WEB-FERMETURE",
    "EXI-WEB-DECONNEXION",
    "BP-ID-ROTATION",
    "BP-RETOUR-ARRIERE",
    "BP-LIEN-DECONNEXION",
    "BP-COOKIES",
    "BP-PROPAGATION-SSO",
    "BP-OTP",
    "BP-SANS-MAINTIEN",
}
#: The scenario of PASS's expiry reaching SPICO.
EXPIRY_NOT_PROPAGATED = "test_lexpiration_de_la_session_pass_termine_aussi_la_session_spico"


def compliant(cookies: set[str], *, failing: set[str] = frozenset(), **statuses: set[str]):
    """A stack's documented verdicts: the session cookies the cookie check judged, the
    requirements by status (``Conforme`` for every web requirement not named), and the
    scenarios that fail."""
    named = {r for rs in statuses.values() for r in rs}
    by_status = {
        "Conforme": WEB - named,
        # its web scenarios pass; no stack has a mobile app to run the others on
        "Partiel": {"BP-OTP"},
        # the page asks nothing of its own accord
        "Non applicable": {"BP-SANS-MAINTIEN"},
    }
    for status, requirements in statuses.items():
        by_status[status.replace("_", " ")] = requirements
    by_status["Conforme"] -= by_status["Partiel"] | by_status["Non applicable"]
    return {"statuses": by_status, "failing": set(failing), "cookies": cookies}


#: Each stack's documented verdicts, configured as the guide asks (README, "Real stacks").
COMPLIANT = {
    # LemonLDAP::NG 2.16 tells relying parties of a logout, never of an expiry
    "oidc": compliant(
        {"lemonldap", "mod_auth_openidc_session"},
        Non_conforme={"BP-PROPAGATION-SSO"},
        failing={EXPIRY_NOT_PROPAGATED},
    ),
    # the assertion's SessionNotOnOrAfter bounds SPICO's session by PASS's: its expiry ends
    # both; SPICO's logout ends PASS's session too (single logout)
    "saml": compliant({"lemonldap", "mellon-cookie"}),
    # LemonLDAP::NG 2.16 tells CAS services of a logout (back-channel), never of an expiry;
    # SPICO's logout ends PASS's session too (CAS logout)
    "django": compliant(
        {"lemonldap", "sessionid"},
        Non_conforme={"BP-PROPAGATION-SSO"},
        failing={EXPIRY_NOT_PROPAGATED},
    ),
}


def audit(
    ready: dict, tmp_path: Path, selection: str | None, *options: str
) -> tuple[dict[str, dict], str]:
    """The suite's run on the stack (all of it without ``selection``): each scenario's
    result, and what it printed."""
    results = tmp_path / "resultats.json"
    done = run_suite(
        f"--cible={ready['profil']}",
        *options,
        *(("-m", selection) if selection else ()),
        f"--resultats-json={results}",
        f"--rapport={tmp_path / 'rapport'}",
        env=ready["environnement"],
    )
    return json.loads(results.read_text()), done.stdout


def statuses(printed: str) -> dict[str, set[str]]:
    """The terminal's "Conformité par exigence" lines, by status."""
    found: dict[str, set[str]] = {}
    for line in printed.splitlines():
        for status in ("Non conforme", "Conforme", "Non exécuté", "Partiel", "Non applicable"):
            if line.startswith(status + " "):
                found.setdefault(status, set()).add(line.split()[len(status.split())])
                break
    return found


@pytest.mark.parametrize("stack", list(COMPLIANT))
def test_the_compliant_stack_gets_the_documented_verdicts(tmp_path: Path, stack: str) -> None:
    """The whole audit under -n 2 (the shared clock's scenarios at the end, alone), and its
    report read back: the findings explained, the facts judged."""
    expected = COMPLIANT[stack]
    with stack_apart(stack) as ready:
        outcomes, printed = audit(ready, tmp_path, None, "-n", "2")
        logs = logs_tail(ready["dossier"])
    failed = {name.split("::")[-1] for name, r in outcomes.items() if r["outcome"] == "failed"}
    assert failed == expected["failing"], {
        name: r.get("message") for name, r in outcomes.items() if r["outcome"] == "failed"
    }
    found = statuses(printed)
    unjudged = {  # what kept a requirement from its status: a tool error, a step not done
        name: r.get("message") for name, r in outcomes.items() if r["outcome"] == "error"
    } or {name: r.get("message") for name, r in outcomes.items() if r["outcome"] == "skipped"}
    why = "\n".join(f"{name}: {message}" for name, message in unjudged.items())
    for status, requirements in expected["statuses"].items():
        missing = requirements - found.get(status, set())
        assert not missing, f"{status} attendu pour {missing} ; {found}\n{why}\n{logs}"
    assert not (found.get("Conforme", set()) | found.get("Non conforme", set())) - WEB, found
    nonconforming = expected["statuses"].get("Non conforme")
    assert f"Verdict : {'NON CONFORME' if nonconforming else 'INCOMPLET'}" in printed
    folder = tmp_path / "rapport"
    verdict = report_folder_check.check(folder)
    assert verdict["target"]["simulator"] is False and verdict["target"]["versions"]
    otp = report_folder_check.requirement(verdict, "BP-OTP")
    assert otp["status"] == "Partiel" and "mobile" in otp["reason"], otp["reason"]
    idle = report_folder_check.requirement(verdict, "BP-SANS-MAINTIEN")
    assert idle["status"] == "Non applicable" and "0 requête" in idle["reason"], idle["reason"]
    cookies = report_folder_check.facts(verdict, "BP-COOKIES", "cookies")
    assert expected["cookies"] <= {r["Nom"] for r in cookies[0]["rows"]}, cookies
    headers = report_folder_check.facts(verdict, "BP-RETOUR-ARRIERE", "en-tetes")
    assert all("no-store" in r["Cache-Control"] for h in headers for r in h["rows"]), headers
    replays = report_folder_check.facts(verdict, "BP-RETOUR-ARRIERE", "rejeu")
    assert replays and all(r["Statut"] and r["Adresse finale"] for f in replays for r in f["rows"])
    if nonconforming:
        card = report_folder_check.Page((folder / "rapport.html").read_text()).cards["constat-1"]
        assert any(r in card for r in nonconforming) and "Correction" in card, card


VARIANTS = [
    pytest.param(stack, name, id=f"{stack}-{name}")
    for stack, side in STACKS.items()
    for name in side.variants
]


@pytest.mark.parametrize(("stack", "variant"), VARIANTS)
def test_each_misconfiguration_is_caught_on_its_requirement(
    tmp_path: Path, stack: str, variant: str, request: pytest.FixtureRequest
) -> None:
    declared = STACKS[stack].variants[variant]
    complete = request.config.getoption("--matrice-complete")
    with stack_apart(stack, "--variante", variant) as ready:
        outcomes, printed = audit(ready, tmp_path, "web" if complete else declared.selection)
    failed = [r for r in outcomes.values() if r["outcome"] == "failed"]
    assert failed, printed[-3000:]
    assert declared.requirement in statuses(printed).get("Non conforme", set()), printed[-3000:]
    allowed = {declared.requirement, *declared.also_breaks}
    if complete:
        allowed |= COMPLIANT[stack]["statuses"].get("Non conforme", set())
    assert all(set(r["requirements"]) <= allowed for r in failed), failed
