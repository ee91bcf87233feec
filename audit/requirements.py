"""The requirement catalog (docs/architecture.md): the IDs scenarios carry as tags, in order.

The guide's requirements are the musts: the audit's verdict rests on them. The good
practices complete them (their features name their sources). Registered as pytest markers
from here.
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

    @property
    def must(self) -> bool:
        """A requirement of the guide, rather than a complementary good practice."""
        return self.id.startswith("EXI-")


CATALOG = (
    Requirement("EXI-WEB-ACCES", "Accès à SPICO par le PASS"),
    Requirement("EXI-WEB-INACTIVITE", "Déconnexion après 2 heures d'inactivité"),
    Requirement("EXI-WEB-FERMETURE", "Fermer la fenêtre du navigateur met fin à la session"),
    Requirement("EXI-WEB-DECONNEXION", "Se déconnecter de SPICO, puis du PASS"),
    Requirement("EXI-POSTE-VERROUILLAGE", "Verrouiller le poste de travail"),
    Requirement("EXI-MOB-ACTIVATION", "Activation du compte mobile avec un code à usage unique"),
    Requirement("EXI-MOB-VERROUILLAGE", "Authentification à la réouverture de l'application"),
    Requirement("EXI-MOB-REINITIALISATION", "Réinitialiser le compte sur le téléphone"),
    Requirement("EXI-MOB-NOUVEAU-COMPTE", "Un nouveau compte après la réinitialisation"),
    Requirement("BP-ID-ROTATION", "Nouvel identifiant de session à chaque authentification"),
    Requirement("BP-RETOUR-ARRIERE", "Rien après la fin de session (retour, cache, cookie)"),
    Requirement("BP-LIEN-DECONNEXION", "Un contrôle de déconnexion sur chaque page authentifiée"),
    Requirement("BP-PROPAGATION-SSO", "La fin de la session PASS met fin à la session SPICO"),
    Requirement("BP-COOKIES", "Cookies de session non persistants, HttpOnly, SameSite"),
    Requirement("BP-SANS-MAINTIEN", "L'interrogation périodique ne maintient pas la session"),
    Requirement("BP-PIN-ESSAIS", "Nombre d'essais du code PIN limité"),
    Requirement("BP-OTP", "Codes à usage unique : un seul usage, expiration, essais limités"),
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
