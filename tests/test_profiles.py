"""Target profiles: a bad one stops the run in one clear line before anything starts; a
good one runs the suite against a simulator started on its own, reached only through its
public URLs and control API, directly or behind a reverse proxy.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from fixtures import profile as profiles
from fixtures.chromium import find_chromium
from fixtures.codes import CodeNotRead, GatewayInbox
from fixtures.control import Control
from fixtures.simulator_process import simulator_process
from processes.lifetime import die_with_parent, stop_group
from processes.ports import free_port
from processes.waiting import poll
from tests import mail_provider
from tests.reverse_proxy import NEAR
from tests.target_apart import profile_text, simulator_apart

ROOT = Path(__file__).resolve().parent.parent
GOOD = """
nom = "essai"
[urls]
spico = "http://spico.localhost:{port}"
pass = "http://pass.localhost:{port}"
[controle]
url = "http://127.0.0.1:{port}"
jeton_env = "JETON_ESSAI"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cible.toml"
    path.write_text(text, encoding="utf-8")
    return path


URLS = """[urls]
spico = "http://spico.localhost:{port}"
pass = "http://pass.localhost:{port}"
"""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace('nom = "essai"\n', ""), "« nom » : clé obligatoire manquante"),
        (lambda t: t.replace('nom = "essai"', "nom = 42"), "« nom » : doit être un texte"),
        (lambda t: t.replace(URLS, ""), "[urls] : section obligatoire manquante"),
        (lambda t: t.replace(URLS, 'urls = "x"\n'), "[urls] : doit être une table"),
        (lambda t: t.replace('spico = "http://spico.localhost:{port}"\n', ""), "[urls] « spico »"),
        (
            lambda t: t.replace("http://pass", "ftp://pass"),
            "[urls] « pass » : URL invalide : 'ftp://pass.localhost:9' (attendu : http:// ou"
            " https://, avec un hôte)",
        ),
        (
            lambda t: t.replace('pass.localhost:{port}"', 'pass.localhost:{port}\\n/x"'),
            "URL avec un espace, un retour à la ligne ou un caractère de contrôle",
        ),
        (
            lambda t: t.replace("http://pass.localhost:{port}", "http://[::1"),
            "[urls] « pass » : URL mal formée (adresse IPv6 entre crochets, ou port)",
        ),
        (
            lambda t: t.replace("http://pass.localhost:{port}", "http://pass:99999"),
            "[urls] « pass » : URL mal formée",
        ),
        (
            lambda t: t.replace("pass.localhost:{port}", "pass.localhost/" + "a" * 100_000),
            "[urls] « pass » : URL trop longue (100022 caractères, au plus 2048)",
        ),
        (
            lambda t: t.replace("http://pass", "http://audit:s3cr3t-de-test@pass"),
            "[urls] « pass » : URL avec un identifiant ou un mot de passe : retirez-les",
        ),
        (lambda t: t + "couleur = 'bleu'\n", "clé inconnue « couleur »"),
        (lambda t: t.replace("jeton_env", "jeton = 1\njeton_env"), "clé inconnue « jeton »"),
        (lambda t: t.replace('JETON_ESSAI"', 'JETON_ABSENT"'), "variable JETON_ABSENT vide"),
        (lambda t: t.replace("[urls]", "[urls"), "TOML illisible"),
    ],
)
def test_a_bad_profile_names_its_problem(tmp_path: Path, change, message: str) -> None:
    path = write(tmp_path, change(GOOD).format(port=9))
    with pytest.raises(profiles.ProfileError) as raised:
        profiles.load(path, environ={"JETON_ESSAI": "x"}, reach=False)
    text = str(raised.value)
    assert message in text and str(path) in text and "\n" not in text
    assert "s3cr3t-de-test" not in text


ACCOUNT = """
[[comptes]]
identifiant = "audit.1"
mot_de_passe_env = "MDP_ESSAI"
nom = "Camille AUDIT"
email = "a@example.org"
telephone = "+33600000001"
"""

IMAP = """
[codes.email]
source = "imap"
url = "imaps://imap.example.org"
utilisateur = "audit"
mot_de_passe_env = "MDP_ESSAI"
"""
TEMPS = '[temps]\nhorloge = "reelle"\ninactivite_spico = "10 minutes"\n'
FAKETIME = '[temps]\nhorloge = "faketime"\ninactivite_spico = "2 heures"\nfichier = "{}"\n'
#: Another account than ACCOUNT's.
OTHER = ACCOUNT.replace("audit.1", "audit.2")


def prepended(section: str):
    """A change that writes ``section`` first, where it cannot fall into another table."""
    return lambda t: section + t


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda t: t + ACCOUNT.replace('nom = "Camille AUDIT"\n', ""),
            "[[comptes]] n° 1 « nom » : clé obligatoire manquante",
        ),
        (
            lambda t: t + ACCOUNT + OTHER.replace('"+33600000001"', '"06 00 00 00 02"'),
            "[[comptes]] n° 2 « telephone » : « 06 00 00 00 02 » n'est pas un numéro international",
        ),
        (
            lambda t: t + ACCOUNT.replace('"a@example.org"', '"audit"'),
            "[[comptes]] n° 1 « email » : « audit » n'est pas une adresse e-mail",
        ),
        (
            lambda t: t + ACCOUNT.replace('"audit.1"', "1"),
            "[[comptes]] n° 1 « identifiant » : doit être un texte",
        ),
        (
            lambda t: t + ACCOUNT + ACCOUNT,
            "[[comptes]] : « audit.1 » est le compte n° 1 et le n° 2 : un compte par processus",
        ),
        (prepended('comptes = "x"\n'), "[[comptes]] : doit être une liste de tables"),
        (prepended("comptes = [1]\n"), "[[comptes]] n° 1 : doit être une table"),
        (lambda t: t + ACCOUNT.replace("MDP_ESSAI", "MDP_ABSENT"), "variable MDP_ABSENT vide"),
        (lambda t: t + ACCOUNT + "age = 3\n", "clé inconnue « age »"),
        (lambda t: t + '[codes.sms]\nsource = "imap"\n', "« source » doit valoir simulateur"),
        (
            lambda t: t + '[codes.email]\nsource = "passerelle"\n',
            "[codes.email] : « source » doit valoir simulateur ou imap",
        ),
        (lambda t: t + '[codes.sms]\nurl = "http://x"\n', "[codes.sms] : clé « source » manquante"),
        (
            lambda t: t + IMAP.replace("imaps://", "https://"),
            "[codes.email] « url » : URL invalide : 'https://imap.example.org' (attendu :"
            " imaps:// ou imap://",
        ),
        (
            lambda t: t + IMAP.replace('utilisateur = "audit"\n', ""),
            "[codes.email] « utilisateur » : clé obligatoire manquante",
        ),
        (lambda t: t + IMAP.replace("MDP_ESSAI", "MDP_ABSENT"), "variable MDP_ABSENT vide"),
        (lambda t: t + IMAP + 'jeton_env = "X"\n', "[codes.email] : clé inconnue « jeton_env »"),
        (
            lambda t: t + '[codes.sms]\nsource = "passerelle"\n',
            "[codes.sms] « url » : clé obligatoire manquante",
        ),
        (lambda t: t + '[codes.fax]\nsource = "simulateur"\n', "clé inconnue « fax »"),
        (prepended('temps = "x"\n'), "[temps] : doit être une table"),
        (lambda t: t + '[temps]\nhorloge = "vraie"\n', "« horloge » : doit valoir controle"),
        (
            lambda t: t + '[temps]\nhorloge = "reelle"\n',
            "[temps] « inactivite_spico » : clé obligatoire avec horloge « reelle »",
        ),
        (
            lambda t: t + '[temps]\nhorloge = "reelle"\ninactivite_spico = "10 min"\n',
            "« inactivite_spico » : durée illisible : « 10 min »",
        ),
        (
            lambda t: t + TEMPS.replace("10 minutes", "0 minute"),
            "« inactivite_spico » : « 0 minute » hors des bornes : entre 1 minute et 24 heures",
        ),
        (
            lambda t: t + TEMPS + 'inactivite_pass = "99999999999999999999 heures"\n',
            "« inactivite_pass » : « 99999999999999999999 heures » hors des bornes",
        ),
        (
            lambda t: t + TEMPS + 'validite_code = "0 seconde"\n',
            "« validite_code » : « 0 seconde » hors des bornes : entre 10 secondes et 1 heure",
        ),
        (
            lambda t: t + TEMPS.replace("10 minutes", "9" * 5000 + " heures"),
            "« inactivite_spico » : trop long (au plus 100 caractères)",
        ),
        (
            lambda t: t + '[temps]\nhorloge = "controle"\ninactivite_spico = "2 heures"\n',
            "« inactivite_spico » : ne sert qu'avec horloge « reelle » ou « faketime »",
        ),
        (
            lambda t: t + '[temps]\nhorloge = "faketime"\ninactivite_spico = "2 heures"\n',
            "[temps] « fichier » : clé obligatoire avec horloge « faketime »",
        ),
        (lambda t: t + FAKETIME.format("dossier"), "dossier : c'est un dossier, pas un fichier"),
        (
            lambda t: t + FAKETIME.format("/dev/zero"),
            "[temps] « fichier » : /dev/zero : ce n'est pas un fichier ordinaire",
        ),
        (lambda t: t + FAKETIME.format("tube"), "tube : ce n'est pas un fichier ordinaire"),
        (lambda t: t + FAKETIME.format("texte.txt"), "décalage libfaketime illisible"),
        (lambda t: t + FAKETIME.format("absent"), "absent : fichier introuvable"),
        (
            lambda t: t + '[parcours]\nliste_filtree = "/patients?sexe={{sexe}}&x={{autre}}"\n',
            "[parcours] « liste_filtree » : paramètre inconnu {autre} : seul {sexe} est connu",
        ),
        (
            lambda t: t + '[parcours]\nliste_filtree = "/patients?sexe={{sexe}}}}"\n',
            "« liste_filtree » : accolade isolée",
        ),
        (lambda t: t + '[parcours]\nliste_filtree = "/patients"\n', "doit contenir {sexe}"),
        (
            lambda t: t + '[parcours]\nliste_patients = "patients"\n',
            "« liste_patients » : doit être un chemin commençant par /",
        ),
        (
            lambda t: t + '[parcours]\nchoix_du_canal = "oui"\n',
            "« choix_du_canal » : doit valoir true ou false",
        ),
        (
            lambda t: t + "[parcours]\ndeconnexion_spico = []\n",
            "« deconnexion_spico » : ne doit pas être vide",
        ),
        (
            lambda t: t + '[parcours]\ndeconnexion_pass = ["Accepter", " "]\n',
            "[parcours] « deconnexion_pass » n° 2 : ne doit pas être vide",
        ),
        (
            lambda t: t + '[reseau]\nhotes = "MAP * not-an-ip"\n',
            "[reseau] « hotes » n° 1 : « not-an-ip » : une adresse IP est attendue",
        ),
        (
            lambda t: t + '[reseau]\nhotes = "MAP *.a.test [::1], MAP *.b.test 10.0.0.5:443"\n',
            "[reseau] « hotes » n° 2 : « 10.0.0.5:443 » : une adresse IP est attendue (IPv6"
            " entre crochets), sans port",
        ),
        (
            lambda t: t + '[reseau]\nhotes = "MAP  *.a.test 10.0.0.5"\n',
            "attendu « MAP motif adresse », séparés d'une espace",
        ),
        (
            lambda t: t + '[reseau]\nhotes = "MAP *.A.test 10.0.0.5"\n',
            "motif « *.A.test » : un nom d'hôte en minuscules",
        ),
        (lambda t: t + '[reseau]\nhotes = "EXCLUDE *.a.test"\n', "attendu « MAP motif adresse »"),
        (
            lambda t: t + '[reseau]\nspki = ["abc"]\n',
            "[reseau] « spki » n° 1 : doit être une empreinte SHA-256 en base64",
        ),
        (lambda t: t + '[reseau]\nspki = "abc"\n', "« spki » : doit être une liste"),
        (
            lambda t: t + '[reseau]\nautorite = "texte.txt"\n',
            "[reseau] « autorite » : {folder}/texte.txt : aucun certificat d'autorité (CA) au"
            " format PEM",
        ),
        (
            lambda t: t + '[reseau]\nautorite = "dossier"\n',
            "« autorite » : {folder}/dossier : c'est un dossier, pas un fichier",
        ),
        (
            lambda t: t + '[navigateur]\nserveur = "http://grille:3000"\n',
            "[navigateur] « serveur » : URL invalide : 'http://grille:3000' (attendu : ws:// ou"
            " wss://",
        ),
        (
            lambda t: t + '[navigateur]\nserveur = "wss://grille"\njeton_env = "ABSENT"\n',
            "variable ABSENT vide",
        ),
        (
            lambda t: t + '[navigateur]\nserveur = "wss://grille"\nexecutable = ""\n',
            "[navigateur] « executable » : ne doit pas être vide",
        ),
        (
            lambda t: t + '[libelles]\n"Valider" = 3\n',
            "[libelles] « Valider » : doit être un texte",
        ),
        (lambda t: t + '[libelles.pass]\n"Valider" = " "\n', "« Valider » : ne doit pas être vide"),
        (
            lambda t: t + '[libelles.autre]\n"Valider" = "OK"\n',
            "[libelles] « autre » : table d'une application inconnue (applications : pass,"
            " spico, mobile)",
        ),
        (prepended("libelles = 3\n"), "[libelles] : doit être une table"),
        (
            lambda t: (
                t + '[appareil]\nappium = "http://a"\nplateforme = "ios"\n'
                "capacites = {{ date = 2026-01-01 }}\n"
            ),
            "[appareil.capacites] : des valeurs JSON seulement (ni date, ni nan, ni inf)",
        ),
        (
            lambda t: t + '[appareil]\nappium = "http://a"\nplateforme = "ios"\ncapacites = 1\n',
            "[appareil.capacites] : doit être une table",
        ),
        (
            lambda t: t.split("[controle]")[0] + '[temps]\nhorloge = "controle"\n',
            "horloge « controle » demande une section [controle]",
        ),
        (
            lambda t: t.split("[controle]")[0] + '[codes.sms]\nsource = "simulateur"\n',
            "la source « simulateur » demande une section [controle]",
        ),
    ],
)
def test_a_bad_account_code_or_clock_section_names_its_problem(
    tmp_path: Path, change, message: str
) -> None:
    (tmp_path / "texte.txt").write_text("pas un certificat\n", encoding="utf-8")
    (tmp_path / "dossier").mkdir()
    os.mkfifo(tmp_path / "tube")
    path = write(tmp_path, change(GOOD).format(port=9))
    with pytest.raises(profiles.ProfileError) as raised:
        profiles.load(path, environ={"JETON_ESSAI": "x", "MDP_ESSAI": "y"}, reach=False)
    assert message.replace("{folder}", str(tmp_path)) in str(raised.value)
    assert "\n" not in str(raised.value)


def test_the_shipped_example_profile_is_valid() -> None:
    secrets = ("SPICO_AUDIT_MDP_1", "SPICO_AUDIT_MDP_2", "SPICO_AUDIT_SMS_JETON")
    secrets += ("SPICO_AUDIT_IMAP_MDP",)
    example = ROOT / "cibles" / "exemple-preproduction.toml"
    profile = profiles.load(example, environ=dict.fromkeys(secrets, "x"), reach=False)
    assert len(profile.accounts) == 2 and profile.clock == "aucune"
    assert profile.codes["sms"].kind == "passerelle" and profile.codes["email"].kind == "imap"


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(profiles.ProfileError, match="fichier introuvable"):
        profiles.load(tmp_path / "absent.toml")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda path: path.mkdir(), "c'est un dossier, pas un fichier"),
        (os.mkfifo, "ce n'est pas un fichier ordinaire (tube, périphérique…)"),
        (
            lambda path: path.write_bytes(b'nom = "\xe9"\n'),
            "fichier qui n'est pas en UTF-8 (octet n° 8)",
        ),
        (lambda path: path.write_bytes(b"#" * 2_000_000), "fichier trop gros (plus de 1024 Kio)"),
    ],
    ids=["dossier", "tube", "latin-1", "trop-gros"],
)
def test_a_profile_that_is_not_a_text_file_says_so(tmp_path: Path, make, message: str) -> None:
    """Neither a traceback, nor a run blocked reading a pipe."""
    path = tmp_path / "cible.toml"
    make(path)
    with pytest.raises(profiles.ProfileError) as raised:
        profiles.load(path, environ={}, reach=False)
    assert str(raised.value) == f"profil {path} : {message}"


def test_a_profile_read_from_a_device_does_not_block() -> None:
    with pytest.raises(profiles.ProfileError, match="ce n'est pas un fichier ordinaire"):
        profiles.load("/dev/zero", environ={}, reach=False)


def test_the_files_a_profile_names_are_read_beside_it(tmp_path: Path) -> None:
    """libfaketime's file and the private CA, relative to the profile's folder."""
    (tmp_path / "horloge").write_text("+0\n", encoding="utf-8")
    (tmp_path / "ca.pem").write_bytes(trustme.CA().cert_pem.bytes())
    text = GOOD.format(port=9) + FAKETIME.format("horloge") + '[reseau]\nautorite = "ca.pem"\n'
    profile = profiles.load(write(tmp_path, text), environ={"JETON_ESSAI": "x"}, reach=False)
    assert profile.clock_file == str(tmp_path / "horloge")
    assert profile.network.ca == str(tmp_path / "ca.pem")
    assert profile.declared_timeouts == {"spico": 7200}


def test_no_secret_is_shown_by_what_a_failure_may_print(tmp_path: Path) -> None:
    """Passwords and tokens come from the environment; a message printing the profile or
    one of its parts never shows them."""
    text = GOOD.format(port=9) + ACCOUNT + '[codes.sms]\nsource = "passerelle"\n'
    text += 'url = "https://sms.example.org"\njeton_env = "SMS_ESSAI"\n'
    text += '[navigateur]\nserveur = "wss://grille"\njeton_env = "GRILLE_ESSAI"\n'
    secrets = {"JETON_ESSAI": "secret-1", "MDP_ESSAI": "secret-2", "SMS_ESSAI": "secret-3"}
    secrets["GRILLE_ESSAI"] = "secret-4"
    profile = profiles.load(write(tmp_path, text), environ=secrets, reach=False)
    assert profile.accounts[0].password == "secret-2"
    assert profile.browser.headers == {"Authorization": "Bearer secret-4"}
    assert "secret-" not in repr(profile)


def test_an_unreachable_target(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.format(port=free_port()))
    with pytest.raises(profiles.ProfileError, match="cible injoignable : http://spico"):
        profiles.load(path, environ={"JETON_ESSAI": "x"})


def run_suite(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pytest", "features", "-q", "-p", "no:cacheprovider", *args]
    return subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
    )


#: The ways a user starts the suite, from the project or from the folder that holds the
#: profile (where its owner keeps secrets and client files).
PYTEST = [sys.executable, "-m", "pytest"]
LAUNCHERS = {
    "pytest": ([*PYTEST, "features"], ROOT),
    "pytest-ailleurs": ([*PYTEST, str(ROOT / "features")], None),
    "spico-audit-ailleurs": ([str(Path(sys.executable).with_name("spico-audit"))], None),
}


@pytest.mark.parametrize("launcher", list(LAUNCHERS))
@pytest.mark.parametrize("spelling", ["--cible={}", "--cible {}"])
def test_the_run_stops_before_any_browser(tmp_path: Path, launcher: str, spelling: str) -> None:
    """One line on stderr, pytest's usage error status, and not a scenario collected, however
    the profile is named and wherever the run starts."""
    port = free_port()
    path = write(tmp_path, GOOD.format(port=port))
    command, cwd = LAUNCHERS[launcher]
    result = subprocess.run(
        [*command, "-p", "no:cacheprovider", *spelling.format(path).split(" ")],
        cwd=cwd or tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "JETON_ESSAI": "x"},
    )
    assert result.returncode == 4, result.stdout + result.stderr
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    unreachable = ("http://spico.localhost", "http://pass.localhost", "http://127.0.0.1")
    assert errors == [
        f"ERROR: profil {path} : cible injoignable : {url}:{port} (connexion impossible)"
        for url in unreachable
    ]
    assert "passed" not in result.stdout and "failed" not in result.stdout


def test_every_problem_of_a_profile_is_named_one_line_each(tmp_path: Path) -> None:
    text = "couleur = 'bleu'\n" + GOOD.format(port=9).replace("http://pass", "ftp://pass")
    text = text.replace('JETON_ESSAI"', 'JETON_ABSENT"') + ACCOUNT.replace("MDP_ESSAI", "MDP_X")
    path = write(tmp_path, text)
    with pytest.raises(profiles.ProfileError) as raised:
        profiles.load(path, environ={}, reach=False)
    assert [line.split(" : ", 1)[1] for line in str(raised.value).splitlines()] == [
        "[urls] « pass » : URL invalide : 'ftp://pass.localhost:9' (attendu : http:// ou"
        " https://, avec un hôte)",
        "[controle] « jeton_env » : secret absent (variable JETON_ABSENT vide)",
        "[[comptes]] n° 1 « mot_de_passe_env » : secret absent (variable MDP_X vide)",
        "clé inconnue « couleur » (connues : appareil, codes, comptes, controle, description,"
        " libelles, navigateur, nom, parcours, reseau, temps, urls, versions)",
    ]


def test_every_problem_of_every_section_is_listed(tmp_path: Path) -> None:
    """Not the first problem of each section: all of them, wherever they are."""
    text = GOOD.format(port=9).replace('"essai"', "42").replace("http://", "ftp://")
    text += ACCOUNT.replace('"+33600000001"', "1") + OTHER.replace('"a@example.org"', '""')
    text += '[temps]\nhorloge = "reelle"\ninactivite_spico = "0 minute"\n'
    text += 'validite_code = "2 jours"\n'
    text += '[parcours]\nliste_filtree = "/p?{autre}"\nkiosque = "k"\n'
    text += '[reseau]\nhotes = "MAP * x, MAP * 10.0.0.1, MAP * y"\n'
    path = write(tmp_path, text)
    with pytest.raises(profiles.ProfileError) as raised:
        profiles.load(path, environ={"JETON_ESSAI": "x", "MDP_ESSAI": "y"}, reach=False)
    assert [line.split(" : ")[1] for line in raised.value.problems] == [
        "« nom »",
        "[urls] « spico »",
        "[urls] « pass »",
        "[controle] « url »",
        "[[comptes]] n° 1 « telephone »",
        "[[comptes]] n° 2 « email »",
        "[temps] « inactivite_spico »",
        "[temps] « validite_code »",
        "[parcours] « liste_filtree »",
        "[parcours] « kiosque »",
        "[reseau] « hotes » n° 1",
        "[reseau] « hotes » n° 3",
    ]
    assert all(line.startswith(f"profil {path} : ") for line in raised.value.problems)


@pytest.mark.lent
def test_a_load_balancers_cookie_is_not_judged_as_a_session_cookie(tmp_path: Path) -> None:
    """Behind a load balancer that sets its own persistent, readable cookie on every answer,
    the cookie checks judge the cookies that carry the sessions, and the target passes."""
    with simulator_apart(NEAR, sticky=True) as sim:
        path = write(tmp_path, profile_text(sim, "JETON_ESSAI"))
        results = tmp_path / "resultats.json"
        result = run_suite(
            f"--cible={path}",
            "-m",
            "BP-COOKIES",
            f"--resultats-json={results}",
            f"--rapport={tmp_path / 'rapport'}",
            "--perimetre=selection",
            env={"JETON_ESSAI": sim.control_token},
        )
    outcomes = json.loads(results.read_text())
    assert result.returncode == 0, result.stdout[-2000:]
    assert [r["outcome"] for r in outcomes.values()] == ["passed"], outcomes
    report = (tmp_path / "rapport" / "rapport.html").read_text()
    assert "non jugés, car posés avant la connexion et inchangés : SERVERID" in report


@pytest.mark.lent
def test_inactivity_in_real_time_against_a_target_that_declares_a_short_timeout(
    tmp_path: Path,
) -> None:
    """A target whose SPICO ends sessions after 1 minute stands for the guide's 2 hours:
    "2 heures et 1 seconde" becomes 60.008 s, really waited. Only the scenarios that check
    after the deadline: "1 heure 59 minutes" would leave half a second before it, less than
    a check and its screen take (a real target declares minutes, see the README)."""
    options = ("--spico-idle", "60s")
    with simulator_process([], options=options) as sim:
        path = write(
            tmp_path,
            f'nom = "préproduction"\n[urls]\nspico = "{sim.public["spico"]}"\n'
            f'pass = "{sim.public["pass"]}"\n'
            f'[controle]\nurl = "{sim.internal["control"]}"\njeton_env = "JETON_ESSAI"\n'
            '[temps]\nhorloge = "reelle"\ninactivite_spico = "1 minute"\n',
        )
        results = tmp_path / "resultats.json"
        result = run_suite(
            f"--cible={path}",
            "-m",
            "EXI-WEB-INACTIVITE",
            "-k",
            "terminée or onglets",
            "-n",
            "2",
            f"--resultats-json={results}",
            f"--rapport={tmp_path / 'rapport'}",
            "--perimetre=selection",
            env={"JETON_ESSAI": sim.control_token},
        )
        control = Control(sim.internal["control"], sim.control_token)
        moved = control.status()["offset"]  # the target's clock was never moved
        control.close()
    outcomes = json.loads(results.read_text())
    failed = {name: r["message"] for name, r in outcomes.items() if r["outcome"] == "failed"}
    assert result.returncode == 0 and not failed, failed or result.stdout[-2000:]
    assert len(outcomes) == 2 and {r["outcome"] for r in outcomes.values()} == {"passed"}
    assert moved == 0
    report = (tmp_path / "rapport" / "rapport.html").read_text(encoding="utf-8")
    assert "réel, attendu : la cible déclare inactivité SPICO 1 minute" in report
    # what a CI log shows: the plan at the start, each wait as it starts; the report, each
    # wait from when to when
    assert "temps réel : 2 scénario(s) attendent" in result.stdout
    assert "elles attendent en même temps" in result.stdout
    assert result.stdout.count("attente réelle de 1 minute, de ") == 2, result.stdout[-2000:]
    assert "Le temps a passé pour de vrai" in report


@contextlib.contextmanager
def browser_server(log: Path) -> Iterator[str]:
    """``playwright run-server`` on a free port, as a browser grid's node; yields its
    ``ws://`` endpoint. Its own process group, so its Node driver and browsers stop with it."""
    port = free_port()
    command = [sys.executable, "-m", "playwright", "run-server", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--unsafe"]  # --unsafe: the client names the Chromium
    with log.open("w") as output:
        server = subprocess.Popen(
            command,
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, "DEBUG": "pw:server"},
            start_new_session=True,
            preexec_fn=die_with_parent,
        )
    try:
        if not poll(
            lambda: "Listening" in log.read_text(), 30, worth_waiting=lambda: server.poll() is None
        ):
            pytest.fail(f"playwright run-server ne démarre pas : {log.read_text()[-1000:]}")
        yield f"ws://127.0.0.1:{port}/"
    finally:
        stop_group(server)


@pytest.mark.lent
def test_web_scenarios_run_in_the_profiles_browser_server(tmp_path: Path) -> None:
    """The browsers are the server's; closing the whole window stays on this machine."""
    log = tmp_path / "serveur-navigateurs.log"
    with simulator_process([]) as sim, browser_server(log) as endpoint:
        path = write(
            tmp_path,
            profile_text(sim, "JETON_ESSAI")
            + f'[navigateur]\nserveur = "{endpoint}"\n'
            + f'executable = "{find_chromium(headless=True)}"\n',
        )
        results = tmp_path / "resultats.json"
        result = run_suite(
            f"--cible={path}",
            "-m",
            "EXI-WEB-ACCES or EXI-WEB-FERMETURE",
            f"--resultats-json={results}",
            env={"JETON_ESSAI": sim.control_token},
        )
    outcomes = json.loads(results.read_text())
    assert result.returncode == 0, result.stdout[-2000:]
    assert {r["outcome"] for r in outcomes.values()} == {"passed"} and len(outcomes) == 5
    assert "engaged launch mode" in log.read_text(), "aucun navigateur lancé par le serveur"


@pytest.mark.lent
def test_accounts_codes_and_clock_as_a_real_target_declares_them(tmp_path: Path) -> None:
    """The profile's own accounts (one per process), SMS codes from the operator's API, e-mail
    codes from an IMAP mailbox (the simulator's mail relayed to a mail provider), and a clock
    that cannot be moved: scenarios that need to move it are reported, not run."""
    with contextlib.ExitStack() as stack:
        imap_url = stack.enter_context(mail_provider.imap_server())
        relay = stack.enter_context(mail_provider.smtp_into(imap_url))
        relayed = ("--relais-smtp", "{}:{}".format(*relay))
        sim = stack.enter_context(simulator_process([], options=relayed))
        control = Control(sim.internal["control"], sim.control_token)
        accounts = [control.new_account() for _ in range(2)]
        control.close()
        text = GOOD.format(port=0).split("[urls]")[0]
        text += f'[urls]\nspico = "{sim.public["spico"]}"\npass = "{sim.public["pass"]}"\n'
        text += f'[controle]\nurl = "{sim.internal["control"]}"\njeton_env = "JETON_ESSAI"\n'
        for number, account in enumerate(accounts):
            text += (
                f'[[comptes]]\nidentifiant = "{account.identifier}"\n'
                f'mot_de_passe_env = "MDP_{number}"\n'
                f'nom = "{account.display_name}"\nemail = "{account.email}"\n'
                f'telephone = "{account.phone}"\n'
            )
        text += f'[codes.sms]\nsource = "passerelle"\nurl = "{sim.internal["sms"]}/messages"\n'
        text += (
            f'[codes.email]\nsource = "imap"\nurl = "{imap_url}"\n'
            f'utilisateur = "{mail_provider.USER}"\nmot_de_passe_env = "MDP_BOITE"\n'
        )
        text += '[temps]\nhorloge = "aucune"\n'
        results = tmp_path / "resultats.json"
        secrets = {f"MDP_{n}": a.password for n, a in enumerate(accounts)}
        secrets["MDP_BOITE"] = mail_provider.PASSWORD
        result = run_suite(
            f"--cible={write(tmp_path, text)}",
            "-m",
            "web and (EXI-WEB-ACCES or BP-OTP or EXI-WEB-INACTIVITE)",
            "-n",
            "2",
            f"--resultats-json={results}",
            env={"JETON_ESSAI": sim.control_token, **secrets},
        )
    outcomes = json.loads(results.read_text())
    failed = {name: r["message"] for name, r in outcomes.items() if r["outcome"] == "failed"}
    assert result.returncode == 0 and not failed, failed or result.stdout[-2000:]
    ran = {name for name, r in outcomes.items() if r["outcome"] == "passed"}
    # the direct link scenario signs in with a code received by SMS: read from the gateway;
    # the kiosk scenario with a code received by e-mail: read from the IMAP mailbox
    assert any("un_lien_direct" in name for name in ran), ran
    assert any("du_kiosque_des_services" in name for name in ran), ran
    skipped = {r["message"] for r in outcomes.values() if r["outcome"] == "skipped"}
    assert skipped == {
        "non exécuté : le profil de la cible ne permet pas de déplacer son horloge"
    }, skipped


def test_a_real_phone_profile(tmp_path: Path) -> None:
    """Real devices are configuration here: checked, turned into Appium capabilities."""
    from fixtures.phone import remote_capabilities

    text = GOOD.format(port=9) + (
        '[appareil]\nappium = "https://ferme.example.org/wd/hub"\nplateforme = "ios"\n'
        'capacites = { "appium:udid" = "00008110", "appium:noReset" = false }\n'
    )
    device = profiles.load(write(tmp_path, text), {"JETON_ESSAI": "x"}, reach=False).device
    assert remote_capabilities(device) == {
        "platformName": "iOS",
        "appium:automationName": "XCUITest",
        "browserName": "Safari",
        "appium:noReset": False,
        "appium:udid": "00008110",
    }
    bad = text.replace('plateforme = "ios"', 'plateforme = "windows"')
    with pytest.raises(profiles.ProfileError, match="« plateforme » : doit valoir android ou ios"):
        profiles.load(write(tmp_path, bad), {"JETON_ESSAI": "x"}, reach=False)


def test_an_sms_operator_that_cannot_be_read_says_why() -> None:
    url = f"http://127.0.0.1:{free_port()}/messages"
    with pytest.raises(CodeNotRead, match=r"passerelle SMS .* illisible"):
        GatewayInbox(profiles.CodeSource("passerelle", url)).codes("+33600000001")
