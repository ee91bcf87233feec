"""What a simulator run is made of: ports, public and internal URLs, storage, policies, faults."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from .accounts import SCRYPT_COST
from .behaviour import GUIDE_IDLE_SECONDS, PASS_IDLE_SECONDS

PARTS = ("pass", "spico", "mobile", "sms", "control")


@dataclass(frozen=True)
class Settings:
    """Choices made before start-up. Port 0 means "any free port"."""

    bind: str = "127.0.0.1"
    ports: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PARTS, 0))
    smtp_port: int = 0
    #: Public origins as the browser sees them (behind a proxy they differ from the bound ports).
    public_urls: dict[str, str] = field(default_factory=dict)
    database: str = ":memory:"
    patients: int = 1000
    seed: int = 2022
    test_mode: bool = False
    control_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    faults: frozenset[str] = frozenset()
    spico_idle_seconds: int = GUIDE_IDLE_SECONDS
    pass_idle_seconds: int = PASS_IDLE_SECONDS
    echo_outbox: bool = False
    #: Where the embedded mail server also hands each e-mail on, as a deployment's mail
    #: relay would (the mailboxes an audit reads over IMAP); ``None``: the outbox only.
    smtp_relay: tuple[str, int] | None = None
    #: What storing a password or a PIN costs (log2 of scrypt's N): less for a test's simulator,
    #: whose hundreds of sign-ins and PINs guard nothing.
    scrypt_cost: int = SCRYPT_COST


@dataclass(frozen=True)
class Urls:
    """Where each part is reached once the sockets are bound."""

    public: dict[str, str]
    internal: dict[str, str]
    smtp: tuple[str, int]

    def to_internal(self, part: str, public_url: str) -> str:
        """Rewrite a public URL of a part to its loopback origin, for server-to-server calls."""
        origin = self.public[part]
        if not public_url.startswith(origin):
            raise ValueError(f"{public_url} n'appartient pas à {part}")
        return self.internal[part] + public_url[len(origin) :]


def resolve_urls(settings: Settings, bound: dict[str, int], smtp_port: int) -> Urls:
    """Public origins default to ``http://<part>.localhost:<port>`` (loopback in browsers)."""
    internal = {part: f"http://127.0.0.1:{port}" for part, port in bound.items()}
    public = {
        part: settings.public_urls.get(part, f"http://{part}.localhost:{port}").rstrip("/")
        for part, port in bound.items()
        if part in ("pass", "spico", "mobile")
    }
    public.update({p: internal[p] for p in bound if p not in public})
    return Urls(public=public, internal=internal, smtp=("127.0.0.1", smtp_port))
