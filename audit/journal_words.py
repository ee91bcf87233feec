"""The target's event journal as the report shows it to auditors: in French sentences, not
the simulator's event names (``backchannel_envoye``) or its codes' states (``wrong``)."""

from __future__ import annotations

from datetime import UTC, datetime

EVENTS = {
    "connexion": "connexion",
    "deconnexion": "déconnexion",
    "deconnexion_ignoree": "demande de déconnexion sans session, ignorée",
    "fin_de_session": "fin de session",
    "autorisation": "autorisation OpenID Connect donnée",
    "backchannel_envoye": "déconnexion transmise à l'application (back-channel)",
    "backchannel_recu": "déconnexion reçue du PASS (back-channel)",
    "code_envoye": "code à usage unique envoyé",
    "code_refuse": "code à usage unique refusé",
    "echec_mot_de_passe": "mot de passe refusé",
    "activation": "téléphone activé",
    "deverrouillage": "application déverrouillée",
    "pin_refuse": "code PIN refusé",
    "biometrie_enregistree": "biométrie enregistrée",
    "biometrie_refusee": "biométrie refusée",
    "reinitialisation": "compte réinitialisé sur le téléphone",
}
DETAILS = {
    "motif": "motif",
    "canal": "canal",
    "raison": "raison",
    "client": "application",
    "sessions": "sessions terminées",
    "appareil": "appareil",
    "moyen": "moyen",
    "essais_restants": "essais restants",
}
VALUES = {
    "accepted": "accepté",
    "wrong": "code faux",
    "expired": "code expiré",
    "exhausted": "essais épuisés",
    "none": "aucun code en cours",
    "email": "e-mail",
    "sms": "SMS",
}
PARTS = {"pass": "PASS", "spico": "SPICO", "mobile": "application mobile"}


def readable(event: dict) -> dict[str, str]:
    """One journal row: when (the target's clock), which part, what, and its details."""
    when = datetime.fromtimestamp(event["at"], UTC).astimezone()
    details = ", ".join(
        f"{DETAILS.get(key, key.replace('_', ' '))} : {VALUES.get(str(value), value)}"
        for key, value in event.get("detail", {}).items()
    )
    return {
        "heure": when.strftime("%d/%m %H:%M:%S"),
        "partie": PARTS.get(event["part"], event["part"]),
        "evenement": EVENTS.get(event["event"], event["event"].replace("_", " ")),
        "details": details,
    }
