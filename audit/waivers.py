"""``--derogations FICHIER.toml``: failures a team has accepted, for a time, with a reason.

A release is gated on the audit; a known failure that is being fixed should not block every
release until then, nor be forgotten. Each waiver names a requirement or a scenario, why, who
accepted it, when, and until when. Until that date a failure it covers is shown as such and
does not count against the exit status; after it, the failure counts again. A waiver whose
requirement or scenario now passes is "sans objet", so that it gets removed.

    [[derogation]]
    exigence = "BP-SANS-MAINTIEN"        # or: scenario = "Le nom du scénario"
    motif = "l'interrogation des tâches sera corrigée en version 4.2"
    accordee_par = "M. Martin, RSSI"
    accordee_le = 2026-11-02
    jusqu_au = 2027-01-31

The file is checked before anything runs: one line per problem.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pytest_bdd.parser import FeatureParser

from .requirements import CATALOG, FEATURES

KEYS = {"exigence", "scenario", "motif", "accordee_par", "accordee_le", "jusqu_au"}


class WaiverFileError(ValueError):
    """The file cannot be used; its message has one line per problem."""


@dataclass(frozen=True)
class Waiver:
    #: What it covers: a requirement ID, or a scenario's name (as in its feature).
    requirement: str | None
    scenario: str | None
    reason: str
    accepted_by: str
    accepted_on: date
    until: date

    @property
    def names(self) -> str:
        return self.requirement or f"« {self.scenario} »"

    def active(self, today: date) -> bool:
        return today <= self.until

    def covers(self, requirements: list[str], scenario: str) -> bool:
        """Does it cover a scenario of that name carrying those requirements? A scenario
        outline's name covers each of its examples."""
        if self.requirement is not None:
            return self.requirement in requirements
        pattern = re.sub(r"<[^<>]+>", ".+", re.escape(self.scenario))
        return re.fullmatch(pattern, scenario) is not None

    def accepted(self) -> str:
        return (
            f"dérogation acceptée jusqu'au {self.until:%d/%m/%Y}"
            f" ({self.reason}, par {self.accepted_by})"
        )

    def expired(self) -> str:
        return (
            f"dérogation expirée le {self.until:%d/%m/%Y}"
            f" ({self.reason}, par {self.accepted_by}) : l'échec compte de nouveau"
        )


def scenario_names() -> set[str]:
    """Every scenario's name in the features, the names a waiver may use."""
    names: set[str] = set()
    for path in sorted(FEATURES.rglob("*.feature")):
        feature = FeatureParser(str(FEATURES), str(path.relative_to(FEATURES))).parse()
        names.update(scenario.name for scenario in feature.scenarios.values())
    return names


def load(path: str | Path) -> list[Waiver]:
    """The waivers of the file; ``WaiverFileError`` listing every problem."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise WaiverFileError(f"{path} : fichier illisible ({exc.strerror})") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise WaiverFileError(f"{path} : TOML invalide ({exc})") from exc
    entries = data.get("derogation", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise WaiverFileError(f"{path} : attendu des tables [[derogation]]")
    known_requirements = {requirement.id for requirement in CATALOG}
    known_scenarios = scenario_names()
    waivers, problems = [], []
    for number, entry in enumerate(entries, 1):
        waiver, found = _waiver(entry, known_requirements, known_scenarios)
        problems += [f"{path}, dérogation n° {number} : {problem}" for problem in found]
        if waiver is not None:
            waivers.append(waiver)
    if problems:
        raise WaiverFileError("\n".join(problems))
    return waivers


def _waiver(
    entry: dict, known_requirements: set[str], known_scenarios: set[str]
) -> tuple[Waiver | None, list[str]]:
    problems = [f"clé inconnue « {key} »" for key in sorted(set(entry) - KEYS)]
    requirement, scenario = entry.get("exigence"), entry.get("scenario")
    if (requirement is None) == (scenario is None):
        problems.append("indiquez soit « exigence », soit « scenario »")
    elif requirement is not None and requirement not in known_requirements:
        problems.append(f"exigence inconnue « {requirement} »")
    elif scenario is not None and scenario not in known_scenarios:
        problems.append(f"scénario inconnu « {scenario} »")
    for key, what in (("motif", "le motif"), ("accordee_par", "qui l'a acceptée")):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            problems.append(f"« {key} » manque : {what} est obligatoire")
    dates = {}
    for key in ("accordee_le", "jusqu_au"):
        value = entry.get(key)
        if isinstance(value, date) and not hasattr(value, "hour"):
            dates[key] = value
        else:
            problems.append(f"« {key} » doit être une date AAAA-MM-JJ (sans guillemets)")
    if len(dates) == 2 and dates["jusqu_au"] <= dates["accordee_le"]:
        problems.append(
            f"« jusqu_au » ({dates['jusqu_au']:%d/%m/%Y}) est déjà passée quand elle est"
            f" accordée ({dates['accordee_le']:%d/%m/%Y})"
        )
    if problems:
        return None, problems
    return Waiver(
        requirement,
        scenario,
        entry["motif"].strip(),
        entry["accordee_par"].strip(),
        dates["accordee_le"],
        dates["jusqu_au"],
    ), []
