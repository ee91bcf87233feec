"""The requirement catalog (docs/architecture.md): the IDs scenarios carry as tags, in order.

The guide's requirements are the musts: the audit's verdict rests on them. The good
practices complete them (their features name their sources). Registered as pytest markers
from here.

Each requirement names the OWASP references an auditor would cite for it (the report shows
them in its section): WSTG v4.2 test IDs, ASVS 5.0.0 requirement IDs, MASVS v2.1.0 controls
for the mobile app; each was checked against the text of that version of the standard.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytest_bdd.parser import FeatureParser

FEATURES = Path(__file__).resolve().parent.parent / "features"
#: A requirement's ID: ``EXI-`` (the guide's) or ``BP-`` (a good practice), then words in
#: capitals joined by hyphens (``EXI-WEB-INACTIVITE``).
ID = re.compile(r"^(EXI|BP)-[A-Z]+(-[A-Z]+)*$")
#: A tag meant as an ID, spelt right or not.
_MEANT_AS_ID = re.compile(r"^(EXI|BP)-", re.IGNORECASE)


#: Severities of a finding, worst first (a report sorts its findings by them).
SEVERITIES = ("Critique", "Élevée", "Moyenne", "Faible")


@dataclass(frozen=True)
class Advice:
    """What a finding card tells the administrator: a likely cause, and how to fix it."""

    cause: str
    fix: str


@dataclass(frozen=True)
class Requirement:
    id: str
    title: str
    #: The OWASP references, spelled as the standards spell them: "WSTG-SESS-07",
    #: "ASVS 5.0 V7.3.1", "MASVS-AUTH-2".
    references: tuple[str, ...] = ()
    #: A finding's severity (``SEVERITIES``), and why: who could reach patient data, how.
    severity: str = "Moyenne"
    severity_reason: str = ""
    advice: tuple[Advice, ...] = ()

    @property
    def must(self) -> bool:
        """A requirement of the guide, rather than a complementary good practice."""
        return self.id.startswith("EXI-")


CATALOG = (
    Requirement(
        "EXI-WEB-ACCES",
        "Accès à SPICO par le PASS",
        ("WSTG-ATHN-04", "ASVS 5.0 V8.2.1"),
        severity="Critique",
        severity_reason=(
            "sans le PASS, SPICO serait ouvert sans authentification forte : quiconque atteint "
            "l'adresse verrait des données patient"
        ),
        advice=(
            Advice(
                (
                    "La passerelle devant SPICO (module OpenID Connect, reverse proxy) laisse "
                    "passer des chemins sans session."
                ),
                (
                    "Protéger tout l'espace de SPICO par la passerelle (Location /, pas seulement "
                    "la page d'accueil) et vérifier les exceptions déclarées."
                ),
            ),
            Advice(
                "La tuile du kiosque ne mène pas à SPICO, ou demande de nouveau l'identification.",
                (
                    "Déclarer SPICO comme application du PASS (client OpenID Connect) avec la "
                    "bonne adresse de retour."
                ),
            ),
        ),
    ),
    Requirement(
        "EXI-WEB-INACTIVITE",
        "Déconnexion après 2 heures d'inactivité",
        ("WSTG-SESS-07", "ASVS 5.0 V7.3.1", "ASVS 5.0 V7.4.1", "ASVS 5.0 V14.3.1"),
        severity="Élevée",
        severity_reason=(
            "un poste partagé laissé ouvert donne les données patient à la personne suivante tant "
            "que la session vit"
        ),
        advice=(
            Advice(
                (
                    "Le délai d'inactivité de la session de SPICO (ou de sa passerelle) dépasse 2 "
                    "heures, ou n'existe pas."
                ),
                (
                    "Régler le délai d'inactivité à 2 heures au plus côté serveur "
                    "(mod_auth_openidc : OIDCSessionInactivityTimeout 7200)."
                ),
            ),
            Advice(
                (
                    "La page se vide mais le serveur accepte encore la session (expiration "
                    "affichée seulement)."
                ),
                "Faire expirer la session sur le serveur, pas seulement dans le navigateur.",
            ),
            Advice(
                "Une interrogation périodique de la page compte comme une activité.",
                "Ne prolonger la session que sur une action de l'utilisateur.",
            ),
        ),
    ),
    Requirement(
        "EXI-WEB-FERMETURE",
        "Fermer la fenêtre du navigateur met fin à la session",
        ("WSTG-SESS-02", "WSTG-ATHN-05"),
        severity="Élevée",
        severity_reason=(
            "après la fermeture de la fenêtre, la personne suivante sur le poste rouvrirait la "
            "session"
        ),
        advice=(
            Advice(
                (
                    "Un cookie de session persistant (attribut Expires ou Max-Age), ou « Rester "
                    "connecté » accepté sur le PASS."
                ),
                (
                    "Poser des cookies de session sans date d'expiration ; désactiver « Rester "
                    "connecté » pour SPICO."
                ),
            ),
        ),
    ),
    Requirement(
        "EXI-WEB-DECONNEXION",
        "Se déconnecter de SPICO, puis du PASS",
        ("WSTG-SESS-06", "ASVS 5.0 V7.4.1", "ASVS 5.0 V7.6.1"),
        severity="Critique",
        severity_reason=(
            "le professionnel croit sa session fermée alors qu'elle reste ouverte sur un poste "
            "partagé"
        ),
        advice=(
            Advice(
                (
                    "Le bouton de déconnexion efface l'affichage mais ne termine pas la session "
                    "côté serveur."
                ),
                (
                    "Invalider la session sur le serveur à la déconnexion (et la session de la "
                    "passerelle)."
                ),
            ),
            Advice(
                "La déconnexion du PASS n'est pas proposée ou ne termine pas la session du PASS.",
                (
                    "Enchaîner la déconnexion de SPICO sur celle du PASS (end_session_endpoint "
                    "d'OpenID Connect)."
                ),
            ),
        ),
    ),
    # Locking the workstation is an operating-system action: no OWASP reference matches it.
    Requirement(
        "EXI-POSTE-VERROUILLAGE",
        "Verrouiller le poste de travail",
        severity="Moyenne",
        severity_reason="un poste non verrouillé expose l'écran et la session à qui passe",
        advice=(
            Advice(
                "Le poste n'impose pas de verrouillage.",
                (
                    "Imposer le verrouillage (Windows+L) et un verrouillage automatique par la "
                    "politique du poste."
                ),
            ),
        ),
    ),
    Requirement(
        "EXI-MOB-ACTIVATION",
        "Activation du compte mobile avec un code à usage unique",
        ("MASVS-AUTH-1", "MASVS-AUTH-2", "ASVS 5.0 V6.3.3"),
        severity="Élevée",
        severity_reason=(
            "un compte activé sans code à usage unique s'ouvre sur tout téléphone avec le seul mot"
            " de passe"
        ),
        advice=(
            Advice(
                (
                    "L'activation n'exige pas le code à usage unique, ou n'offre pas le canal "
                    "promis (e-mail, SMS)."
                ),
                (
                    "Exiger le code envoyé par le PASS avant d'enregistrer l'appareil, par e-mail "
                    "ou SMS au choix."
                ),
            ),
            Advice(
                "Le code PIN choisi n'est pas de 4 chiffres ou n'est pas demandé.",
                "Imposer un code PIN à 4 chiffres à l'activation.",
            ),
        ),
    ),
    Requirement(
        "EXI-MOB-VERROUILLAGE",
        "Authentification à la réouverture de l'application",
        ("MASVS-AUTH-2",),
        severity="Critique",
        severity_reason=(
            "un téléphone perdu ou prêté ouvrirait l'application sur les données patient"
        ),
        advice=(
            Advice(
                "L'application rouvre sa session sans demander le code PIN ni la biométrie.",
                (
                    "Verrouiller l'application à sa fermeture et exiger le PIN, l'empreinte ou le "
                    "visage à la réouverture."
                ),
            ),
            Advice(
                "Un échec biométrique est accepté.",
                "Ne déverrouiller que sur un succès biométrique vérifié par le système.",
            ),
        ),
    ),
    Requirement(
        "EXI-MOB-REINITIALISATION",
        "Réinitialiser le compte sur le téléphone",
        ("MASVS-AUTH-1", "MASVS-STORAGE-1", "ASVS 5.0 V6.5.6", "ASVS 5.0 V14.3.1"),
        severity="Élevée",
        severity_reason=(
            "après une réinitialisation, des données ou un appareil restés actifs rouvriraient "
            "l'ancien compte"
        ),
        advice=(
            Advice(
                (
                    "La réinitialisation garde des données locales ou laisse l'appareil enregistré"
                    " sur le serveur."
                ),
                (
                    "Effacer le stockage local et révoquer l'appareil côté serveur à la "
                    "réinitialisation."
                ),
            ),
        ),
    ),
    Requirement(
        "EXI-MOB-NOUVEAU-COMPTE",
        "Un nouveau compte après la réinitialisation",
        ("MASVS-STORAGE-1", "ASVS 5.0 V14.3.1"),
        severity="Élevée",
        severity_reason="le compte suivant verrait les données du précédent",
        advice=(
            Advice(
                "Des données du compte précédent restent sur le téléphone.",
                "Effacer toutes les données de l'application avant l'activation d'un autre compte.",
            ),
        ),
    ),
    Requirement(
        "BP-ID-ROTATION",
        "Nouvel identifiant de session à chaque authentification",
        ("WSTG-SESS-03", "ASVS 5.0 V7.2.4"),
        severity="Moyenne",
        severity_reason=(
            "un identifiant fixé avant l'authentification permet une fixation de session"
        ),
        advice=(
            Advice(
                "Le serveur garde l'identifiant de session d'avant la connexion.",
                (
                    "Émettre un nouvel identifiant de session à chaque authentification et "
                    "invalider l'ancien."
                ),
            ),
        ),
    ),
    Requirement(
        "BP-RETOUR-ARRIERE",
        "Rien après la fin de session (retour, cache, cookie)",
        ("WSTG-ATHN-06", "WSTG-SESS-06", "WSTG-SESS-07", "ASVS 5.0 V7.4.1", "ASVS 5.0 V14.3.2"),
        severity="Élevée",
        severity_reason=(
            "après la fin de session, le bouton Retour, le cache ou un cookie copié montreraient "
            "des données patient"
        ),
        advice=(
            Advice(
                "Les pages de données patient peuvent être mises en cache.",
                "Répondre Cache-Control: no-store sur toutes les pages de données patient.",
            ),
            Advice(
                "Le serveur accepte un cookie de session après la déconnexion ou l'expiration.",
                "Invalider la session côté serveur, pas seulement le cookie du navigateur.",
            ),
        ),
    ),
    Requirement(
        "BP-LIEN-DECONNEXION",
        "Un contrôle de déconnexion sur chaque page authentifiée",
        ("WSTG-SESS-06", "ASVS 5.0 V7.4.4"),
        severity="Faible",
        severity_reason=(
            "un professionnel qui ne trouve pas la déconnexion laisse sa session ouverte"
        ),
        advice=(
            Advice(
                "Une page authentifiée n'offre pas de contrôle de déconnexion.",
                (
                    "Mettre le contrôle de déconnexion dans le gabarit commun de toutes les pages "
                    "authentifiées."
                ),
            ),
        ),
    ),
    Requirement(
        "BP-PROPAGATION-SSO",
        "La fin de la session PASS met fin à la session SPICO",
        ("WSTG-SESS-06", "ASVS 5.0 V7.6.1"),
        severity="Moyenne",
        severity_reason=(
            "la session SPICO survit à celle du PASS : qui reprend le poste garde SPICO, mais "
            "seulement dans la fenêtre déjà ouverte"
        ),
        advice=(
            Advice(
                (
                    "Le fournisseur d'identité ne prévient pas les applications quand sa session "
                    "expire (il ne le fait qu'à la déconnexion : c'est le cas de LemonLDAP::NG "
                    "2.16)."
                ),
                (
                    "Faire vérifier la session du fournisseur par la passerelle de SPICO (session "
                    "management d'OpenID Connect, ou réauthentification silencieuse périodique)."
                ),
            ),
            Advice(
                (
                    "La déconnexion du PASS n'est pas propagée à SPICO (front-channel ou "
                    "back-channel logout non configuré)."
                ),
                (
                    "Déclarer l'adresse de déconnexion front-channel ou back-channel de SPICO chez"
                    " le fournisseur d'identité."
                ),
            ),
            Advice(
                "Le délai d'inactivité de SPICO est plus long que celui du PASS.",
                "Régler l'inactivité de SPICO au plus sur celle du PASS.",
            ),
        ),
    ),
    Requirement(
        "BP-COOKIES",
        "Cookies de session non persistants, HttpOnly, SameSite",
        ("WSTG-SESS-02", "ASVS 5.0 V3.3.2", "ASVS 5.0 V3.3.4"),
        severity="Moyenne",
        severity_reason=(
            "un cookie de session lisible par JavaScript, persistant ou envoyé par d'autres sites "
            "facilite son vol ou sa réutilisation"
        ),
        advice=(
            Advice(
                (
                    "Un cookie de session sans HttpOnly, sans SameSite, sans Secure ou avec une "
                    "date d'expiration."
                ),
                (
                    "Poser les cookies de session avec HttpOnly, Secure, SameSite=Lax ou Strict et"
                    " sans Expires (mod_auth_openidc : OIDCCookieHTTPOnly On, OIDCCookieSameSite "
                    "On)."
                ),
            ),
        ),
    ),
    Requirement(
        "BP-SANS-MAINTIEN",
        "L'interrogation périodique ne maintient pas la session",
        ("WSTG-SESS-07", "ASVS 5.0 V7.3.1"),
        severity="Élevée",
        severity_reason=(
            "une page qui s'interroge elle-même garderait la session ouverte sans limite"
        ),
        advice=(
            Advice(
                (
                    "Les requêtes périodiques de la page (notifications, rafraîchissement) "
                    "prolongent la session."
                ),
                (
                    "Ne pas compter ces requêtes comme une activité (un en-tête ou un chemin exclu"
                    " du renouvellement)."
                ),
            ),
        ),
    ),
    Requirement(
        "BP-PIN-ESSAIS",
        "Nombre d'essais du code PIN limité",
        ("MASVS-AUTH-2", "ASVS 5.0 V6.3.1"),
        severity="Élevée",
        severity_reason="un code à 4 chiffres se devine en 10 000 essais au plus",
        advice=(
            Advice(
                "L'application accepte un nombre illimité d'essais du code PIN.",
                "Limiter à 3 essais, puis retirer le compte du téléphone.",
            ),
        ),
    ),
    Requirement(
        "BP-OTP",
        "Codes à usage unique : un seul usage, expiration, essais limités",
        ("WSTG-ATHN-03", "ASVS 5.0 V6.5.1", "ASVS 5.0 V6.5.5", "ASVS 5.0 V6.6.3", "MASVS-AUTH-1"),
        severity="Élevée",
        severity_reason=(
            "un code réutilisable, sans expiration ou sans limite d'essais se rejoue ou se devine"
        ),
        advice=(
            Advice(
                (
                    "Le code reste valable après usage, après son délai, ou après plusieurs essais"
                    " faux."
                ),
                (
                    "Invalider le code au premier usage, après quelques minutes, et après 3 essais"
                    " faux."
                ),
            ),
        ),
    ),
)


class UnknownRequirement(ValueError):
    """A tag names a requirement the catalog lacks: its scenarios would count for none."""


def requirement_tags(tags: object) -> list[str]:
    """The requirement IDs among a scenario's tags or keywords, in catalog order;
    ``UnknownRequirement`` names any that the catalog lacks, rather than drop it."""
    meant = {tag for tag in tags if isinstance(tag, str) and _MEANT_AS_ID.match(tag)}
    known = [requirement.id for requirement in CATALOG if requirement.id in meant]
    if unknown := meant - set(known):
        raise UnknownRequirement(
            "étiquette d'exigence absente du catalogue (audit/requirements.py) : "
            + ", ".join(sorted(unknown))
        )
    return known


def feature_texts() -> dict[str, str]:
    """Per requirement, what its feature says first: the guide's words (« … ») or, for a good
    practice, the practice and its source; the "En tant que" lines are left out."""
    texts: dict[str, str] = {}
    for path in sorted(FEATURES.rglob("*.feature")):
        feature = FeatureParser(str(FEATURES), str(path.relative_to(FEATURES))).parse()
        first = re.split(r"En tant qu", feature.description)[0]
        for tag in requirement_tags(feature.tags):
            texts.setdefault(tag, " ".join(first.split()))
    return texts


def pytest_configure(config: pytest.Config) -> None:
    for requirement in CATALOG:
        config.addinivalue_line("markers", f"{requirement.id}: {requirement.title}")
