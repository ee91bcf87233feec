"""A deployment's mail provider, for tests: the real stack's (``realstack/mail.py``), a real
IMAP server (pymap) and an SMTP server that files every message it takes into its mailbox.
The simulator's ``--relais-smtp`` hands its e-mails to the SMTP side; a target profile's
``[codes.email] source = "imap"`` reads them from the IMAP side."""

from realstack.mail import PASSWORD, USER, deliver, file_message, imap_server, smtp_into

__all__ = ["PASSWORD", "USER", "deliver", "file_message", "imap_server", "smtp_into"]
