"""Cucumber JSON for CI tools, from the records every process sends to the controller: it
stays complete under pytest-xdist, where pytest-bdd's own ``--cucumberjson`` loses the
workers' scenarios."""

from __future__ import annotations

import json
from pathlib import Path

from .verdict import ScenarioResult

STEP_STATUS = {"réussie": "passed", "échouée": "failed", "non exécutée": "skipped"}


def _slug(text: str) -> str:
    return "-".join(text.lower().split())


def _scenario(result: ScenarioResult) -> dict:
    record = result.record
    steps = []
    for step in record.get("etapes", []):
        outcome = {"status": STEP_STATUS[step["statut"]]}
        if step.get("erreur"):
            outcome["error_message"] = step["erreur"]
        steps.append({"keyword": step["mot"] + " ", "name": step["texte"], "result": outcome})
    if result.outcome == "failed" and not any(s["result"]["status"] == "failed" for s in steps):
        # failed outside the steps (set-up, tear-down): the scenario still reads failed
        failure = {"status": "failed", "error_message": result.message[-2000:]}
        steps.append({"keyword": "", "name": "(hors étapes)", "result": failure})
    return {
        "id": _slug(result.name),
        "keyword": "Scénario",
        "name": result.name,
        "line": record.get("ligne", 0),
        "type": "scenario",
        "tags": [{"name": f"@{tag}"} for tag in result.requirements],
        "steps": steps,
    }


def write(results: list[ScenarioResult], path: Path) -> None:
    features: dict[str, dict] = {}
    for result in results:
        if not result.record:
            continue
        uri = result.record["fichier"]
        feature = features.setdefault(
            uri,
            {
                "uri": uri,
                "id": _slug(result.record["fonctionnalite"]),
                "keyword": "Fonctionnalité",
                "name": result.record["fonctionnalite"],
                "line": 1,
                "elements": [],
            },
        )
        feature["elements"].append(_scenario(result))
    path.write_text(json.dumps(list(features.values()), ensure_ascii=False, indent=1))
