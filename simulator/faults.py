"""The catalog of faults: each makes the simulator non-compliant in one precise way.

A fault is a bent copy of the compliant ``Behaviour``: the rules it changes, the requirement
it breaks, and what else it breaks with it and why. This is the only table of faults: the
project's tests read it to know what the suite must catch, and nothing more. Adding a fault
means an entry here and its check in ``tests/test_faults.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .behaviour import HOUR, Behaviour


@dataclass(frozen=True)
class Fault:
    name: str
    requirement: str
    #: In French, as ``--liste-defauts`` and the report show it.
    description: str
    #: The rules of ``Behaviour`` it bends, and how.
    changes: dict[str, object]
    #: Where it shows: the web pages, the mobile app, or both.
    surfaces: tuple[str, ...] = ("web",)
    #: Other requirements whose scenarios it also makes fail, and why.
    also_breaks: tuple[str, ...] = ()
    #: Why, in French.
    because: str = ""

    def bend(self, behaviour: Behaviour) -> Behaviour:
        return replace(behaviour, **self.changes)


def behaviour_with(names: frozenset[str], compliant: Behaviour | None = None) -> Behaviour:
    """The compliant behaviour, bent by each chosen fault in turn."""
    behaviour = compliant or Behaviour()
    for name in sorted(names):
        behaviour = CATALOG[name].bend(behaviour)
    return behaviour


CATALOG: dict[str, Fault] = {
    f.name: f
    for f in [
        Fault(
            "expiration-3h",
            "EXI-WEB-INACTIVITE",
            "SPICO met fin aux sessions inactives après 3 heures au lieu de 2",
            {"spico_idle_seconds": 3 * HOUR, "screen_idle_seconds": 3 * HOUR},
            also_breaks=("BP-SANS-MAINTIEN",),
            because="une session inactive qui survit à 2 heures survit aussi aux interrogations de"
            " la page",
        ),
        Fault(
            "expiration-navigateur-seulement",
            "EXI-WEB-INACTIVITE",
            "seule la page s'efface à 2 heures ; le serveur honore toujours la session",
            {"spico_idle_seconds": None},
            also_breaks=("BP-SANS-MAINTIEN",),
            because="une session inactive qui survit à 2 heures survit aussi aux interrogations de"
            " la page",
        ),
        Fault(
            "expiration-serveur-seulement",
            "EXI-WEB-INACTIVITE",
            "le serveur met fin à la session mais la page ouverte montre toujours les patients",
            {"screen_asks_server": False},
            also_breaks=("BP-SANS-MAINTIEN",),
            because="la page qui ne demande jamais rien au serveur montre la session au-delà de 2"
            " heures",
        ),
        Fault(
            "interrogation-maintient-session",
            "BP-SANS-MAINTIEN",
            "les interrogations de fond de la page comptent comme activité de l'utilisateur",
            {"polling_is_activity": True},
            also_breaks=("EXI-WEB-INACTIVITE",),
            because="des interrogations qui comptent comme activité maintiennent toute session"
            " inactive",
        ),
        Fault(
            "cookie-spico-persistant",
            "EXI-WEB-FERMETURE",
            "le cookie de session de SPICO a une date d'expiration : il survit à la fermeture du"
            " navigateur",
            {"spico_cookie_max_age": 30 * 24 * HOUR},
            also_breaks=("BP-COOKIES",),
            because="un cookie qui survit au navigateur n'est pas non plus un cookie de session",
        ),
        Fault(
            "pass-se-souvenir-de-moi",
            "EXI-WEB-FERMETURE",
            "le PASS pose un cookie « se souvenir de moi » qui survit à la fermeture du navigateur",
            {"pass_cookie_max_age": 30 * 24 * HOUR},
            also_breaks=("BP-COOKIES",),
            because="un cookie qui survit au navigateur n'est pas non plus un cookie de session",
        ),
        Fault(
            "deconnexion-spico-cookie-seul",
            "EXI-WEB-DECONNEXION",
            "la déconnexion de SPICO n'efface que le cookie ; la session reste valide sur le"
            " serveur",
            {"spico_logout_ends_session": False},
            also_breaks=("BP-RETOUR-ARRIERE",),
            because="l'ancien cookie rejoué après la déconnexion ouvre toujours SPICO",
        ),
        Fault(
            "deconnexion-pass-inoperante",
            "EXI-WEB-DECONNEXION",
            "la déconnexion du PASS affiche la page de déconnexion mais garde la session PASS",
            {"pass_logout_ends_session": False},
            also_breaks=("BP-PROPAGATION-SSO", "BP-RETOUR-ARRIERE"),
            because="la déconnexion du kiosque ne termine rien, et le retour arrière rentre par la"
            " session PASS encore vivante",
        ),
        Fault(
            "sans-deconnexion-backchannel",
            "BP-PROPAGATION-SSO",
            "le PASS ne prévient pas SPICO quand la session PASS se termine",
            {"backchannel_logout": False},
        ),
        Fault(
            "pages-en-cache",
            "BP-RETOUR-ARRIERE",
            "les pages de patients peuvent être mises en cache : le retour arrière les montre"
            " après la déconnexion",
            {"patient_pages_cache_control": "private, max-age=3600"},
            also_breaks=("EXI-WEB-FERMETURE", "EXI-WEB-DECONNEXION", "BP-PROPAGATION-SSO"),
            because="une liste de patients gardée par le navigateur (même sur disque, après une"
            " relance) revient quand SPICO est rouvert après une déconnexion ou une fenêtre"
            " fermée",
        ),
        Fault(
            "identifiant-session-fixe",
            "BP-ID-ROTATION",
            "l'identifiant de session d'avant la connexion est gardé après l'authentification",
            {"rotate_session_id": False},
        ),
        Fault(
            "cookie-sans-httponly",
            "BP-COOKIES",
            "le cookie de session de SPICO est lisible en JavaScript et n'a pas de SameSite",
            {"spico_cookie_httponly": False, "spico_cookie_samesite": None},
        ),
        Fault(
            "page-sans-deconnexion",
            "BP-LIEN-DECONNEXION",
            "la page du dossier patient n'a pas de bouton de déconnexion",
            {"logout_on_record_page": False},
            also_breaks=("BP-RETOUR-ARRIERE",),
            because="le scénario du retour arrière se déconnecte depuis un dossier patient, qui n'a"
            " alors plus de bouton de déconnexion",
        ),
        Fault(
            "code-reutilisable",
            "BP-OTP",
            "un code à usage unique resert après une connexion ou une activation réussie",
            {"codes_single_use": False},
            ("web", "mobile"),
        ),
        Fault(
            "activation-sans-code",
            "EXI-MOB-ACTIVATION",
            "l'application mobile s'active avec le seul mot de passe, sans code à usage unique",
            {"activation_needs_code": False},
            ("mobile",),
            also_breaks=("BP-OTP",),
            because="sans étape de code, aucune règle des codes ne peut tenir sur l'application",
        ),
        Fault(
            "application-deverrouillee-a-la-reouverture",
            "EXI-MOB-VERROUILLAGE",
            "l'application garde sa session déverrouillée sur le téléphone et se rouvre sans PIN",
            {"app_locks_when_closed": False},
            ("mobile",),
            also_breaks=(
                "EXI-MOB-REINITIALISATION",
                "EXI-MOB-NOUVEAU-COMPTE",
                "BP-PIN-ESSAIS",
                "BP-OTP",
            ),
            because="l'écran du PIN ne revient jamais, ni avec lui le lien de réinitialisation et"
            " les"
            " essais de PIN",
        ),
        Fault(
            "biometrie-echec-accepte",
            "EXI-MOB-VERROUILLAGE",
            "l'empreinte ou le visage n'a pas à être reconnu, seulement présenté",
            {"biometrics_must_recognise": False},
            ("mobile",),
        ),
        Fault(
            "reinitialisation-garde-donnees-locales",
            "EXI-MOB-REINITIALISATION",
            "la réinitialisation laisse sur le téléphone les dossiers consultés récemment",
            {"reset_wipes_phone": False},
            ("mobile",),
            also_breaks=("EXI-MOB-NOUVEAU-COMPTE",),
            because="les dossiers ouverts par le premier compte restent sur le téléphone sous les"
            " yeux"
            " du suivant",
        ),
        Fault(
            "reinitialisation-garde-appareil-serveur",
            "EXI-MOB-REINITIALISATION",
            "la réinitialisation efface le téléphone mais le serveur accepte toujours l'ancien"
            " appareil",
            {"reset_revokes_device": False},
            ("mobile",),
        ),
        Fault(
            "pin-essais-illimites",
            "BP-PIN-ESSAIS",
            "les PIN faux peuvent s'essayer sans fin ; l'appareil n'est jamais réinitialisé",
            {"pin_attempts": None},
            ("mobile",),
        ),
    ]
}
