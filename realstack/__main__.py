"""``python -m realstack [oidc|saml|django]``: a real stack in the foreground until Ctrl-C
(``oidc``, the reference stack, by default).

Without ``--json`` it prints its URLs, accounts and the browser's flags in French; with
``--json`` exactly one JSON line once everything answers (the profile, the clock file, the
SPKI hash, the host-resolver rules, the CA, URLs and accounts), for scripts and tests.

Every option is checked first, before the Debian packages are looked at and before anything
starts: each problem found is one French line, and the exit status is 4 (as the simulator's).
"""

from __future__ import annotations

import argparse
import json
import sys

from simulator.__main__ import MAX_PATIENTS
from simulator.command_line import (
    HIGHEST_PORT,
    USAGE_STATUS,
    FrenchParser,
    UsageError,
    checked,
    spaced,
    unexpected,
    whole,
)

from . import apache, django_app, llng
from .profile_file import Policy
from .stack import (
    DEFAULT,
    STACKS,
    Options,
    StackError,
    ensure_packages,
    install_signal_handlers,
    refused_overrides,
    run,
    wait_forever,
)


def _parser() -> FrenchParser:
    parser = FrenchParser(
        prog="python -m realstack",
        description="Une pile réelle jusqu'à Ctrl-C : PASS = LemonLDAP::NG ; SPICO = la porte"
        " Apache mod_auth_openidc (oidc, par défaut), la porte Apache mod_auth_mellon (saml)"
        " ou une application Django à sessions propres, connectée par CAS (django).",
    )
    parser.add_argument("pile", nargs="?", default=DEFAULT, help=f"la pile : {', '.join(STACKS)}")
    parser.add_argument("--json", action="store_true", help="une ligne JSON quand tout répond")
    parser.add_argument(
        "--installer",
        action="store_true",
        help="installer les paquets Debian manquants de toutes les piles, puis s'arrêter",
    )
    parser.add_argument(
        "--apache",
        action="append",
        default=[],
        metavar="'DIRECTIVE ARGS'",
        help="directive ajoutée à la location protégée de la porte (répétable) ; refusées :"
        " celles qui lisent un autre fichier, lancent un programme ou chargent du code",
    )
    parser.add_argument(
        "--llng",
        action="append",
        default=[],
        metavar="CLÉ=VALEUR",
        help="clé de configuration de LemonLDAP::NG, a/b/c pour une clé imbriquée (répétable)",
    )
    parser.add_argument(
        "--django",
        action="append",
        default=[],
        metavar="RÉGLAGE=VALEUR",
        help="réglage Django de l'application (pile django), la valeur lue comme un littéral"
        " Python (répétable)",
    )
    parser.add_argument(
        "--variante",
        action="append",
        default=[],
        metavar="NOM",
        help="variante nommée (répétable) : "
        + " ; ".join(f"{name} : {', '.join(side.variants)}" for name, side in STACKS.items()),
    )
    parser.add_argument(
        "--politique-courte",
        nargs="?",
        const=SHORT_MINUTES,
        metavar="SPICO,PASS",
        help="démarrer exprès une politique courte, en minutes (défaut : 5,10) : la porte, le"
        " portail et la minuterie de l'écran la suivent, les profils la déclarent ; pour un"
        " audit en temps réel (profil-reel.toml)",
    )
    parser.add_argument("--port-pass", default="0", help="port HTTPS du PASS (0 : libre)")
    parser.add_argument("--port-spico", default="0", help="port HTTPS de SPICO (0 : libre)")
    parser.add_argument(
        "--patients", default="200", help=f"nombre de patients (de 1 à {spaced(MAX_PATIENTS)})"
    )
    return parser


def _stack(name: str) -> str:
    if name not in STACKS:
        raise ValueError(f"pile inconnue ; piles connues : {', '.join(STACKS)}")
    return name


def _variant(stack: str | None):
    """The check of a variant's name for ``stack`` (any name when the stack is unknown: that
    is the problem already said)."""
    known = STACKS[stack].variants if stack else {}

    def check(name: str) -> str:
        if stack and name not in known:
            raise ValueError(
                f"variante inconnue pour la pile {stack} ; variantes connues : {', '.join(known)}"
            )
        return name

    return check


def _override(text: str) -> str:
    llng.parse_override(text)
    return text


#: The short policy's default, in minutes: SPICO 5, PASS 10.
SHORT_MINUTES = "5,10"
#: A short policy's bounds: a minute at least (the suite judges 1/120 of the timeout before
#: it), and shorter than the guide's.
SHORT_BOUNDS = (1, 119)


def short_policy(text: str) -> Policy:
    """``SPICO,PASS`` in minutes → the policy; ValueError (French) otherwise."""
    parts = [part.strip() for part in text.split(",")]
    if len(parts) != 2 or not all(part.isdigit() for part in parts):
        raise ValueError("attendu deux nombres de minutes, SPICO,PASS (ex. : 5,10)")
    spico, pass_ = (int(part) for part in parts)
    low, high = SHORT_BOUNDS
    if not (low <= spico <= high and low <= pass_ <= 2 * high):
        raise ValueError(
            f"SPICO entre {low} et {high} minutes, PASS entre {low} et {2 * high} (plus courts"
            " que le guide)"
        )
    if pass_ < spico:
        raise ValueError("PASS plus court que SPICO : la session PASS doit durer au moins autant")
    return Policy(spico * 60, pass_ * 60)


def _setting(text: str) -> str:
    django_app.check_setting(text)
    return text


def _options(args: argparse.Namespace, problems: list[str]) -> Options:
    """The stack's options, each checked: UsageError with ``problems`` and every other
    problem found."""
    port = whole(0, HIGHEST_PORT, f"attendu un port entre 1 et {HIGHEST_PORT}, ou 0 (libre)")
    stack = checked(problems, "pile", args.pile, _stack)
    values = {
        "stack": stack or DEFAULT,
        "apache": [checked(problems, "--apache", d, apache.check_directive) for d in args.apache],
        "llng": [checked(problems, "--llng", k, _override) for k in args.llng],
        "django": [checked(problems, "--django", s, _setting) for s in args.django],
        "variants": [checked(problems, "--variante", v, _variant(stack)) for v in args.variante],
        "pass_port": checked(problems, "--port-pass", args.port_pass, port),
        "spico_port": checked(problems, "--port-spico", args.port_spico, port),
        "patients": checked(problems, "--patients", args.patients, whole(1, MAX_PATIENTS)),
    }
    if args.politique_courte is not None:
        values["policy"] = checked(
            problems, "--politique-courte", args.politique_courte, short_policy
        )
    if values["pass_port"] and values["pass_port"] == values["spico_port"]:
        problems.append(f"--port-pass et --port-spico : le même port ({values['pass_port']})")
    options = Options(**values)
    if stack:
        problems += refused_overrides(options)
    if problems:
        raise UsageError(problems)
    return options


def _human(ready: dict) -> None:
    urls = ready["urls"]
    spico = f"SPICO (pile {ready['pile']})"
    print(f"{spico:<38}: {urls['spico']}")
    print(f"PASS (LemonLDAP::NG)                  : {urls['pass']}")
    print(
        f"Boîte aux lettres (IMAP)              : {urls['imap']} ({ready['boite']['utilisateur']}"
        f" / {ready['boite']['mot_de_passe']})"
    )
    print(f"Passerelle SMS (GET ?to=numéro)       : {urls['sms']}")
    for account in ready["comptes"]:
        print(
            f"Compte : {account['identifiant']} / {account['mot_de_passe']}"
            f" ({account['email']}, {account['telephone']})"
        )
    print(f"Profil de cible : {ready['profil']} (temps réel : {ready['profil_reel']})")
    variables = " ".join(f"{k}={v}" for k, v in ready["environnement"].items())
    print(f"Variables du profil : {variables}")
    print(f"Horloge (libfaketime) : {ready['horloge_fichier']} (ex. : echo +7201s > …)")
    print(f"CA : {ready['ca']}")
    print(
        f"Chromium : --ignore-certificate-errors-spki-list={ready['spki']}"
        f' --host-resolver-rules="{ready["resolution"]}"'
    )
    print("Ctrl-C pour arrêter la pile.", flush=True)


def main(argv: list[str] | None = None) -> int:
    try:
        args, extras = _parser().parse_known_args(argv)
        options = _options(args, unexpected(extras))
    except UsageError as exc:
        for problem in exc.problems:
            print(f"pile : {problem}", file=sys.stderr, flush=True)
        return USAGE_STATUS
    install_signal_handlers()

    def say(text: str) -> None:
        print(text, file=sys.stderr if args.json else sys.stdout, flush=True)

    if args.installer:
        try:
            ensure_packages(say, list(STACKS))
        except StackError as exc:
            print(f"pile : {exc}", file=sys.stderr, flush=True)
            return 1
        say("Pile réelle : paquets Debian installés")
        return 0
    try:
        with run(options, say) as running:
            if args.json:
                print(json.dumps(running.ready, ensure_ascii=False), flush=True)
            else:
                _human(running.ready)
            wait_forever(running)
    except KeyboardInterrupt:
        if not args.json:
            print("Pile arrêtée.", flush=True)
        return 0
    except StackError as exc:
        print(f"pile : {exc}", file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
