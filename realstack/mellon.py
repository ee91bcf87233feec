"""SAML between PASS and SPICO's gate: LemonLDAP::NG as identity provider, Apache's
mod_auth_mellon as service provider, each knowing the other by its metadata.

The service provider's metadata is written here (its key and certificate made at start,
where PASS posts its assertions, where it takes single logout: SOAP first, so that PASS's
logout ends SPICO's session server to server, without any SPICO cookie in the browser); the
identity provider's is fetched from PASS once it answers.
"""

from __future__ import annotations

import base64
import datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from . import apache
from .servers import StackError, https_get

SP = "spico"
ENDPOINT = "/mellon"
#: Where PASS serves its metadata as identity provider.
IDP_METADATA_PATH = "/saml/metadata"
#: The gate's files, in its folder: key, certificate, both ends' metadata.
KEY, CERT, SP_METADATA, IDP_METADATA = "sp.key", "sp.pem", "sp.xml", "idp.xml"
SOAP = "urn:oasis:names:tc:SAML:2.0:bindings:SOAP"
REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
TRANSIENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"


def _key_and_certificate(name: str) -> tuple[str, str]:
    """A key and a self-signed certificate, PEM: trust in SAML comes from the metadata
    exchanged, not from a CA."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    return private.decode(), certificate.public_bytes(serialization.Encoding.PEM).decode()


def entity_id(spico_url: str) -> str:
    return f"{spico_url.rstrip('/')}{ENDPOINT}/metadata"


def logout_url(spico_url: str) -> str:
    """SPICO's logout: mellon ends its session and PASS's (a logout request), then home."""
    return f"{spico_url.rstrip('/')}{ENDPOINT}/logout?ReturnTo={quote(spico_url, safe='')}"


def sp_metadata(spico_url: str, certificate: str, single_logout: bool = True) -> str:
    """The gate's metadata, as mellon and PASS both read it. Without single logout, PASS
    has nowhere to tell SPICO that a session ended."""
    home = spico_url.rstrip("/")
    der = x509.load_pem_x509_certificate(certificate.encode()).public_bytes(
        serialization.Encoding.DER
    )
    key_info = (
        '<ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>'
        f"<ds:X509Certificate>{base64.b64encode(der).decode()}</ds:X509Certificate>"
        "</ds:X509Data></ds:KeyInfo>"
    )
    logout = "".join(
        f'<SingleLogoutService Binding="{binding}" Location="{home}{ENDPOINT}/logout"/>'
        for binding in ((SOAP, REDIRECT) if single_logout else ())
    )
    return (
        '<?xml version="1.0"?>\n'
        '<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata"'
        f' entityID="{entity_id(spico_url)}">'
        '<SPSSODescriptor AuthnRequestsSigned="true" WantAssertionsSigned="true"'
        ' protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
        f'<KeyDescriptor use="signing">{key_info}</KeyDescriptor>'
        f'<KeyDescriptor use="encryption">{key_info}</KeyDescriptor>'
        f"{logout}"
        f"<NameIDFormat>{TRANSIENT}</NameIDFormat>"
        f'<AssertionConsumerService Binding="{POST}" Location="{home}{ENDPOINT}/postResponse"'
        ' index="0" isDefault="true"/>'
        "</SPSSODescriptor></EntityDescriptor>\n"
    )


def service_provider(folder: Path, spico_url: str, single_logout: bool) -> str:
    """The gate's key, certificate and metadata, written in ``folder``: its metadata."""
    folder.mkdir(parents=True, exist_ok=True)
    key, certificate = _key_and_certificate(urlsplit(spico_url).hostname)
    (folder / KEY).write_text(key)
    (folder / KEY).chmod(0o600)
    (folder / CERT).write_text(certificate)
    metadata = sp_metadata(spico_url, certificate, single_logout)
    (folder / SP_METADATA).write_text(metadata)
    return metadata


def idp_keys(pass_url: str, sp_metadata_xml: str, pass_idle: int) -> dict:
    """PASS as identity provider, with the gate as its one service provider. Every
    signature asked and checked: an option left out counts as 0, and a logout request
    PASS does not sign, mellon rejects. The assertion's SessionNotOnOrAfter is PASS's own
    inactivity: mellon ends SPICO's session no later than that."""
    private, certificate = _key_and_certificate(urlsplit(pass_url).hostname)
    checks = (
        "SignSSOMessage",
        "CheckSSOMessageSignature",
        "SignSLOMessage",
        "CheckSLOMessageSignature",
    )
    return {
        "issuerDBSAMLActivation": 1,
        "samlServicePrivateKeySig": private,
        "samlServicePublicKeySig": certificate,
        "samlSPMetaDataXML": {SP: {"samlSPMetaDataXML": sp_metadata_xml}},
        "samlSPMetaDataOptions": {
            SP: {
                **{f"samlSPMetaDataOptions{option}": 1 for option in checks},
                "samlSPMetaDataOptionsEncryptionMode": "none",
                "samlSPMetaDataOptionsNameIDFormat": "transient",
                "samlSPMetaDataOptionsSessionNotOnOrAfterTimeout": pass_idle,
            }
        },
        # mandatory both: the user's login, and the name the patient list shows
        "samlSPMetaDataExportedAttributes": {SP: {"uid": "1;uid", "cn": "1;cn"}},
    }


def fetch_idp_metadata(client: httpx.Client, pass_url: str, folder: Path) -> None:
    """PASS's metadata, once it answers, into the gate's folder."""
    parts = urlsplit(pass_url)
    answer = https_get(client, parts.port, parts.hostname, IDP_METADATA_PATH)
    if answer.status_code != 200:
        raise StackError(f"PASS ne donne pas ses métadonnées SAML (code {answer.status_code})")
    (folder / IDP_METADATA).write_bytes(answer.content)


def module(folder: Path, idle_seconds: int) -> apache.Module:
    """mod_auth_mellon's part of the gate, its files in ``folder``: ``idle_seconds`` of
    inactivity, a cookie for HTTPS only, not sent by other sites' requests."""
    return apache.Module(
        "auth_mellon",
        server=(f"MellonLockFile {folder / 'mellon.lock'}", "MellonCacheSize 100"),
        location=(
            "AuthType Mellon",
            "MellonEnable auth",
            f"MellonEndpointPath {ENDPOINT}",
            f"MellonSPPrivateKeyFile {folder / KEY}",
            f"MellonSPCertFile {folder / CERT}",
            f"MellonSPMetadataFile {folder / SP_METADATA}",
            f"MellonIdPMetadataFile {folder / IDP_METADATA}",
            "MellonUser uid",
            "MellonSecureCookie On",
            "MellonCookieSameSite lax",
            f"MellonSessionIdleTimeout {idle_seconds}",
            # the name the patient list shows, in the header it reads
            'RequestHeader set OIDC_CLAIM_name "%{MELLON_cn}e"',
        ),
        public=("MellonEnable off",),
    )
