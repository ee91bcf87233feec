"""The catalog of faults: each makes the simulator non-compliant in one precise way.

A fault names the requirement it breaks, so the project's tests can check that the
suite fails on exactly that requirement. The compliant build has no fault active.
Search a fault's name in the code to see where it bends behaviour.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fault:
    name: str
    requirement: str
    description: str
    #: Where it shows: the web pages, the mobile app, or both.
    surfaces: tuple[str, ...] = ("web",)


CATALOG: dict[str, Fault] = {
    f.name: f
    for f in [
        Fault(
            "expiration-3h",
            "EXI-WEB-INACTIVITE",
            "SPICO ends idle sessions after 3 hours instead of 2",
        ),
        Fault(
            "expiration-navigateur-seulement",
            "EXI-WEB-INACTIVITE",
            "only the page blanks itself at 2 hours; the server keeps honouring the session",
        ),
        Fault(
            "expiration-serveur-seulement",
            "EXI-WEB-INACTIVITE",
            "the server ends the session but the open page keeps showing patient data",
        ),
        Fault(
            "interrogation-maintient-session",
            "BP-SANS-MAINTIEN",
            "the page's background polling counts as user activity",
        ),
        Fault(
            "cookie-spico-persistant",
            "EXI-WEB-FERMETURE",
            "SPICO's session cookie has an expiry date, so it survives closing the browser",
        ),
        Fault(
            "pass-se-souvenir-de-moi",
            "EXI-WEB-FERMETURE",
            "PASS sets a persistent 'remember me' cookie that survives closing the browser",
        ),
        Fault(
            "deconnexion-spico-cookie-seul",
            "EXI-WEB-DECONNEXION",
            "SPICO's logout only clears the cookie; the server session stays valid",
        ),
        Fault(
            "deconnexion-pass-inoperante",
            "EXI-WEB-DECONNEXION",
            "PASS's logout shows the logged-out page but keeps the PASS session",
        ),
        Fault(
            "sans-deconnexion-backchannel",
            "BP-PROPAGATION-SSO",
            "PASS does not notify SPICO when the PASS session ends",
        ),
        Fault(
            "pages-en-cache",
            "BP-RETOUR-ARRIERE",
            "patient pages are sent as cacheable, so Back shows them after logout",
        ),
        Fault(
            "identifiant-session-fixe",
            "BP-ID-ROTATION",
            "the pre-login session identifier is kept after authentication",
        ),
        Fault(
            "cookie-sans-httponly",
            "BP-COOKIES",
            "SPICO's session cookie is readable from JavaScript and has no SameSite",
        ),
        Fault(
            "page-sans-deconnexion",
            "BP-LIEN-DECONNEXION",
            "the patient record page has no logout control",
        ),
        Fault(
            "code-reutilisable",
            "BP-OTP",
            "a one-time code can be used again after a successful login or activation",
            ("web", "mobile"),
        ),
        Fault(
            "activation-sans-code",
            "EXI-MOB-ACTIVATION",
            "the mobile app is activated with the password alone, no one-time code",
            ("mobile",),
        ),
        Fault(
            "application-deverrouillee-a-la-reouverture",
            "EXI-MOB-VERROUILLAGE",
            "the app keeps its unlocked session on the phone and reopens without PIN",
            ("mobile",),
        ),
        Fault(
            "biometrie-echec-accepte",
            "EXI-MOB-VERROUILLAGE",
            "the fingerprint or face is not required to be recognised, only presented",
            ("mobile",),
        ),
        Fault(
            "reinitialisation-garde-donnees-locales",
            "EXI-MOB-REINITIALISATION",
            "the reset leaves the recently opened records on the phone",
            ("mobile",),
        ),
        Fault(
            "reinitialisation-garde-appareil-serveur",
            "EXI-MOB-REINITIALISATION",
            "the reset wipes the phone but the server still accepts the old device",
            ("mobile",),
        ),
        Fault(
            "pin-essais-illimites",
            "BP-PIN-ESSAIS",
            "wrong PINs can be tried forever; the device is never reset",
            ("mobile",),
        ),
    ]
}


class UnknownFault(ValueError):
    def __init__(self, name: str) -> None:
        known = ", ".join(sorted(CATALOG))
        super().__init__(f"défaut inconnu « {name} » ; défauts connus : {known}")


def parse(names: str | list[str] | None) -> frozenset[str]:
    """Faults from a comma-separated string or a list; unknown names are an error."""
    if not names:
        return frozenset()
    items = names.split(",") if isinstance(names, str) else names
    chosen = {n.strip() for n in items if n.strip()}
    for name in chosen:
        if name not in CATALOG:
            raise UnknownFault(name)
    return frozenset(chosen)
