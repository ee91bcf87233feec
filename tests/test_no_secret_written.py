"""No secret is ever written: what a failure prints of an account, a mailbox or cookies
holds none, nor does Playwright's error when a password cannot be typed; and a failing audit,
as verbose as pytest gets, against a target whose account, mailbox and control API have
secrets, leaves none of them, nor the value of a cookie the browser held, on the terminal or
in the report folder.

Playwright's traces (``trace.zip``) are left out of the search: they record what the browser
typed and sent, by design, and are where the test reads the cookies' values from.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from audit.verdict import EXIT_NON_CONFORME
from fixtures.control import Account, Control
from fixtures.mailbox import Mailbox
from fixtures.session_replay import Cookies, fingerprint
from steps.pages.pass_portal import PassLoginPage
from tests import mail_provider
from tests.target_apart import profile_text, simulator_apart

ROOT = Path(__file__).resolve().parent.parent
#: Three scenarios that fail: on the web, at a check listing cookies (BP-COOKIES) and at an
#: assertion on what the replayed cookies open (EXI-WEB-DECONNEXION); on the phone, at an
#: assertion on the device credential the app held (EXI-MOB-REINITIALISATION). Each signs
#: in with the account's password and a code received by e-mail, read from the mailbox.
FAULTS = (
    "cookie-sans-httponly",
    "deconnexion-spico-cookie-seul",
    "reinitialisation-garde-appareil-serveur",
)
SCENARIOS = (
    "cookies_de_session_protégés or spico_seul_laisse_la_session_pass_ouverte"
    " or réinitialiser_efface_le_compte"
)
ACCOUNT = Account("dwho", "mot-de-passe-1", "dwho@example.org", "+33600000011", "Doctor Who")
READ_ONLY_PASSWORD = """
<label>Identifiant <input name="u"></label>
<label>Mot de passe <input name="p" type="password" readonly></label>
"""
#: A secret counts as written when this many of its characters in a row are: pytest cuts
#: long reprs in their middle, which can leave part of a secret on either side.
FRAGMENT = 10


def fragments(secret: str) -> set[bytes]:
    size = min(FRAGMENT, len(secret))
    return {secret[i : i + size].encode() for i in range(len(secret) - size + 1)}


def cookies_held(report: Path) -> dict[str, str]:
    """Every cookie value the browsers sent or received, from the traces' network records,
    named by the cookie and its fingerprint (never by its value)."""
    found = {}
    for trace in report.rglob("trace*.zip"):
        with zipfile.ZipFile(trace) as archive:
            for name in archive.namelist():
                if not name.endswith(".network"):
                    continue
                for line in archive.read(name).decode().splitlines():
                    snapshot = json.loads(line).get("snapshot", {})
                    for side in ("request", "response"):
                        for cookie in snapshot.get(side, {}).get("cookies", []):
                            label = f"cookie {cookie['name']} ({fingerprint(cookie['value'])})"
                            found[cookie["value"]] = label
    return found


def pdf_text(pdf: Path) -> bytes:
    """The PDF's text, where Ghostscript can extract it (Chromium's PDF keeps its text in
    compressed streams, which the raw bytes do not show)."""
    gs = shutil.which("gs")
    if gs is None:
        return b""
    command = [gs, "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=txtwrite", "-sOutputFile=-", str(pdf)]
    return subprocess.run(command, capture_output=True, check=True, timeout=60).stdout


def written(report: Path, terminal: str) -> dict[str, bytes]:
    """What the run wrote, by where: the terminal, and every file of the report folder but
    the traces (the PDF also as its text)."""
    places = {"terminal": terminal.encode()}
    for path in sorted(report.rglob("*")):
        if path.is_file() and not (path.name.startswith("trace") and path.suffix == ".zip"):
            places[str(path.relative_to(report))] = path.read_bytes()
    places["rapport.pdf (texte)"] = pdf_text(report / "rapport.pdf")
    return places


def test_what_a_failure_prints_of_an_account_a_mailbox_or_cookies_holds_no_secret() -> None:
    shown = repr(ACCOUNT) + repr(Mailbox("imap://boite.example.org", "audit", "boite-secrete"))
    shown += repr(Cookies({"spico_session": "valeur-du-cookie"}))
    assert "dwho" in shown and fingerprint("valeur-du-cookie") in shown
    for secret in ("mot-de-passe-1", "boite-secrete", "valeur-du-cookie"):
        assert secret not in shown


def test_a_password_the_page_does_not_take_is_not_quoted_by_the_failure(page: Page) -> None:
    """Playwright's call log quotes what ``fill`` types; the sign-in's failure does not."""
    page.set_content(READ_ONLY_PASSWORD)
    page.set_default_timeout(500)
    with pytest.raises(PlaywrightError) as failed:
        PassLoginPage(page).sign_in(ACCOUNT)
    assert 'fill("********")' in failed.value.message
    assert ACCOUNT.password not in str(failed.value)


@pytest.mark.lent
def test_no_secret_reaches_the_terminal_or_the_report(tmp_path: Path) -> None:
    report = tmp_path / "rapport"
    with contextlib.ExitStack() as stack:
        imap_url = stack.enter_context(mail_provider.imap_server())
        relay = stack.enter_context(mail_provider.smtp_into(imap_url))
        options = ("--relais-smtp", "{}:{}".format(*relay))
        options += tuple(f"--fault={fault}" for fault in FAULTS)
        sim = stack.enter_context(simulator_apart(options=options))
        control = Control(sim.internal["control"], sim.control_token)
        account = control.new_account()
        control.close()
        profile = tmp_path / "cible.toml"
        profile.write_text(
            profile_text(sim, "JETON_CONTROLE")
            + f'[[comptes]]\nidentifiant = "{account.identifier}"\n'
            f'mot_de_passe_env = "MDP_COMPTE"\nnom = "{account.display_name}"\n'
            f'email = "{account.email}"\ntelephone = "{account.phone}"\n'
            f'[codes.email]\nsource = "imap"\nurl = "{imap_url}"\n'
            f'utilisateur = "{mail_provider.USER}"\nmot_de_passe_env = "MDP_BOITE"\n',
            encoding="utf-8",
        )
        secrets = {
            "JETON_CONTROLE": sim.control_token,
            "MDP_COMPTE": account.password,
            "MDP_BOITE": mail_provider.PASSWORD,
        }
        # -vvv: the failing frames' arguments in full (-vv still cuts them at 240
        # characters; the assertions' explanations are in full from -vv); every log record,
        # on the terminal of a failure and in junit.xml.
        command = [sys.executable, "-m", "pytest", "features", "-vvv", "-p", "no:cacheprovider"]
        command += [f"--cible={profile}", "-k", SCENARIOS, f"--rapport={report}"]
        command += ["--log-level=DEBUG", "-o", "junit_logging=all"]
        run = subprocess.run(
            command,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, **secrets},
        )
    terminal = run.stdout + run.stderr
    failed = terminal.count("FAILED features/")
    assert run.returncode == EXIT_NON_CONFORME and failed == 3, terminal[-3000:]
    cookies = cookies_held(report)
    assert cookies, "aucun cookie dans les traces : la recherche ne prouverait rien"
    labels = {
        sim.control_token: "jeton de l'API de contrôle",
        account.password: "mot de passe du compte",
        mail_provider.PASSWORD: "mot de passe de la boîte aux lettres",
        **cookies,
    }
    places = written(report, terminal)
    if shutil.which("gs"):
        assert b"Non conforme" in places["rapport.pdf (texte)"], "texte du PDF illisible"
    leaks = [
        f"{label} dans {where}"
        for secret, label in labels.items()
        for where, content in places.items()
        if any(piece in content for piece in fragments(secret))
    ]
    assert not leaks, "secrets écrits :\n" + "\n".join(leaks)
