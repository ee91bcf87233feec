"""The target profile a stack writes for the suite: everything the suite knows of the
stack, and nothing the suite would have to learn about it."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from . import llng, mail

#: How a part names a Python distribution (``versions``) rather than a Debian package.
PYPI = "pypi:"
#: The guide's promise, as the stack is configured for it (its own figure, not the simulator's).
GUIDE_IDLE_SECONDS = 7200
#: The profiles a stack writes: the same target, its time moved by libfaketime, or real.
FAKETIME_PROFILE, REAL_PROFILE = "profil.toml", "profil-reel.toml"


@dataclass(frozen=True)
class Policy:
    """The idle timeouts a stack is started with on purpose, which its gate, its portal and its
    screen's timer all follow, and which its profiles declare: the guide's (SPICO 2 hours,
    PASS 4) or a short one, for an audit in real time. Never what a variant or an override
    set: the suite judges by the declared timeouts, and a misconfigured component is what it
    must catch, not scale away."""

    spico_idle: int = GUIDE_IDLE_SECONDS
    pass_idle: int = llng.INACTIVITY_SECONDS

    @property
    def short(self) -> bool:
        return self != Policy()

    def declared(self) -> dict[str, int]:
        """What the profiles declare: the policy, and how long PASS's codes live (the same
        whatever the policy)."""
        return {
            "inactivite_spico": self.spico_idle,
            "inactivite_pass": self.pass_idle,
            "validite_code": llng.CODE_SECONDS,
        }

    def said(self) -> str:
        return f"SPICO {_hours(self.spico_idle)}, PASS {_hours(self.pass_idle)}"


#: The short policy ``--politique-courte`` starts without values: 5 and 10 minutes.
SHORT_POLICY = Policy(300, 600)
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
    """A duration as the profile's grammar reads it: hours, or minutes, or seconds."""
    for unit, size in (("heure", 3600), ("minute", 60)):
        count, rest = divmod(seconds, size)
        if count and not rest:
            return f"{count} {unit}{'s' if count > 1 else ''}"
    return f"{seconds} secondes"


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


def write(folder: Path, clock: Path, policy: Policy, **described) -> None:
    """The stack's two profiles, in ``folder``: ``FAKETIME_PROFILE`` (the suite moves the
    servers' clock, read from ``clock``) and ``REAL_PROFILE`` (time passes for real), both
    declaring ``policy``; ``described`` is the rest of the target, as ``_profile`` takes it."""
    declared = [f"{key} = {_toml(_hours(s))}" for key, s in policy.declared().items()]
    faketime = ['horloge = "faketime"', f"fichier = {_toml(str(clock))}", *declared]
    (folder / FAKETIME_PROFILE).write_text(_profile(time=faketime, **described))
    real = ['horloge = "reelle"', *declared]
    (folder / REAL_PROFILE).write_text(_profile(time=real, **described))


def _profile(
    *,
    name: str,
    description: str,
    versions: dict[str, str],
    urls: dict[str, str],
    accounts: list[dict],
    ca: Path,
    spki: str,
    resolution: str,
    journey: dict[str, object],
    time: list[str],
) -> str:
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
        *time,
        "",
        "[parcours]",
        *(f"{key} = {_toml_value(value)}" for key, value in {**JOURNEY, **journey}.items()),
        "",
        "[libelles.pass]",
        *(f"{_toml(words)} = {_toml(own)}" for words, own in PASS_LABELS.items()),
        "",
    ]
    return "\n".join(lines)
