"""A deployment's mail provider: a real IMAP server (pymap, in memory, one catch-all mailbox)
and an SMTP server that files every message it takes into that mailbox.

The real stack's LemonLDAP::NG sends its Mail2F codes to the SMTP side; a target profile's
``[codes.email] source = "imap"`` reads them from the IMAP side. The project's tests use the
same pair (``tests/mail_provider.py``) behind the simulator's ``--relais-smtp``.
"""

from __future__ import annotations

import asyncio
import imaplib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

from processes.lifetime import die_with_parent, stop
from processes.ports import free_port
from processes.waiting import poll

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
def imap_server(port: int = 0, log: Path | None = None) -> Iterator[str]:
    """pymap on ``port`` (0: a free one) until the block ends; yields its ``imap://`` URL.
    Its own session: a Ctrl-C in the terminal reaches only whoever started it, which stops it.
    With ``log`` its output goes to that file (a long run must not fill a pipe nobody reads)."""
    port = port or free_port()
    command = [*PYMAP, "--host", "127.0.0.1", "--port", str(port), "dict"]
    command += ["--demo-user", USER, "--demo-password", PASSWORD]
    sink = open(log, "w") if log else subprocess.PIPE  # noqa: SIM115 - closed below
    try:
        with subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL if log else None,
            stderr=sink,
            text=True,
            preexec_fn=die_with_parent,
            start_new_session=True,
        ) as server:
            try:
                started = poll(
                    lambda: _accepts(port),
                    START_SECONDS,
                    worth_waiting=lambda: server.poll() is None,
                )
                if not started:
                    why = log.read_text()[-1000:] if log else server.stderr.read()[-1000:]
                    raise RuntimeError(f"pymap ne démarre pas : {why}")
                yield f"imap://127.0.0.1:{port}"
            finally:
                stop(server)
    finally:
        if log:
            sink.close()


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
def smtp_into(imap_url: str, port: int = 0) -> Iterator[tuple[str, int]]:
    """An SMTP server on ``port`` (0: a free one) that files what it takes into the mailbox."""
    controller = Controller(
        _FileIntoMailbox(imap_url), hostname="127.0.0.1", port=port or free_port()
    )
    controller.start()
    try:
        yield controller.hostname, controller.port
    finally:
        controller.stop()
