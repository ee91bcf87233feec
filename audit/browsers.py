"""Where the browser binaries are.

The suite launches a Chromium it finds itself (Playwright's ``executable_path``) instead of
relying on ``playwright install``: the project's machines cannot download browsers, so they
use Debian's ``chromium`` package, while a developer laptop may only have Playwright's own
download. Both functions return an absolute path, or ``None`` when nothing usable is found.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
from pathlib import Path

# Debian's real binaries. /usr/bin/chromium is a shell wrapper around the first that adds
# flags, prints a harmless "[: unexpected operator" and starts slower: we take the binary.
DEBIAN_CHROMIUM = "/usr/lib/chromium/chromium"
# The "old headless" build (package chromium-headless-shell), what Playwright itself runs
# for headless Chromium: it draws nothing, and the web suite needs a third of the CPU.
DEBIAN_HEADLESS_SHELL = "/usr/lib/chromium/chromium-headless-shell"


def _executable(path: str | os.PathLike[str] | None) -> str | None:
    if path and os.path.isfile(path) and os.access(path, os.X_OK):
        return os.path.abspath(path)  # not resolve(): snap launchers dispatch on their name
    return None


def _playwright_downloads(*patterns: str) -> list[Path]:
    """Builds downloaded by ``playwright install chromium`` matching ``patterns``, newest first."""
    root = os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or ""
    cache = Path(root) if root else Path.home() / ".cache" / "ms-playwright"
    if root == "0":  # "install inside the playwright package": find it without importing it
        spec = importlib.util.find_spec("playwright")
        package = Path(spec.origin).parent if spec and spec.origin else Path(os.devnull)
        cache = package / "driver" / "package" / ".local-browsers"

    def revision(path: Path) -> int:
        match = re.search(r"chromium\w*-(\d+)", str(path))
        return int(match.group(1)) if match else -1

    found = [path for pattern in patterns for path in cache.glob(pattern)]
    return sorted(found, key=revision, reverse=True)


def _first_executable(candidates: list) -> str | None:
    for candidate in candidates:
        found = _executable(candidate)
        if found:
            return found
    return None


def find_chromium(headless: bool = False) -> str | None:
    """Chromium to launch: $SPICO_CHROMIUM, Debian's binary, PATH, then Playwright's download.

    With ``headless``, a headless shell found the same way comes first. An explicit
    $SPICO_CHROMIUM wins so that a developer can test another build; the system package
    comes before Playwright's download because it is what the project's machines and CI
    have (and it gets security updates from apt).
    """
    explicit = [os.environ.get("SPICO_CHROMIUM")]
    shell = find_headless_shell() if headless else None
    full = [DEBIAN_CHROMIUM, *(shutil.which(name) for name in ("chromium", "chromium-browser"))]
    full += _playwright_downloads("chromium-*/chrome-linux*/chrome")
    return _first_executable([*explicit, shell, *full])


def find_headless_shell() -> str | None:
    """The headless-only Chromium build: Debian's, then Playwright's download."""
    downloads = _playwright_downloads(
        "chromium_headless_shell-*/chrome-headless-shell-linux*/chrome-headless-shell",
        "chromium_headless_shell-*/chrome-linux*/headless_shell",
    )
    return _first_executable([DEBIAN_HEADLESS_SHELL, *downloads])


def find_chromedriver() -> str | None:
    """Chromedriver for the mobile suite (Appium's Chromium driver): $SPICO_CHROMEDRIVER, PATH.

    It must match the Chromium's major version, which Debian's ``chromium-driver`` does;
    Appium is told to use it rather than download one (no such download works here).
    """
    return _first_executable([os.environ.get("SPICO_CHROMEDRIVER"), shutil.which("chromedriver")])
