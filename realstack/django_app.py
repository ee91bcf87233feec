"""The Django stack's SPICO application as the launcher starts it (``realstack/django_spico``):
its settings given on the command line (``--django NAME=VALUE``) and the environment that
carries them to its settings module, its database made before it starts, gunicorn's command,
and the CAS keys PASS needs for it.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

SETTINGS_MODULE = "realstack.django_spico.settings"
#: What the settings module reads (``realstack/django_spico/settings.py``).
SECRET_ENV = "REALSTACK_DJANGO_CLE"
HOST_ENV = "REALSTACK_DJANGO_HOTE"
CAS_ENV = "REALSTACK_DJANGO_CAS"
DATABASE_ENV = "REALSTACK_DJANGO_BASE"
PATIENTS_ENV = "REALSTACK_DJANGO_PATIENTS"
IDLE_ENV = "REALSTACK_DJANGO_INACTIVITE"
#: The ``--django`` texts, a JSON list, applied after every other setting.
OVERRIDES_ENV = "REALSTACK_DJANGO_REGLAGES"
#: Where SPICO signs in (django-cas-ng's view, which also takes PASS's back-channel logout
#: requests) and logs out.
LOGIN_PATH = "/connexion/"
LOGOUT_PATH = "/deconnexion/"
#: PASS's name for SPICO among its CAS applications.
CAS_APP = "spico"
#: Sync workers: two, so that while one waits on PASS (a ticket's validation) the other
#: still serves pages and PASS's back-channel logout requests.
WORKERS = 2

_NAME = re.compile(r"[A-Z][A-Z0-9_]*")


def check_setting(text: str) -> tuple[str, object]:
    """``NAME=VALUE`` → (NAME, value): any Django setting, its value read as a Python
    literal. Raises ValueError (French) for anything else."""
    name, sep, raw = text.partition("=")
    name = name.strip()
    if not sep:
        raise ValueError("attendu RÉGLAGE=VALEUR (valeur en littéral Python : 7200, True, 'Lax')")
    if not _NAME.fullmatch(name):
        raise ValueError("un réglage Django s'écrit en majuscules (SESSION_COOKIE_AGE)")
    try:
        return name, ast.literal_eval(raw.strip())
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        raise ValueError(
            "la valeur n'est pas un littéral Python (nombre, chaîne entre guillemets, True,"
            " False, None, liste, dictionnaire)"
        ) from None


def cas_keys(service_url: str) -> dict:
    """LemonLDAP::NG as CAS server, SPICO its one application (every service URL under
    ``service_url``): the user's uid and name given at ticket validation, and at PASS's
    logout a CAS logout request posted to SPICO, server to server."""
    return dict(
        issuerDBCASActivation=1,
        casBackChannelSingleLogout=1,
        casAccessControlPolicy="none",
        casAppMetaDataOptions={CAS_APP: {"casAppMetaDataOptionsService": service_url}},
        casAppMetaDataExportedVars={CAS_APP: {"uid": "uid", "cn": "cn"}},
    )


def environment(
    secret: str,
    host: str,
    cas_url: str,
    database: Path,
    patients: int,
    idle_seconds: int,
    overrides: list[str],
) -> dict[str, str]:
    """What the settings module reads, as environment variables."""
    return {
        "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
        SECRET_ENV: secret,
        HOST_ENV: host,
        CAS_ENV: cas_url,
        DATABASE_ENV: str(database),
        PATIENTS_ENV: str(patients),
        IDLE_ENV: str(idle_seconds),
        OVERRIDES_ENV: json.dumps(overrides),
    }


def migrate(env: dict[str, str], log: Path) -> None:
    """The database's tables (sessions, users, CAS tickets), made before gunicorn starts;
    CalledProcessError if Django could not. Without the system checks, which would load the
    pages and seed the patients for nothing."""
    command = [sys.executable, "-m", "django", "migrate", "--noinput", "-v", "0", "--skip-checks"]
    with open(log, "ab") as sink:
        subprocess.run(command, env=env, stdout=sink, stderr=subprocess.STDOUT, check=True)


def gunicorn_command(port: int, cert: Path, key: Path, folder: Path) -> list[str]:
    """gunicorn over HTTPS on loopback, its access log in ``folder``; no control socket,
    which it would otherwise open under ~/.gunicorn, outside the run folder."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "realstack.django_spico.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--worker-class",
        "sync",
        "--no-control-socket",
        "--certfile",
        str(cert),
        "--keyfile",
        str(key),
        "--access-logfile",
        str(folder / "acces.log"),
    ]
