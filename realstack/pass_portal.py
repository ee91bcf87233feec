"""PASS started: LemonLDAP::NG's FastCGI portal and nginx in front of it, the same in every
stack; only the protocol keys SPICO needs differ (a side's ``pass_keys``)."""

from __future__ import annotations

import contextlib
import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from . import llng
from .servers import Servers, StackError, give_to, https_get, last_line

#: FastCGI workers: at least 2, or a back-channel call that SPICO answers with a redirect to
#: the portal (SAML's SOAP logout, CAS's) waits on the only worker, which is making it.
WORKERS = 2
LOG_LEVEL_ENV = "REALSTACK_LLNG_LOGLEVEL"
#: A page every portal serves once initialised (its sign-in page), whatever protocol it speaks.
READY_PATH = "/"


def write_configuration(folder: Path, conf: dict, user: str | None) -> Path:
    """The portal's folder (configuration, sessions, cache) and its ini file."""
    conf_folder = folder / "conf"
    for sub in ("conf", "sessions/lock", "psessions/lock", "cache", "notifications"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    (conf_folder / "lmConf-1.json").write_text(json.dumps(conf, indent=1))
    llng.write_users(folder / llng.USERS_FILE)
    ini = folder / "lemonldap-ng.ini"
    ini.write_text(llng.ini(folder, conf_folder, os.environ.get(LOG_LEVEL_ENV, "info")))
    give_to(folder, user)
    return ini


def start(
    servers: Servers,
    folder: Path,
    ini: Path,
    port: int,
    host: str,
    cert: Path,
    key: Path,
    env: dict[str, str],
    user: str | None,
) -> Path:
    """The portal and nginx, started (not yet answering); the portal's log."""
    socket_path = folder / "fcgi.sock"
    log = folder.parent / "portail.log"
    command = [str(llng.FASTCGI_SERVER), "--foreground", "-n", str(WORKERS)]
    command += ["-s", str(socket_path), "-p", str(folder / "fcgi.pid")]
    if user:
        command += ["-u", user, "-g", user]
    portal_env = {
        **env,
        "LLNG_DEFAULTCONFFILE": str(ini),
        "LLNG_DEFAULTLOGGER": "Lemonldap::NG::Common::Logger::Std",
    }
    servers.start("le portail PASS (llng-fastcgi-server)", command, log, portal_env)

    nginx_folder = folder.parent / "nginx"
    nginx_folder.mkdir()
    nginx_conf = nginx_folder / "nginx.conf"
    nginx_conf.write_text(llng.nginx_conf(nginx_folder, port, host, socket_path, cert, key, user))
    give_to(nginx_folder, user)
    plain_env = {k: v for k, v in env.items() if not k.startswith(("LD_", "FAKETIME"))}
    servers.start(
        "nginx (PASS)",
        ["/usr/sbin/nginx", "-c", str(nginx_conf), "-p", str(nginx_folder)],
        nginx_folder / "sortie.log",
        plain_env,
    )
    return log


def wait_ready(servers: Servers, client: httpx.Client, port: int, host: str, log: Path) -> None:
    """Until the portal answers, then once more in each FastCGI worker, which compiles the
    portal at its first request: the suite's first sign-in must not pay for it."""

    def up() -> bool:
        status = https_get(client, port, host, READY_PATH).status_code
        if status == 500:  # the portal failed to initialise: it will not recover
            raise StackError(
                f"le portail PASS (LemonLDAP::NG) ne s'initialise pas : {_first_error(log)}"
            )
        return status == 200

    servers.wait("le portail PASS (LemonLDAP::NG)", up, log)
    with ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(lambda _: up(), range(WORKERS)))


def _first_error(log: Path) -> str:
    """The portal's first error line that says something (its first cause, not the last
    "Initialization failed")."""
    with contextlib.suppress(OSError):
        for line in log.read_text(errors="replace").splitlines():
            text = line.split("[error]", 1)[1].strip() if "[error]" in line else ""
            if text:
                return text[:300]
    return last_line(log)
