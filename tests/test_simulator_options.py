"""The simulator's and the real stack's command lines refuse bad input before anything
starts: one French line per problem, exit status 4 (the product's usage status, pytest's
UsageError), no traceback, nothing written in the current folder nor in the temporary one,
and at once. The real stack refuses its options before it even looks at its Debian
packages: its rows also run as on a machine without one of them."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from realstack import apache, django_app, llng
from realstack.stack import STACKS
from simulator import faults
from simulator.__main__ import read_command_line
from simulator.command_line import USAGE_STATUS, UsageError

#: Refusing takes well under a second; anything that starts a server would not end at all.
SECONDS = 20
#: A Python run as ``python -m realstack`` on a machine without one of the stack's Debian
#: packages, and without root to install it.
WITHOUT_PACKAGE = """
import os, pathlib, runpy
from realstack import stack
stack.PACKAGES["paquet-absent"] = pathlib.Path("/nulle/part")
os.geteuid = lambda: 1000
runpy.run_module("realstack", run_name="__main__", alter_sys=True)
"""
PASSWD_LINE = "root:x:0:0"
PERIOD = "N+1 à N+9 doivent rester entre 1 et 65535"
PORT = "attendu un port entre 1 et 65535, ou 0 (libre)"
PATIENTS = "attendu entre 1 et 1 000 000"
ORIGIN = "attendu une origine http:// ou https://"
RELAY = "attendu HÔTE:PORT, le port entre 1 et 65535"
IDLE = "attendu entre 1 s et 168 h"
REFUSED = "directive refusée, elle lirait un autre fichier, lancerait un programme"
KEY = "clé vide ou incomplète"


def row(*args: str, env: dict[str, str] | None = None, said: tuple[str, ...] = ()):
    """A refused command line: its arguments, its environment, and what each of its lines
    says (one French line per problem, in that order)."""
    return pytest.param(args, env or {}, said, id=" ".join(args) or str(env))


SIMULATOR = [
    row("--base-port", "99999", said=(f"--base-port « 99999 » : les ports {PERIOD}",)),
    row("--base-port", "65527", said=("N entre 1 et 65526, ou 0 pour des ports libres",)),
    row("--base-port", "-1", said=(f"--base-port « -1 » : les ports {PERIOD}",)),
    row("--base-port", "abc", said=("--base-port « abc » : attendu un nombre entier",)),
    row("--database", "/etc/passwd", said=("« /etc/passwd » : ce n'est pas une base SQLite",)),
    row("--database", "texte.txt", said=("« texte.txt » : ce n'est pas une base SQLite",)),
    row("--database", "dossier", said=("« dossier » : c'est un dossier, pas un fichier SQLite",)),
    row("--database", "/dev/null", said=("ce n'est pas un fichier ordinaire",)),
    row("--database", "absent/base.db", said=("/absent » n'existe pas",)),
    row("--database", "/etc/passwd/base.db", said=("« /etc/passwd » n'est pas un dossier",)),
    row("--database", "etrangere.db", said=("ce n'est pas une base du simulateur",)),
    row("--database", "ancienne.db", said=("base d'une autre version du simulateur",)),
    row("--database", "abimee.db", said=("base SQLite illisible",)),
    row("--database", "", said=("attendu le chemin d'un fichier SQLite, ou :memory:",)),
    row("--defaut", "inexistant", said=("--defaut : défaut inconnu « inexistant » ;",)),
    row("--fault", "a", "--fault", "b", said=("défauts inconnus « a », « b » ; défauts connus",)),
    row(env={"SPICO_SIM_FAULTS": "inexistant"}, said=("SPICO_SIM_FAULTS : défaut inconnu",)),
    row("--patients", "-1", said=(f"--patients « -1 » : {PATIENTS}",)),
    row("--patients", "0", said=(f"--patients « 0 » : {PATIENTS}",)),
    row("--patients", "1000000000", said=(PATIENTS,)),
    row("--cout-scrypt", "9", said=("--cout-scrypt « 9 » : attendu entre 10 et 14",)),
    row("--cout-scrypt", "15", said=("--cout-scrypt « 15 » : attendu entre 10 et 14",)),
    row("--spico-idle", "0", said=(f"--spico-idle « 0 » : {IDLE}",)),
    row("--spico-idle", "169h", said=(IDLE,)),
    row("--pass-idle", "abc", said=("--pass-idle « abc » : durée invalide (exemples : 7200s",)),
    row("--public-spico-url", "ftp://spico", said=(ORIGIN,)),
    row("--public-spico-url", "spico.example.org", said=(ORIGIN,)),
    row("--public-pass-url", "http://pass:99999", said=(ORIGIN,)),
    row("--public-mobile-url", "http://app/chemin", said=("ni chemin ni paramètres",)),
    row(
        "--public-spico-url",
        "http://spico.example.org\nX-Injecte: 1",
        said=("« http://spico.example.org\\nX-Injecte: 1 » : espace ou caractère de contrôle",),
    ),
    row("--relais-smtp", "relais", said=(f"--relais-smtp « relais » : {RELAY}",)),
    row("--relais-smtp", "relais:99999", said=(RELAY,)),
    row("--relais-smtp", ":25", said=(RELAY,)),
    row("--seed", "graine", said=("--seed « graine » : attendu un nombre entier",)),
    row("--bind", "partout", said=("--bind « partout » : attendu une adresse IPv4",)),
    row(env={"SPICO_SIM_CONTROL_TOKEN": "jeton secret"}, said=("jeton invalide",)),
    row("--inconnue", "valeur", said=("option inconnue « --inconnue »", "argument inattendu")),
    row("--patients", said=("l'option --patients attend une valeur",)),
    row("--json=oui", said=("l'option --json ne prend pas de valeur (« oui »)",)),
    row("--p", "1", said=("l'option --p est ambiguë (--public-pass-url",)),
    row(
        "--zut",
        "--base-port",
        "99999",
        "--patients",
        "0",
        "--defaut",
        "inexistant",
        "--database",
        "/etc/passwd",
        said=("--zut", "--base-port", "--database", "--patients", "--defaut"),
    ),
]

INCLUDE = row("--apache", "Include /etc/passwd", said=(f"« Include /etc/passwd » : {REFUSED}",))
NO_VALUE = row("--apache", said=("l'option --apache attend une valeur",))
EVERY_KIND = row(
    *("--apache", "", "--llng", "cle", "--variante", "x", "--port-pass", "-1", "--zut"),
    said=("--zut", "--apache", "--llng", "--variante", "--port-pass"),
)
#: Between them, every kind of check of the real stack's command line.
BEFORE_PACKAGES = [INCLUDE, NO_VALUE, EVERY_KIND]
REALSTACK = [
    row("--apache", "", said=("--apache «  » : directive vide",)),
    row("--apache", "  ", said=("directive vide",)),
    INCLUDE,
    row("--apache", "include /etc/passwd", said=(REFUSED,)),
    row("--apache", "IncludeOptional /etc/apache2/*.conf", said=(REFUSED,)),
    row("--apache", "LoadModule x_module /tmp/x.so", said=(REFUSED,)),
    row("--apache", "LoadFile /tmp/x.so", said=(REFUSED,)),
    row("--apache", "ErrorLog |/bin/sh", said=(REFUSED,)),
    row("--apache", "OIDCHTMLErrorTemplate /etc/passwd", said=(REFUSED,)),
    row("--apache", "SSLCertificateFile /etc/passwd", said=(REFUSED,)),
    row("--apache", "Header set X expr=%{file:/etc/passwd}", said=(REFUSED,)),
    row("--apache", "Require expr file('/etc/passwd') =~ /root/", said=(REFUSED,)),
    row("--apache", "OIDCProviderMetadataURL file:///etc/passwd", said=(REFUSED,)),
    row("--apache", "OIDCCryptoPassphrase exec:/bin/cat /etc/shadow", said=(REFUSED,)),
    row("saml", "--apache", "MellonIdPMetadataFile /etc/passwd", said=(REFUSED,)),
    row("--apache", "<Location /x>", said=("une section (<Location>, <If>…)",)),
    row("--apache", "# commentaire", said=("« # » n'est pas un nom de directive Apache",)),
    row("--apache", "Header set X 1\nInclude /etc/passwd", said=("tient sur une ligne",)),
    row("--apache", "Header set X 1 \\", said=("tient sur une ligne",)),
    row("--llng", "a/b/=x", said=(f"--llng « a/b/=x » : {KEY}",)),
    row("--llng", "a//b=x", said=(KEY,)),
    row("--llng", "=x", said=(f"--llng « =x » : {KEY}",)),
    row("--llng", "cle", said=("--llng « cle » : attendu CLÉ=VALEUR",)),
    row("--llng", "cle={mauvais json", said=("commence comme du JSON mais n'en est pas",)),
    row("--llng", "cle=[1,", said=("commence comme du JSON",)),
    row("--llng", "cle\nautre=1", said=("caractère de contrôle dans la clé",)),
    row(
        "--variante",
        "inconnue",
        said=("variante inconnue pour la pile oidc ; variantes connues : inactivite-8h",),
    ),
    row("saml", "--variante", "cookie-lisible", said=("inconnue pour la pile saml",)),
    row("autre", said=("pile « autre » : pile inconnue ; piles connues : oidc, saml, django",)),
    row("saml", "--django", "DEBUG=True", said=("--django : la pile saml n'en a pas l'usage",)),
    row("django", "--apache", "Header set X 1", said=("--apache : la pile django n'en a pas",)),
    row("django", "--django", "debug=True", said=("--django « debug=True » :",)),
    row("django", "--django", "DEBUG=os.system('id')", said=("--django « DEBUG=os.system",)),
    row("--port-pass", "70000", said=(f"--port-pass « 70000 » : {PORT}",)),
    row("--port-spico", "abc", said=("--port-spico « abc » : attendu un nombre entier",)),
    row("--port-pass", "9443", "--port-spico", "9443", said=("le même port (9443)",)),
    row("--patients", "0", said=(f"--patients « 0 » : {PATIENTS}",)),
    row("--inconnue", said=("option inconnue « --inconnue »",)),
    NO_VALUE,
    EVERY_KIND,
]


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """The current folder of the command, with a file of each kind --database refuses,
    and its temporary folder (TMPDIR)."""
    here, temporary = tmp_path / "courant", tmp_path / "tmp"
    (here / "dossier").mkdir(parents=True)
    temporary.mkdir()
    (here / "texte.txt").write_text("pas une base\n")
    (here / "abimee.db").write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    for name, table in (("etrangere.db", "clients(nom)"), ("ancienne.db", "meta(key)")):
        with sqlite3.connect(here / name) as conn:
            conn.execute(f"CREATE TABLE {table}")
        conn.close()
    return here, temporary


def digest(folder: Path) -> str:
    """Every file and folder under ``folder``: names, contents."""
    hashed = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        hashed.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            hashed.update(path.read_bytes())
    return hashed.hexdigest()


def refused(command: list[str], env: dict[str, str], folders: tuple[Path, Path]) -> str:
    """Run ``command``; check it is refused as a usage error; what it printed."""
    here, temporary = folders
    before = digest(here.parent)
    done = subprocess.run(
        command,
        cwd=here,
        env={**os.environ, "SPICO_SIM_FAULTS": "", "TMPDIR": str(temporary), **env},
        capture_output=True,
        text=True,
        timeout=SECONDS,
    )
    assert done.returncode == USAGE_STATUS, done.stderr
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert PASSWD_LINE not in done.stderr
    assert digest(here.parent) == before
    return done.stderr


def assert_said(stderr: str, prefix: str, said: tuple[str, ...], env: dict[str, str]) -> None:
    lines = stderr.splitlines()
    assert len(lines) == len(said), stderr
    for line, words in zip(lines, said, strict=True):
        assert line.startswith(prefix) and words in line, line
    for secret in (value for name, value in env.items() if name.endswith("TOKEN")):
        assert secret not in stderr


@pytest.mark.parametrize(("args", "env", "said"), SIMULATOR)
def test_the_simulator_refuses(args, env, said, folders) -> None:
    stderr = refused([sys.executable, "-m", "simulator", *args], env, folders)
    assert_said(stderr, "simulateur : ", said, env)


@pytest.mark.parametrize(("args", "env", "said"), REALSTACK)
def test_the_real_stack_refuses(args, env, said, folders) -> None:
    stderr = refused([sys.executable, "-m", "realstack", *args], env, folders)
    assert_said(stderr, "pile : ", said, env)


@pytest.mark.parametrize(("args", "env", "said"), BEFORE_PACKAGES)
def test_the_real_stack_refuses_before_looking_at_its_packages(args, env, said, folders):
    stderr = refused([sys.executable, "-c", WITHOUT_PACKAGE, *args], env, folders)
    assert_said(stderr, "pile : ", said, env)


def test_without_a_package_a_good_command_line_is_told_so(folders) -> None:
    """What the rows above rely on: this machine, as WITHOUT_PACKAGE makes it, has no stack."""
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_PACKAGE, "--json", "--variante", "inactivite-8h"],
        cwd=folders[0],
        capture_output=True,
        text=True,
        timeout=SECONDS,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("pile : paquet Debian manquant : paquet-absent")


def test_the_list_of_faults_still_answers() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "simulator", "--liste-defauts"],
        capture_output=True,
        text=True,
        timeout=SECONDS,
    )
    assert done.returncode == 0
    assert all(name in done.stdout for name in faults.CATALOG)


def test_good_values_at_their_limits_are_taken(tmp_path: Path) -> None:
    (tmp_path / "vide.db").touch()
    for database in (":memory:", str(tmp_path / "vide.db"), str(tmp_path / "nouvelle.db")):
        args = [
            *("--base-port", "65526", "--patients", "1000000", "--seed", "-3"),
            *("--spico-idle", "1s", "--pass-idle", "168h", "--bind", "0.0.0.0"),
            *("--public-spico-url", "HTTPS://spico.example.org:8443/", "--database", database),
            *("--relais-smtp", "relais.example.org:25", "--defaut", "expiration-3h"),
            *("--cout-scrypt", "10"),
        ]
        environment = {"SPICO_SIM_FAULTS": "pages-en-cache,", "SPICO_SIM_CONTROL_TOKEN": "a-b~c/="}
        _, settings = read_command_line(args, environment)
        assert settings.ports["control"] == 65535 and settings.smtp_port == 65530
        assert (settings.spico_idle_seconds, settings.pass_idle_seconds) == (1, 168 * 3600)
        assert settings.public_urls == {"spico": "https://spico.example.org:8443"}
        assert settings.smtp_relay == ("relais.example.org", 25)
        assert settings.faults == {"expiration-3h", "pages-en-cache"}
        assert settings.control_token == "a-b~c/="
        assert settings.database == database
        assert settings.scrypt_cost == 10
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vide.db"]


def test_free_ports_are_taken() -> None:
    _, settings = read_command_line(["--base-port", "0"], {})
    assert set(settings.ports.values()) == {0} and settings.smtp_port == 0


def test_every_problem_is_found_not_only_the_first() -> None:
    with pytest.raises(UsageError) as refusal:
        read_command_line(["--patients", "x", "--seed", "y", "--spico-idle", "z"], {})
    assert len(refusal.value.problems) == 3


def test_the_stacks_own_settings_pass_its_checks() -> None:
    """The variants, and what tests/test_realstack.py passes, are still taken."""
    variants = [variant for side in STACKS.values() for variant in side.variants.values()]
    directives = [d for variant in variants for d in variant.changes.apache]
    keys = [k for variant in variants for k in variant.changes.llng]
    settings = [s for variant in variants for s in variant.changes.django]
    assert [django_app.check_setting(s)[0] for s in settings] == [s.split("=")[0] for s in settings]
    directives += ["Header always set X-Pile reference", "OIDCCookiePath /"]
    keys += ['oidcRPMetaDataExportedVars/spico/family_name="cn"', "timeoutActivity=600"]
    assert [apache.check_directive(d) for d in directives] == directives
    assert llng.parse_override("a/b=") == (["a", "b"], "")
    assert llng.parse_override('a={"b": [1]}') == (["a"], {"b": [1]})
    assert llng.parse_override("texte=du texte") == (["texte"], "du texte")
    for key in keys:
        llng.parse_override(key)


def test_a_key_through_a_value_is_one_french_line() -> None:
    with pytest.raises(ValueError, match="« timeoutActivity » n'est pas un objet JSON"):
        llng._set({"timeoutActivity": 14400}, ["timeoutActivity", "x"], 1)


def test_apache_is_quoted_only_on_the_gates_own_file(tmp_path: Path) -> None:
    """An error Apache reports in another file could quote that file: it is not shown."""
    path, text = tmp_path / "apache2.conf", "ServerName x\nFrobnicate 1\n"
    ours = f"AH00526: Syntax error on line 2 of {path}:\nInvalid command 'Frobnicate', perhaps"
    other = "AH00526: Syntax error on line 1 of /etc/passwd:\nInvalid command 'root:x:0:0:root'"
    assert apache._refused(ours, path, text, ["Frobnicate 1"]) == (
        "Frobnicate 1",
        "Invalid command 'Frobnicate', perhaps",
    )
    assert apache._refused(other, path, text, ["Frobnicate 1"]) == (None, "")


@pytest.mark.pile_reelle
def test_a_directive_apache_refuses_is_named_in_one_line() -> None:
    """Apache's own verdict comes once the stack starts (apache2 -t on the gate's file):
    one line naming the directive, everything stopped."""
    done = subprocess.run(
        [sys.executable, "-m", "realstack", "--json", "--apache", "Frobnicate 1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if "paquet Debian manquant" in done.stderr:
        pytest.skip(done.stderr.strip())
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith("pile : Apache refuse « Frobnicate 1 » : Invalid command")
    assert len(done.stderr.splitlines()) == 1
