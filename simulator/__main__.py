"""``python -m simulator``: start SPICO + PASS for a person to explore, or for the suite.

Every error in the command line gets one French line and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import sys

from . import faults
from .config import Settings
from .server import Ready, run

OFFSETS = {"pass": 1, "spico": 2, "sms": 3, "mobile": 5, "control": 9}
SMTP_OFFSET = 4
_DURATION = re.compile(r"^(\d+)([smh]?)$")


def duration(text: str) -> int:
    """'7200', '7200s', '120m' or '2h' as seconds."""
    match = _DURATION.match(text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"durée invalide « {text} » (exemples : 7200s, 120m, 2h)")
    return int(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)]


def host_port(text: str) -> tuple[str, int]:
    """'relais.example.org:25' as a host and a port."""
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(
            f"adresse invalide « {text} » (attendu HÔTE:PORT, par exemple 127.0.0.1:2525)"
        )
    return host, int(port)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m simulator",
        description="Simulateur SPICO + PASS (+ passerelle SMS et serveur SMTP)"
        " pour la suite de conformité.",
    )
    p.add_argument("--bind", default="127.0.0.1", help="adresse d'écoute de PASS et SPICO")
    p.add_argument(
        "--base-port",
        type=int,
        default=8100,
        help="PASS = base+1, SPICO = base+2, SMS = base+3, SMTP = base+4, mobile = base+5,"
        " contrôle = base+9;"
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
    p.add_argument("--patients", type=int, default=1000, help="nombre de patients générés")
    p.add_argument("--seed", type=int, default=2022, help="graine des données Faker")
    p.add_argument("--spico-idle", type=duration, default="2h", help="inactivité SPICO (défaut 2h)")
    p.add_argument("--pass-idle", type=duration, default="4h", help="inactivité PASS (défaut 4h)")
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
        type=host_port,
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


def settings_from(args: argparse.Namespace) -> Settings:
    chosen = faults.parse([*args.fault, *os.environ.get("SPICO_SIM_FAULTS", "").split(",")])
    base = args.base_port
    ports = {part: base + offset if base else 0 for part, offset in OFFSETS.items()}
    public = {
        part: url
        for part, url in (
            ("pass", args.public_pass_url),
            ("spico", args.public_spico_url),
            ("mobile", args.public_mobile_url),
        )
        if url
    }
    token = os.environ.get("SPICO_SIM_CONTROL_TOKEN")
    return Settings(
        bind=args.bind,
        ports=ports,
        smtp_port=base + SMTP_OFFSET if base else 0,
        public_urls=public,
        database=args.database,
        patients=args.patients,
        seed=args.seed,
        test_mode=args.test_mode,
        faults=chosen,
        spico_idle_seconds=args.spico_idle,
        pass_idle_seconds=args.pass_idle,
        echo_outbox=not args.json,
        smtp_relay=args.relais_smtp,
        **({"control_token": token} if token else {}),
    )


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


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.list_faults:
        width = max(len(name) for name in faults.CATALOG)
        for fault in faults.CATALOG.values():
            print(f"{fault.name:{width}} {fault.requirement:24} {fault.description}")
            if fault.also_breaks:
                also = ", ".join(fault.also_breaks)
                print(f"{'':{width}} {'':24} casse aussi {also} : {fault.because}")
        return 0
    try:
        settings = settings_from(args)
    except faults.UnknownFault as exc:
        print(f"simulateur : {exc}", file=sys.stderr)
        return 2
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run(settings, announce_json if args.json else announce_text(settings)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
