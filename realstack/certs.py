"""The stack's HTTPS: a private CA made at start (trustme) and one server certificate for all
its host names and 127.0.0.1. The browser trusts it by the SPKI hash Chromium's
``--ignore-certificate-errors-spki-list`` takes, not by ignoring HTTPS errors."""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import trustme
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


@dataclass(frozen=True)
class Certificates:
    ca: Path
    cert: Path  # the server certificate followed by its chain
    key: Path
    spki: str


def spki_hash(pem: bytes) -> str:
    """base64(sha256(SubjectPublicKeyInfo)), the form Chromium's SPKI list takes."""
    public = x509.load_pem_x509_certificate(pem).public_key()
    der = public.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


def make(folder: Path, hosts: list[str]) -> Certificates:
    """A CA and a server certificate for ``hosts`` (and 127.0.0.1), written under ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    ca = trustme.CA(organization_name="Pile de référence SPICO")
    server = ca.issue_cert(*hosts, "127.0.0.1")
    paths = Certificates(folder / "ca.pem", folder / "serveur.pem", folder / "serveur.key", "")
    paths.ca.write_bytes(ca.cert_pem.bytes())
    paths.cert.write_bytes(b"".join(blob.bytes() for blob in server.cert_chain_pems))
    fd = os.open(paths.key, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as key:
        key.write(server.private_key_pem.bytes())
    spki = spki_hash(server.cert_chain_pems[0].bytes())
    return Certificates(paths.ca, paths.cert, paths.key, spki)
