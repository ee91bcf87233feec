"""Can this machine run the suite?  ``python -m audit.doctor [--silencieux]``

One line per check, the command that fixes each missing item, exit code 1 when a required
item is missing. ``--silencieux`` (used at the end of ``./dev setup``; ``--quiet`` and ``-q``
are its old names) prints only the problems. What it prints is in French, like everything a
user reads.
"""

from __future__ import annotations

import importlib
import importlib.metadata as metadata
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

from fixtures.chromium import find_chromedriver, find_chromium, find_headless_shell

DIST = "spico-conformite"
FALLBACK = ["pytest", "pytest-bdd", "pytest-playwright", "playwright", "pytest-xdist", "httpx"]
FALLBACK += ["Appium-Python-Client", "Faker", "starlette", "uvicorn", "jinja2", "joserfc"]
FALLBACK += ["python-multipart", "authlib", "aiosmtpd"]
REINSTALL = "./dev setup --force"
APT = ("" if getattr(os, "geteuid", lambda: 0)() == 0 else "sudo ") + "apt-get install -y"
QUIET = {"--silencieux", "--quiet", "-q"}
HELP = {"--aide", "--help", "-h"}
USAGE = """\
Usage : python -m audit.doctor [--silencieux]   (ou : ./dev verifier, spico-audit doctor)

Vérifie que cette machine peut faire tourner la suite : Python et les dépendances, Chromium,
chromedriver, Node, Appium. Une ligne par vérification (✓ ou ✗) et, pour ce qui manque, la
commande qui l'installe. Code de sortie 1 si un élément indispensable manque.

  --silencieux   n'affiche que les problèmes (--quiet, -q : anciens noms)
  --aide, -h     ce texte"""


class Doctor:
    def __init__(self, quiet: bool) -> None:
        self.quiet, self.failed = quiet, False

    def check(self, ok: bool, text: str, fix: str = "", optional: bool = False) -> None:
        self.failed |= not ok and not optional
        note = " (facultatif : seule la suite mobile en a besoin)" if optional and not ok else ""
        fix = f"\n    pour corriger : {fix}" if fix and not ok else ""
        if not (self.quiet and (ok or optional)):
            print(f"{'✓' if ok else '✗'} {text}{note}{fix}")

    def tool(self, name: str, path: str | None, fix: str, optional: bool = False) -> None:
        """A program is there and answers ``--version`` within 10 s."""
        if not path:
            return self.check(False, f"{name} : introuvable", fix, optional)
        try:
            out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10)
            said = out.stdout.strip() or out.stderr.strip() or f"code de sortie {out.returncode}"
            ok, answer = out.returncode == 0, said.splitlines()[0].split(" (")[0]
        except (OSError, subprocess.TimeoutExpired) as exc:
            ok, answer = False, str(exc)
        self.check(ok, f"{name} : {path} ({answer})", fix, optional)


def requirements(doctor: Doctor) -> list[tuple[str, Any]]:
    """(name, specifier) of the runtime requirements of the installed distribution."""
    try:
        from packaging.requirements import Requirement

        reqs = [Requirement(line) for line in metadata.requires(DIST) or []]
    except Exception as exc:  # not installed (or no `packaging`): check presence only
        if isinstance(exc, metadata.PackageNotFoundError):
            doctor.check(False, f"{DIST} n'est pas installé dans {sys.prefix}", REINSTALL)
        return [(name, None) for name in FALLBACK]
    doctor.check(True, f"{DIST} {metadata.version(DIST)} installé dans {sys.prefix}")
    return [(r.name, r.specifier) for r in reqs if not r.marker or r.marker.evaluate({})]


def _import(module: str) -> None:
    """Import ``module``; a Django application (django-cas-ng) imports only once Django has
    settings, so it gets empty ones: the check is that the code is there and loads."""
    try:
        importlib.import_module(module)
    except Exception as exc:
        if type(exc).__name__ != "ImproperlyConfigured":
            raise
        from django.conf import settings

        if not settings.configured:
            settings.configure()
        importlib.import_module(module)


def check_python(doctor: Doctor) -> None:
    fix = "installez Python >= 3.11, puis : rm -rf .venv && ./dev setup"
    text = f"Python {sys.version.split()[0]} ({sys.executable})"
    doctor.check(sys.version_info >= (3, 11), text, fix)
    modules = metadata.packages_distributions()  # top-level module -> distributions
    for name, specifier in requirements(doctor):
        try:
            version = metadata.version(name)
            if specifier is not None and not specifier.contains(version, prereleases=True):
                raise ImportError(f"{version} installé, {specifier} demandé")
            for module, dists in modules.items():  # import them: catches broken installs too
                if name.lower() in (d.lower() for d in dists) and module[0] != "_":
                    _import(module)
            doctor.check(True, f"{name} {version}")
        except Exception as exc:  # PackageNotFoundError, ImportError, or a broken package
            reason = "non installé" if isinstance(exc, metadata.PackageNotFoundError) else exc
            doctor.check(False, f"{name} : {reason}", REINSTALL)


def run(quiet: bool) -> int:
    doctor = Doctor(quiet)
    check_python(doctor)
    for var in ("SPICO_CHROMIUM", "SPICO_CHROMEDRIVER"):
        value = os.environ.get(var)
        if value and not (os.path.isfile(value) and os.access(value, os.X_OK)):
            doctor.check(False, f"${var}={value} n'est pas un fichier exécutable", f"unset {var}")
    apt = shutil.which("apt-get")
    fix = f"{APT} chromium chromium-driver" if apt else ".venv/bin/playwright install chromium"
    doctor.tool("Chromium", find_chromium(), fix)
    fix = f"{APT} chromium-headless-shell" if apt else ".venv/bin/playwright install chromium"
    doctor.tool(
        "headless shell de Chromium (deux fois plus rapide)",
        find_headless_shell(),
        fix,
        optional=True,
    )
    fix = (
        f"{APT} chromium-driver"
        if apt
        else "indiquez dans SPICO_CHROMEDRIVER le chromedriver de ce Chromium"
    )
    doctor.tool("chromedriver", find_chromedriver(), fix, optional=True)
    for name in ("node", "npm"):
        doctor.tool(name, shutil.which(name), "installez Node.js >= 20 avec npm", optional=True)
    appium = Path(__file__).resolve().parent.parent / "node_modules" / ".bin" / "appium"
    fix = "./dev setup (npm install --no-save, depuis package-lock.json)"
    doctor.tool("Appium", str(appium) if appium.exists() else None, fix, optional=True)
    return 1 if doctor.failed else 0


def main(argv: list[str] | None = None) -> int:
    args = set(sys.argv[1:] if argv is None else argv)
    warnings.simplefilter("ignore")  # deprecation noise from the imports checked
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")
    if HELP & args:
        print(USAGE)
        return 0
    quiet = bool(QUIET & args)
    try:
        return run(quiet)
    except (Exception, KeyboardInterrupt) as exc:  # a doctor never shows a stack trace
        print(f"✗ la vérification n'a pas pu aller au bout : {type(exc).__name__} : {exc}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
