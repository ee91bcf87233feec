"""The reference stack's SPICO (``./dev pile``, ``./dev pile oidc``): Apache with
mod_auth_openidc as the gate in front of the patient application, PASS its OpenID Connect
provider. The gate's session is SPICO's session: its cookie, its 2-hour inactivity
(OIDCSessionInactivityTimeout), its logout (``redirect_uri?logout=…``), and PASS's
front-channel logout (``redirect_uri?logout=get``), the only kind LemonLDAP::NG 2.16 offers.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from urllib.parse import quote

from . import apache, behind_gate, llng
from .base import Changes, Context, Spico, Variant
from .servers import StackError, https_get

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


def _logout(spico_url: str) -> str:
    return f"{apache.redirect_uri(spico_url)}?logout={quote(spico_url, safe='')}"


def pass_keys(context: Context) -> dict:
    context.secrets = {key: secrets.token_urlsafe(24) for key in _SECRETS}
    return llng.oidc_keys(
        context.spico_url,
        apache.redirect_uri(context.spico_url),
        f"{apache.redirect_uri(context.spico_url)}?logout=get",
        context.secrets["client_secret"],
    )


def start(context: Context) -> Spico:
    logout = _logout(context.spico_url)
    app_port = behind_gate.start(context, logout)
    folder: Path = context.folder / "apache"
    folder.mkdir()
    gate = apache.Gate(
        folder,
        context.spico_port,
        context.spico_host,
        context.spico_url,
        context.pass_url,
        llng.CLIENT_ID,
        context.secrets["client_secret"],
        context.secrets["passphrase"],
        context.tls.ca,
        context.tls.cert,
        context.tls.key,
        app_port,
        context.user,
    )
    try:
        conf = apache.write(gate, list(context.changes.apache), context.env)
    except ValueError as exc:
        raise StackError(str(exc)) from None
    context.servers.start(
        "la porte SPICO (apache2)",
        [str(apache.APACHE), "-X", "-f", str(conf), "-DFOREGROUND"],
        folder / "sortie.log",
        context.env,
    )

    def gate_up() -> bool:
        answer = https_get(context.client, context.spico_port, context.spico_host, "/")
        return answer.status_code == 302 and answer.headers.get("location", "").startswith(
            context.pass_url
        )

    context.servers.wait(
        "la porte SPICO (Apache mod_auth_openidc)", gate_up, folder / "erreurs.log"
    )
    behind_gate.wait(context, app_port)
    return Spico(logout, urls={"decouverte": context.pass_url + DISCOVERY})
