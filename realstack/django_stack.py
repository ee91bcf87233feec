"""The Django stack's SPICO (``./dev pile django``): no gate, an application with its own
sessions (``realstack/django_spico``), Django's, in a database of the run folder, signed in
through PASS's CAS server (django-cas-ng) and served by gunicorn over HTTPS. Its session is
SPICO's session: Django's cookie, its 2 sliding hours, its logout (CAS logout, which ends
PASS's session too), and PASS's logout reaching it server to server (CAS back-channel).
"""

from __future__ import annotations

import secrets
import subprocess

from . import django_app
from .base import Changes, Context, Spico, Variant
from .profile_file import PYPI
from .servers import StackError, https_get, last_line

name = "django"
title = "Pile Django (LemonLDAP::NG 2.16 CAS + Django et django-cas-ng)"
description = (
    "Pile Django : LemonLDAP::NG (PASS, serveur CAS) derrière nginx ; SPICO, une application"
    " Django à sessions propres (base de données) connectée par django-cas-ng et servie par"
    " gunicorn, paquets Debian pour PASS, PyPI pour SPICO"
)
#: Django, django-cas-ng and gunicorn are the project's own Python dependencies (PyPI):
#: nothing to install from Debian beyond what every stack needs.
packages: dict = {}
versioned = {
    "Django": PYPI + "django",
    "django-cas-ng": PYPI + "django-cas-ng",
    "gunicorn": PYPI + "gunicorn",
}
overrides = frozenset({"django", "llng"})
CAS_PATH = "/cas/"

variants = {
    "cookie-lisible": Variant(
        Changes(django=("SESSION_COOKIE_HTTPONLY=False",)),
        "BP-COOKIES",
        "le cookie de session de Django est lisible par les scripts de la page",
    ),
    "inactivite-8h": Variant(
        Changes(django=("SESSION_COOKIE_AGE=28800",)),
        "EXI-WEB-INACTIVITE",
        "Django garde la session 8 heures d'inactivité au lieu de 2",
        also_breaks={
            "BP-RETOUR-ARRIERE": "une session qui survit à 2 heures revient par Précédent",
        },
    ),
    "session-non-glissante": Variant(
        Changes(django=("SESSION_SAVE_EVERY_REQUEST=False",)),
        "EXI-WEB-INACTIVITE",
        "le réglage par défaut de Django : la session n'est enregistrée, donc ses 2 heures"
        " recomptées, que lorsqu'elle change (à la connexion) ; une action ne relance pas le"
        " décompte du serveur",
    ),
    "sans-propagation": Variant(
        Changes(llng=("casBackChannelSingleLogout=0",)),
        "BP-PROPAGATION-SSO",
        "PASS ne prévient plus SPICO quand on se déconnecte de PASS",
        # its expiry scenario fails on the compliant stack too: the logout one tells them apart
        scenarios="BP-PROPAGATION-SSO and not horloge",
    ),
}


def pass_keys(context: Context) -> dict:
    context.secrets = {"secret_key": secrets.token_urlsafe(40)}
    return django_app.cas_keys(context.spico_url)


def start(context: Context) -> Spico:
    folder = context.folder / "django"
    folder.mkdir()
    log = folder / "gunicorn.log"
    env = {
        # its ticket checks call PASS by name, trusting the stack's CA
        **context.calling_env,
        "REQUESTS_CA_BUNDLE": str(context.tls.ca),
        **django_app.environment(
            context.secrets["secret_key"],
            context.spico_host,
            context.pass_url + CAS_PATH,
            folder / "spico.sqlite3",
            context.patients,
            # the sessions' age and the screen's timer: the policy the stack is started with
            context.policy.spico_idle,
            list(context.changes.django),
        ),
    }
    try:
        django_app.migrate(env, log)
    except subprocess.CalledProcessError:
        raise StackError(
            f"la base de l'application Django ne se crée pas : {last_line(log)}"
        ) from None
    port = context.spico_port
    command = django_app.gunicorn_command(port, context.tls.cert, context.tls.key, folder)
    context.servers.start("l'application SPICO (Django, gunicorn)", command, log, env)

    def signs_in_through_pass() -> bool:
        answer = https_get(context.client, port, context.spico_host, "/")
        return answer.status_code == 302 and answer.headers["location"].startswith(
            django_app.LOGIN_PATH
        )

    context.servers.wait("l'application SPICO (Django, gunicorn)", signs_in_through_pass, log)
    return Spico(
        context.spico_url + django_app.LOGOUT_PATH.lstrip("/"),
        urls={"cas": context.pass_url + CAS_PATH},
    )
