"""The reference real stack (``python -m realstack``): LemonLDAP::NG as PASS, Apache with
mod_auth_openidc as SPICO's gate. Its launcher's JSON line and profile, its HTTPS, a real
sign-in through it in Chromium trusting it by SPKI (the code by e-mail or by SMS, chosen on
PASS), its clock under libfaketime, and that stopping it leaves no process behind."""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, BrowserType, expect

from fixtures import profile as profiles
from fixtures.clock import FaketimeClock
from fixtures.codes import poll_until
from fixtures.control import CODE
from fixtures.durations import parse_offset
from fixtures.mailbox import Mailbox
from fixtures.network import Network
from processes.waiting import poll
from realstack.servers import service_user
from realstack.stack import STACKS
from tests.stack_apart import interrupt, launch, logs_tail

pytestmark = pytest.mark.pile_reelle

ROOT = Path(__file__).resolve().parent.parent
GATE_COOKIE = "mod_auth_openidc_session"


@pytest.fixture(scope="module")
def stack() -> Iterator[dict]:
    launched = launch()
    try:
        yield launched.ready
    finally:
        interrupt(launched)


@pytest.fixture(scope="module")
def stack_browser(
    stack: dict, browser_type: BrowserType, browser_type_launch_args: dict
) -> Iterator[Browser]:
    """The suite's Chromium (pytest-playwright's, one Playwright per process), told to trust
    the stack's certificate and where its host names are."""
    args = [
        *browser_type_launch_args.get("args", []),
        f"--ignore-certificate-errors-spki-list={stack['spki']}",
        f"--host-resolver-rules={stack['resolution']}",
    ]
    launched = browser_type.launch(**{**browser_type_launch_args, "args": args})
    try:
        yield launched
    finally:
        launched.close()


def _tls_client(stack: dict) -> httpx.Client:
    return httpx.Client(verify=ssl.create_default_context(cafile=stack["ca"]), timeout=10)


def _get(client: httpx.Client, url: str) -> httpx.Response:
    """GET on loopback: Python does not resolve *.localhost; the certificate is still
    checked against the host name (SNI)."""
    parts = urlsplit(url)
    return client.get(
        f"https://127.0.0.1:{parts.port}{parts.path or '/'}",
        headers={"Host": parts.netloc},
        extensions={"sni_hostname": parts.hostname},
    )


def test_launcher_prints_json_line_and_profile(stack: dict) -> None:
    for key in ("profil", "horloge_fichier", "spki", "resolution", "ca", "urls", "comptes"):
        assert stack[key], key
    assert len(base64.b64decode(stack["spki"])) == 32
    # an offset libfaketime reads (+0 at the start: the module's other tests move it on)
    assert parse_offset(Path(stack["horloge_fichier"]).read_text().strip()) >= 0
    assert Path(stack["ca"]).read_text().startswith("-----BEGIN CERTIFICATE-----")
    assert stack["urls"]["spico"].startswith("https://spico.")
    target = profiles.load(stack["profil"], environ=stack["environnement"], reach=False)
    assert target.spico_url == stack["urls"]["spico"].rstrip("/")
    assert target.pass_url == stack["urls"]["pass"].rstrip("/")
    assert [a.identifier for a in target.accounts][:3] == ["dwho", "rtyler", "msmith"]
    assert len(target.accounts) == 12  # as many scenarios may wait side by side in real time
    assert target.accounts[0].password == "dwho"
    assert target.network == Network(stack["ca"], (stack["spki"],), stack["resolution"])
    assert (target.clock, target.clock_file) == ("faketime", stack["horloge_fichier"])
    assert target.declared_timeouts == {"spico": 7200, "pass": 14400, "code": 120}
    real = profiles.load(stack["profil_reel"], environ=stack["environnement"], reach=False)
    assert (real.clock, real.clock_file) == ("reelle", None)
    assert real.declared_timeouts == target.declared_timeouts
    assert real.spico_url == target.spico_url and real.accounts == target.accounts
    assert target.flows.channel_choice
    assert target.flows.pass_logout == ("Accepter",)
    assert target.labels["pass"]["Kiosque des services"] == "Services"
    assert target.codes["email"].kind == "imap"
    target.codes["email"].mailbox().check()
    sms = target.codes["sms"]
    assert (sms.kind, sms.url) == ("passerelle", stack["urls"]["sms"])
    assert [a.phone for a in target.accounts][:3] == [
        "+33600000011",
        "+33600000012",
        "+33600000013",
    ]
    assert httpx.get(stack["urls"]["sms"], params={"to": "+33600000019"}).json() == []
    # the gateway reads the stack's clock (libfaketime), as the servers do
    assert _mentions(stack["groupes"]["la passerelle SMS"], stack["horloge_fichier"])
    conf = json.loads((Path(stack["dossier"]) / "llng" / "conf" / "lmConf-1.json").read_text())
    assert (conf["timeoutActivity"], conf["timeoutActivityInterval"]) == (14400, 60)
    # both factors for everyone, each code generated and checked by LemonLDAP::NG itself
    assert (conf["mail2fActivation"], conf["ext2fActivation"]) == (1, 1)
    assert (conf["mail2fLabel"], conf["ext2fLabel"]) == ("Par e-mail", "Par SMS")
    assert conf["ext2fCodeActivation"] == r"\d{6}"
    assert "ext2FValidateCommand" not in conf
    assert conf["ext2FSendCommand"].endswith(f" {stack['urls']['sms']} $mobile $code")
    assert _screen_idle_seconds(stack) == 7200


def _screen_idle_seconds(ready: dict) -> int:
    """The --inactivite the launcher gave the patient application."""
    pid = ready["groupes"]["l'application des patients"]
    arguments = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
    return int(arguments[arguments.index("--inactivite") + 1])


def test_discovery_is_served_over_https_with_the_stack_ca(stack: dict) -> None:
    with _tls_client(stack) as client:
        answer = _get(client, stack["urls"]["decouverte"])
    assert answer.status_code == 200
    discovery = answer.json()
    assert discovery["issuer"].rstrip("/") == stack["urls"]["pass"].rstrip("/")
    assert "frontchannel_logout_supported" in discovery
    port = urlsplit(stack["urls"]["pass"]).port
    with pytest.raises(httpx.ConnectError):  # not trusted without the stack's CA
        httpx.get(f"https://127.0.0.1:{port}/.well-known/openid-configuration")


def _sms_texts(stack: dict, phone: str) -> list[str]:
    """What the stack's SMS gateway says ``phone`` received, oldest first."""
    answer = httpx.get(stack["urls"]["sms"], params={"to": phone}, timeout=10)
    return [message["text"] for message in answer.raise_for_status().json()]


def _signed_in(
    browser: Browser, stack: dict, account: dict, channel: str = "Par e-mail"
) -> BrowserContext:
    """A browser signed in through the gate: the portal's login, the channel chosen on its
    2F choice page ("Par e-mail": Mail2F, read over IMAP; "Par SMS": Ext2F, read from the
    SMS gateway), the code typed, until the patient list shows. The caller closes it."""
    box = Mailbox(
        stack["boite"]["url"], stack["boite"]["utilisateur"], stack["boite"]["mot_de_passe"]
    )

    def received() -> list[str]:
        if channel == "Par SMS":
            return _sms_texts(stack, account["telephone"])
        return box.texts_to(account["email"])

    before = len(received())
    context = browser.new_context(locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(stack["urls"]["spico"])
        assert urlsplit(page.url).hostname == urlsplit(stack["urls"]["pass"]).hostname
        page.fill("#userfield", account["identifiant"])
        page.fill("#passwordfield", account["mot_de_passe"])
        page.locator("#userfield").press("Enter")
        expect(page.get_by_role("button", name="Par SMS")).to_be_visible()
        expect(page.locator("#extcode")).to_have_count(0)  # no code sent before the choice
        page.get_by_role("button", name=channel).click()
        code_field = page.get_by_placeholder("Code", exact=True)
        try:
            expect(code_field).to_be_visible()
        except AssertionError as error:  # the portal refused: what its servers said
            raise AssertionError(f"{error}\n{logs_tail(stack['dossier'])}") from None
        texts = poll_until(lambda: received()[before:], 30, f"aucun code reçu ({channel})")
        code_field.fill(CODE.search(texts[-1]).group(1))
        page.get_by_role("button", name="Se connecter").click()
        expect(page.get_by_role("heading", name="Liste des patients")).to_be_visible()
        patients = page.get_by_role("table", name="Patients").locator("tbody tr")
        expect(patients.first).to_be_visible()
        expect(page.get_by_role("button", name="Menu utilisateur")).to_have_text(account["nom"])
    except BaseException:
        context.close()
        raise
    return context


def _gate_cookies(context: BrowserContext, stack: dict) -> list[dict]:
    spico_host = urlsplit(stack["urls"]["spico"]).hostname
    return [c for c in context.cookies() if c["domain"].lstrip(".") == spico_host]


@pytest.fixture(scope="module")
def gate_cookies(stack_browser: Browser, stack: dict) -> list[dict]:
    context = _signed_in(stack_browser, stack, stack["comptes"][0])
    try:
        return _gate_cookies(context, stack)
    finally:
        context.close()


def test_real_browser_signs_in_through_the_gate(gate_cookies: list[dict]) -> None:
    assert GATE_COOKIE in {c["name"] for c in gate_cookies}
    session = next(c for c in gate_cookies if c["name"] == GATE_COOKIE)
    assert session["httpOnly"] and session["secure"]


def test_real_browser_signs_in_with_a_code_by_sms(stack_browser: Browser, stack: dict) -> None:
    """« Par SMS » on PASS's choice page: LemonLDAP::NG's Ext2F hands a code it generated to
    the stack's gateway, for the account's number only, timed by the stack's clock; typed,
    it opens the patient list."""
    account = stack["comptes"][0]
    before = _sms_texts(stack, account["telephone"])
    others = [_sms_texts(stack, a["telephone"]) for a in stack["comptes"][1:]]
    context = _signed_in(stack_browser, stack, account, "Par SMS")
    try:
        expect(context.pages[0].get_by_role("table", name="Patients")).to_be_visible()
    finally:
        context.close()
    answer = httpx.get(stack["urls"]["sms"], params={"to": account["telephone"]}).json()
    assert len(answer) == len(before) + 1
    message = answer[-1]
    assert message["to"] == account["telephone"]
    assert CODE.fullmatch(message["text"].removeprefix("Votre code de connexion est "))
    offset = parse_offset(Path(stack["horloge_fichier"]).read_text().strip())
    assert abs(message["sent_at"] - (time.time() + offset)) < 60  # the stack's time
    assert [_sms_texts(stack, a["telephone"]) for a in stack["comptes"][1:]] == others


def test_no_server_makes_a_libfaketime_state_of_its_own(stack: dict) -> None:
    """After sign-ins by e-mail and by SMS, every server of the stack and the portal's send
    command still use the stack's one libfaketime state: none has made a pair named after
    its pid (left behind by a signal, one of those makes a later send fail at random)."""
    user, started = service_user(), Path(stack["ca"]).stat().st_mtime  # made before any server
    own = [
        entry.name
        for entry in Path("/dev/shm").iterdir()
        if entry.name.startswith(("faketime_", "sem.faketime_"))
        and (
            int(entry.name.rsplit("_", 1)[1]) in stack["groupes"].values()
            or (user is not None and entry.owner() == user and entry.stat().st_mtime >= started)
        )
    ]
    assert own == []
    assert all(map(os.path.exists, stack["hors_dossier"]))


def test_session_ended_page_is_served_without_the_gate(stack: dict) -> None:
    """Where the screen's inactivity timer leads: answered without any cookie and without
    starting a sign-in (an expired gate would otherwise sign the browser in again through
    PASS), while the rest of SPICO still sends an unknown browser to PASS."""
    with _tls_client(stack) as client:
        ended = _get(client, stack["urls"]["spico"] + "session-terminee")
        home = _get(client, stack["urls"]["spico"])
    assert ended.status_code == 200
    assert "set-cookie" not in ended.headers
    assert ended.headers["cache-control"] == "no-store"
    assert "<h1>Votre session SPICO est terminée</h1>" in ended.text
    assert '<a href="/">Se reconnecter</a>' in ended.text
    assert "Menu utilisateur" not in ended.text
    assert "<table" not in ended.text
    assert home.status_code == 302
    assert home.headers["location"].startswith(stack["urls"]["pass"])


def test_search_form_and_patient_record_through_the_gate(
    stack_browser: Browser, stack: dict
) -> None:
    context = _signed_in(stack_browser, stack, stack["comptes"][2])
    try:
        page = context.pages[0]
        search = page.get_by_role("search", name="Recherche de patients")
        sex = search.get_by_label("Sexe", exact=True)
        expect(sex).to_have_value("")
        sex.select_option("F")
        search.get_by_role("button", name="Rechercher les patients").click()
        expect(page).to_have_url(stack["urls"]["spico"] + "?sexe=F")
        expect(page.get_by_role("heading", name="Liste des patients")).to_be_visible()
        expect(page.get_by_label("Sexe", exact=True)).to_have_value("F")
        first = page.get_by_role("table", name="Patients").locator("tbody tr").first
        name = first.locator("td").first.inner_text()
        with page.expect_response(lambda r: "/dossier/" in r.url) as opened:
            first.get_by_role("link", name="Ouvrir le dossier").click()
        assert opened.value.status == 200
        assert opened.value.headers["cache-control"] == "no-store"
        record = page.get_by_role("region", name="Dossier du patient")
        expect(record).to_be_visible()
        expect(record).to_contain_text(name)
        expect(record.locator("dt:text-is('Sexe') + dd")).to_have_text("F")
        menu = page.get_by_role("button", name="Menu utilisateur")
        expect(menu).to_have_attribute("aria-expanded", "false")
        menu.click()
        expect(menu).to_have_attribute("aria-expanded", "true")
        logout = page.get_by_role("button", name="Se déconnecter")
        expect(logout).to_have_attribute("href", stack["urls"]["spico_deconnexion"])
        missing = page.goto(stack["urls"]["spico"] + "dossier/999999")
        assert missing is not None and missing.status == 404
        expect(page.get_by_role("heading", name="Patient introuvable")).to_be_visible()
    finally:
        context.close()


def test_the_screen_leaves_patient_data_after_two_idle_hours(
    stack_browser: Browser, stack: dict
) -> None:
    """The page's own timer, driven by a faked browser clock (the servers' clock does not
    move): every click or key starts the 2 hours again; then /session-terminee."""
    context = _signed_in(stack_browser, stack, stack["comptes"][2])
    try:
        context.clock.install()
        page = context.new_page()
        page.goto(stack["urls"]["spico"])
        patients = page.get_by_role("table", name="Patients")
        expect(patients).to_be_visible()
        page.clock.fast_forward("01:59:59")
        page.get_by_role("heading", name="Liste des patients").click()
        page.clock.fast_forward("01:59:59")
        expect(patients).to_be_visible()
        patients.get_by_role("link", name="Ouvrir le dossier").first.click()
        record = page.get_by_role("region", name="Dossier du patient")
        expect(record).to_be_visible()
        page.clock.fast_forward("01:59:59")
        page.keyboard.press("Tab")
        page.clock.fast_forward("01:59:59")
        expect(record).to_be_visible()
        page.clock.fast_forward("00:00:02")
        expect(page).to_have_url(stack["urls"]["spico"] + "session-terminee")
        expect(page.get_by_role("heading", name="Votre session SPICO est terminée")).to_be_visible()
        expect(record).to_have_count(0)
        expect(page.get_by_role("button", name="Menu utilisateur")).to_have_count(0)
        expect(page.get_by_role("link", name="Se reconnecter")).to_have_attribute("href", "/")
    finally:
        context.close()


def _replay(browser: Browser, stack: dict, cookies: list[dict]):
    """A fresh browser holding only the gate's cookies (no PASS cookie): where SPICO's
    address leads it."""
    context = browser.new_context(locale="fr-FR")
    context.add_cookies(cookies)
    page = context.new_page()
    page.goto(stack["urls"]["spico"])
    return context, page


def test_faketime_ends_the_gate_session_after_two_hours(
    stack_browser: Browser, stack: dict, gate_cookies: list[dict]
) -> None:
    """The clock moves on, as the suite moves it, and stays there: set back, it would hold
    the servers' timers (their monotonic clock is faked too) until the real time caught up."""
    context, page = _replay(stack_browser, stack, gate_cookies)
    try:  # the replayed cookie still opens the list: the session lives
        expect(page.get_by_role("heading", name="Liste des patients")).to_be_visible()
    finally:
        context.close()
    FaketimeClock(stack["horloge_fichier"], {}).advance(7201)
    context, page = _replay(stack_browser, stack, gate_cookies)
    try:
        expect(page.locator("#userfield")).to_be_visible()
        expect(page.locator("#passwordfield")).to_be_visible()
        assert urlsplit(page.url).hostname == urlsplit(stack["urls"]["pass"]).hostname
        expect(page.get_by_role("table", name="Patients")).to_have_count(0)
        expect(page.get_by_text("Liste des patients")).to_have_count(0)
    finally:
        context.close()


def test_logging_out_of_pass_ends_the_gate_session_by_front_channel(
    stack_browser: Browser, stack: dict
) -> None:
    """LemonLDAP::NG's logout loads SPICO's front-channel logout URL (the gate's
    ``redirect_uri?logout=get``) in the page: the gate's cookie no longer opens the list."""
    signed_in = _signed_in(stack_browser, stack, stack["comptes"][1])
    try:
        cookies = _gate_cookies(signed_in, stack)
        context, page = _replay(stack_browser, stack, cookies)
        try:  # the replayed cookie opens the list before the logout
            expect(page.get_by_role("heading", name="Liste des patients")).to_be_visible()
        finally:
            context.close()
        portal = signed_in.new_page()
        gate = urlsplit(stack["urls"]["spico"]).hostname
        # the portal's page loads the gate's front-channel URL in a frame: wait for its answer
        # (a quiet network for half a second is not proof of it on a loaded machine)
        with portal.expect_response(
            lambda r: urlsplit(r.url).hostname == gate and "logout=get" in r.url
        ):
            portal.goto(stack["urls"]["pass"] + "?logout=1")
    finally:
        signed_in.close()
    context, page = _replay(stack_browser, stack, cookies)
    try:
        expect(page.locator("#userfield")).to_be_visible()
        expect(page.get_by_role("table", name="Patients")).to_have_count(0)
    finally:
        context.close()


def _mentions(pid: int, text: str) -> bool:
    for name in ("cmdline", "environ"):
        try:
            if text.encode() in Path(f"/proc/{pid}/{name}").read_bytes():
                return True
        except OSError:
            pass
    return False


@pytest.mark.parametrize("stack_name", list(STACKS))
def test_stopping_the_launcher_leaves_no_process(stack_name: str) -> None:
    launched = launch(stack_name)
    ready = launched.ready
    folder = ready["dossier"]
    imap_port = urlsplit(ready["urls"]["imap"]).port
    assert Path(ready["horloge_fichier"]).read_text() == "+0\n"  # the real time, to start
    assert interrupt(launched) == 0
    for name, group in ready["groupes"].items():
        with pytest.raises(ProcessLookupError):
            os.killpg(group, 0)
            pytest.fail(f"{name} : son groupe de processus existe encore")
    with pytest.raises(ProcessLookupError):
        os.killpg(launched.process.pid, 0)
    left = [int(p) for p in os.listdir("/proc") if p.isdigit() and _mentions(int(p), folder)]
    assert left == []
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", imap_port), timeout=1).close()
    assert not Path(folder).exists()
    assert ready["hors_dossier"] and not any(map(os.path.exists, ready["hors_dossier"]))


@pytest.mark.parametrize("stack_name", list(STACKS))
def test_a_killed_launcher_leaves_no_process(stack_name: str) -> None:
    """SIGKILL gives the launcher no chance to clean up, and the portal, run as another
    user, has lost the kernel's parent-death signal: the stack's watcher stops it all."""
    launched = launch(stack_name)
    ready = launched.ready
    os.kill(launched.process.pid, signal.SIGKILL)
    launched.process.wait(timeout=10)

    folder = ready["dossier"]

    def left() -> list[str]:
        """What is still there: servers' groups, processes of the run folder (the watcher
        itself included, until it has exited), the folder, libfaketime's shared state."""
        groups = [name for name, group in ready["groupes"].items() if _group_alive(group)]
        processes = [
            _command_line(int(p))
            for p in os.listdir("/proc")
            if p.isdigit() and _mentions(int(p), folder)
        ]
        files = [path for path in [folder, *ready["hors_dossier"]] if Path(path).exists()]
        return groups + processes + files

    assert poll(lambda: not left(), 20, every=0.2), left()


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return f"processus {pid}"


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def test_overrides_and_variants_pass_through() -> None:
    """Any Apache directive and any LemonLDAP::NG key reach the real configurations: those
    Apache allows in the protected location go there, server-wide ones to the virtual host."""
    launched = launch(
        "--variante",
        "inactivite-8h",
        "--variante",
        "sans-propagation",
        "--apache",
        "Header always set X-Pile reference",
        "--llng",
        "portalDisplayLoginHistory=0",
        "--llng",
        'oidcRPMetaDataExportedVars/spico/family_name="cn"',
        "--llng",
        "timeoutActivity=600",
    )
    try:
        folder = Path(launched.ready["dossier"])
        gate = (folder / "apache" / "apache2.conf").read_text()
        location = gate[gate.index("<Location />") : gate.index("</Location>")]
        assert "Header always set X-Pile reference" in location
        assert "OIDCSessionInactivityTimeout 28800" not in location
        assert gate.index("OIDCSessionInactivityTimeout 28800") > gate.index(
            "OIDCSessionInactivityTimeout 7200"
        )
        conf = json.loads((folder / "llng" / "conf" / "lmConf-1.json").read_text())
        assert conf["portalDisplayLoginHistory"] == 0
        assert conf["oidcRPMetaDataExportedVars"]["spico"]["family_name"] == "cn"
        assert conf["oidcRPMetaDataOptions"]["spico"]["oidcRPMetaDataOptionsLogoutUrl"] == ""
        assert conf["timeoutActivity"] == 600
        # the screen and the profile keep the guide's durations: a gate or a portal set
        # otherwise is for the audit to catch
        assert _screen_idle_seconds(launched.ready) == 7200
        profile = tomllib.loads(Path(launched.ready["profil"]).read_text())
        assert profile["temps"]["inactivite_spico"] == "2 heures"
        assert profile["temps"]["inactivite_pass"] == "4 heures"
        with _tls_client(launched.ready) as client:
            answer = _get(client, launched.ready["urls"]["spico"])
        assert answer.status_code == 302
        assert answer.headers["x-pile"] == "reference"
        assert (
            "variantes : inactivite-8h, sans-propagation"
            in Path(launched.ready["profil"]).read_text()
        )
    finally:
        interrupt(launched)


def test_a_short_policy_started_on_purpose_is_followed_and_declared() -> None:
    """The gate, the portal and the screen follow the short policy, and both profiles declare
    it; a variant started with it still bends the gate alone, for the audit to catch."""
    launched = launch("--politique-courte", "--variante", "inactivite-8h")
    try:
        folder = Path(launched.ready["dossier"])
        gate = (folder / "apache" / "apache2.conf").read_text()
        assert gate.index("OIDCSessionInactivityTimeout 28800") > gate.index(
            "OIDCSessionInactivityTimeout 300"
        )
        conf = json.loads((folder / "llng" / "conf" / "lmConf-1.json").read_text())
        assert conf["timeoutActivity"] == 600
        assert _screen_idle_seconds(launched.ready) == 300
        for key in ("profil", "profil_reel"):
            text = Path(launched.ready[key]).read_text()
            assert "politique courte : SPICO 5 minutes, PASS 10 minutes" in text
            declared = tomllib.loads(text)["temps"]
            assert (declared["inactivite_spico"], declared["inactivite_pass"]) == (
                "5 minutes",
                "10 minutes",
            )
        assert (
            tomllib.loads(Path(launched.ready["profil_reel"]).read_text())["temps"]["horloge"]
            == "reelle"
        )
    finally:
        interrupt(launched)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("5", "attendu deux nombres de minutes"),
        ("0,10", "SPICO entre 1 et 119 minutes"),
        ("10,5", "PASS plus court que SPICO"),
    ],
)
def test_a_bad_short_policy_is_one_french_line(value: str, message: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "realstack", "--politique-courte", value],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 4
    assert done.stderr.startswith(f"pile : --politique-courte « {value} » : ")
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_a_port_in_use_is_one_french_line() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "realstack", "--json", "--port-pass", str(port)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.strip() == f"pile : le port {port} (PASS) est déjà pris"


def test_a_missing_package_is_named_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without root, the launcher names what to install and starts nothing."""
    from realstack import stack as launcher

    monkeypatch.setitem(launcher.PACKAGES, "paquet-absent", Path("/nulle/part"))
    monkeypatch.setattr(launcher.os, "geteuid", lambda: 1000)
    with pytest.raises(launcher.StackError, match="paquet Debian manquant : paquet-absent"):
        launcher.ensure_packages(print)


def test_a_portal_that_does_not_come_up_is_one_french_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "realstack", "--json", "--llng", "authentication=Inexistant"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1
    assert done.stderr.startswith("pile : le portail PASS (LemonLDAP::NG) ne s'initialise pas")
    assert "Traceback" not in done.stderr
