"""Scenario records for the tests of the report's files, as ``audit/evidence.py`` makes them."""

from __future__ import annotations

from audit.scenario_record import ScenarioRecord


def record(name: str, *requirements: str, tags: tuple[str, ...] = ("web",)) -> ScenarioRecord:
    return ScenarioRecord(
        feature="Fonctionnalité de test",
        file="web/test.feature",
        name=name,
        line=3,
        tags=[*tags, *requirements],
        requirements=list(requirements),
    )
