"""``cucumber.json`` read back the way a CI tool reads it: valid Cucumber JSON, each step's
screens embedded in the step, the failing step's screens with it, every scenario of the run."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import jsonschema
import pytest

from audit import cucumber
from audit.verdict import ScenarioResult
from tests.test_report import audit, junit_counts


def _object(required: list[str], **properties: dict) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _list(item: dict) -> dict:
    return {"type": "array", "items": item}


TEXT, LINE = {"type": "string"}, {"type": "integer", "minimum": 1}
#: cucumber/cucumber-json-schema's ``schemas/cucumber-jvm.json``, the one of its schemas that
#: describes embeddings (``mime_type``, ``data``, ``name``: what cucumber-jvm writes and Jenkins'
#: cucumber-reports reads), tightened where its ``schema.json`` is: a failed step says why, a
#: tag starts with "@"; and where this suite can: lines are real lines, data is base64.
EMBEDDING = _object(
    ["mime_type", "data"],
    mime_type=TEXT,
    data={"type": "string", "pattern": r"^[A-Za-z0-9+/]*={0,2}$"},
    name=TEXT,
)
RESULT = {
    **_object(
        ["status"],
        status={"enum": ["passed", "failed", "skipped", "undefined", "pending"]},
        duration={"type": "number"},
        error_message=TEXT,
    ),
    "if": {"properties": {"status": {"const": "failed"}}},
    "then": {"required": ["status", "error_message"]},
}
STEP = _object(
    ["keyword", "line", "name", "result"],
    keyword=TEXT,
    line=LINE,
    name=TEXT,
    result=RESULT,
    embeddings=_list(EMBEDDING),
    output=_list(TEXT),
)
ELEMENT = _object(
    ["line", "type", "keyword", "name", "description", "steps"],
    id=TEXT,
    keyword=TEXT,
    name=TEXT,
    description=TEXT,
    line=LINE,
    type={"enum": ["background", "scenario"]},
    tags=_list(_object(["name"], name={"type": "string", "pattern": "^@"})),
    steps=_list(STEP),
)
FEATURE = _object(
    ["uri", "id", "line", "keyword", "name", "description", "elements"],
    uri=TEXT,
    id=TEXT,
    keyword=TEXT,
    name=TEXT,
    description=TEXT,
    line=LINE,
    elements=_list(ELEMENT),
)
SCHEMA = {"$schema": "http://json-schema.org/draft-07/schema#", **_list(FEATURE)}

#: Two one-pixel PNG files, a red and a blue one.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg=="
)
OTHER_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYPj/HwADAgH/5ncLrgAAAABJRU5ErkJggg=="
)


def read_back(path: Path) -> list[dict]:
    """The file as a consumer takes it: schema-valid, or the test says where it is not."""
    document = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    jsonschema.validate(document, SCHEMA, cls=jsonschema.Draft7Validator)
    return document


def scenarios(document: list[dict]) -> list[dict]:
    return [element for feature in document for element in feature["elements"]]


def step(keyword: str, text: str, line: int, status: str, *captures: Path, **more) -> dict:
    found = {"mot": keyword, "texte": text, "ligne": line, "statut": status, **more}
    if captures:
        found["captures"] = [str(c) for c in captures]
    return found


def scenario(name: str, evidence: Path, *steps: dict, outcome: str = "passed") -> ScenarioResult:
    record = {
        "fonctionnalite": "Déconnexion après 2 heures d'inactivité",
        "fichier": "web/inactivite.feature",
        "scenario": name,
        "ligne": 10,
        "exigences": ["EXI-WEB-INACTIVITE"],
        "preuves": str(evidence),
        "etapes": list(steps),
    }
    return ScenarioResult(f"features/test_web.py::{name}", record, outcome)


def png(path: Path, content: bytes = PNG) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def embedded(element: dict) -> dict[str, list[dict]]:
    return {s["name"]: s.get("embeddings", []) for s in element["steps"]}


def test_each_step_carries_its_own_screens_in_base64(tmp_path: Path) -> None:
    folder = tmp_path / "preuves" / "passe"
    shown = png(folder / "etape-03-navigateur.png")
    phone = png(folder / "etape-03-telephone.png", OTHER_PNG)
    passed = scenario(
        "La page reste affichée avant 2 heures",
        folder,
        step("Étant donné", "un professionnel connecté à SPICO", 7, "réussie"),
        step("Quand", "il reste inactif 1 heure 59", 11, "réussie"),
        step("Alors", "la liste des patients est encore affichée", 12, "réussie", shown, phone),
    )
    cucumber.write([passed], tmp_path / "cucumber.json")
    [feature] = read_back(tmp_path / "cucumber.json")
    assert (feature["keyword"], feature["uri"]) == ("Fonctionnalité", "web/inactivite.feature")
    [element] = feature["elements"]
    assert element["keyword"] == "Scénario"
    assert [s["keyword"] for s in element["steps"]] == ["Étant donné ", "Quand ", "Alors "]
    assert [s["line"] for s in element["steps"]] == [7, 11, 12]
    screens = embedded(element)
    assert screens["il reste inactif 1 heure 59"] == []
    then = screens["la liste des patients est encore affichée"]
    assert [e["mime_type"] for e in then] == ["image/png", "image/png"]
    assert [e["name"] for e in then] == [shown.name, phone.name]
    assert [base64.b64decode(e["data"]) for e in then] == [PNG, OTHER_PNG]


def test_the_failing_step_carries_every_screen_of_the_failure(tmp_path: Path) -> None:
    folder = tmp_path / "preuves" / "echec"
    at_step = png(folder / "etape-03-navigateur.png")
    # pytest-playwright's screen, kept at the end of a failed test, outside the steps
    at_end = png(folder / "test-failed-1.png", OTHER_PNG)
    failed = scenario(
        "La page se ferme après 2 heures",
        folder,
        step("Étant donné", "un professionnel connecté à SPICO", 7, "réussie"),
        step("Quand", "il reste inactif 2 heures", 11, "réussie"),
        step(
            "Alors",
            "la liste des patients n'est plus affichée",
            12,
            "échouée",
            at_step,
            erreur="la liste des patients est encore affichée",
        ),
        step("Et", "la session est fermée", 13, "non exécutée"),
        outcome="failed",
    )
    cucumber.write([failed], tmp_path / "cucumber.json")
    [element] = scenarios(read_back(tmp_path / "cucumber.json"))
    failing = element["steps"][2]
    assert failing["result"] == {
        "status": "failed",
        "error_message": "la liste des patients est encore affichée",
    }
    assert [e["name"] for e in failing["embeddings"]] == [at_step.name, at_end.name]
    assert base64.b64decode(failing["embeddings"][1]["data"]) == OTHER_PNG
    assert element["steps"][3]["result"]["status"] == "skipped"
    assert "embeddings" not in element["steps"][3]


def test_a_failure_outside_the_steps_keeps_its_screen(tmp_path: Path) -> None:
    folder = tmp_path / "preuves" / "demontage"
    at_end = png(folder / "telephone.png")  # the phone fixture's, kept at tear-down
    failed = scenario(
        "Le téléphone se verrouille",
        folder,
        step("Étant donné", "un téléphone activé", 5, "réussie"),
        outcome="failed",
    )
    failed.message = "RuntimeError: Appium ne répond plus"
    cucumber.write([failed], tmp_path / "cucumber.json")
    [element] = scenarios(read_back(tmp_path / "cucumber.json"))
    outside = element["steps"][-1]
    assert (outside["name"], outside["line"]) == ("(hors étapes)", 10)
    assert outside["result"]["error_message"] == failed.message
    assert [e["name"] for e in outside["embeddings"]] == [at_end.name]
    assert [base64.b64decode(e["data"]) for e in outside["embeddings"]] == [PNG]


def test_the_examples_of_an_outline_keep_distinct_ids(tmp_path: Path) -> None:
    line = step("Alors", "le code est refusé", 9, "réussie")
    first, second = (scenario("Un code déjà servi est refusé", tmp_path, line) for _ in "ab")
    cucumber.write([first, second], tmp_path / "cucumber.json")
    ids = [element["id"] for element in scenarios(read_back(tmp_path / "cucumber.json"))]
    assert len(set(ids)) == 2, ids


@pytest.mark.lent
def test_a_failed_audit_under_xdist_embeds_the_failure_screens(tmp_path: Path) -> None:
    run = audit(tmp_path, "-m", "EXI-WEB-INACTIVITE", "-n", "2", "--defaut", "expiration-3h")
    assert run.returncode == 1, run.stdout[-3000:] + run.stderr[-3000:]
    elements = scenarios(read_back(tmp_path / "cucumber.json"))
    tests, failed = junit_counts(tmp_path)
    assert len(elements) == tests
    failing = [s for e in elements for s in e["steps"] if s["result"]["status"] == "failed"]
    assert len(failing) == failed > 0
    for found in failing:
        screens = [base64.b64decode(e["data"]) for e in found.get("embeddings", [])]
        assert screens, f"aucune capture pour l'étape en échec « {found['name']} »"
        assert all(s.startswith(b"\x89PNG\r\n\x1a\n") for s in screens)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda s: s.pop("line"), id="une étape sans sa ligne"),
        pytest.param(
            lambda s: s["embeddings"][0].update(media={"type": "image/png"}),
            id="le media de cucumber-js 3",
        ),
        pytest.param(lambda s: s["embeddings"][0].pop("mime_type"), id="une capture sans type"),
        pytest.param(lambda s: s["result"].pop("error_message"), id="un échec sans message"),
        pytest.param(lambda s: s.update(language="fr"), id="un champ qu'aucun lecteur ne connaît"),
    ],
)
def test_the_schema_refuses_what_readers_refuse(change, tmp_path: Path) -> None:
    shown = png(tmp_path / "etape-01-navigateur.png")
    failed = scenario(
        "La page se ferme",
        tmp_path,
        step("Alors", "la page est fermée", 5, "échouée", shown, erreur="elle est ouverte"),
        outcome="failed",
    )
    cucumber.write([failed], tmp_path / "cucumber.json")
    document = read_back(tmp_path / "cucumber.json")
    change(document[0]["elements"][0]["steps"][0])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, SCHEMA, cls=jsonschema.Draft7Validator)
