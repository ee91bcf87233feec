"""What one scenario leaves for the report, as one typed object: its feature, its steps and
their results, the screens that prove something, and the facts each check judged.

Written by ``audit/evidence.py`` where the scenario runs, sent to the controller on the test
report as plain data (``dump``: an xdist worker sends only that), read back with ``load``;
the report's files (``html_report``, ``cucumber``, ``junit``, ``verdict_file``) read the
object, never a dict.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

PASSED, FAILED, NOT_RUN = "réussie", "échouée", "non exécutée"
StepStatus = Literal["réussie", "échouée", "non exécutée"]


class Screen(BaseModel):
    """A screen kept once by content (``preuves/ecrans/<sha256>.jpg`` or ``.png``), where it
    was taken."""

    #: Relative to the report folder.
    file: str
    #: Which screen: "navigateur", "telephone", or the page a replay opened.
    name: str
    #: The address the page showed, when it is a page.
    address: str = ""
    #: Simulated time passed since the scenario began, in seconds (idle time), if any.
    simulated_seconds: float = 0.0


class Fact(BaseModel):
    """What a check judged, as a table: the cookies and their attributes, a header received,
    a replayed request and what it opened. Values only: a cookie's value never, its
    fingerprint where identity matters."""

    #: Stable, for programs: "cookies", "en-tete", "rejeu", "identifiant-session", "temps-reel",
    #: "requetes-inactivite".
    kind: str
    #: One French sentence: what was observed.
    title: str
    columns: list[str] = Field(default_factory=list)
    rows: list[list[str]] = Field(default_factory=list)

    def as_dicts(self) -> list[dict[str, str]]:
        return [dict(zip(self.columns, row, strict=False)) for row in self.rows]


class StepRecord(BaseModel):
    #: As the feature file writes it ("Étant donné", "Et"), not as the parser capitalises it.
    keyword: str
    text: str
    line: int
    #: "given", "when", "then".
    type: str = ""
    status: StepStatus = NOT_RUN
    error: str = ""
    duration: float = 0.0
    screens: list[Screen] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)


class ScenarioRecord(BaseModel):
    feature: str
    feature_keyword: str = "Fonctionnalité"
    feature_line: int = 1
    feature_description: str = ""
    #: The feature file, relative to ``features/``.
    file: str
    name: str
    keyword: str = "Scénario"
    line: int = 0
    #: Every tag of the scenario and its feature, without "@" (web, horloge, EXI-…).
    tags: list[str] = Field(default_factory=list)
    #: The requirement IDs among the tags, in catalog order.
    requirements: list[str] = Field(default_factory=list)
    #: The scenario's evidence folder (absolute; traces, journal), or "".
    evidence_folder: str = ""
    steps: list[StepRecord] = Field(default_factory=list)
    #: Screens kept when the scenario failed outside its "Alors" (pytest-playwright's, the
    #: phone's): shown with the failure.
    failure_screens: list[Screen] = Field(default_factory=list)
    #: The target's journal for the scenario's account, relative to the report folder.
    journal: str = ""
    #: The step running now (facts and notes go there), while the scenario runs.
    current_step: int | None = None

    def dump(self) -> dict:
        return self.model_dump()

    @classmethod
    def load(cls, data: dict) -> ScenarioRecord:
        return cls.model_validate(data)

    def screens(self) -> list[Screen]:
        """Every screen of the scenario, each file once."""
        seen: dict[str, Screen] = {}
        for screen in [s for step in self.steps for s in step.screens] + self.failure_screens:
            seen.setdefault(screen.file, screen)
        return list(seen.values())

    def facts(self) -> list[Fact]:
        return [fact for step in self.steps for fact in step.facts]

    @property
    def failing_step(self) -> StepRecord | None:
        return next((s for s in self.steps if s.status == FAILED), None)
