"""The reference real stack, started and stopped as one: PASS (LemonLDAP::NG behind nginx),
SPICO's gate (Apache + mod_auth_openidc) in front of the patient application, and where its
one-time codes go: the mail provider (SMTP into IMAP) and an SMS operator's gateway. Every
file under one run folder, every server on a loopback port, every process in a group of its
own, stopped on exit whatever happens.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import secrets
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

from processes.lifetime import die_with_parent, stop_group
from processes.ports import free_ports
from processes.waiting import poll

from . import apache, certs, llng, mail, sms

DOMAIN = "esante-occitanie.localhost"
PASS_HOST = f"pass.{DOMAIN}"
SPICO_HOST = f"spico.{DOMAIN}"
#: Chromium's --host-resolver-rules: every host of the stack on loopback.
RESOLUTION = f"MAP *.{DOMAIN} 127.0.0.1"
FAKETIME = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1")
SERVICE_USER = "www-data"
READY_SECONDS = 40
PORTAL_WORKERS = 2
PATIENTS = 200
#: Set: the run folder is kept at exit (its logs, to see why something failed).
KEEP_ENV = "REALSTACK_GARDER_DOSSIER"
LOG_LEVEL_ENV = "REALSTACK_LLNG_LOGLEVEL"

#: Debian package → a file it installs (cheaper than asking dpkg at every start).
PACKAGES = {
    "lemonldap-ng": llng.DEBIAN_CONF,
    "lemonldap-ng-fastcgi-server": llng.FASTCGI_SERVER,
    "nginx": Path("/usr/sbin/nginx"),
    "apache2": apache.APACHE,
    "libapache2-mod-auth-openidc": apache.MODULES / "mod_auth_openidc.so",
    "libfaketime": FAKETIME,
    "faketime": Path("/usr/bin/faketime"),
    # Only "Recommends" of lemonldap-ng, so absent after --no-install-recommends, and then
    # the portal does not start (String::Random) or Mail2F fails to load (the other two).
    "libstring-random-perl": Path("/usr/share/perl5/String/Random.pm"),
    "libmime-tools-perl": Path("/usr/share/perl5/MIME/Entity.pm"),
    "libemail-sender-perl": Path("/usr/share/perl5/Email/Sender/Simple.pm"),
    # The portal always loads its captcha module, GD::SecurityImage with use_magick: once
    # libgd-securityimage-perl (a Recommends) is there, Image::Magick (a Suggests) must be.
    "libimage-magick-perl": Path("/usr/share/perl5/Image/Magick.pm"),
}

#: Named variants: (Apache directives, LemonLDAP::NG keys).
VARIANTS: dict[str, tuple[list[str], list[str]]] = {
    "inactivite-8h": (["OIDCSessionInactivityTimeout 28800"], []),
    "session-persistante": (["OIDCSessionType server-cache:persistent"], []),
    "cookie-lisible": (["OIDCCookieHTTPOnly Off"], []),
    "pass-rester-connecte": ([], ["stayConnected=1"]),
    "sans-propagation": (
        [],
        [f"oidcRPMetaDataOptions/{llng.CLIENT_ID}/oidcRPMetaDataOptionsLogoutUrl="],
    ),
}


class StackError(RuntimeError):
    """Why the stack cannot start, in one French line."""


@dataclass
class Options:
    apache: list[str] = field(default_factory=list)
    llng: list[str] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)
    pass_port: int = 0
    spico_port: int = 0
    patients: int = PATIENTS


# --- packages -----------------------------------------------------------------------------


def missing_packages() -> list[str]:
    return [name for name, path in PACKAGES.items() if not path.exists()]


def ensure_packages(say) -> None:
    """Install what is missing with apt-get when root; otherwise name it and stop."""
    missing = missing_packages()
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
    still = missing_packages()
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


def _service_ids() -> tuple[int, int] | None:
    """www-data's uid and gid when we are root (the servers drop to it), else None."""
    if os.geteuid() != 0:
        return None
    entry = pwd.getpwnam(SERVICE_USER)
    return entry.pw_uid, entry.pw_gid


def _chown_tree(path: Path, ids: tuple[int, int] | None) -> None:
    if ids is None:
        return
    for root, dirs, files in os.walk(path):
        os.chown(root, *ids)
        for name in dirs + files:
            os.chown(os.path.join(root, name), *ids)


def _faketime_env(clock: Path) -> dict[str, str]:
    return {
        "LD_PRELOAD": str(FAKETIME),
        "FAKETIME_TIMESTAMP_FILE": str(clock),
        "FAKETIME_NO_CACHE": "1",
    }


def _first_error(log: Path) -> str:
    """The portal's first error line that says something (its first cause, not the last
    "Initialization failed")."""
    with contextlib.suppress(OSError):
        for line in log.read_text(errors="replace").splitlines():
            text = line.split("[error]", 1)[1].strip() if "[error]" in line else ""
            if text:
                return text[:300]
    return _last_line(log)


def _last_line(log: Path) -> str:
    with contextlib.suppress(OSError):
        lines = [line.strip() for line in log.read_text(errors="replace").splitlines()]
        lines = [line for line in lines if line]
        if lines:
            return lines[-1][-300:]
    return "journal vide"


def _reaper(stack: contextlib.ExitStack, folder: Path) -> subprocess.Popen:
    """The watcher that stops the servers if this launcher dies without doing it
    (``realstack/reaper.py``); dismissed once they are stopped, before the folder goes."""
    kept = bool(os.environ.get(KEEP_ENV))
    reaper = subprocess.Popen(
        [sys.executable, "-m", "realstack.reaper", *([] if kept else [str(folder)])],
        stdin=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )

    def dismiss() -> None:
        reaper.stdin.close()
        reaper.wait(timeout=30)

    stack.callback(dismiss)
    return reaper


class _Starter:
    """Starts servers in groups of their own and remembers them, to stop them all."""

    def __init__(self, stack: contextlib.ExitStack, reaper: subprocess.Popen) -> None:
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}
        self._stack = stack
        self._reaper = reaper

    def start(self, name: str, command: list[str], log: Path, env: dict[str, str]) -> None:
        with open(log, "ab") as sink:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
                preexec_fn=die_with_parent,
            )
        self.processes[name] = process
        self.logs[name] = log
        self._reaper.stdin.write(f"{process.pid}\n")
        self._reaper.stdin.flush()
        self._stack.callback(stop_group, process)

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise StackError(
                    f"{name} s'est arrêté (code {process.returncode}) : "
                    f"{_last_line(self.logs[name])}"
                )


def _client(ca: Path) -> httpx.Client:
    context = ssl.create_default_context(cafile=str(ca))
    return httpx.Client(verify=context, timeout=10)


def _get(client: httpx.Client, port: int, host: str, path: str) -> httpx.Response:
    """GET https://host:port/path on loopback (Python cannot resolve *.localhost), checking
    the certificate against ``host`` through SNI."""
    return client.get(
        f"https://127.0.0.1:{port}{path}",
        headers={"Host": f"{host}:{port}"},
        extensions={"sni_hostname": host},
    )


def _wait(what: str, probe, starter: _Starter, log: Path, seconds: float = READY_SECONDS):
    last = "pas de réponse"

    def answer():
        nonlocal last
        starter.check_alive()
        try:
            result = probe()
        except (httpx.HTTPError, OSError) as exc:
            last = type(exc).__name__
            return None
        last = "réponse inattendue"
        return result

    result = poll(answer, seconds, every=0.1)
    if result:
        return result
    raise StackError(f"{what} ne répond pas après {seconds:.0f} s ({last}) : {_last_line(log)}")


def _split_variants(options: Options) -> tuple[list[str], list[str]]:
    directives, keys = [], []
    for name in options.variants:
        if name not in VARIANTS:
            raise StackError(f"variante inconnue : {name} (connues : {', '.join(VARIANTS)})")
        directives += VARIANTS[name][0]
        keys += VARIANTS[name][1]
    return directives + options.apache, keys + options.llng


@contextlib.contextmanager
def run(options: Options, say=print) -> Iterator[Running]:
    """The whole stack until the block ends; then every process stopped, the folder gone."""
    ensure_packages(say)
    directives, keys = _split_variants(options)
    free = free_ports(6)  # distinct, each server its own
    pass_port = _port(options.pass_port, "PASS", free)
    spico_port = _port(options.spico_port, "SPICO", free)
    app_port, smtp_port, sms_port, imap_port = free[:4]
    ids = _service_ids()
    with contextlib.ExitStack() as stack:
        folder = Path(tempfile.mkdtemp(prefix="pile-spico-"))
        if not os.environ.get(KEEP_ENV):
            stack.callback(shutil.rmtree, folder, ignore_errors=True)
        folder.chmod(0o711)  # the servers, as www-data, go through it to their files
        starter = _Starter(stack, _reaper(stack, folder))
        clock = folder / "horloge"
        clock.write_text("+0\n")
        clock.chmod(0o644)
        pass_url = f"https://{PASS_HOST}:{pass_port}"
        spico_url = f"https://{SPICO_HOST}:{spico_port}/"
        gate_logout = f"{apache.redirect_uri(spico_url)}?logout={_quote(spico_url)}"
        base_env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
        timed_env = {**base_env, **_faketime_env(clock)}

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
        starter.start("la passerelle SMS", sms_command, sms_log, timed_env)
        try:
            send_command = sms.send_command(sms.write_sender(folder / "sms"), sms_url)
        except ValueError as exc:
            raise StackError(f"commande d'envoi des SMS impossible : {exc}") from None

        # PASS: the FastCGI portal and nginx in front of it
        portal_folder = folder / "llng"
        conf_folder = portal_folder / "conf"
        for sub in ("conf", "sessions/lock", "psessions/lock", "cache", "notifications"):
            (portal_folder / sub).mkdir(parents=True, exist_ok=True)
        client_secret = secrets.token_urlsafe(24)
        relying = llng.Relying(
            client_secret,
            apache.redirect_uri(spico_url),
            spico_url,
            f"{apache.redirect_uri(spico_url)}?logout=get",
        )
        try:
            conf = llng.configuration(
                portal_folder,
                pass_url + "/",
                PASS_HOST,
                DOMAIN,
                relying,
                smtp_port,
                send_command,
                keys,
            )
        except ValueError as exc:
            raise StackError(str(exc)) from None
        (conf_folder / "lmConf-1.json").write_text(json.dumps(conf, indent=1))
        ini = portal_folder / "lemonldap-ng.ini"
        ini.write_text(llng.ini(portal_folder, conf_folder, os.environ.get(LOG_LEVEL_ENV, "info")))
        socket_path = portal_folder / "fcgi.sock"
        portal_log = folder / "portail.log"
        _chown_tree(portal_folder, ids)
        command = [str(llng.FASTCGI_SERVER), "--foreground", "-n", str(PORTAL_WORKERS)]
        command += ["-s", str(socket_path), "-p", str(portal_folder / "fcgi.pid")]
        if ids:
            command += ["-u", SERVICE_USER, "-g", SERVICE_USER]
        portal_env = {
            **timed_env,
            "LLNG_DEFAULTCONFFILE": str(ini),
            "LLNG_DEFAULTLOGGER": "Lemonldap::NG::Common::Logger::Std",
        }
        starter.start("le portail PASS (llng-fastcgi-server)", command, portal_log, portal_env)

        nginx_folder = folder / "nginx"
        nginx_folder.mkdir()
        nginx_conf = nginx_folder / "nginx.conf"
        nginx_conf.write_text(
            llng.nginx_conf(
                nginx_folder,
                pass_port,
                PASS_HOST,
                socket_path,
                tls.cert,
                tls.key,
                SERVICE_USER if ids else None,
            )
        )
        _chown_tree(nginx_folder, ids)
        starter.start(
            "nginx (PASS)",
            ["/usr/sbin/nginx", "-c", str(nginx_conf), "-p", str(nginx_folder)],
            nginx_folder / "sortie.log",
            base_env,
        )

        # SPICO: the patient application behind the gate
        app_log = folder / "patients.log"
        app_command = [sys.executable, "-m", "realstack.patients_app", "--port", str(app_port)]
        app_command += ["--patients", str(options.patients), "--deconnexion", gate_logout]
        # the screen keeps the guide's 2 hours whatever the gate is set to (inactivite-8h):
        # a gate that keeps sessions longer is for the audit to catch, not to hide
        app_command += ["--inactivite", str(apache.INACTIVITY_SECONDS)]
        starter.start("l'application des patients", app_command, app_log, timed_env)

        gate_folder = folder / "apache"
        gate_folder.mkdir()
        gate = apache.Gate(
            gate_folder,
            spico_port,
            SPICO_HOST,
            spico_url,
            pass_url,
            llng.CLIENT_ID,
            client_secret,
            secrets.token_urlsafe(24),
            tls.ca,
            tls.cert,
            tls.key,
            app_port,
            SERVICE_USER if ids else None,
        )
        try:
            gate_conf = apache.write(gate, directives, base_env)
        except ValueError as exc:
            raise StackError(str(exc)) from None
        starter.start(
            "la porte SPICO (apache2)",
            [str(apache.APACHE), "-X", "-f", str(gate_conf), "-DFOREGROUND"],
            gate_folder / "sortie.log",
            timed_env,
        )

        with _client(tls.ca) as client:
            discovery = "/.well-known/openid-configuration"

            def portal_up() -> bool:
                status = _get(client, pass_port, PASS_HOST, discovery).status_code
                if status == 500:  # the portal failed to initialise: it will not recover
                    raise StackError(
                        f"le portail PASS (LemonLDAP::NG) ne s'initialise pas :"
                        f" {_first_error(portal_log)}"
                    )
                return status == 200

            _wait("le portail PASS (LemonLDAP::NG)", portal_up, starter, portal_log)
            # every FastCGI worker compiles the portal at its first request: do it now
            with ThreadPoolExecutor(PORTAL_WORKERS) as pool:
                list(pool.map(lambda _: portal_up(), range(PORTAL_WORKERS)))

            def gate_up() -> bool:
                answer = _get(client, spico_port, SPICO_HOST, "/")
                location = answer.headers.get("location", "")
                return answer.status_code == 302 and location.startswith(pass_url)

            _wait("la porte SPICO (Apache mod_auth_openidc)", gate_up, starter, gate_log(gate))
            _wait(
                "l'application des patients",
                lambda: httpx.get(f"http://127.0.0.1:{app_port}/", timeout=5).status_code == 200,
                starter,
                app_log,
            )
            _wait(
                "la passerelle SMS",
                lambda: httpx.get(sms_url, params={"to": "+0"}, timeout=5).status_code == 200,
                starter,
                sms_log,
            )

        accounts = [
            {
                "identifiant": login,
                "mot_de_passe": password,
                "mot_de_passe_env": f"PILE_MDP_{login.upper()}",
                "nom": name,
                "email": llng.email_of(login),
                "telephone": llng.phone_of(login),
            }
            for login, password, name in llng.DEMO_ACCOUNTS
        ]
        environment = {a["mot_de_passe_env"]: a["mot_de_passe"] for a in accounts}
        environment["PILE_MDP_BOITE"] = mail.PASSWORD
        urls = {
            "spico": spico_url,
            "pass": pass_url + "/",
            "spico_deconnexion": gate_logout,
            "decouverte": pass_url + discovery,
            "imap": imap_url,
            "smtp": f"smtp://{smtp_host}:{smtp_port}",
            "sms": sms_url,
        }
        profile = folder / "profil.toml"
        profile.write_text(_profile(options, urls, accounts, tls, clock))
        ready = {
            "profil": str(profile),
            "horloge_fichier": str(clock),
            "spki": tls.spki,
            "resolution": RESOLUTION,
            "ca": str(tls.ca),
            "urls": urls,
            "comptes": accounts,
            "boite": {"url": imap_url, "utilisateur": mail.USER, "mot_de_passe": mail.PASSWORD},
            "environnement": environment,
            "dossier": str(folder),
            "groupes": {name: p.pid for name, p in starter.processes.items()},
            "variantes": options.variants,
        }
        yield Running(folder, ready, starter.processes)


def gate_log(gate: apache.Gate) -> Path:
    return gate.folder / "erreurs.log"


def _quote(url: str) -> str:
    from urllib.parse import quote

    return quote(url, safe="")


def _toml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


#: What the profile declares of the timeouts: the policy the stack is meant to have (the
#: gate's 2 hours, PASS's 4), never what a variant or an override set: the suite moves the
#: clock by these, and a misconfigured component is what it must catch.
DECLARED_IDLE = {
    "inactivite_spico": apache.INACTIVITY_SECONDS,
    "inactivite_pass": llng.INACTIVITY_SECONDS,
}
#: How the suite walks through the stack's pages (paths, and the buttons of each logout).
JOURNEY = {
    "liste_patients": "/",
    "liste_filtree": "/?sexe={sexe}",
    "kiosque": "/",
    # LemonLDAP::NG's 2F choice page: one button per channel ("Par e-mail", "Par SMS")
    "choix_du_canal": True,
    "deconnexion_spico": ["Menu utilisateur", "Se déconnecter"],
    "deconnexion_pass": ["Accepter"],
    "deconnexion_kiosque": ["Déconnexion", "Je suis sûr"],
}
#: LemonLDAP::NG's words (its French translations) for the guide's.
PASS_LABELS = {
    "Kiosque des services": "Services",
    "Code reçu": "Code",
    "Valider": "Se connecter",
}


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    return _toml(str(value))


def _hours(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    if rest:
        return f"{seconds} secondes"
    return f"{hours} heure{'s' if hours > 1 else ''}"


def _profile(
    options: Options, urls: dict, accounts: list[dict], tls: certs.Certificates, clock: Path
) -> str:
    name = "Pile de référence (LemonLDAP::NG 2.16 + Apache mod_auth_openidc)"
    if options.variants:
        name += f" — variantes : {', '.join(options.variants)}"
    lines = [
        f"nom = {_toml(name)}",
        f"description = {_toml(DESCRIPTION)}",
        "",
        "[versions]",
        *(f"{_toml(part)} = {_toml(version)}" for part, version in _versions().items()),
        "",
        "[urls]",
        f"spico = {_toml(urls['spico'])}",
        f"pass = {_toml(urls['pass'])}",
    ]
    for account in accounts:
        lines += [
            "",
            "[[comptes]]",
            *(
                f"{key} = {_toml(account[key])}"
                for key in ("identifiant", "mot_de_passe_env", "nom", "email", "telephone")
            ),
        ]
    lines += [
        "",
        "[codes.email]",
        'source = "imap"',
        f"url = {_toml(urls['imap'])}",
        f"utilisateur = {_toml(mail.USER)}",
        'mot_de_passe_env = "PILE_MDP_BOITE"',
        "",
        "[codes.sms]",
        'source = "passerelle"',
        f"url = {_toml(urls['sms'])}",
        "",
        "[reseau]",
        f"autorite = {_toml(str(tls.ca))}",
        f"spki = {_toml_value([tls.spki])}",
        f"hotes = {_toml(RESOLUTION)}",
        "",
        "[temps]",
        'horloge = "faketime"',
        f"fichier = {_toml(str(clock))}",
        *(f"{key} = {_toml(_hours(seconds))}" for key, seconds in DECLARED_IDLE.items()),
        "",
        "[parcours]",
        *(f"{key} = {_toml_value(value)}" for key, value in JOURNEY.items()),
        "",
        "[libelles.pass]",
        *(f"{_toml(words)} = {_toml(own)}" for words, own in PASS_LABELS.items()),
        "",
    ]
    return "\n".join(lines)


DESCRIPTION = (
    "Pile de référence : LemonLDAP::NG (PASS) derrière nginx, Apache et mod_auth_openidc devant"
    " une application de patients sans session propre, paquets Debian"
)
#: The parts whose versions the report names, by Debian package.
VERSIONED = {
    "LemonLDAP::NG": "lemonldap-ng",
    "Apache": "apache2",
    "mod_auth_openidc": "libapache2-mod-auth-openidc",
    "nginx": "nginx",
}


def _versions() -> dict[str, str]:
    """The installed versions, as dpkg knows them; a part it cannot tell is left out."""
    found = {}
    for part, package in VERSIONED.items():
        try:
            done = subprocess.run(
                ["dpkg-query", "-W", "-f", "${Version}", package], capture_output=True, text=True
            )
        except OSError:
            continue
        if done.returncode == 0 and done.stdout.strip():
            found[part] = done.stdout.strip()
    return found


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
