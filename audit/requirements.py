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
ID = re.compile(r"^(EXI|BP)-[A-Z-]+$")


@dataclass(frozen=True)
class Requirement:
    id: str
    title: str
    #: The OWASP references, spelled as the standards spell them: "WSTG-SESS-07",
    #: "ASVS 5.0 V7.3.1", "MASVS-AUTH-2".
    references: tuple[str, ...] = ()

    @property
    def must(self) -> bool:
        """A requirement of the guide, rather than a complementary good practice."""
        return self.id.startswith("EXI-")


CATALOG = (
    Requirement(
        "EXI-WEB-ACCES",
        "Accès à SPICO par le PASS",
        ("WSTG-ATHN-04", "ASVS 5.0 V8.2.1"),
    ),
    Requirement(
        "EXI-WEB-INACTIVITE",
        "Déconnexion après 2 heures d'inactivité",
        ("WSTG-SESS-07", "ASVS 5.0 V7.3.1", "ASVS 5.0 V7.4.1", "ASVS 5.0 V14.3.1"),
    ),
    Requirement(
        "EXI-WEB-FERMETURE",
        "Fermer la fenêtre du navigateur met fin à la session",
        ("WSTG-SESS-02", "WSTG-ATHN-05"),
    ),
    Requirement(
        "EXI-WEB-DECONNEXION",
        "Se déconnecter de SPICO, puis du PASS",
        ("WSTG-SESS-06", "ASVS 5.0 V7.4.1", "ASVS 5.0 V7.6.1"),
    ),
    # Locking the workstation is an operating-system action: no OWASP reference matches it.
    Requirement("EXI-POSTE-VERROUILLAGE", "Verrouiller le poste de travail"),
    Requirement(
        "EXI-MOB-ACTIVATION",
        "Activation du compte mobile avec un code à usage unique",
        ("MASVS-AUTH-1", "MASVS-AUTH-2", "ASVS 5.0 V6.3.3"),
    ),
    Requirement(
        "EXI-MOB-VERROUILLAGE",
        "Authentification à la réouverture de l'application",
        ("MASVS-AUTH-2",),
    ),
    Requirement(
        "EXI-MOB-REINITIALISATION",
        "Réinitialiser le compte sur le téléphone",
        ("MASVS-AUTH-1", "MASVS-STORAGE-1", "ASVS 5.0 V6.5.6", "ASVS 5.0 V14.3.1"),
    ),
    Requirement(
        "EXI-MOB-NOUVEAU-COMPTE",
        "Un nouveau compte après la réinitialisation",
        ("MASVS-STORAGE-1", "ASVS 5.0 V14.3.1"),
    ),
    Requirement(
        "BP-ID-ROTATION",
        "Nouvel identifiant de session à chaque authentification",
        ("WSTG-SESS-03", "ASVS 5.0 V7.2.4"),
    ),
    Requirement(
        "BP-RETOUR-ARRIERE",
        "Rien après la fin de session (retour, cache, cookie)",
        ("WSTG-ATHN-06", "WSTG-SESS-06", "WSTG-SESS-07", "ASVS 5.0 V7.4.1", "ASVS 5.0 V14.3.2"),
    ),
    Requirement(
        "BP-LIEN-DECONNEXION",
        "Un contrôle de déconnexion sur chaque page authentifiée",
        ("WSTG-SESS-06", "ASVS 5.0 V7.4.4"),
    ),
    Requirement(
        "BP-PROPAGATION-SSO",
        "La fin de la session PASS met fin à la session SPICO",
        ("WSTG-SESS-06", "ASVS 5.0 V7.6.1"),
    ),
    Requirement(
        "BP-COOKIES",
        "Cookies de session non persistants, HttpOnly, SameSite",
        ("WSTG-SESS-02", "ASVS 5.0 V3.3.2", "ASVS 5.0 V3.3.4"),
    ),
    Requirement(
        "BP-SANS-MAINTIEN",
        "L'interrogation périodique ne maintient pas la session",
        ("WSTG-SESS-07", "ASVS 5.0 V7.3.1"),
    ),
    Requirement(
        "BP-PIN-ESSAIS",
        "Nombre d'essais du code PIN limité",
        ("MASVS-AUTH-2", "ASVS 5.0 V6.3.1"),
    ),
    Requirement(
        "BP-OTP",
        "Codes à usage unique : un seul usage, expiration, essais limités",
        ("WSTG-ATHN-03", "ASVS 5.0 V6.5.1", "ASVS 5.0 V6.5.5", "ASVS 5.0 V6.6.3", "MASVS-AUTH-1"),
    ),
)


def requirement_tags(tags: object) -> list[str]:
    """The requirement IDs among a scenario's tags or keywords, in catalog order."""
    found = {tag for tag in tags if isinstance(tag, str) and ID.match(tag)}
    return [requirement.id for requirement in CATALOG if requirement.id in found]


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
