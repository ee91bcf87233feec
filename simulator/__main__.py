"""``python -m simulator``: start SPICO + PASS for a person to explore, or for the suite.

Every input (options, ``SPICO_SIM_FAULTS``, ``SPICO_SIM_CONTROL_TOKEN``) is checked before
anything starts: each problem found is one French line on stderr, and the exit status is 4
(``USAGE_STATUS``); never a traceback, nothing written, nothing left running.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import json
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from . import database_file, faults
from .accounts import SCRYPT_COST, SCRYPT_MIN_COST
from .behaviour import GUIDE_IDLE_SECONDS, HOUR, PASS_IDLE_SECONDS
from .command_line import (
    HIGHEST_PORT,
    USAGE_STATUS,
    FrenchParser,
    UsageError,
    checked,
    integer,
    plain,
    shown,
    spaced,
    unexpected,
    whole,
)
from .config import Settings

if TYPE_CHECKING:
    from .server import Ready

OFFSETS = {"pass": 1, "spico": 2, "sms": 3, "mobile": 5, "control": 9}
SMTP_OFFSET = 4
#: The highest --base-port whose every port (N+1 to N+9) is still a port.
MAX_BASE_PORT = HIGHEST_PORT - max(*OFFSETS.values(), SMTP_OFFSET)
MAX_PATIENTS = 1_000_000
#: The longest inactivity accepted: a week, well within what the page's timer can hold
#: (setTimeout: 24.8 days).
MAX_IDLE_SECONDS = 7 * 24 * 3600
_DURATION = re.compile(r"([0-9]{1,9})([smh]?)")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600}
#: RFC 6750's b64token: what an Authorization: Bearer header can carry.
_TOKEN = re.compile(r"[A-Za-z0-9._~+/-]+=*")


base_port = whole(
    0,
    MAX_BASE_PORT,
    f"les ports N+1 à N+9 doivent rester entre 1 et {HIGHEST_PORT} : N entre 1 et"
    f" {MAX_BASE_PORT}, ou 0 pour des ports libres",
)


def duration(text: str) -> int:
    """'7200', '7200s', '120m' or '2h' as seconds, from 1 s to MAX_IDLE_SECONDS."""
    match = _DURATION.fullmatch(text.strip())
    if not match:
        raise ValueError("durée invalide (exemples : 7200s, 120m, 2h)")
    seconds = int(match.group(1)) * _UNITS[match.group(2)]
    if not 1 <= seconds <= MAX_IDLE_SECONDS:
        raise ValueError(f"attendu entre 1 s et {MAX_IDLE_SECONDS // 3600} h")
    return seconds


def bind_address(text: str) -> str:
    try:
        return str(ipaddress.IPv4Address(text))
    except ValueError:
        raise ValueError("attendu une adresse IPv4 (ex. : 127.0.0.1, 0.0.0.0)") from None


def origin(text: str) -> str:
    """A public origin: http:// or https://, a host, maybe a port; nothing else."""
    if not plain(text):
        raise ValueError("espace ou caractère de contrôle dans l'adresse")
    try:
        parts = urlsplit(text)
        good = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # a port that is not one
        good = False
    if not good:
        raise ValueError(
            "attendu une origine http:// ou https:// (ex. : https://spico.example.org)"
        )
    if (
        parts.username
        or parts.password
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        raise ValueError("une origine seulement (schéma, hôte, port) : ni chemin ni paramètres")
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))


def relay(text: str) -> tuple[str, int]:
    """'relais.example.org:25' as a host and a port."""
    match = re.fullmatch(r"(.+):([0-9]{1,5})", text)
    if not match or not plain(match.group(1)) or not 0 < int(match.group(2)) <= HIGHEST_PORT:
        raise ValueError(
            f"attendu HÔTE:PORT, le port entre 1 et {HIGHEST_PORT} (ex. : 127.0.0.1:2525)"
        )
    return match.group(1), int(match.group(2))


def database(text: str) -> str:
    """':memory:', or a SQLite file the simulator can use: missing or empty (a new
    database) or one of its own, in a folder it can write to (SQLite keeps its journal
    there). Read without writing anything."""
    if text == ":memory:":
        return text
    if not text.strip() or not text.isprintable():
        raise ValueError("attendu le chemin d'un fichier SQLite, ou :memory:")
    problem = database_file.problem(Path(text))
    if problem:
        raise ValueError(problem)
    return text


def fault_names(problems: list[str], options: list[str], environment: str) -> frozenset[str]:
    """The faults asked for by --defaut and by SPICO_SIM_FAULTS (comma-separated)."""
    asked = {
        "--defaut": [name.strip() for name in options],
        "SPICO_SIM_FAULTS": [n.strip() for n in environment.split(",") if n.strip()],
    }
    for source, names in asked.items():
        unknown = [f"« {shown(name)} »" for name in names if name not in faults.CATALOG]
        if unknown:
            noun = "défauts inconnus" if len(unknown) > 1 else "défaut inconnu"
            known = ", ".join(sorted(faults.CATALOG))
            problems.append(f"{source} : {noun} {', '.join(unknown)} ; défauts connus : {known}")
    return frozenset(name for names in asked.values() for name in names if name in faults.CATALOG)


def control_token(problems: list[str], environment: Mapping[str, str]) -> dict[str, str]:
    """SPICO_SIM_CONTROL_TOKEN as a Settings field, if set; never repeated in an error."""
    token = environment.get("SPICO_SIM_CONTROL_TOKEN", "")
    if token and not _TOKEN.fullmatch(token):
        problems.append(
            "SPICO_SIM_CONTROL_TOKEN : jeton invalide (lettres, chiffres et - . _ ~ + /,"
            " sans espace)"
        )
    return {"control_token": token} if token else {}


def parser() -> FrenchParser:
    p = FrenchParser(
        prog="python -m simulator",
        description="Simulateur SPICO + PASS (+ passerelle SMS et serveur SMTP)"
        " pour la suite de conformité.",
    )
    p.add_argument("--bind", default="127.0.0.1", help="adresse IPv4 d'écoute de PASS et SPICO")
    p.add_argument(
        "--base-port",
        default="8100",
        metavar="N",
        help="PASS = base+1, SPICO = base+2, SMS = base+3, SMTP = base+4, mobile = base+5,"
        f" contrôle = base+9 (N de 1 à {MAX_BASE_PORT});"
        " 0 = ports libres au hasard (défaut : 8100)",
    )
    p.add_argument("--public-pass-url", help="origine publique de PASS (derrière un proxy)")
    p.add_argument("--public-spico-url", help="origine publique de SPICO (derrière un proxy)")
    p.add_argument("--public-mobile-url", help="origine publique de l'application mobile")
    p.add_argument(
        "--database",
        default=":memory:",
        help="fichier SQLite ; conservé d'un démarrage à l'autre (défaut : en mémoire)",
    )
    p.add_argument(
        "--patients",
        default="1000",
        help=f"nombre de patients générés (de 1 à {spaced(MAX_PATIENTS)})",
    )
    p.add_argument("--seed", default="2022", help="graine des données Faker (un entier)")
    spico_idle, pass_idle = f"{GUIDE_IDLE_SECONDS // HOUR}h", f"{PASS_IDLE_SECONDS // HOUR}h"
    p.add_argument(
        "--spico-idle", default=spico_idle, help=f"inactivité SPICO (défaut {spico_idle})"
    )
    p.add_argument("--pass-idle", default=pass_idle, help=f"inactivité PASS (défaut {pass_idle})")
    p.add_argument(
        "--cout-scrypt",
        default=str(SCRYPT_COST),
        metavar="N",
        help="coût du stockage des mots de passe et des codes PIN (scrypt, 2^N) :"
        f" de {SCRYPT_MIN_COST} à {SCRYPT_COST} (défaut {SCRYPT_COST}) ; {SCRYPT_MIN_COST}"
        " pour un simulateur de test, dont les secrets ne protègent rien",
    )
    p.add_argument(
        "--test-mode",
        action="store_true",
        help="ouvre l'API de contrôle (horloge, boîtes d'envoi, journal) sur 127.0.0.1",
    )
    p.add_argument(
        "--defaut",
        "--fault",
        dest="fault",
        action="append",
        default=[],
        metavar="NOM",
        help="active un défaut (répétable) ; aussi SPICO_SIM_FAULTS=a,b",
    )
    p.add_argument(
        "--relais-smtp",
        metavar="HÔTE:PORT",
        help="remet aussi chaque e-mail à ce serveur SMTP, comme le relais de messagerie d'un"
        " déploiement (les boîtes lues par IMAP) ; les codes restent dans la boîte d'envoi",
    )
    p.add_argument(
        "--liste-defauts",
        "--list-faults",
        dest="list_faults",
        action="store_true",
        help="liste les défauts et quitte",
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="une ligne JSON quand le simulateur est prêt (pour les programmes)",
    )
    return p


def read_command_line(
    argv: list[str] | None, environment: Mapping[str, str]
) -> tuple[argparse.Namespace, Settings]:
    """The options and the settings they make; UsageError with every problem found."""
    args, extras = parser().parse_known_args(argv)
    return args, settings_from(args, environment, unexpected(extras))


def settings_from(
    args: argparse.Namespace, environment: Mapping[str, str], problems: list[str]
) -> Settings:
    """The settings the options ask for, each checked: UsageError with ``problems`` and
    every other problem found."""
    base = checked(problems, "--base-port", args.base_port, base_port) or 0
    values = {
        "bind": checked(problems, "--bind", args.bind, bind_address),
        "ports": {part: base + offset if base else 0 for part, offset in OFFSETS.items()},
        "smtp_port": base + SMTP_OFFSET if base else 0,
        "public_urls": public_urls(args, problems),
        "database": checked(problems, "--database", args.database, database),
        "patients": checked(problems, "--patients", args.patients, whole(1, MAX_PATIENTS)),
        "seed": checked(problems, "--seed", args.seed, integer),
        "test_mode": args.test_mode,
        "faults": fault_names(problems, args.fault, environment.get("SPICO_SIM_FAULTS", "")),
        "spico_idle_seconds": checked(problems, "--spico-idle", args.spico_idle, duration),
        "pass_idle_seconds": checked(problems, "--pass-idle", args.pass_idle, duration),
        "echo_outbox": not args.json,
        "smtp_relay": checked(problems, "--relais-smtp", args.relais_smtp, relay),
        "scrypt_cost": checked(
            problems, "--cout-scrypt", args.cout_scrypt, whole(SCRYPT_MIN_COST, SCRYPT_COST)
        ),
        **control_token(problems, environment),
    }
    if problems:
        raise UsageError(problems)
    return Settings(**values)


def public_urls(args: argparse.Namespace, problems: list[str]) -> dict[str, str]:
    given = {
        "pass": args.public_pass_url,
        "spico": args.public_spico_url,
        "mobile": args.public_mobile_url,
    }
    return {
        part: checked(problems, f"--public-{part}-url", url, origin)
        for part, url in given.items()
        if url is not None
    }


def announce_json(ready: Ready) -> None:
    print(
        json.dumps(
            {
                "ready": True,
                "public": ready.urls.public,
                "internal": ready.urls.internal,
                "smtp": list(ready.urls.smtp),
                "control_token": ready.control_token,
                "accounts": ready.accounts,
            }
        ),
        flush=True,
    )


def announce_text(settings: Settings):
    def announce(ready: Ready) -> None:
        urls = ready.urls
        active = ", ".join(sorted(settings.faults)) or "aucun (comportement conforme)"
        lines = [
            "Simulateur SPICO + PASS prêt.",
            f"  SPICO : {urls.public['spico']}/   ← à ouvrir dans Chromium ou Chrome",
            f"  PASS  : {urls.public['pass']}/",
            f"  Mobile: {urls.public['mobile']}/   ← en émulation de téléphone (outils de dév.)",
            f"  SMS   : {urls.internal['sms']}/messages (passerelle)"
            f"   SMTP : {urls.smtp[0]}:{urls.smtp[1]}",
            "Comptes : "
            + ", ".join(f"{a['identifier']} / {a['password']}" for a in ready.accounts),
            "Les codes à usage unique (e-mail et SMS) s'affichent ci-dessous à l'envoi.",
            f"Défauts actifs : {active}",
        ]
        if ready.control_token:
            control = urls.internal["control"]
            lines += [
                f"API de contrôle : {control}  (Authorization: Bearer {ready.control_token})",
                f"  ex. : curl -H 'Authorization: Bearer {ready.control_token}'"
                f" {control}/outbox/email",
            ]
        lines.append("Ctrl-C pour arrêter.")
        print("\n".join(lines), flush=True)

    return announce


def print_faults() -> None:
    width = max(len(name) for name in faults.CATALOG)
    for fault in faults.CATALOG.values():
        print(f"{fault.name:{width}} {fault.requirement:24} {fault.description}")
        if fault.also_breaks:
            also = ", ".join(fault.also_breaks)
            print(f"{'':{width}} {'':24} casse aussi {also} : {fault.because}")


def main(argv: list[str] | None = None) -> int:
    try:
        args, settings = read_command_line(argv, os.environ)
    except UsageError as exc:
        for problem in exc.problems:
            print(f"simulateur : {problem}", file=sys.stderr)
        return USAGE_STATUS
    if args.list_faults:
        print_faults()
        return 0
    from .server import run  # the servers' code, loaded once the command line is good

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run(settings, announce_json if args.json else announce_text(settings)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
