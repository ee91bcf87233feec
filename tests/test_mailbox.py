"""One-time codes read from an IMAP mailbox, as a real target's profile declares it
(``[codes.email] source = "imap"``), against a real IMAP server (pymap, in memory); and the
simulator handing its e-mail to a mail relay (``--relais-smtp``)."""

from __future__ import annotations

import imaplib
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from fixtures import profile as profiles
from fixtures.codes import CodeReader
from fixtures.control import Account
from fixtures.mailbox import Mailbox, MailboxError
from fixtures.profile import CodeSource
from processes.ports import free_port
from tests.mail_provider import PASSWORD, USER, deliver, imap_server, smtp_into

CAMILLE = Account("camille", "x", "camille@example.org", "+33600000001", "Camille")
DOMINIQUE = Account("dominique", "x", "dominique@example.org", "+33600000002", "Dominique")


@pytest.fixture(scope="module")
def imap_url() -> Iterator[str]:
    with imap_server() as url:
        yield url


def reader(url: str) -> CodeReader:
    return CodeReader(None, {"email": CodeSource("imap", url, PASSWORD, USER)})


def test_the_code_read_is_the_one_sent_after_the_request(imap_url: str) -> None:
    deliver(imap_url, CAMILLE.email, "Votre code PASS : 111111. Il expire dans 5 minutes.")
    codes = reader(imap_url)
    codes.requested("e-mail", CAMILLE)
    deliver(imap_url, DOMINIQUE.email, "Votre code PASS : 222222.")
    # the mail server takes its time: the reader waits for the new code, not the old one
    late = threading.Timer(1.0, deliver, (imap_url, CAMILLE.email, "Votre code PASS : 333333."))
    late.start()
    try:
        assert codes.latest("e-mail", CAMILLE) == "333333"
    finally:
        late.join()
    assert codes.latest("e-mail", CAMILLE) == "333333"  # read again within the same request


def test_the_mailbox_is_only_read(imap_url: str) -> None:
    deliver(imap_url, CAMILLE.email, "Votre code PASS : 444444.")
    assert reader(imap_url).latest("e-mail", CAMILLE) == "444444"
    with imaplib.IMAP4("127.0.0.1", urlsplit(imap_url).port) as client:
        client.login(USER, PASSWORD)
        client.select("INBOX", readonly=True)
        _, unseen = client.search(None, "UNSEEN")
        _, every = client.search(None, "ALL")
    assert unseen == every, "la lecture a marqué des messages comme lus"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"password": "faux"}, "identifiants de audit refusés"),
        ({"folder": "Archives"}, "dossier « Archives » introuvable"),
    ],
)
def test_a_mailbox_that_cannot_be_read_says_why(imap_url: str, change: dict, message: str) -> None:
    settings = {"url": imap_url, "user": USER, "password": PASSWORD} | change
    with pytest.raises(MailboxError, match=message):
        Mailbox(**settings).check()


def test_a_profile_whose_mailbox_refuses_its_password_stops_before_the_run(
    imap_url: str, tmp_path: Path, sim
) -> None:
    path = tmp_path / "cible.toml"
    path.write_text(
        f'nom = "Préproduction"\n[urls]\nspico = "{sim.public["spico"]}"\n'
        f'pass = "{sim.public["pass"]}"\n'
        f'[codes.email]\nsource = "imap"\nurl = "{imap_url}"\nutilisateur = "{USER}"\n'
        'mot_de_passe_env = "MDP_BOITE"\n',
        encoding="utf-8",
    )
    with pytest.raises(profiles.ProfileError) as raised:
        profiles.load(path, environ={"MDP_BOITE": "faux"})
    assert "identifiants de audit refusés" in str(raised.value)
    assert str(path) in str(raised.value) and "\n" not in str(raised.value)
    assert profiles.load(path, environ={"MDP_BOITE": PASSWORD}).codes["email"].kind == "imap"


def test_an_unreachable_mailbox() -> None:
    mailbox = Mailbox(f"imap://127.0.0.1:{free_port()}", USER, PASSWORD)
    with pytest.raises(MailboxError, match="injoignable"):
        mailbox.check()


def test_the_simulator_hands_its_e_mail_to_the_relay(start_simulator) -> None:
    with imap_server() as url, smtp_into(url) as relay:
        sim = start_simulator(smtp_relay=relay)
        with sim.user() as user:
            user.submit_credentials()
            assert user.request_code("email").status_code == 200
            code = user.code("email")  # what the simulator's own outbox kept
            mailbox = Mailbox(url, USER, PASSWORD)
            assert code in mailbox.texts_to(user.account.email)[-1]


def test_an_unreachable_relay_is_a_clear_page_and_no_code(start_simulator) -> None:
    sim = start_simulator(smtp_relay=("127.0.0.1", free_port()))
    with sim.user() as user:
        user.submit_credentials()
        page = user.request_code("email")
        assert page.status_code == 502 and "Envoi du code impossible" in page.text
        assert sim.control.messages("email", user.account.email) == []
