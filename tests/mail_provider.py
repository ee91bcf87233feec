"""A deployment's mail provider, for tests: a real IMAP server (pymap, in memory, one
catch-all mailbox) and an SMTP server that files every message it takes into that mailbox.
The simulator's ``--relais-smtp`` hands its e-mails to the SMTP side; a target profile's
``[codes.email] source = "imap"`` reads them from the IMAP side."""

from __future__ import annotations

import asyncio
import imaplib
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from urllib.parse import urlsplit

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

from fixtures.appium_server import free_port
from fixtures.simulator_process import die_with_parent, stop

USER, PASSWORD = "audit", "boite-secrete"
START_SECONDS = 20
PYMAP = [sys.executable, "-c", "import sys; from pymap.main import main; sys.exit(main())"]


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


@contextmanager
def imap_server() -> Iterator[str]:
    """pymap on a free port until the block ends; yields its ``imap://`` URL."""
    port = free_port()
    command = [*PYMAP, "--host", "127.0.0.1", "--port", str(port), "dict"]
    command += ["--demo-user", USER, "--demo-password", PASSWORD]
    with subprocess.Popen(
        command, stderr=subprocess.PIPE, text=True, preexec_fn=die_with_parent
    ) as server:
        try:
            deadline, pause = time.monotonic() + START_SECONDS, threading.Event()
            while not _accepts(port):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"pymap ne démarre pas : {server.stderr.read()[-1000:]}")
                pause.wait(0.05)
            yield f"imap://127.0.0.1:{port}"
        finally:
            stop(server)


def file_message(imap_url: str, raw: bytes) -> None:
    """Put a message into the mailbox, as a mail server delivers it."""
    with imaplib.IMAP4("127.0.0.1", urlsplit(imap_url).port) as client:
        client.login(USER, PASSWORD)
        client.append("INBOX", None, imaplib.Time2Internaldate(time.time()), raw)


def deliver(imap_url: str, to: str, text: str) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "pass@example.org", to, "Votre code"
    message.set_content(text)
    file_message(imap_url, message.as_bytes())


class _FileIntoMailbox:
    def __init__(self, imap_url: str) -> None:
        self._imap_url = imap_url

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:
        await asyncio.to_thread(file_message, self._imap_url, envelope.original_content or b"")
        return "250 Message accepted"


@contextmanager
def smtp_into(imap_url: str) -> Iterator[tuple[str, int]]:
    """An SMTP server on a free port that files what it takes into the mailbox."""
    controller = Controller(_FileIntoMailbox(imap_url), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.hostname, controller.port
    finally:
        controller.stop()
