"""Cucumber JSON for CI tools, from the records every process sends to the controller: it
stays complete under pytest-xdist, where pytest-bdd's own ``--cucumberjson`` loses the
workers' scenarios.

The shape is the classic one of Cucumber's JSON formatters (cucumber-ruby, cucumber-jvm,
cucumber-js), that the readers of CI tools parse: Jenkins' cucumber-reports, and Allure's
cucumber-json plugin, which reads it with the same library. ``tests/test_cucumber_json.py``
checks it against the cucumber-jvm schema of cucumber/cucumber-json-schema, the one there that
describes attachments:

- each step's screens go in the step, as ``"embeddings": [{"mime_type", "data", "name"}]``,
  the PNG in base64: ``mime_type`` is the key of every formatter, and the one Jenkins reads;
  ``media: {"type": ...}`` was cucumber-js 3's, a change that broke Jenkins and was undone.
  ``name`` (cucumber-jvm's) keeps the file's name (``etape-03-navigateur.png``);
- the screens kept outside the steps when a scenario fails (pytest-playwright's
  ``test-failed-1.png``, the phone's ``telephone.png``) go with the failing step, or with the
  "(hors étapes)" step that stands for a failure outside the steps: a CI tool shows a step's
  embeddings, not a folder;
- the keywords stay the features' own (``Fonctionnalité``, ``Scénario``, ``Étant donné``…).
  The format has no language field: no formatter writes one, neither Jenkins' reader nor
  Allure's looks for one, and the schemas refuse unknown fields;
- no ``duration``: the records time the scenario, not its steps, and ``duration`` is optional.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

from .verdict import ScenarioResult

STEP_STATUS = {"réussie": "passed", "échouée": "failed", "non exécutée": "skipped"}
#: ``evidence.Screens``, pytest-playwright and the phone fixture all save PNG.
PNG = "image/png"


def _slug(text: str) -> str:
    return "-".join(text.lower().split())


def _embeddings(paths: list[str]) -> list[dict]:
    """The screens themselves: a CI tool keeps the JSON file, not the evidence folder."""
    found = []
    for path in map(Path, paths):
        if path.is_file():  # a capture listed but gone: the step still reads right
            data = base64.b64encode(path.read_bytes()).decode("ascii")
            found.append({"mime_type": PNG, "data": data, "name": path.name})
    return found


def _left_outside(record: dict) -> list[str]:
    """The scenario's screens that no step took: kept at the end, when it failed."""
    folder = Path(record["preuves"]) if record.get("preuves") else None
    if folder is None or not folder.is_dir():
        return []
    taken = {c for s in record.get("etapes", []) for c in s.get("captures", [])}
    return [str(p) for p in sorted(folder.rglob("*.png")) if str(p) not in taken]


def _step(step: dict, fallback_line: int, message: str) -> dict:
    outcome = {"status": STEP_STATUS[step["statut"]]}
    if outcome["status"] == "failed":
        # readers show error_message under a failed step; the schema asks for one
        outcome["error_message"] = step.get("erreur") or message or "échec"
    found = {
        "keyword": step["mot"] + " ",
        "name": step["texte"],
        "line": step.get("ligne", fallback_line),
        "result": outcome,
    }
    embeddings = _embeddings(step.get("captures", []))
    if embeddings:
        found["embeddings"] = embeddings
    return found


def _scenario(result: ScenarioResult, feature_id: str) -> dict:
    record = result.record
    line = record.get("ligne", 0)
    message = result.headline or result.message[-2000:]
    steps = [_step(step, line, message) for step in record.get("etapes", [])]
    failing = next((s for s in steps if s["result"]["status"] == "failed"), None)
    if result.outcome in ("failed", "error") and failing is None:
        # failed outside the steps (set-up, tear-down): the scenario still reads failed
        failure = {"status": "failed", "error_message": result.message[-2000:] or "échec"}
        failing = {"keyword": "", "name": "(hors étapes)", "line": line, "result": failure}
        steps.append(failing)
    if failing is not None:
        outside = _embeddings(_left_outside(record))
        if outside:
            failing["embeddings"] = failing.get("embeddings", []) + outside
    return {
        "id": f"{feature_id};{_slug(result.name)}",
        "keyword": record.get("mot_scenario", "Scénario"),
        "name": result.name,
        "description": "",
        "line": line,
        "type": "scenario",
        "tags": [{"name": f"@{tag}"} for tag in result.requirements],
        "steps": steps,
    }


def _feature(record: dict) -> dict:
    return {
        "uri": record["fichier"],
        "id": _slug(record["fonctionnalite"]),
        "keyword": record.get("mot_fonctionnalite", "Fonctionnalité"),
        "name": record["fonctionnalite"],
        "description": "",
        "line": record.get("ligne_fonctionnalite", 1),
        "elements": [],
    }


def write(results: list[ScenarioResult], path: Path) -> None:
    features: dict[str, dict] = {}
    for result in results:
        if not result.record:
            continue
        feature = features.setdefault(result.record["fichier"], _feature(result.record))
        element = _scenario(result, feature["id"])
        # the examples of a "Plan du scénario" share a name; Cucumber numbers their ids
        same = sum(e["id"].split(";;")[0] == element["id"] for e in feature["elements"])
        if same:
            element["id"] += f";;{same + 1}"
        feature["elements"].append(element)
    text = json.dumps(list(features.values()), ensure_ascii=False, indent=1)
    path.write_text(text, encoding="utf-8")
