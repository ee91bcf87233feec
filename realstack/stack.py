"""A real stack, started and stopped as one: PASS (LemonLDAP::NG behind nginx), one SPICO
(``STACKS``: a gate speaking OpenID Connect or SAML in front of the patient application, or
a Django application with its own sessions speaking CAS), and where PASS's one-time codes go:
the mail provider (SMTP into IMAP) and an SMS operator's gateway. Every file under one run
folder, every server on a loopback port, every process in a group of its own, stopped on
exit whatever happens.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from processes.ports import free_ports

from . import certs, django_stack, llng, mail, oidc, pass_portal, profile_file, saml, sms
from .base import Changes, Context, Side, Variant
from .faketime_shared import shared_state
from .profile_file import Policy
from .servers import KEEP_ENV, Servers, StackError, calling_env, clock_env, service_user
from .servers import PACKAGES as SERVER_PACKAGES

DOMAIN = "esante-occitanie.localhost"
PASS_HOST = f"pass.{DOMAIN}"
SPICO_HOST = f"spico.{DOMAIN}"
#: Chromium's --host-resolver-rules: every host of the stack on loopback.
RESOLUTION = f"MAP *.{DOMAIN} 127.0.0.1"
PATIENTS = 200
#: The stacks, by the name ``./dev pile`` takes; the first is the default.
STACKS: dict[str, Side] = {side.name: side for side in (oidc, saml, django_stack)}
DEFAULT = "oidc"

#: What every stack needs, Debian package → a file it installs (cheaper than asking dpkg at
#: every start); each stack's SPICO adds its own (``Side.packages``).
PACKAGES = {
    "lemonldap-ng": llng.DEBIAN_CONF,
    "lemonldap-ng-fastcgi-server": llng.FASTCGI_SERVER,
    "nginx": Path("/usr/sbin/nginx"),
    **SERVER_PACKAGES,  # the clock, the host names
    # Only "Recommends" of lemonldap-ng, so absent after --no-install-recommends, and then
    # the portal does not start (String::Random) or Mail2F fails to load (the other two).
    "libstring-random-perl": Path("/usr/share/perl5/String/Random.pm"),
    "libmime-tools-perl": Path("/usr/share/perl5/MIME/Entity.pm"),
    "libemail-sender-perl": Path("/usr/share/perl5/Email/Sender/Simple.pm"),
    # The portal always loads its captcha module, GD::SecurityImage with use_magick: once
    # libgd-securityimage-perl (a Recommends) is there, Image::Magick (a Suggests) must be.
    "libimage-magick-perl": Path("/usr/share/perl5/Image/Magick.pm"),
    # PASS's accounts are a SQLite table (llng.users_keys)
    "libdbd-sqlite3-perl": Path("/usr/lib/x86_64-linux-gnu/perl5/5.36/DBD/SQLite.pm"),
}
#: The parts every stack's report names with their versions (PASS's).
VERSIONED = {"LemonLDAP::NG": "lemonldap-ng", "nginx": "nginx"}


@dataclass
class Options:
    stack: str = DEFAULT
    apache: list[str] = field(default_factory=list)
    llng: list[str] = field(default_factory=list)
    django: list[str] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)
    pass_port: int = 0
    spico_port: int = 0
    patients: int = PATIENTS
    policy: Policy = field(default_factory=Policy)


# --- packages -----------------------------------------------------------------------------


def packages(stacks: list[str]) -> dict[str, Path]:
    """What ``stacks`` need: the shared packages and each one's SPICO's."""
    return {**PACKAGES, **{k: v for name in stacks for k, v in STACKS[name].packages.items()}}


def missing_packages(stacks: list[str]) -> list[str]:
    return [name for name, path in packages(stacks).items() if not path.exists()]


def ensure_packages(say, stacks: list[str] = (DEFAULT,)) -> None:
    """Install what is missing with apt-get when root; otherwise name it and stop."""
    missing = missing_packages(list(stacks))
    if not missing:
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise StackError(
            f"paquet Debian manquant : {', '.join(missing)} (en root : apt-get install"
            f" {' '.join(missing)}, ou ./dev setup --pile)"
        )
    say(f"Installation des paquets Debian manquants : {' '.join(missing)}…")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    # with their Recommends: the portal needs several of lemonldap-ng's
    install = ["apt-get", "install", "-y", "-qq", *missing]
    done = subprocess.run(install, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], capture_output=True, env=env)
        done = subprocess.run(install, capture_output=True, text=True, env=env)
    still = missing_packages(list(stacks))
    if done.returncode != 0 or still:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        raise StackError(f"apt-get n'a pas installé {' '.join(still or missing)} : {last}")


# --- the run ------------------------------------------------------------------------------


@dataclass
class Running:
    folder: Path
    ready: dict
    processes: dict[str, subprocess.Popen]


def _port(wanted: int, what: str, free: list[int]) -> int:
    """``wanted``, checked free; or, for 0, one of the ``free`` ports chosen for the run."""
    if not wanted:
        return free.pop()
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", wanted))
        except OSError:
            raise StackError(f"le port {wanted} ({what}) est déjà pris") from None
    return wanted


def changes(options: Options) -> Changes:
    """The named variants' settings, then the overrides (which come last, so they win)."""
    side = STACKS[options.stack]
    found = Changes()
    for name in options.variants:
        if name not in side.variants:
            raise StackError(
                f"variante inconnue pour la pile {side.name} : {name}"
                f" (connues : {', '.join(side.variants)})"
            )
        found += side.variants[name].changes
    return found + Changes(tuple(options.apache), tuple(options.llng), tuple(options.django))


def refused_overrides(options: Options) -> list[str]:
    """One French line per kind of override the chosen stack has no component for."""
    side = STACKS[options.stack]
    given = {"apache": options.apache, "llng": options.llng, "django": options.django}
    return [
        f"--{kind} : la pile {side.name} n'en a pas l'usage (elle prend :"
        f" {', '.join('--' + k for k in sorted(side.overrides))})"
        for kind, values in given.items()
        if values and kind not in side.overrides
    ]


def _client(ca: Path) -> httpx.Client:
    context = ssl.create_default_context(cafile=str(ca))
    return httpx.Client(verify=context, timeout=10)


@contextlib.contextmanager
def run(options: Options, say=print) -> Iterator[Running]:
    """The whole stack until the block ends; then every process stopped, the folder gone."""
    side = STACKS[options.stack]
    ensure_packages(say, [side.name])
    wanted = changes(options)
    free = free_ports(8)  # distinct, each server its own
    pass_port = _port(options.pass_port, "PASS", free)
    spico_port = _port(options.spico_port, "SPICO", free)
    smtp_port, sms_port, imap_port = free[:3]
    user = service_user()
    with contextlib.ExitStack() as stack:
        folder = Path(tempfile.mkdtemp(prefix=f"pile-spico-{side.name}-"))
        if not os.environ.get(KEEP_ENV):
            stack.callback(shutil.rmtree, folder, ignore_errors=True)
        folder.chmod(0o711)  # the servers, as www-data, go through it to their files
        faketime_state, faketime_files = stack.enter_context(shared_state(user))
        servers = Servers(stack, folder, faketime_files)
        clock = folder / "horloge"
        clock.write_text("+0\n")
        clock.chmod(0o644)
        env = clock_env(clock, faketime_state)
        env_calling = calling_env(env, folder, [PASS_HOST, SPICO_HOST])
        pass_url = f"https://{PASS_HOST}:{pass_port}"
        spico_url = f"https://{SPICO_HOST}:{spico_port}/"

        with ThreadPoolExecutor(2) as pool:
            tls = pool.submit(certs.make, folder / "certs", [PASS_HOST, SPICO_HOST])
            imap_log = folder / "imap.log"
            imap_url = stack.enter_context(mail.imap_server(imap_port, log=imap_log))
            tls = tls.result()
        smtp_host, smtp_port = stack.enter_context(mail.smtp_into(imap_url, smtp_port))

        # the SMS operator's gateway, and the command PASS hands its codes to it with
        sms_url = f"http://127.0.0.1:{sms_port}/messages"
        sms_log = folder / "sms.log"
        sms_command = [sys.executable, "-m", "realstack.sms", "--port", str(sms_port)]
        servers.start("la passerelle SMS", sms_command, sms_log, env)
        try:
            send_command = sms.send_command(sms.write_sender(folder / "sms"), sms_url)
        except ValueError as exc:
            raise StackError(f"commande d'envoi des SMS impossible : {exc}") from None

        context = Context(
            folder,
            servers,
            tls,
            pass_url,
            SPICO_HOST,
            spico_port,
            spico_url,
            free[3:],
            env,
            env_calling,
            user,
            wanted,
            options.patients,
            options.policy,
        )
        portal_folder = folder / "llng"
        try:
            conf = llng.configuration(
                portal_folder,
                pass_url + "/",
                PASS_HOST,
                DOMAIN,
                spico_url,
                tls.ca,
                smtp_port,
                send_command,
                side.pass_keys(context),
                options.policy.pass_idle,
                list(wanted.llng),
            )
        except ValueError as exc:
            raise StackError(str(exc)) from None
        ini = pass_portal.write_configuration(portal_folder, conf, user)
        portal_log = pass_portal.start(
            servers, portal_folder, ini, pass_port, PASS_HOST, tls.cert, tls.key, env_calling, user
        )

        with _client(tls.ca) as client:
            context.client = client
            pass_portal.wait_ready(servers, client, pass_port, PASS_HOST, portal_log)
            spico = side.start(context)
            servers.wait(
                "la passerelle SMS",
                lambda: httpx.get(sms_url, params={"to": "+0"}, timeout=5).status_code == 200,
                sms_log,
            )
        context.client = None

        accounts = [
            {
                "identifiant": login,
                "mot_de_passe": login,
                "mot_de_passe_env": f"PILE_MDP_{login.upper()}",
                "nom": name,
                "email": llng.email_of(login),
                "telephone": llng.phone_of(login),
            }
            for login, name in llng.ACCOUNTS
        ]
        environment = {a["mot_de_passe_env"]: a["mot_de_passe"] for a in accounts}
        environment["PILE_MDP_BOITE"] = mail.PASSWORD
        urls = {
            "spico": spico_url,
            "pass": pass_url + "/",
            "spico_deconnexion": spico.logout_url,
            **spico.urls,
            "imap": imap_url,
            "smtp": f"smtp://{smtp_host}:{smtp_port}",
            "sms": sms_url,
        }
        name = side.title
        if options.variants:
            name += f" — variantes : {', '.join(options.variants)}"
        if options.policy.short:
            name += f" — politique courte : {options.policy.said()}"
        profile_file.write(
            folder,
            name=name,
            description=side.description,
            versions=profile_file.versions({**VERSIONED, **side.versioned}),
            urls=urls,
            accounts=accounts,
            ca=tls.ca,
            spki=tls.spki,
            resolution=RESOLUTION,
            clock=clock,
            journey=spico.journey,
            policy=options.policy,
        )
        ready = {
            "pile": side.name,
            "profil": str(folder / profile_file.FAKETIME_PROFILE),
            "profil_reel": str(folder / profile_file.REAL_PROFILE),
            "horloge_fichier": str(clock),
            "spki": tls.spki,
            "resolution": RESOLUTION,
            "ca": str(tls.ca),
            "urls": urls,
            "comptes": accounts,
            "boite": {"url": imap_url, "utilisateur": mail.USER, "mot_de_passe": mail.PASSWORD},
            "environnement": environment,
            "dossier": str(folder),
            "hors_dossier": [str(path) for path in faketime_files],
            "groupes": {name: p.pid for name, p in servers.processes.items()},
            "variantes": options.variants,
        }
        yield Running(folder, ready, servers.processes)


def variants_of(stack: str) -> dict[str, Variant]:
    return STACKS[stack].variants


def wait_forever(running: Running) -> None:
    """Until a signal: a server that stops on its own ends the run (StackError)."""
    pause = threading.Event()
    while True:
        for name, process in running.processes.items():
            if process.poll() is not None:
                raise StackError(f"{name} s'est arrêté tout seul (code {process.returncode})")
        pause.wait(0.5)


def install_signal_handlers() -> None:
    """SIGTERM and SIGHUP end the run as Ctrl-C does, through the same clean-up; SIGINT too
    even when the launcher started with it ignored (a background job of a script)."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, interrupt)
