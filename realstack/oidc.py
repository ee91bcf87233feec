"""The reference stack's SPICO (``./dev pile``, ``./dev pile oidc``): Apache with
mod_auth_openidc as the gate in front of the patient application, PASS its OpenID Connect
provider. The gate's session is SPICO's session: its cookie, its 2-hour inactivity
(OIDCSessionInactivityTimeout), its logout (``redirect_uri?logout=…``), and PASS's
front-channel logout (``redirect_uri?logout=get``), the only kind LemonLDAP::NG 2.16 offers.
"""

from __future__ import annotations

import secrets
from urllib.parse import quote

from . import apache, behind_gate, llng
from .base import Changes, Context, Spico, Variant

name = "oidc"
title = "Pile de référence (LemonLDAP::NG 2.16 + Apache mod_auth_openidc)"
description = (
    "Pile de référence : LemonLDAP::NG (PASS) derrière nginx, Apache et mod_auth_openidc devant"
    " une application de patients sans session propre, paquets Debian"
)
packages = {
    "apache2": apache.APACHE,
    "libapache2-mod-auth-openidc": apache.MODULES / "mod_auth_openidc.so",
}
versioned = {"Apache": "apache2", "mod_auth_openidc": "libapache2-mod-auth-openidc"}
overrides = frozenset({"apache", "llng"})
DISCOVERY = "/.well-known/openid-configuration"
REDIRECT_PATH = "/redirect_uri"

variants = {
    "inactivite-8h": Variant(
        Changes(apache=("OIDCSessionInactivityTimeout 28800",)),
        "EXI-WEB-INACTIVITE",
        "la porte garde la session 8 heures d'inactivité au lieu de 2",
        also_breaks={
            "BP-RETOUR-ARRIERE": "une session qui survit à 2 heures revient par Précédent",
        },
    ),
    "session-persistante": Variant(
        Changes(apache=("OIDCSessionType server-cache:persistent",)),
        "EXI-WEB-FERMETURE",
        "le cookie de la porte survit à la fermeture de la fenêtre",
        also_breaks={"BP-COOKIES": "un cookie qui survit à la fenêtre n'est pas de session"},
    ),
    "cookie-lisible": Variant(
        Changes(apache=("OIDCCookieHTTPOnly Off",)),
        "BP-COOKIES",
        "le cookie de session de la porte est lisible par les scripts de la page",
    ),
    "pass-rester-connecte": Variant(
        Changes(llng=("stayConnected=1",)),
        "EXI-WEB-FERMETURE",
        "PASS propose « rester connecté » : sa session survit à la fenêtre",
        also_breaks={"BP-COOKIES": "le cookie de PASS devient persistant"},
    ),
    "sans-propagation": Variant(
        Changes(llng=(f"oidcRPMetaDataOptions/{llng.CLIENT_ID}/oidcRPMetaDataOptionsLogoutUrl=",)),
        "BP-PROPAGATION-SSO",
        "PASS ne prévient plus SPICO quand on se déconnecte de PASS",
        # its expiry scenario fails on the compliant stack too: the logout one tells them apart
        scenarios="BP-PROPAGATION-SSO and not horloge",
    ),
}

#: Made once per run: the secret the gate and PASS share, the key of the gate's cookies.
_SECRETS = ("client_secret", "passphrase")


def redirect_uri(home: str) -> str:
    return home.rstrip("/") + REDIRECT_PATH


def _logout(spico_url: str) -> str:
    return f"{redirect_uri(spico_url)}?logout={quote(spico_url, safe='')}"


def pass_keys(context: Context) -> dict:
    context.secrets = {key: secrets.token_urlsafe(24) for key in _SECRETS}
    return llng.oidc_keys(
        context.spico_url,
        redirect_uri(context.spico_url),
        f"{redirect_uri(context.spico_url)}?logout=get",
        context.secrets["client_secret"],
    )


def module(context: Context) -> apache.Module:
    """mod_auth_openidc's part of the gate: PASS its provider, the policy's inactivity."""
    return apache.Module(
        "auth_openidc",
        host=(
            f"OIDCProviderMetadataURL {context.pass_url}{DISCOVERY}",
            f"OIDCCABundlePath {context.tls.ca}",
            f"OIDCClientID {llng.CLIENT_ID}",
            f"OIDCClientSecret {context.secrets['client_secret']}",
            f"OIDCRedirectURI {redirect_uri(context.spico_url)}",
            f"OIDCCryptoPassphrase {context.secrets['passphrase']}",
            'OIDCScope "openid email profile"',
            "OIDCRemoteUserClaim sub",
            f"OIDCSessionInactivityTimeout {context.policy.spico_idle}",
            "# SameSite=Lax on the session cookie: PASS and SPICO are one site, so the",
            "# front-channel logout's frame still carries it",
            "OIDCCookieSameSite On",
            "OIDCCacheType shm",
            f"OIDCDefaultLoggedOutURL {context.spico_url}",
        ),
        location=("AuthType openid-connect",),
    )


def start(context: Context) -> Spico:
    logout = _logout(context.spico_url)
    app_port = behind_gate.start(context, logout)
    apache.start(context, module(context), app_port)
    behind_gate.wait(context, app_port)
    return Spico(logout, urls={"decouverte": context.pass_url + DISCOVERY})
