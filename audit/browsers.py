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

# Debian's real binary. /usr/bin/chromium is a shell wrapper around it that adds flags,
# prints a harmless "[: unexpected operator" and starts slower: we take the binary itself.
DEBIAN_CHROMIUM = "/usr/lib/chromium/chromium"


def _executable(path: str | os.PathLike[str] | None) -> str | None:
    if path and os.path.isfile(path) and os.access(path, os.X_OK):
        return os.path.abspath(path)  # not resolve(): snap launchers dispatch on their name
    return None


def _playwright_chromiums() -> list[Path]:
    """Chromium builds downloaded by ``playwright install chromium``, newest revision first."""
    root = os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or ""
    cache = Path(root) if root else Path.home() / ".cache" / "ms-playwright"
    if root == "0":  # "install inside the playwright package": find it without importing it
        spec = importlib.util.find_spec("playwright")
        package = Path(spec.origin).parent if spec and spec.origin else Path(os.devnull)
        cache = package / "driver" / "package" / ".local-browsers"

    def revision(path: Path) -> int:
        match = re.search(r"chromium-(\d+)", str(path))
        return int(match.group(1)) if match else -1

    return sorted(cache.glob("chromium-*/chrome-linux*/chrome"), key=revision, reverse=True)


def find_chromium() -> str | None:
    """Chromium to launch: $SPICO_CHROMIUM, Debian's binary, PATH, then Playwright's download.

    An explicit $SPICO_CHROMIUM wins so that a developer can test another build; the system
    package comes before Playwright's download because it is what the project's machines
    and CI have (and it gets security updates from apt).
    """
    candidates = [os.environ.get("SPICO_CHROMIUM"), DEBIAN_CHROMIUM]
    candidates += [shutil.which(name) for name in ("chromium", "chromium-browser")]
    candidates += _playwright_chromiums()
    for candidate in candidates:
        found = _executable(candidate)
        if found:
            return found
    return None


def find_chromedriver() -> str | None:
    """Chromedriver for the mobile suite (Appium's Chromium driver): $SPICO_CHROMEDRIVER, PATH.

    It must match the Chromium's major version, which Debian's ``chromium-driver`` does;
    Appium is told to use it rather than download one (no such download works here).
    """
    for candidate in (os.environ.get("SPICO_CHROMEDRIVER"), shutil.which("chromedriver")):
        found = _executable(candidate)
        if found:
            return found
    return None
