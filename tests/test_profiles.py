"""Target profiles: a bad one stops the run in one clear line before anything starts; a
good one runs the suite against a simulator started on its own, reached only through its
public URLs and control API, directly or behind a reverse proxy.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from fixtures import profile as profiles
from fixtures.appium_server import free_port
from fixtures.simulator_process import RunningSimulator, simulator_process
from tests.reverse_proxy import backends_by_host, reverse_proxy

ROOT = Path(__file__).resolve().parent.parent
GOOD = """
nom = "essai"
[urls]
spico = "http://spico.localhost:{port}"
pass = "http://pass.localhost:{port}"
[controle]
url = "http://127.0.0.1:{port}"
jeton_env = "JETON_ESSAI"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cible.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace('nom = "essai"\n', ""), "« nom » manquant"),
        (lambda t: t.replace('spico = "http://spico.localhost:{port}"\n', ""), "[urls] « spico »"),
        (lambda t: t.replace("http://pass", "ftp://pass"), "invalide : 'ftp://pass"),
        (lambda t: t + "couleur = 'bleu'\n", "clé inconnue « couleur »"),
        (lambda t: t.replace("jeton_env", "jeton"), "clé inconnue « jeton »"),
        (lambda t: t.replace('JETON_ESSAI"', 'JETON_ABSENT"'), "variable JETON_ABSENT vide"),
        (lambda t: t.replace("[urls]", "[urls"), "TOML illisible"),
    ],
)
def test_a_bad_profile_names_its_problem(tmp_path: Path, change, message: str) -> None:
    path = write(tmp_path, change(GOOD).format(port=9))
    with pytest.raises(profiles.ProfileError) as raised:
        profiles.load(path, environ={"JETON_ESSAI": "x"}, reach=False)
    text = str(raised.value)
    assert message in text and str(path) in text and "\n" not in text


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(profiles.ProfileError, match="fichier introuvable"):
        profiles.load(tmp_path / "absent.toml")


def test_an_unreachable_target(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.format(port=free_port()))
    with pytest.raises(profiles.ProfileError, match="cible injoignable : http://spico"):
        profiles.load(path, environ={"JETON_ESSAI": "x"})


def run_suite(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pytest", "features", "-q", "-p", "no:cacheprovider", *args]
    return subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
    )


def test_the_run_stops_before_any_browser(tmp_path: Path) -> None:
    """One line on stderr, pytest's usage error status, and not a scenario collected."""
    port = free_port()
    path = write(tmp_path, GOOD.format(port=port))
    result = run_suite(f"--cible={path}", env={"JETON_ESSAI": "x"})
    assert result.returncode == 4, result.stdout + result.stderr
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    expected = (
        f"profil {path} : cible injoignable : http://spico.localhost:{port} (connexion impossible)"
    )
    assert errors == [f"ERROR: {expected}"]
    assert "passed" not in result.stdout and "failed" not in result.stdout


@contextlib.contextmanager
def simulator_apart(behind_proxy: bool) -> Iterator[RunningSimulator]:
    """A simulator in its own process; or that simulator behind a reverse proxy, its public
    URLs the proxy's (one port, other than the simulator's)."""
    if not behind_proxy:
        with simulator_process([]) as sim:
            yield sim
        return
    port = free_port()
    public = {part: f"http://{part}.localhost:{port}" for part in ("pass", "spico", "mobile")}
    options = [f"--public-{part}-url={url}" for part, url in public.items()]
    with simulator_process([], options=tuple(options)) as sim:
        assert {part: sim.public[part] for part in public} == public
        with reverse_proxy(port, backends_by_host(public, sim.internal)):
            yield sim


@pytest.mark.slow
@pytest.mark.parametrize("behind_proxy", [False, True], ids=["direct", "derriere-un-proxy"])
def test_the_suite_passes_against_a_simulator_started_apart(
    tmp_path: Path, behind_proxy: bool
) -> None:
    with simulator_apart(behind_proxy) as sim:
        urls = sim.public
        path = write(
            tmp_path,
            f'nom = "simulateur à part"\n[urls]\nspico = "{urls["spico"]}"\n'
            f'pass = "{urls["pass"]}"\nmobile = "{urls["mobile"]}"\n'
            f'[controle]\nurl = "{sim.internal["control"]}"\njeton_env = "JETON_ESSAI"\n',
        )
        results = tmp_path / "resultats.json"
        result = run_suite(
            f"--cible={path}",
            "-m",
            "web or EXI-MOB-ACTIVATION",  # the whole web suite, and the app reached too
            "-n",
            "2",
            f"--resultats-json={results}",
            env={"JETON_ESSAI": sim.control_token},
        )
    outcomes = json.loads(results.read_text())
    failed = {name: r["message"] for name, r in outcomes.items() if r["outcome"] == "failed"}
    assert result.returncode == 0 and not failed, failed or result.stdout[-2000:]
    skipped = {name for name, r in outcomes.items() if r["outcome"] == "skipped"}
    # Under -n the shared clock is not moved: @horloge scenarios are reported, not run.
    reasons = {outcomes[name]["message"].split(" :")[0] for name in skipped}
    assert reasons == {"non exécuté", "contrôle manuel"}, reasons


def test_a_real_phone_profile(tmp_path: Path) -> None:
    """Real devices are configuration here: checked, turned into Appium capabilities."""
    from fixtures.phone import remote_capabilities

    text = GOOD.format(port=9) + (
        '[appareil]\nappium = "https://ferme.example.org/wd/hub"\nplateforme = "ios"\n'
        'capacites = { "appium:udid" = "00008110", "appium:noReset" = false }\n'
    )
    device = profiles.load(write(tmp_path, text), {"JETON_ESSAI": "x"}, reach=False).device
    assert remote_capabilities(device) == {
        "platformName": "iOS",
        "appium:automationName": "XCUITest",
        "browserName": "Safari",
        "appium:noReset": False,
        "appium:udid": "00008110",
    }
    bad = text.replace('plateforme = "ios"', 'plateforme = "windows"')
    with pytest.raises(profiles.ProfileError, match="« plateforme » doit valoir android ou ios"):
        profiles.load(write(tmp_path, bad), {"JETON_ESSAI": "x"}, reach=False)
