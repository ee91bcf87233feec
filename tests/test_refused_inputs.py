"""Every input an audit takes is checked before anything starts: a CI job's empty variable, a
tired auditor's typo, a file that is not what it claims. Each row below is a real command run
as a user runs it, in a folder holding an earlier audit: it must give the French line expected,
exit status 4, and leave that folder exactly as it was (every file hashed before and after,
nothing added, nothing removed), without a traceback.

The profile's own grammar and the waiver files' are tested line by line in test_profiles.py and
test_waivers.py; the simulator's and the real stack's options in test_simulator_options.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests import parallel

ROOT = Path(__file__).resolve().parent.parent
SPICO_AUDIT = [sys.executable, "-m", "audit.cli"]
PYTEST = [sys.executable, "-m", "pytest", str(ROOT / "features"), "-p", "no:cacheprovider"]
TODAY = date.today()
#: Rows run at once: a refusal is mostly a Python process starting.
CONCURRENT = 3
SECRET = "Mot-De-Passe-Secret-42"
PROFILE = """
nom = "cible d'essai"
[urls]
spico = "http://spico.localhost:9"
pass = "http://pass.localhost:9"
[controle]
url = "http://127.0.0.1:9"
jeton_env = "JETON_ESSAI"
"""
WAIVER = """[[derogation]]
exigence = "BP-OTP"
motif = "correctif prévu"
accordee_par = "M. Martin, RSSI"
"""


def waiver(accepted: date, until: date, table: str = "derogation") -> str:
    text = WAIVER.replace("derogation", table, 1)
    return text + f"accordee_le = {accepted.isoformat()}\njusqu_au = {until.isoformat()}\n"


def earlier_audit(folder: Path) -> None:
    """What an audit leaves: its verdict, its report, its evidence."""
    (folder / "preuves" / "scenario").mkdir(parents=True)
    (folder / "preuves" / "scenario" / "etape-01-navigateur.png").write_bytes(b"\x89PNG...")
    (folder / "rapport.html").write_text("<html>rapport signé</html>", encoding="utf-8")
    verdict = {
        "format": 1,
        "date": "2026-11-02T10:15:00+01:00",
        "suite_version": "commit abc123",
        "requirements": [{"id": "BP-OTP", "status": "Conforme", "scenarios": []}],
    }
    (folder / "verdict.json").write_text(json.dumps(verdict), encoding="utf-8")


@dataclass(frozen=True)
class Case:
    """A command line (``{d}`` stands for the folder it runs in), the files it names, and the
    French lines it must print."""

    args: tuple[str, ...]
    expected: tuple[str, ...]
    files: tuple[tuple[str, str], ...] = ()
    launcher: tuple[str, ...] = tuple(SPICO_AUDIT)


def profile(change: str = "", add: str = "") -> tuple[tuple[str, str], ...]:
    """A profile with one change (``old => new``) and lines added."""
    text = PROFILE
    if change:
        old, new = change.split(" => ")
        assert old in text, old
        text = text.replace(old, new)
    return (("cible.toml", text + add),)


CASES = {
    # a CI job's unset variable never audits something else
    "cible-vide": Case(("--cible", ""), ("--cible : valeur vide",)),
    "rapport-vide": Case(
        ("-k", "poste_se_verrouille", "--rapport", ""), ("--rapport : valeur vide",)
    ),
    "derogations-vide": Case(("--derogations", ""), ("--derogations : valeur vide",)),
    "comparer-avec-vide": Case(("--comparer-avec", ""), ("--comparer-avec : valeur vide",)),
    "resultats-json-vide": Case(("--resultats-json=",), ("--resultats-json : valeur vide",)),
    "tout-vide-a-la-fois": Case(
        ("--cible=", "--rapport=", "--defaut", "inexistant"),
        ("--cible : valeur vide", "--rapport : valeur vide", "--defaut inexistant : défaut"),
    ),
    "perimetre-inconnu": Case(
        ("--perimetre", "tout"),
        ("--perimetre « tout » : valeur inconnue (attendu : guide ou selection)",),
    ),
    "appareil-inconnu": Case(
        ("--appareil", "nokia"),
        ("--appareil « nokia » : valeur inconnue (attendu : android ou iphone)",),
    ),
    # options that act on a report are checked, and refused without one
    "pytest-sans-rapport": Case(
        ("--derogations", "{d}/ABSENT.toml", "--comparer-avec", "{d}/vide"),
        (
            "--derogations n'agit que sur un rapport",
            "--comparer-avec n'agit que sur un rapport",
            "ABSENT.toml : fichier introuvable",
            "vide : pas de verdict.json",
        ),
        files=(("vide/.garde", ""),),
        launcher=tuple(PYTEST),
    ),
    # the evidence of an earlier audit is never overwritten nor emptied
    "rapport-deja-ecrit": Case(
        ("--rapport", "{d}/avant"), ("ce dossier contient déjà le rapport d'un audit",)
    ),
    "rapport-dossier-non-vide": Case(
        ("--rapport", "{d}/notes"),
        ("ce dossier contient déjà des fichiers",),
        files=(("notes/a-garder.txt", "notes"),),
    ),
    "rapport-est-un-fichier": Case(
        ("--rapport", "{d}/fichier"), ("c'est un fichier, pas un dossier",), (("fichier", "x"),)
    ),
    "rapport-sous-un-fichier": Case(
        ("--rapport", "{d}/fichier/rapport"), ("fichier est un fichier",), (("fichier", "x"),)
    ),
    "rapport-dans-proc": Case(("--rapport", "/proc/rapport"), ("impossible d'écrire dans /proc",)),
    "rapport-dans-sys": Case(("--rapport", "/sys/rapport"), ("impossible d'écrire dans /sys",)),
    "output-sur-des-preuves": Case(
        ("--output", "{d}/avant/preuves", "-k", "poste_se_verrouille"),
        ("contient les preuves d'un audit, que pytest-playwright viderait",),
        launcher=tuple(PYTEST),
    ),
    # the tool's own typos are not the target's non-conformity
    "defaut-inconnu": Case(
        ("--defaut", "inexistant", "-k", "sans_session_spico"),
        ("--defaut inexistant : défaut inconnu", "défauts connus : activation-sans-code"),
    ),
    "defaut-avec-cible": Case(
        ("--cible", "{d}/cible.toml", "--defaut", "expiration-3h"),
        ("--defaut ne s'applique qu'au simulateur embarqué",),
        profile(),
    ),
    # earlier reports
    "comparer-avec-sans-verdict": Case(
        ("--comparer-avec", "{d}/vide"), ("pas de verdict.json",), (("vide/.garde", ""),)
    ),
    "comparer-avec-un-fichier": Case(
        ("--comparer-avec", "{d}/fichier"), ("c'est un fichier",), (("fichier", "x"),)
    ),
    "comparer-avec-json-imbrique": Case(
        ("--comparer-avec", "{d}/imbrique"),
        ("JSON imbriqué trop profondément",),
        (("imbrique/verdict.json", '{"format": 1, "x": ' + "[" * 100_000 + "]" * 100_000 + "}"),),
    ),
    "comparer-avec-statut-inconnu": Case(
        ("--comparer-avec", "{d}/bizarre"),
        ("« requirements.0.status » : valeur inattendue 'Presque'",),
        (
            (
                "bizarre/verdict.json",
                '{"format": 1, "date": "x", "requirements":'
                ' [{"id": "BP-OTP", "status": "Presque", "scenarios": []}]}',
            ),
        ),
    ),
    # waivers
    "derogation-du-futur": Case(
        ("--derogations", "{d}/d.toml"),
        ("accordée le", "une date à venir"),
        (("d.toml", waiver(TODAY + timedelta(days=30000), TODAY + timedelta(days=30100))),),
    ),
    "derogation-sans-fin": Case(
        ("--derogations", "{d}/d.toml"),
        ("« jusqu_au » : au plus un an après « accordee_le »",),
        (("d.toml", waiver(date(1, 1, 1), date(9999, 12, 31))),),
    ),
    "derogations-contradictoires": Case(
        ("--derogations", "{d}/d.toml"),
        ("[[derogation]] n° 2 : couvre, comme la n° 1 (BP-OTP)",),
        (
            (
                "d.toml",
                waiver(TODAY - timedelta(days=5), TODAY + timedelta(days=20))
                + waiver(TODAY - timedelta(days=2), TODAY + timedelta(days=40)),
            ),
        ),
    ),
    "table-mal-nommee": Case(
        ("--derogations", "{d}/d.toml"),
        ("clé inconnue « derogations »",),
        (("d.toml", waiver(TODAY, TODAY + timedelta(days=9), table="derogations")),),
    ),
    "fichier-de-derogations-vide": Case(
        ("--derogations", "{d}/d.toml"), ("aucune dérogation",), (("d.toml", ""),)
    ),
    # profiles
    "profil-dossier": Case(("--cible", "{d}/avant"), ("c'est un dossier, pas un fichier",)),
    "profil-absent": Case(("--cible", "{d}/absent.toml"), ("fichier introuvable",)),
    "profil-espace-reserve-inconnu": Case(
        ("--cible", "{d}/cible.toml"),
        ("[parcours] « liste_filtree »", "paramètre inconnu {autre}"),
        profile(add='[parcours]\nliste_filtree = "/patients?sexe={sexe}&x={autre}"\n'),
    ),
    "profil-url-avec-identifiants": Case(
        ("--cible", "{d}/cible.toml"),
        ("[urls] « spico » : URL avec un identifiant ou un mot de passe",),
        profile(f'"http://spico.localhost:9" => "http://audit:{SECRET}@spico.localhost:9"'),
    ),
    "profil-url-avec-retour-a-la-ligne": Case(
        ("--cible", "{d}/cible.toml"),
        ("[urls] « pass » : URL avec un espace, un retour à la ligne",),
        profile('"http://pass.localhost:9" => "http://pass.localhost:9/\\nX: y"'),
    ),
    "profil-ipv6-malforme": Case(
        ("--cible", "{d}/cible.toml"),
        ("[urls] « pass » : URL mal formée",),
        profile('"http://pass.localhost:9" => "http://[::1"'),
    ),
    "profil-url-de-100-ko": Case(
        ("--cible", "{d}/cible.toml"),
        ("[urls] « pass » : URL trop longue",),
        profile('"http://pass.localhost:9" => "http://pass.localhost:9/' + "a" * 100_000 + '"'),
    ),
    "profil-nom-nombre": Case(
        ("--cible", "{d}/cible.toml"),
        ("« nom » : doit être un texte",),
        profile('nom = "cible d\'essai" => nom = 42'),
    ),
    "profil-section-texte": Case(
        ("--cible", "{d}/cible.toml"),
        ("[temps] : doit être une table",),
        profile('nom = "cible d\'essai" => nom = "cible"\ntemps = "reelle"'),
    ),
    "profil-inactivite-nulle": Case(
        ("--cible", "{d}/cible.toml"),
        ("« inactivite_spico »", "hors des bornes"),
        profile(add='[temps]\nhorloge = "reelle"\ninactivite_spico = "0 minute"\n'),
    ),
    "profil-inactivite-demesuree": Case(
        ("--cible", "{d}/cible.toml"),
        ("« inactivite_spico »", "hors des bornes"),
        profile(
            add='[temps]\nhorloge = "reelle"\ninactivite_spico = "99999999999999999999 heures"\n'
        ),
    ),
    "profil-code-valide-zero-seconde": Case(
        ("--cible", "{d}/cible.toml"),
        ("« validite_code »", "hors des bornes"),
        profile(
            add='[temps]\nhorloge = "reelle"\ninactivite_spico = "10 minutes"\n'
            'validite_code = "0 seconde"\n'
        ),
    ),
    "profil-hote-sans-adresse": Case(
        ("--cible", "{d}/cible.toml"),
        ("« not-an-ip » : une adresse IP est attendue",),
        profile(add='[reseau]\nhotes = "MAP * not-an-ip"\n'),
    ),
    "profil-autorite-pas-un-certificat": Case(
        ("--cible", "{d}/cible.toml"),
        ("aucun certificat d'autorité (CA) au format PEM",),
        (*profile(add='[reseau]\nautorite = "ca.pem"\n'), ("ca.pem", "pas un certificat\n")),
    ),
    "profil-fichier-faketime-dossier": Case(
        ("--cible", "{d}/cible.toml"),
        ("c'est un dossier, pas un fichier",),
        (
            *profile(
                add='[temps]\nhorloge = "faketime"\ninactivite_spico = "2 heures"\n'
                'fichier = "horloge"\n'
            ),
            ("horloge/.garde", ""),
        ),
    ),
}


def tree(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder``, with each file's SHA-256."""
    return {
        str(path.relative_to(folder)): (
            hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dossier"
        )
        for path in sorted(folder.rglob("*"))
    }


@dataclass(frozen=True)
class Refusal:
    """What a row's command did: its exit status, what it said, its folder before and after."""

    status: int
    said: str
    before: dict[str, str]
    after: dict[str, str]


def refuse(folder: Path, case: Case) -> Refusal:
    """The row's command, run in ``folder`` beside an earlier audit and the row's files."""
    earlier_audit(folder / "avant")
    for relative, content in case.files:
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(content, encoding="utf-8")
    before = tree(folder)
    done = subprocess.run(
        [*case.launcher, *(arg.replace("{d}", str(folder)) for arg in case.args)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "JETON_ESSAI": "jeton", "SPICO_SIM_FAULTS": ""},
    )
    return Refusal(done.returncode, done.stdout + done.stderr, before, tree(folder))


@pytest.fixture(scope="module")
def refusals(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Refusal]:
    """The selected rows' commands, a few at a time: each is a process of its own, in a
    folder of its own, and one spends most of its time starting. (Under pytest-xdist, where
    a process may run only some rows, each row's command runs when its test does, unless the
    module's tests all run on one process: ``tests/parallel.py``.)"""

    def run(name: str) -> Refusal:
        return refuse(tmp_path_factory.mktemp(name), CASES[name])

    workerinput = getattr(request.config, "workerinput", None)
    if workerinput is not None and not workerinput.get(parallel.FLAG):
        return OnDemand(run)
    chosen = [
        item.callspec.params["name"]
        for item in request.session.items
        if item.module is request.module and hasattr(item, "callspec")
    ]
    with ThreadPoolExecutor(max_workers=CONCURRENT) as pool:
        return dict(zip(chosen, pool.map(run, chosen), strict=True))


class OnDemand(dict):
    """A row's refusal, run the first time it is asked for."""

    def __init__(self, run) -> None:
        super().__init__()
        self.run = run

    def __missing__(self, name: str) -> Refusal:
        self[name] = self.run(name)
        return self[name]


@pytest.mark.parametrize("name", list(CASES))
def test_a_refused_input_costs_one_french_line_and_nothing_else(
    refusals: dict[str, Refusal], name: str
) -> None:
    refusal = refusals[name]
    said = refusal.said
    assert refusal.status == 4, said[-3000:]
    for expected in CASES[name].expected:
        assert expected in said, said[-3000:]
    assert "Traceback" not in said and "INTERNALERROR" not in said, said[-3000:]
    assert SECRET not in said
    assert refusal.after == refusal.before, "un refus a écrit ou effacé quelque chose"
