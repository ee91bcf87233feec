"""What every real stack is made of, and what one stack's SPICO side must say of itself.

The stacks share PASS (LemonLDAP::NG behind nginx), the mail provider, the SMS gateway, the
private CA and the clock (``realstack/stack.py``); they differ by SPICO: a gate in front of
the patient application (OpenID Connect, SAML) or an application with its own sessions
(Django through CAS). A ``Side`` is that difference, and nothing else: the protocol keys it
adds to PASS, the servers it starts, the overrides it takes, its named variants.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import httpx

from . import certs
from .profile_file import Policy
from .servers import Servers


@dataclass(frozen=True)
class Changes:
    """Settings made with the components' own means: Apache directives, LemonLDAP::NG keys
    (``a/b/c=VALUE``), Django settings (``NAME=literal``); and a side's own switches, for a
    change no single setting makes (a SAML service provider's metadata, which both ends
    read, without single logout)."""

    apache: tuple[str, ...] = ()
    llng: tuple[str, ...] = ()
    django: tuple[str, ...] = ()
    spico: tuple[str, ...] = ()

    def __add__(self, other: Changes) -> Changes:
        return Changes(
            self.apache + other.apache,
            self.llng + other.llng,
            self.django + other.django,
            self.spico + other.spico,
        )


@dataclass(frozen=True)
class Variant:
    """A named misconfiguration, shaped like the simulator's faults: what it changes, the
    requirement it must be caught on (and the scenarios that meet it, as a marker
    expression), and what else it may break, each with why."""

    changes: Changes
    requirement: str
    why: str
    scenarios: str = ""
    also_breaks: dict[str, str] = field(default_factory=dict)

    @property
    def selection(self) -> str:
        return self.scenarios or self.requirement


@dataclass
class Context:
    """What the shared part of a run hands a SPICO side."""

    folder: Path
    servers: Servers
    tls: certs.Certificates
    pass_url: str  # https://pass…:port, no final slash
    spico_host: str
    spico_port: int
    spico_url: str  # https://spico…:port/
    ports: list[int]  # free loopback ports, the side's to take
    env: dict[str, str]  # a server's environment: the stack's clock
    calling_env: dict[str, str]  # and the stack's host names, for one that calls others
    user: str | None  # the user the servers drop to (root only), else None
    changes: Changes
    patients: int
    #: The idle timeouts the stack is started with, which the gate, the portal and the
    #: screen's timer follow (variants and overrides come after, in ``changes``).
    policy: Policy
    client: httpx.Client | None = None  # trusts the stack's CA; set once PASS answers
    secrets: dict[str, str] = field(default_factory=dict)  # a side's, from pass_keys to start


@dataclass(frozen=True)
class Spico:
    """A started SPICO: where its logout is, and what the profile must know of it."""

    logout_url: str
    urls: dict[str, str] = field(default_factory=dict)  # more URLs for the JSON line
    journey: dict[str, object] = field(default_factory=dict)  # over the shared [parcours]


class Side(Protocol):
    """One stack's SPICO: the part of a real stack that differs from the others."""

    name: str  # as ``./dev pile NAME`` takes it
    title: str  # the profile's name
    description: str  # the profile's description: what the audit judged
    packages: dict[str, Path]  # Debian package → a file it installs
    versioned: dict[str, str]  # the report's part name → its Debian package, or pypi:NAME
    variants: dict[str, Variant]
    overrides: frozenset[str]  # which of Changes' fields it takes

    def pass_keys(self, context: Context) -> dict:
        """LemonLDAP::NG keys for SPICO's protocol, before the portal starts."""

    def start(self, context: Context) -> Spico:
        """SPICO's servers, started and answering (PASS already answers)."""
