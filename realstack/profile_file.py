"""The target profile a stack writes for the suite: everything the suite knows of the
stack, and nothing the suite would have to learn about it."""

from __future__ import annotations

import json
import subprocess
from importlib import metadata
from pathlib import Path

from . import llng, mail

#: How a part names a Python distribution (``versions``) rather than a Debian package.
PYPI = "pypi:"
#: The guide's promise: SPICO ends a session after 2 hours of inactivity.
GUIDE_IDLE_SECONDS = 7200
#: What the profile declares of the timeouts: the policy the stack is meant to have (the
#: guide's 2 hours for SPICO, PASS's 4), never what a variant or an override set: the suite
#: moves the clock by these, and a misconfigured component is what it must catch.
DECLARED_IDLE = {
    "inactivite_spico": GUIDE_IDLE_SECONDS,
    "inactivite_pass": llng.INACTIVITY_SECONDS,
}
#: How the suite walks through the stacks' pages (paths, and the buttons of each logout); a
#: stack's SPICO may change some (``Spico.journey``).
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


def _toml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


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


def versions(packages: dict[str, str]) -> dict[str, str]:
    """The installed versions of ``packages`` (part → Debian package, as dpkg knows it; or
    ``pypi:NAME``, a Python distribution of this environment, as its metadata says); a part
    neither can tell is left out."""
    found = {}
    for part, package in packages.items():
        if package.startswith(PYPI):
            version = _python_version(package.removeprefix(PYPI))
        else:
            version = _debian_version(package)
        if version:
            found[part] = version
    return found


def _debian_version(package: str) -> str:
    try:
        done = subprocess.run(
            ["dpkg-query", "-W", "-f", "${Version}", package], capture_output=True, text=True
        )
    except OSError:
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def _python_version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return ""


def write(
    path: Path,
    *,
    name: str,
    description: str,
    versions: dict[str, str],
    urls: dict[str, str],
    accounts: list[dict],
    ca: Path,
    spki: str,
    resolution: str,
    clock: Path,
    journey: dict[str, object],
) -> None:
    lines = [
        f"nom = {_toml(name)}",
        f"description = {_toml(description)}",
        "",
        "[versions]",
        *(f"{_toml(part)} = {_toml(version)}" for part, version in versions.items()),
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
        f"autorite = {_toml(str(ca))}",
        f"spki = {_toml_value([spki])}",
        f"hotes = {_toml(resolution)}",
        "",
        "[temps]",
        'horloge = "faketime"',
        f"fichier = {_toml(str(clock))}",
        *(f"{key} = {_toml(_hours(seconds))}" for key, seconds in DECLARED_IDLE.items()),
        "",
        "[parcours]",
        *(f"{key} = {_toml_value(value)}" for key, value in {**JOURNEY, **journey}.items()),
        "",
        "[libelles.pass]",
        *(f"{_toml(words)} = {_toml(own)}" for words, own in PASS_LABELS.items()),
        "",
    ]
    path.write_text("\n".join(lines))
