"""Sending a one-time code by e-mail or SMS, and checking the code typed back (BP-OTP).

PASS's sign-in and the mobile app's activation do the same thing with different words;
both go through here, so both journal the same events and keep the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from .accounts import Account
from .context import Context
from .one_time_codes import Check
from .outbox import send_email, send_sms

CHANNELS = ("email", "sms")


@dataclass(frozen=True)
class CodeMessage:
    """What a code is for, and how the message carrying it reads."""

    part: str
    purpose: str
    subject: str
    #: The text, with ``{code}`` where the code goes.
    text: str


async def send(ctx: Context, message: CodeMessage, account: Account, channel: str) -> None:
    """Issue a fresh code and send it by ``channel`` ("email" or "sms").

    Raises ``outbox.DeliveryFailed`` when the SMTP server or the SMS gateway refuses it.
    """
    code = ctx.codes.issue(account.id, message.purpose, channel)
    text = message.text.format(code=code)
    if channel == "email":
        await send_email(ctx.urls.smtp, account.email, message.subject, text)
    else:
        await send_sms(ctx.http, ctx.urls.internal["sms"], account.phone, text)
    ctx.journal.record(message.part, "code_envoye", account.identifier, canal=channel)


def check(ctx: Context, message: CodeMessage, account: Account, typed: object) -> Check:
    """The outcome of the code typed back; refusals are journalled with their reason."""
    result = ctx.codes.check(account.id, message.purpose, str(typed or "")[:20])
    if result is not Check.ACCEPTED:
        ctx.journal.record(message.part, "code_refuse", account.identifier, motif=result.value)
    return result
