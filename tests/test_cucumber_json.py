"""``cucumber.json`` read back the way a CI tool reads it: valid Cucumber JSON, each screen
embedded once in the whole file and referenced by path where it shows again, the failing
step's screens with it, the file small however many screens, step durations in nanoseconds,
every tag, why a scenario was skipped, the features' descriptions, each step's facts as text,
and never a Python traceback; every scenario of the run."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from pathlib import Path

import jsonschema
import pytest

from audit import cucumber
from audit.scenario_record import FAILED, NOT_RUN, PASSED, Fact, ScenarioRecord, Screen, StepRecord
from audit.verdict import ScenarioResult
from fixtures.manual import REASON as MANUAL
from tests.test_report import junit_counts


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
#: cucumber-reports reads) and a step's ``output``, tightened where its ``schema.json`` is: a
#: failed step says why, a tag starts with "@"; and where this suite can: lines are real lines,
#: data is base64, a duration is a whole number of nanoseconds (cucumber-reporting reads a
#: Java ``long``).
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
        duration={"type": "integer", "minimum": 0},
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
SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: A JPEG file's start: Playwright's pages are kept as JPEG (``audit/evidence.py``).
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01"
#: What Python writes when it shows an object or a traceback, never what a reader should see.
PYTHON = re.compile(
    r"Traceback \(most recent call last\)|\w+Error\b|\w+Exception\b|PosixPath\(|"
    r"\b(ScenarioRecord|StepRecord|Screen|Fact|ScenarioResult)\(|object at 0x|\{'"
)
FEATURE_TEXT = (
    "« La déconnexion automatique de l'application web a lieu après 2 heures d'inactivités. »"
)
TAGS = ["EXI-WEB-INACTIVITE", "horloge", "web"]


def texts(document: list[dict]) -> list[str]:
    """Every text a reader sees: the file's own, and its text embeddings decoded."""
    found = [json.dumps(document, ensure_ascii=False)]
    for element in scenarios(document):
        for step in element["steps"]:
            found += [
                base64.b64decode(e["data"]).decode("utf-8")
                for e in step.get("embeddings", [])
                if e["mime_type"] == "text/plain"
            ]
    return found


def read_back(path: Path) -> list[dict]:
    """The file as a consumer takes it: schema-valid, or the test says where it is not; and
    without a Python repr or traceback anywhere."""
    document = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    jsonschema.validate(document, SCHEMA, cls=jsonschema.Draft7Validator)
    for text in texts(document):
        shown = PYTHON.search(text)
        assert shown is None, f"du Python dans cucumber.json : {text[max(0, shown.start() - 80) :]}"
    return document


def scenarios(document: list[dict]) -> list[dict]:
    return [element for feature in document for element in feature["elements"]]


def steps(document: list[dict]) -> list[dict]:
    return [step for element in scenarios(document) for step in element["steps"]]


def screen(report: Path, content: bytes = PNG, name: str = "navigateur", **more) -> Screen:
    """A screen kept as ``audit/evidence.py`` keeps it: once by content, under the report."""
    suffix = ".jpg" if content.startswith(JPEG[:2]) else ".png"
    path = report / "preuves" / "ecrans" / f"{hashlib.sha256(content).hexdigest()[:32]}{suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return Screen(file=path.relative_to(report).as_posix(), name=name, **more)


def step(
    keyword: str, text: str, line: int, status: str = PASSED, *screens: Screen, **more
) -> StepRecord:
    duration = more.pop("duration", 0.25 if status != NOT_RUN else 0.0)
    found = {"keyword": keyword, "text": text, "line": line, "status": status, **more}
    return StepRecord(duration=duration, screens=list(screens), **found)


def scenario(
    name: str,
    *steps: StepRecord,
    outcome: str = "passed",
    message: str = "",
    tags: list[str] = TAGS,
    file: str = "web/inactivite.feature",
    **more,
) -> ScenarioResult:
    record = ScenarioRecord(
        feature="Déconnexion automatique après 2 heures d'inactivité",
        feature_line=3,
        feature_description=FEATURE_TEXT,
        file=file,
        name=name,
        line=10,
        tags=tags,
        requirements=[t for t in tags if t.startswith(("EXI-", "BP-"))],
        steps=list(steps),
        **more,
    )
    return ScenarioResult(
        f"features/test_web.py::{name}",
        record,
        outcome,
        message,
        manual="manuel" in tags,
    )


def write(tmp_path: Path, *results: ScenarioResult) -> list[dict]:
    cucumber.write(list(results), tmp_path / "cucumber.json")
    return read_back(tmp_path / "cucumber.json")


def decoded(embedding: dict) -> bytes:
    return base64.b64decode(embedding["data"])


def images(document: list[dict]) -> list[dict]:
    return [
        e
        for s in steps(document)
        for e in s.get("embeddings", [])
        if e["mime_type"] != "text/plain"
    ]


def texts_of(found: dict) -> dict[str, str]:
    """A step's text embeddings, by name."""
    return {
        e["name"]: decoded(e).decode("utf-8")
        for e in found.get("embeddings", [])
        if e["mime_type"] == "text/plain"
    }


def test_each_step_carries_its_own_screens_in_base64(tmp_path: Path) -> None:
    shown, phone = screen(tmp_path), screen(tmp_path, OTHER_PNG, "telephone")
    passed = scenario(
        "La page reste affichée avant 2 heures",
        step("Étant donné", "un professionnel connecté à SPICO", 7),
        step("Quand", "il reste inactif 1 heure 59", 11),
        step("Alors", "la liste des patients est encore affichée", 12, PASSED, shown, phone),
    )
    [feature] = write(tmp_path, passed)
    assert (feature["keyword"], feature["uri"]) == ("Fonctionnalité", "web/inactivite.feature")
    assert (feature["description"], feature["line"]) == (FEATURE_TEXT, 3)
    [element] = feature["elements"]
    assert element["keyword"] == "Scénario"
    assert [s["keyword"] for s in element["steps"]] == ["Étant donné ", "Quand ", "Alors "]
    assert [s["line"] for s in element["steps"]] == [7, 11, 12]
    assert "embeddings" not in element["steps"][1]
    then = element["steps"][2]["embeddings"]
    assert [e["mime_type"] for e in then] == ["image/png", "image/png"]
    assert [e["name"] for e in then] == ["etape-03-navigateur.png", "etape-03-telephone.png"]
    assert [decoded(e) for e in then] == [PNG, OTHER_PNG]


def test_a_page_kept_as_jpeg_is_embedded_as_jpeg(tmp_path: Path) -> None:
    page = screen(tmp_path, JPEG + b"page")
    passed = scenario("La page reste affichée", step("Alors", "elle est affichée", 5, PASSED, page))
    [found] = steps(write(tmp_path, passed))
    [embedding] = found["embeddings"]
    assert (embedding["mime_type"], embedding["name"]) == ("image/jpeg", "etape-01-navigateur.jpg")
    assert decoded(embedding) == JPEG + b"page"


def test_step_durations_are_in_nanoseconds(tmp_path: Path) -> None:
    failed = scenario(
        "La page se ferme après 2 heures",
        step("Étant donné", "un professionnel connecté à SPICO", 7, duration=1.5),
        step("Quand", "il reste inactif 2 heures", 11, duration=0.004),
        step("Alors", "la liste n'est plus affichée", 12, FAILED, error="encore affichée"),
        step("Et", "la session est fermée", 13, NOT_RUN),
        outcome="failed",
    )
    results = [s["result"] for s in steps(write(tmp_path, failed))]
    assert [r.get("duration") for r in results] == [1_500_000_000, 4_000_000, 250_000_000, None]
    assert results[3] == {"status": "skipped"}


def test_every_tag_of_the_scenario_is_on_it(tmp_path: Path) -> None:
    web = scenario("La page se ferme", step("Alors", "elle est fermée", 5))
    phone = scenario(
        "Le téléphone se verrouille",
        step("Alors", "il est verrouillé", 5),
        tags=["BP-MOB-VERROUILLAGE", "EXI-MOB-VERROUILLAGE", "mobile"],
        file="mobile/verrouillage.feature",
    )
    elements = scenarios(write(tmp_path, web, phone))
    assert [[t["name"] for t in e["tags"]] for e in elements] == [
        ["@EXI-WEB-INACTIVITE", "@horloge", "@web"],
        ["@BP-MOB-VERROUILLAGE", "@EXI-MOB-VERROUILLAGE", "@mobile"],
    ]


def test_the_failing_step_carries_every_screen_of_the_failure(tmp_path: Path) -> None:
    at_step = screen(tmp_path)
    # pytest-playwright's screen, kept at the end of a failed test, outside the steps
    at_end = screen(tmp_path, OTHER_PNG)
    failed = scenario(
        "La page se ferme après 2 heures",
        step("Étant donné", "un professionnel connecté à SPICO", 7),
        step("Quand", "il reste inactif 2 heures", 11),
        step(
            "Alors",
            "la liste des patients n'est plus affichée",
            12,
            FAILED,
            at_step,
            error="la liste des patients est encore affichée",
        ),
        step("Et", "la session est fermée", 13, NOT_RUN),
        outcome="failed",
        message="AssertionError: la liste des patients est encore affichée\nActual value: <table>",
        failure_screens=[at_end],
    )
    [element] = scenarios(write(tmp_path, failed))
    failing = element["steps"][2]
    assert failing["result"] == {
        "status": "failed",
        "duration": 250_000_000,
        "error_message": "la liste des patients est encore affichée",
    }
    names = [e["name"] for e in failing["embeddings"]]
    assert names == ["etape-03-navigateur.png", "echec-navigateur.png"]
    assert [decoded(e) for e in failing["embeddings"]] == [PNG, OTHER_PNG]
    assert element["steps"][3]["result"]["status"] == "skipped"
    assert "embeddings" not in element["steps"][3]


def test_a_failure_outside_the_steps_keeps_its_screen(tmp_path: Path) -> None:
    at_end = screen(tmp_path, name="telephone")  # the phone fixture's, kept at tear-down
    failed = scenario(
        "Le téléphone se verrouille",
        step("Étant donné", "un téléphone activé", 5),
        outcome="failed",
        message="RuntimeError: Appium ne répond plus",
        failure_screens=[at_end],
    )
    failed.details = 'Traceback (most recent call last):\n  File "x.py", line 1\nRuntimeError'
    [element] = scenarios(write(tmp_path, failed))
    outside = element["steps"][-1]
    assert (outside["name"], outside["line"]) == ("(hors étapes)", 10)
    assert outside["result"] == {"status": "failed", "error_message": "Appium ne répond plus"}
    assert [e["name"] for e in outside["embeddings"]] == ["echec-telephone.png"]
    assert [decoded(e) for e in outside["embeddings"]] == [PNG]


def test_the_tools_own_error_says_so(tmp_path: Path) -> None:
    broken = scenario(
        "La page se ferme",
        step("Étant donné", "un professionnel connecté à SPICO", 7, FAILED, error="Appium absent"),
        outcome="error",
        message="l'outil d'audit n'a pas pu joindre Appium",
    )
    [first] = steps(write(tmp_path, broken))
    assert first["result"]["error_message"] == "Erreur de l'outil d'audit : Appium absent"


def test_the_examples_of_an_outline_keep_distinct_ids(tmp_path: Path) -> None:
    first, second = (
        scenario("Un code déjà servi est refusé", step("Alors", "le code est refusé", 9))
        for _ in "ab"
    )
    ids = [element["id"] for element in scenarios(write(tmp_path, first, second))]
    assert len(set(ids)) == 2, ids


def test_each_distinct_screen_is_embedded_once_and_referenced_elsewhere(tmp_path: Path) -> None:
    """The same patient list at two steps of a passed scenario and at the failing step of
    another: its image goes with the failure, the other steps name its file."""
    patients = screen(tmp_path, address="http://spico.localhost/patients", simulated_seconds=7140)
    passed = scenario(
        "La page reste affichée avant 2 heures",
        step("Alors", "la liste des patients est affichée", 8, PASSED, patients),
        step("Alors", "la liste des patients est toujours affichée", 12, PASSED, patients),
    )
    failed = scenario(
        "La page se ferme après 2 heures",
        step("Alors", "aucune donnée patient n'est visible", 20, FAILED, patients, error="visible"),
        outcome="failed",
    )
    document = write(tmp_path, passed, failed)
    assert [decoded(e) for e in images(document)] == [PNG]
    first, again, failing = steps(document)
    assert failing["embeddings"][0]["name"] == "etape-01-navigateur.png"
    for found, name in ((first, "etape-01-navigateur.txt"), (again, "etape-02-navigateur.txt")):
        assert [e["mime_type"] for e in found["embeddings"]] == ["text/plain"]
        text = texts_of(found)[name]
        assert patients.file in text and (tmp_path / patients.file).is_file()
        assert "Page : http://spico.localhost/patients" in text
        assert "Temps simulé écoulé : 1 heure 59 minutes" in text
        assert (
            "Image jointe à l'étape « Alors aucune donnée patient n'est visible » du scénario"
            " « La page se ferme après 2 heures »."
        ) in text


def test_many_scenarios_showing_one_screen_keep_the_file_small(tmp_path: Path) -> None:
    big = screen(tmp_path, SIGNATURE + os.urandom(200_000))
    many = [
        scenario(
            f"Scénario {n}",
            step("Étant donné", "un professionnel connecté à SPICO", 7, PASSED, big),
            step("Alors", "la liste des patients est affichée", 12, PASSED, big),
        )
        for n in range(50)
    ]
    document = write(tmp_path, *many)
    assert len(images(document)) == 1
    assert all(s["embeddings"] for s in steps(document))
    size = (tmp_path / "cucumber.json").stat().st_size
    assert size < 600_000, f"{size} octets"


def test_screens_past_the_limit_are_referenced_by_path(tmp_path: Path) -> None:
    """Thirty distinct 200 kB screens, the failure's last: the failure's screen is embedded
    first, the others while the file stays under its limit, the rest named by path."""
    shown = [screen(tmp_path, SIGNATURE + os.urandom(200_000)) for _ in range(30)]
    passed = [
        scenario(f"Scénario {n}", step("Alors", "la liste est affichée", 12, PASSED, s))
        for n, s in enumerate(shown[:-1])
    ]
    failed = scenario(
        "La page se ferme",
        step("Alors", "la liste n'est plus affichée", 12, FAILED, shown[-1], error="affichée"),
        outcome="failed",
    )
    document = write(tmp_path, *passed, failed)
    assert (tmp_path / "cucumber.json").stat().st_size <= cucumber.FILE_LIMIT < 5_000_000
    found = steps(document)
    assert decoded(found[-1]["embeddings"][0]) == (tmp_path / shown[-1].file).read_bytes()
    embedded = len(images(document))
    assert 10 < embedded < 30
    left = [texts_of(s) for s in found if s["embeddings"][0]["mime_type"] == "text/plain"]
    assert len(left) == 30 - embedded
    for text in (t for by_name in left for t in by_name.values()):
        assert "Image non jointe" in text and "preuves/ecrans/" in text


def test_the_text_comes_first_within_the_limit(tmp_path: Path, monkeypatch) -> None:
    """Long facts and many references: the images get only what the text leaves."""
    monkeypatch.setattr(cucumber, "FILE_LIMIT", 400_000)
    rows = [[f"http://spico.localhost/patients?page={n}", "GET", "fetch"] for n in range(50)]
    requests = Fact(
        kind="requetes-inactivite", title="Requêtes", columns=["A", "M", "T"], rows=rows
    )
    shown = [screen(tmp_path, SIGNATURE + os.urandom(60_000)) for _ in range(8)]
    many = [
        scenario(
            f"Scénario {n}",
            step("Quand", "il laisse la page ouverte", 11, PASSED, facts=[requests]),
            *(step("Alors", f"étape {i}", 12 + i, PASSED, s) for i, s in enumerate(shown)),
        )
        for n in range(10)
    ]
    document = write(tmp_path, *many)
    assert (tmp_path / "cucumber.json").stat().st_size <= 400_000
    assert 0 < len(images(document)) < 8
    check_screens(tmp_path, document)


def test_a_screen_whose_file_is_gone_is_left_out(tmp_path: Path) -> None:
    gone = Screen(file="preuves/ecrans/absent.png", name="navigateur")
    passed = scenario("La page reste affichée", step("Alors", "elle est affichée", 5, PASSED, gone))
    [found] = steps(write(tmp_path, passed))
    assert "embeddings" not in found


def test_a_manual_scenario_is_skipped_with_its_reason(tmp_path: Path) -> None:
    manual = scenario(
        "Le poste se verrouille et demande le mot de passe",
        step("Étant donné", "un poste de travail partagé avec SPICO ouvert", 11, NOT_RUN),
        step("Quand", "l'utilisateur appuie sur Ctrl + Alt + Suppr", 12, NOT_RUN),
        outcome="skipped",
        message=MANUAL,
        tags=["EXI-POSTE-VERROUILLAGE", "manuel", "web"],
        file="web/verrouillage_poste.feature",
    )
    [element] = scenarios(write(tmp_path, manual))
    assert {"@manuel", "@web", "@EXI-POSTE-VERROUILLAGE"} <= {t["name"] for t in element["tags"]}
    assert [s["keyword"] for s in element["steps"]] == ["Étant donné ", "Quand "]
    assert [s["result"] for s in element["steps"]] == [
        {"status": "skipped", "error_message": MANUAL},
        {"status": "skipped"},
    ]


def test_a_scenario_not_run_says_why_at_the_step_that_stopped(tmp_path: Path) -> None:
    """Observed, then not judged: the step's facts stay, with the reason."""
    reason = "non applicable : la page n'a fait aucune requête d'elle-même en 2 heures"
    requests = Fact(
        kind="requetes-inactivite",
        title="Requêtes faites par la page d'elle-même pendant 2 heures d'inactivité : 0",
        columns=["Méthode", "Adresse", "Type"],
    )
    skipped = scenario(
        "Une page qui interroge le serveur ne maintient pas la session",
        step("Étant donné", "un professionnel connecté à SPICO", 7),
        step("Quand", "il laisse la page ouverte pendant 2 heures", 8, NOT_RUN, facts=[requests]),
        step("Alors", "la session est fermée", 9, NOT_RUN),
        outcome="skipped",
        message=reason,
    )
    given, left, then = steps(write(tmp_path, skipped))
    assert given["result"]["status"] == "passed" and "error_message" not in given["result"]
    assert left["result"] == {"status": "skipped", "error_message": reason}
    assert texts_of(left)["faits-etape-02.txt"].startswith(requests.title + "\n")
    assert then["result"] == {"status": "skipped"}


def test_a_scenario_skipped_before_its_steps_says_why(tmp_path: Path) -> None:
    skipped = scenario("Le téléphone se verrouille", outcome="skipped", message="pas de téléphone")
    [element] = scenarios(write(tmp_path, skipped))
    assert element["steps"] == [
        {
            "keyword": "",
            "name": "(hors étapes)",
            "line": 10,
            "result": {"status": "skipped", "error_message": "pas de téléphone"},
        }
    ]


def test_each_steps_facts_are_readable_text(tmp_path: Path) -> None:
    cookies = Fact(
        kind="cookies",
        title="Cookies de SPICO et du PASS après la connexion",
        columns=["Cookie", "Secure", "HttpOnly", "SameSite"],
        rows=[["SPICOSESSION", "oui", "oui", "Lax"], ["lemonldap", "oui", "non", "absent"]],
    )
    judged = Fact(kind="cookies-attribut", title="HttpOnly : cookies lisibles par JavaScript")
    passed = scenario(
        "Les cookies de session sont inaccessibles au JavaScript",
        step("Étant donné", "un professionnel connecté à SPICO", 7),
        step(
            "Alors",
            "ils sont inaccessibles au JavaScript des pages",
            8,
            FAILED,
            screen(tmp_path),
            error="cookies lisibles par JavaScript : lemonldap",
            facts=[cookies, judged],
            notes=["non jugés, car posés avant la connexion et inchangés : pdata"],
        ),
        outcome="failed",
    )
    _, then = steps(write(tmp_path, passed))
    assert [e["name"] for e in then["embeddings"]] == [
        "faits-etape-02.txt",
        "etape-02-navigateur.png",
    ]
    assert texts_of(then)["faits-etape-02.txt"] == (
        "Cookies de SPICO et du PASS après la connexion\n"
        "Cookie       | Secure | HttpOnly | SameSite\n"
        "-------------+--------+----------+---------\n"
        "SPICOSESSION | oui    | oui      | Lax\n"
        "lemonldap    | oui    | non      | absent\n"
        "\n"
        "HttpOnly : cookies lisibles par JavaScript\n"
    )
    assert then["output"] == ["non jugés, car posés avant la connexion et inchangés : pdata"]


def test_a_failure_reads_without_the_exceptions_type_nor_traceback(tmp_path: Path) -> None:
    failed = scenario(
        "La page se ferme",
        step("Étant donné", "un professionnel connecté à SPICO", 7),
        outcome="failed",
        message="AssertionError: la liste est encore affichée\nassert {'a': 1} == {}",
    )
    failed.details = 'Traceback (most recent call last):\n  File "steps/web_steps.py"'
    [_, outside] = steps(write(tmp_path, failed))
    assert outside["result"]["error_message"] == "la liste est encore affichée"


def kind(image: bytes) -> str:
    """The image's type, from its first bytes."""
    if image.startswith(SIGNATURE):
        return "image/png"
    return "image/jpeg" if image.startswith(b"\xff\xd8") else "inconnu"


def check_screens(folder: Path, document: list[dict]) -> None:
    """Each image once in the file, of the type it says; each reference names a screen of
    the report folder."""
    shown = images(document)
    assert [kind(decoded(e)) for e in shown] == [e["mime_type"] for e in shown]
    assert len({e["data"] for e in shown}) == len(shown), "une capture jointe deux fois"
    for found in steps(document):
        for name, text in texts_of(found).items():
            if not name.startswith("faits-"):
                path = text.splitlines()[0].rsplit(" : ", 1)[1]
                assert kind((folder / path).read_bytes()) != "inconnu", name


@pytest.mark.lent
def test_a_failed_audit_under_xdist_embeds_the_failure_screens(audit_with_faults) -> None:
    """The whole audit with faults under -n 2 (``tests/conftest.py``), as CI tools read it."""
    tmp_path, run = audit_with_faults
    assert run.returncode == 1, run.stdout[-3000:] + run.stderr[-3000:]
    document = read_back(tmp_path / "cucumber.json")
    elements = scenarios(document)
    tests, failed = junit_counts(tmp_path)
    assert len(elements) == tests
    tags = [{t["name"] for t in e["tags"]} for e in elements]
    assert all(found & {"@web", "@mobile"} for found in tags)
    inactivity = [found for found in tags if "@EXI-WEB-INACTIVITE" in found]
    assert inactivity and all({"@web", "@horloge"} <= found for found in inactivity)
    assert all(f["description"] for f in document)
    ran = [s for s in steps(document) if s["result"]["status"] != "skipped"]
    assert ran and all("duration" in s["result"] for s in ran if s["name"] != "(hors étapes)")
    failing = [s for s in steps(document) if s["result"]["status"] == "failed"]
    assert len(failing) == failed > 0
    check_screens(tmp_path, document)
    for found in failing:
        screens = [e for e in found.get("embeddings", []) if not e["name"].startswith("faits-")]
        assert screens, f"aucune capture pour l'étape en échec « {found['name']} »"
    assert (tmp_path / "cucumber.json").stat().st_size < 5_000_000


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
        pytest.param(lambda s: s["result"].update(duration=0.25), id="une durée en secondes"),
        pytest.param(lambda s: s.update(language="fr"), id="un champ qu'aucun lecteur ne connaît"),
    ],
)
def test_the_schema_refuses_what_readers_refuse(change, tmp_path: Path) -> None:
    failed = scenario(
        "La page se ferme",
        step("Alors", "la page est fermée", 5, FAILED, screen(tmp_path), error="elle est ouverte"),
        outcome="failed",
    )
    document = write(tmp_path, failed)
    change(document[0]["elements"][0]["steps"][0])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, SCHEMA, cls=jsonschema.Draft7Validator)
