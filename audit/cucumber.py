"""Cucumber JSON for CI tools, from the records every process sends to the controller
(``scenario_record.ScenarioRecord``): it stays complete under pytest-xdist, where
pytest-bdd's own ``--cucumberjson`` loses the workers' scenarios.

The shape is the classic one of Cucumber's JSON formatters (cucumber-ruby, cucumber-jvm,
cucumber-js), that the readers of CI tools parse: Jenkins' cucumber-reports, and Allure's
cucumber-json plugin, which reads it with the same library (net.masterthought's
cucumber-reporting). ``tests/test_cucumber_json.py`` checks it against the cucumber-jvm schema
of cucumber/cucumber-json-schema, the one there that describes attachments.

Screens: each distinct screen once in the whole file, and the whole file small.

- Screens are stored once by content (``preuves/ecrans/<hash>.png`` or ``.jpg``) and the
  same page shows in many steps and scenarios (the patient list, the PASS's login page):
  embedding every showing made a real audit's file 36 MB, 35 of them screens, many
  repeated. Each screen FILE is now embedded once, as ``{"mime_type": "image/png", "data": <base64>,
  "name"}`` (``image/jpeg`` for a JPEG page): at the first failing step that shows it, else
  at the first step that shows it, in the file's order. ``mime_type`` is the key of every
  formatter and the one Jenkins reads (``media`` was cucumber-js 3's, a change that broke
  Jenkins and was undone); ``name`` (cucumber-jvm's) says which step and screen
  (``etape-03-navigateur.png``).
- Every other step that shows the same screen gets a short ``text/plain`` embedding instead
  (``etape-05-navigateur.txt``): the screen's path relative to the folder of cucumber.json,
  the page's address, and which step holds the image. ``text/plain``, not ``text/uri-list``:
  Jenkins' reader shows plain text inline and has no view for ``text/uri-list`` (it asks for
  a bug report), Allure keeps it as a text attachment.
- A limit (``FILE_LIMIT``, 4.5 MB) bounds the whole file: the text (steps, facts, references)
  is always written, and the images take what it leaves, the failing steps' screens first,
  then the others in the file's order. A screen past the limit gets the same ``text/plain``
  reference, saying that the image is in the report folder. The file stays under 5 MB
  whatever the number and the weight of the screens, and a CI tool shows every screen that
  fits.
- The screens kept outside the steps when a scenario fails (pytest-playwright's, the phone's:
  ``failure_screens``) go with the failing step, or with the "(hors étapes)" step that stands
  for a failure outside the steps: a CI tool shows a step's embeddings, not a folder.

The rest:

- each step's ``result.duration`` in nanoseconds (cucumber-jvm's and cucumber-ruby's unit, an
  integer: cucumber-reporting reads a Java ``long``), for the steps that ran;
- every tag of the scenario and of its feature (``@web``, ``@mobile``, ``@horloge``,
  ``@manuel``, the requirement IDs) on the scenario: the record keeps their union, and the
  cucumber-jvm schema wants a feature's own tags located (line, column), which it does not
  keep;
- the feature's description in the feature's ``description``;
- each step's facts (what a check judged: cookies, headers, replayed sessions) as a
  ``text/plain`` embedding, ``faits-etape-03.txt``, the title first and the table in aligned
  columns: Jenkins shows it under the step, Allure as the step's attachment; the step's notes
  (what a check saw but did not judge) in its ``output``, which Jenkins shows;
- a skipped scenario's reason (a manual check, a scenario not run or not applicable) as the
  ``error_message`` of its first skipped step: Jenkins shows a step's ``error_message``
  whatever its status, Allure takes the first one as the scenario's message; a failure's
  message is the step's own words (its ``error``, else ``ScenarioResult.headline``: the
  message's first line without the exception's type), never a traceback nor the
  ``details``; the tool's own error says so ("Erreur de l'outil d'audit : …");
- the keywords stay the features' own (``Fonctionnalité``, ``Scénario``, ``Étant donné``…).
  The format has no language field: no formatter writes one, neither Jenkins' reader nor
  Allure's looks for one, and the schemas refuse unknown fields.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path

from fixtures.durations import format_duration

from .scenario_record import FAILED, NOT_RUN, PASSED, Fact, ScenarioRecord, Screen, StepRecord
from .verdict import ERREUR_OUTIL, ScenarioResult

STEP_STATUS = {PASSED: "passed", FAILED: "failed", NOT_RUN: "skipped"}
#: ``evidence.keep_screen`` stores PNG (Appium's, pytest-playwright's screens) and JPEG
#: (Playwright's pages, a tenth of the weight): the type is read from the image itself.
PNG, JPEG = "image/png", "image/jpeg"
TEXT = "text/plain"
#: Bytes the whole file may take, its images included: under 5 MB, which CI tools store and
#: open without trouble.
FILE_LIMIT = 4_500_000
NANOSECONDS = 1_000_000_000
#: The step that stands for a failure outside the steps (set-up, tear-down).
OUTSIDE = "(hors étapes)"


def _slug(text: str) -> str:
    return "-".join(text.lower().split())


def _base64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _encoded_size(path: Path) -> int | None:
    """The screen's size once in base64; None when the file is gone (a screen listed but
    lost: the step still reads right, without it)."""
    try:
        size = path.stat().st_size
    except OSError:
        return None
    return 4 * -(-size // 3)


def _table(fact: Fact) -> str:
    """The fact as text: its title, then its table in aligned columns."""
    lines = [fact.title]
    rows = [fact.columns, *fact.rows] if fact.columns else list(fact.rows)
    if rows:
        count = max(map(len, rows))
        widths = [max((len(r[i]) for r in rows if i < len(r)), default=0) for i in range(count)]

        def line(row: list[str]) -> str:
            return " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip()

        if fact.columns:
            lines += [line(fact.columns), "-+-".join("-" * w for w in widths)]
        lines += [line(row) for row in fact.rows]
    return "\n".join(lines)


def _facts(step: StepRecord, number: int) -> list[dict]:
    if not step.facts:
        return []
    text = "\n\n".join(_table(fact) for fact in step.facts) + "\n"
    return [{"mime_type": TEXT, "data": _base64(text), "name": f"faits-etape-{number:02d}.txt"}]


@dataclass
class _Showing:
    """One screen where a step of the file shows it."""

    step: dict
    screen: Screen
    #: The embedding's name, without extension: ``etape-03-navigateur``.
    name: str
    #: The step failed (or stands for a failure): its screens are embedded first.
    failing: bool
    #: The scenario's name.
    scenario: str

    @property
    def where(self) -> str:
        """The step, for a reader looking for it: « Alors … » du scénario « … »."""
        return f"« {self.step['keyword']}{self.step['name']} » du scénario « {self.scenario} »"


def _step(step: StepRecord, number: int) -> dict:
    status = STEP_STATUS[step.status]
    outcome: dict = {"status": status}
    if status != "skipped":
        outcome["duration"] = round(step.duration * NANOSECONDS)
    found = {
        "keyword": step.keyword + " ",
        "name": step.text,
        "line": step.line,
        "result": outcome,
    }
    if step.notes:
        found["output"] = list(step.notes)
    embeddings = _facts(step, number)
    if embeddings:
        found["embeddings"] = embeddings
    return found


def _failure_message(result: ScenarioResult, step: StepRecord | None = None) -> str:
    """The failure in the step's own words: never the exception's type, nor a traceback."""
    message = (step.error if step is not None else "") or result.headline or "échec"
    if result.outcome == "error" and not message.startswith(ERREUR_OUTIL):
        message = f"{ERREUR_OUTIL} : {message}"
    return message


def _scenario(result: ScenarioResult, feature_id: str, showings: list[_Showing]) -> dict:
    record = result.record
    steps = [_step(step, number) for number, step in enumerate(record.steps, 1)]
    failing = None
    for number, (step, found) in enumerate(zip(record.steps, steps, strict=True), 1):
        if step.status == FAILED:
            found["result"]["error_message"] = _failure_message(result, step)
            failing = failing or found
        for screen in step.screens:
            showing = _Showing(
                found,
                screen,
                f"etape-{number:02d}-{_slug(screen.name)}",
                step.status == FAILED,
                record.name,
            )
            showings.append(showing)
    if result.outcome in ("failed", "error") and failing is None:
        # failed outside the steps (set-up, tear-down): the scenario still reads failed
        failure = {"status": "failed", "error_message": _failure_message(result)}
        failing = {"keyword": "", "name": OUTSIDE, "line": record.line or 1, "result": failure}
        steps.append(failing)
    elif result.outcome == "skipped":
        _say_why_skipped(result, steps)
    kept = failing or (steps[-1] if steps else None)
    for screen in record.failure_screens if kept is not None else []:
        name = f"echec-{_slug(screen.name)}"
        showings.append(_Showing(kept, screen, name, True, record.name))
    return {
        "id": f"{feature_id};{_slug(record.name)}",
        "keyword": record.keyword,
        "name": record.name,
        "description": "",
        "line": record.line or 1,
        "type": "scenario",
        "tags": [{"name": f"@{tag}"} for tag in record.tags],
        "steps": steps,
    }


def _say_why_skipped(result: ScenarioResult, steps: list[dict]) -> None:
    """The reason on the first step not run, or on a step of its own when none is left."""
    reason = result.message.strip() or "non exécuté"
    first = next((s for s in steps if s["result"]["status"] == "skipped"), None)
    if first is None:
        line = result.record.line or 1
        first = {"keyword": "", "name": OUTSIDE, "line": line, "result": {"status": "skipped"}}
        steps.append(first)
    first["result"]["error_message"] = reason


def _feature(record: ScenarioRecord) -> dict:
    return {
        "uri": record.file,
        "id": _slug(record.feature),
        "keyword": record.feature_keyword,
        "name": record.feature,
        "description": record.feature_description,
        "line": record.feature_line or 1,
        "elements": [],
    }


def _homes(showings: list[_Showing], folder: Path, budget: int) -> dict[str, _Showing]:
    """Where each screen embedded goes, by file: the failing steps' screens first, then the
    others in the file's order, while ``budget`` (base64 characters) lasts."""
    first: dict[str, _Showing] = {}
    for showing in sorted(showings, key=lambda s: not s.failing):  # stable: the file's order
        first.setdefault(showing.screen.file, showing)
    homes = {}
    for file, showing in first.items():
        size = _encoded_size(folder / file)
        if size is not None and size <= budget:
            homes[file] = showing
            budget -= size
    return homes


def _reference(showing: _Showing, home: _Showing | None) -> dict:
    screen = showing.screen
    lines = [f"Capture « {screen.name} » : {screen.file}"]
    if screen.address:
        lines.append(f"Page : {screen.address}")
    if screen.simulated_seconds:
        lines.append(f"Temps simulé écoulé : {format_duration(round(screen.simulated_seconds))}")
    if home is not None:
        lines.append(f"Image jointe à l'étape {home.where}.")
    else:
        lines.append(
            "Image non jointe : cucumber.json reste sous 5 Mo ; le fichier est dans le dossier"
            " du rapport (chemin relatif au dossier de cucumber.json)."
        )
    text = "\n".join(lines) + "\n"
    return {"mime_type": TEXT, "data": _base64(text), "name": f"{showing.name}.txt"}


def _screens(showings: list[_Showing], homes: dict[str, _Showing], folder: Path) -> dict:
    """Each step's screen embeddings, by the step's ``id``: the image at its home, a
    reference everywhere else."""
    found: dict[int, list[dict]] = {}
    for showing in showings:
        file = showing.screen.file
        home = homes.get(file)
        if home is showing:
            image = (folder / file).read_bytes()
            kind, suffix = (JPEG, "jpg") if image.startswith(b"\xff\xd8") else (PNG, "png")
            data = base64.b64encode(image).decode("ascii")
            embedding = {"mime_type": kind, "data": data, "name": f"{showing.name}.{suffix}"}
        elif home is not None or _encoded_size(folder / file) is not None:
            embedding = _reference(showing, home)
        else:
            continue
        found.setdefault(id(showing.step), []).append(embedding)
    return found


def _text(features: list[dict], screens: dict[int, list[dict]]) -> str:
    """The file, each step with its screens after its facts."""

    def step(found: dict) -> dict:
        added = screens.get(id(found), [])
        return {**found, "embeddings": found.get("embeddings", []) + added} if added else found

    shown = [
        {**f, "elements": [{**e, "steps": list(map(step, e["steps"]))} for e in f["elements"]]}
        for f in features
    ]
    return json.dumps(shown, ensure_ascii=False, indent=1)


def _document(results: list[ScenarioResult]) -> tuple[list[dict], list[_Showing]]:
    """The features without their screens, and where each screen shows, in the file's order."""
    by_file: dict[str, list[ScenarioResult]] = {}
    for result in results:
        by_file.setdefault(result.record.file, []).append(result)
    features, showings = [], []
    for found in by_file.values():
        feature = _feature(found[0].record)
        for result in found:
            element = _scenario(result, feature["id"], showings)
            # the examples of a "Plan du scénario" share a name; Cucumber numbers their ids
            same = sum(e["id"].split(";;")[0] == element["id"] for e in feature["elements"])
            if same:
                element["id"] += f";;{same + 1}"
            feature["elements"].append(element)
        features.append(feature)
    return features, showings


def write(results: list[ScenarioResult], path: Path) -> None:
    """``path``'s folder is the report folder: the screens' paths are relative to it. The
    images get what the text leaves of ``FILE_LIMIT``; while the references that replace the
    images left out still make the file too big, fewer images."""
    features, showings = _document(results)
    folder = path.parent
    budget = FILE_LIMIT - len(_text(features, {}).encode("utf-8"))
    while True:
        homes = _homes(showings, folder, budget)
        text = _text(features, _screens(showings, homes, folder))
        over = len(text.encode("utf-8")) - FILE_LIMIT
        if over <= 0 or not homes:
            break
        budget -= over + 10_000
    path.write_text(text, encoding="utf-8")
