"""The patient application a gate protects (``realstack/patients_app.py``), started for the
stacks whose sessions are the gate's (OpenID Connect, SAML)."""

from __future__ import annotations

import sys

import httpx

from .base import Context


def start(context: Context, logout_url: str) -> int:
    """The application started on a port of the stack's (``wait`` for it to answer): its
    port."""
    port = context.ports.pop()
    log = context.folder / "patients.log"
    command = [sys.executable, "-m", "realstack.patients_app", "--port", str(port)]
    command += ["--patients", str(context.patients), "--deconnexion", logout_url]
    # the screen follows the policy the stack is started with, whatever a variant or an
    # override sets the gate to (inactivite-8h): that is for the audit to catch, not to hide
    command += ["--inactivite", str(context.policy.spico_idle)]
    context.servers.start("l'application des patients", command, log, context.env)
    return port


def wait(context: Context, port: int) -> None:
    context.servers.wait(
        "l'application des patients",
        lambda: httpx.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 200,
        context.folder / "patients.log",
    )
