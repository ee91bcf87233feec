"""Ending a PASS session, and telling the relying parties (OIDC Back-Channel Logout 1.0).

BP-PROPAGATION-SSO: when PASS ends a session (logout or inactivity), every client
that received a code for that session gets a signed logout token at its
``backchannel_logout_uri`` (unless ``Behaviour.backchannel_logout`` is bent off).
"""

from __future__ import annotations

import httpx

from ..context import Context
from ..sessions import Session
from .oidc import Provider


async def end_pass_session(ctx: Context, provider: Provider, session: Session, reason: str) -> None:
    ctx.pass_sessions.end(session, reason)
    await notify_relying_parties(ctx, provider, session)


async def notify_relying_parties(ctx: Context, provider: Provider, session: Session) -> None:
    if not ctx.behaviour.backchannel_logout or not session.sid:
        return
    account = ctx.accounts.get(session.account_id)
    if account is None:
        return
    for client in provider.clients_of_session(session.sid):
        if not client.backchannel_logout_uri:
            continue
        token = provider.logout_token(client, session.sid, account.identifier)
        url = ctx.urls.to_internal(client.client_id, client.backchannel_logout_uri)
        try:
            response = await ctx.http.post(url, data={"logout_token": token})
            outcome = response.status_code
        except httpx.HTTPError as exc:
            outcome = f"échec : {exc.__class__.__name__}"
        ctx.journal.record(
            "pass",
            "backchannel_envoye",
            account.identifier,
            client=client.client_id,
            resultat=outcome,
        )
