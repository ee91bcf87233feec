"""The SAML stack's SPICO (``./dev pile saml``): Apache with mod_auth_mellon as the gate in
front of the patient application, PASS its SAML identity provider (``realstack/mellon.py``).
The gate's session is SPICO's session: mellon's cookie, its 2-hour inactivity
(MellonSessionIdleTimeout), bounded by PASS's 4 hours (the assertion's SessionNotOnOrAfter);
its logout (``/mellon/logout``) ends PASS's session too, and PASS's logout reaches it server
to server (SOAP single logout).
"""

from __future__ import annotations

from pathlib import Path

from . import apache, behind_gate, mellon
from .base import Changes, Context, Spico, Variant
from .servers import give_to

name = "saml"
title = "Pile SAML (LemonLDAP::NG 2.16 + Apache mod_auth_mellon)"
description = (
    "Pile SAML : LemonLDAP::NG (PASS, fournisseur d'identité SAML) derrière nginx, Apache et"
    " mod_auth_mellon devant une application de patients sans session propre, paquets Debian"
)
packages = {
    "apache2": apache.APACHE,
    "libapache2-mod-auth-mellon": apache.MODULES / "mod_auth_mellon.so",
    # LemonLDAP::NG's SAML is Lasso's: only suggested by its package, needed here
    "liblasso-perl": Path("/usr/lib/x86_64-linux-gnu/perl5/5.36/Lasso.pm"),
}
versioned = {
    "Apache": "apache2",
    "mod_auth_mellon": "libapache2-mod-auth-mellon",
    "Lasso": "liblasso-perl",
}
overrides = frozenset({"apache", "llng"})
#: The switch (``Changes.spico``) that leaves single logout out of the gate's metadata: no
#: one setting of either end says it, the metadata both read does.
WITHOUT_SINGLE_LOGOUT = "sans-deconnexion-unique"

variants = {
    "inactivite-8h": Variant(
        Changes(apache=("MellonSessionIdleTimeout 28800",)),
        "EXI-WEB-INACTIVITE",
        "la porte garde la session 8 heures d'inactivité au lieu de 2",
        # and no more than PASS's 4 hours (SessionNotOnOrAfter): after PASS's expiry,
        # Back brings nothing back, unlike the OpenID Connect gate's
    ),
    "sans-slo": Variant(
        Changes(spico=(WITHOUT_SINGLE_LOGOUT,)),
        "BP-PROPAGATION-SSO",
        "les métadonnées de SPICO ne déclarent pas de déconnexion unique : PASS ne prévient"
        " plus SPICO quand on se déconnecte de PASS",
        scenarios="BP-PROPAGATION-SSO and not horloge",
    ),
    "pass-rester-connecte": Variant(
        Changes(llng=("stayConnected=1",)),
        "EXI-WEB-FERMETURE",
        "PASS propose « rester connecté » : sa session survit à la fenêtre",
        also_breaks={"BP-COOKIES": "le cookie de PASS devient persistant"},
    ),
}


def _folder(context: Context) -> Path:
    return context.folder / "mellon"


def pass_keys(context: Context) -> dict:
    """The gate's key, certificate and metadata come first: PASS's copy of its metadata
    holds them."""
    single_logout = WITHOUT_SINGLE_LOGOUT not in context.changes.spico
    metadata = mellon.service_provider(_folder(context), context.spico_url, single_logout)
    return mellon.idp_keys(context.pass_url, metadata, context.policy.pass_idle)


def start(context: Context) -> Spico:
    logout = mellon.logout_url(context.spico_url)
    app_port = behind_gate.start(context, logout)
    folder = _folder(context)
    mellon.fetch_idp_metadata(context.client, context.pass_url, folder)
    give_to(folder, context.user)  # mellon reads its key once Apache runs as that user
    apache.start(context, mellon.module(folder, context.policy.spico_idle), app_port)
    behind_gate.wait(context, app_port)
    return Spico(logout, urls={"metadonnees": context.pass_url + mellon.IDP_METADATA_PATH})
