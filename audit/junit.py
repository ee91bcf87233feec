"""``junit.xml`` as CI tools show it. pytest's junitxml names each test case after its test
function ("test_un_code_dactivation_déjà_utilisé_est_refusé", class "features.test_mobile");
once it has written the file, each scenario's test case is rewritten to read as the audit does:

- ``classname`` is the requirements, then the feature file:
  ``EXI-WEB-DECONNEXION.web/deconnexion``. Jenkins splits a classname at its last dot into
  package and class, so its test view groups scenarios by requirement, then by feature; GitLab
  shows the whole classname as the test's suite. Hence no ".feature" (Jenkins would make
  "feature" the class), nor any other dot of the feature's path; several requirements are
  joined by "+" (an ID holds neither dot nor "+");
- ``name`` is the scenario's title; an outline's title names its example's values, or they
  follow it in brackets;
- each requirement is also an ``exigence`` property (``evidence.py`` adds them; added here if
  missing), for tools that read properties;
- the failure says the scenario's outcome: ``<error>`` for the tool's own error, ``<failure>``
  for a finding, wherever pytest saw it (it writes ``<failure>`` for whatever the call raised,
  ``<error>`` at set-up and tear-down); its message is the scenario's headline. A failure keeps
  its traceback as text; a skip's text is its reason;
- its screens are attachments: one ``[[ATTACHMENT|preuves/ecrans/….png]]`` line each in
  ``<system-out>``, the failure's first, since GitLab links only a test case's first one (and
  only for a failure or an error; it shows the other lines as output).

The attachments' paths start at ``base``: GitLab resolves them from the project directory
($CI_PROJECT_DIR; its "Unit test reports" page, "Add screenshots to test reports"), so the
report plugin passes the directory the audit runs in when the report folder is inside it (a
CI job's ``--rapport rapport`` gives ``rapport/preuves/ecrans/….jpg``), and the folder holding
junit.xml otherwise, as a reader of the downloaded report follows them. Only this module can
write them: editing junit.xml afterwards would break ``SHA256SUMS``.

Test cases of no scenario (the project's own tests) are left as pytest wrote them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

# pytest's own (private, but the very functions that wrote the file): a test case is found
# by the names they gave it.
from _pytest.junitxml import bin_xml_escape, mangle_test_address

from .scenario_record import ScenarioRecord
from .verdict import ScenarioResult

#: The element a failed scenario's test case holds, by outcome.
FAILURE_TAG = {"failed": "failure", "error": "error"}


def rewrite(path: Path, results: list[ScenarioResult], base: Path | None = None) -> None:
    """Each scenario's test case as the audit reads it; attachments relative to ``base`` (by
    default, the folder holding ``path``)."""
    tree = ET.parse(path)
    by_address = {_address(result.nodeid): result for result in results}
    folder = path.parent.resolve()
    start = folder.relative_to(base.resolve()).as_posix() + "/" if base else ""
    for suite in tree.getroot().iter("testsuite"):
        for case in suite.findall("testcase"):
            result, prefix = _match(case, by_address)
            if result is not None:
                _rewrite_case(case, suite, result, prefix, folder, start.removeprefix("./"))
    tree.write(path, encoding="utf-8", xml_declaration=True)


def _address(nodeid: str) -> tuple[str, str]:
    """The classname and name pytest's junitxml gives the test case of ``nodeid``."""
    names = mangle_test_address(nodeid)
    return ".".join(names[:-1]), bin_xml_escape(names[-1])


def _match(case: ET.Element, by_address: dict) -> tuple[ScenarioResult | None, str]:
    """The test case's result, and what ``--junit-prefix`` put before its classname."""
    parts, name = case.get("classname", "").split("."), case.get("name", "")
    for start in range(len(parts)):
        result = by_address.get((".".join(parts[start:]), name))
        if result is not None:
            return result, ".".join(parts[:start])
    return None, ""


def _rewrite_case(
    case: ET.Element,
    suite: ET.Element,
    result: ScenarioResult,
    prefix: str,
    folder: Path,
    start: str,
) -> None:
    record = result.record
    classname = _classname(record)
    case.set("classname", f"{prefix}.{classname}" if prefix else classname)
    case.set("name", bin_xml_escape(_title(record.name, result.nodeid)))
    _name_requirements(case, record.requirements)
    _say_outcome(case, suite, result)
    _attach(case, [start + file for file in _screens(record) if (folder / file).is_file()])


def _classname(record: ScenarioRecord) -> str:
    feature = record.file.removesuffix(".feature").replace(".", "_")
    return ".".join(part for part in ("+".join(record.requirements), feature) if part)


def _title(title: str, nodeid: str) -> str:
    """The scenario's title, with its example's values if the title does not show them."""
    _, bracket, params = nodeid.partition("::")[2].partition("[")
    if not bracket:
        return title
    values = params.removesuffix("]")
    if values.isascii():  # pytest writes an id's other letters as escapes: "r\xe9el"
        values = values.encode("ascii").decode("unicode_escape")
    return title if values in title else f"{title} [{values}]"


def _name_requirements(case: ET.Element, requirements: list[str]) -> None:
    properties = case.find("properties")
    if properties is None:
        if not requirements:
            return
        properties = ET.Element("properties")
        case.insert(0, properties)  # where pytest puts it
    named = {p.get("value") for p in properties.iter("property") if p.get("name") == "exigence"}
    for requirement in requirements:
        if requirement not in named:
            ET.SubElement(properties, "property", name="exigence", value=requirement)


def _say_outcome(case: ET.Element, suite: ET.Element, result: ScenarioResult) -> None:
    headline = bin_xml_escape(result.headline)
    tag = FAILURE_TAG.get(result.outcome)
    for element in case:
        if tag and element.tag in FAILURE_TAG.values():
            if element.tag != tag:
                _count(suite, element.tag, -1)
                _count(suite, tag, +1)
                element.tag = tag
            if headline:
                element.set("message", headline)
        elif result.outcome == "skipped" and element.tag == "skipped":
            if headline:
                element.set("message", headline)
            element.text = bin_xml_escape(result.message)


def _count(suite: ET.Element, tag: str, change: int) -> None:
    """The suite's "failures" and "errors" count elements, as pytest counted them."""
    attribute = f"{tag}s"
    suite.set(attribute, str(int(suite.get(attribute, "0")) + change))


def _screens(record: ScenarioRecord) -> list[str]:
    """Each screen's file once, those of the failure first."""
    failing = record.failing_step
    first = (failing.screens if failing else []) + record.failure_screens
    return list(dict.fromkeys(screen.file for screen in first + record.screens()))


def _attach(case: ET.Element, files: list[str]) -> None:
    output = case.find("system-out")
    text = "" if output is None else output.text or ""
    if not files:
        return
    if output is None:
        output = ET.SubElement(case, "system-out")
    if text and not text.endswith("\n"):
        text += "\n"
    output.text = text + "".join(f"[[ATTACHMENT|{file}]]\n" for file in files)
