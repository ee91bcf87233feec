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

The file is checked before anything runs, one line per problem. It holds at least one
waiver; each names a requirement of the catalog or a scenario of the features (not both),
was accepted by then (``accordee_le`` not after today), and ends after it was accepted, a
year at most (366 days): a waiver is temporary, it is renewed rather than written for
ever. Two waivers covering one scenario over periods that meet (``accordee_le`` to
``jusqu_au``) are refused: one requirement, one scenario, or a scenario and one of its
requirements (its tags).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path

from pydantic import Field, ValidationInfo, field_validator
from pytest_bdd.parser import FeatureParser

from fixtures import input_file
from fixtures.input_file import InputFileError, Table, Text

from .requirements import CATALOG, FEATURES, requirement_tags

#: How long a waiver may last after it was accepted.
LONGEST = timedelta(days=366)


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
            f"dérogation acceptée jusqu'au {_shown(self.until)}"
            f" ({self.reason}, par {self.accepted_by})"
        )

    def expired(self) -> str:
        return (
            f"dérogation expirée le {_shown(self.until)}"
            f" ({self.reason}, par {self.accepted_by}) : l'échec compte de nouveau"
        )


def _shown(day: date) -> str:
    """01/02/2026; the year in four digits, even the year 1."""
    return f"{day.day:02}/{day.month:02}/{day.year:04}"


def scenario_requirements() -> dict[str, set[str]]:
    """Every scenario's name in the features (the names a waiver may use), with the
    requirements it carries."""
    found: dict[str, set[str]] = {}
    for path in sorted(FEATURES.rglob("*.feature")):
        feature = FeatureParser(str(FEATURES), str(path.relative_to(FEATURES))).parse()
        for scenario in feature.scenarios.values():
            tags = requirement_tags(feature.tags | scenario.tags)
            found.setdefault(scenario.name, set()).update(tags)
    return found


def load(path: str | Path) -> list[Waiver]:
    """The waivers of the file; ``WaiverFileError`` listing every problem."""
    path = Path(path)
    scenarios = scenario_requirements()
    context = {
        "today": date.today(),
        "requirements": {requirement.id for requirement in CATALOG},
        "scenarios": scenarios,
    }
    try:
        data = input_file.read(path, str(path))
        entries = input_file.validated(_WaiverFile, data, str(path), context).entries
    except InputFileError as exc:
        raise WaiverFileError(str(exc)) from None
    waivers = [Waiver(**entry.model_dump()) for entry in entries]
    overlaps = _overlaps(waivers, scenarios)
    if overlaps:
        raise WaiverFileError("\n".join(f"{path} : {line}" for line in overlaps))
    return waivers


def _overlaps(waivers: list[Waiver], scenarios: dict[str, set[str]]) -> list[str]:
    """Pairs of waivers that cover one scenario at one time: which one decides?"""
    return [
        f"[[derogation]] n° {second} : couvre, comme la n° {first} ({a.names}), un même"
        " scénario sur une période commune : n'en gardez qu'une"
        for (first, a), (second, b) in combinations(enumerate(waivers, 1), 2)
        if a.accepted_on <= b.until and b.accepted_on <= a.until and _meet(a, b, scenarios)
    ]


def _meet(a: Waiver, b: Waiver, scenarios: dict[str, set[str]]) -> bool:
    """Do they cover a common scenario?"""
    if a.scenario and b.scenario:
        return a.scenario == b.scenario
    if a.requirement and b.requirement:
        return a.requirement == b.requirement
    named, requirement = (a, b.requirement) if a.scenario else (b, a.requirement)
    return requirement in scenarios[named.scenario]


class _Entry(Table):
    """A ``[[derogation]]``, named as ``Waiver``'s fields."""

    requirement: str | None = Field(None, alias="exigence")
    scenario: str | None = Field(None, validate_default=True)
    reason: Text = Field(alias="motif")
    accepted_by: Text = Field(alias="accordee_par")
    accepted_on: date = Field(alias="accordee_le")
    until: date = Field(alias="jusqu_au")

    @field_validator("requirement")
    @classmethod
    def _in_the_catalog(cls, requirement: str | None, info: ValidationInfo) -> str | None:
        if requirement is not None and requirement not in info.context["requirements"]:
            raise ValueError(f"exigence inconnue « {requirement} »")
        return requirement

    @field_validator("scenario")
    @classmethod
    def _in_the_features(cls, scenario: str | None, info: ValidationInfo) -> str | None:
        if "requirement" not in info.data:  # already reported
            return scenario
        if (info.data["requirement"] is None) == (scenario is None):
            raise ValueError("indiquez soit « exigence », soit « scenario »")
        if scenario is not None and scenario not in info.context["scenarios"]:
            raise ValueError(f"scénario inconnu « {scenario} »")
        return scenario

    @field_validator("accepted_on")
    @classmethod
    def _not_in_the_future(cls, accepted_on: date, info: ValidationInfo) -> date:
        if accepted_on > info.context["today"]:
            raise ValueError(
                f"accordée le {_shown(accepted_on)}, une date à venir : une dérogation se date"
                " du jour où elle est accordée"
            )
        return accepted_on

    @field_validator("until")
    @classmethod
    def _temporary(cls, until: date, info: ValidationInfo) -> date:
        accepted_on = info.data.get("accepted_on")
        if accepted_on is None:  # already reported
            return until
        if until <= accepted_on:
            raise ValueError(
                f"la date du {_shown(until)} est déjà passée quand elle est accordée,"
                f" le {_shown(accepted_on)}"
            )
        if until - accepted_on > LONGEST:
            raise ValueError(
                f"au plus un an après « accordee_le », le {_shown(accepted_on + LONGEST)} :"
                " une dérogation est temporaire, elle se renouvelle"
            )
        return until


class _WaiverFile(Table):
    entries: list[_Entry] = Field(default_factory=list, alias="derogation", validate_default=True)

    @field_validator("entries")
    @classmethod
    def _some(cls, entries: list[_Entry]) -> list[_Entry]:
        if not entries:
            raise ValueError("aucune dérogation : il en faut au moins une")
        return entries
