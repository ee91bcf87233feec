"""``junit.xml`` read back the way CI tools read it, after ``audit/junit.py`` rewrote what
pytest's junitxml wrote for a tiny run: each scenario under its requirement and its title, the
tool's error apart from a finding, clean messages, screens as attachments that open from the
report folder; valid against the JUnit schema, readable by junitparser."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import junitparser
import pytest
import xmlschema

from audit import junit
from audit.scenario_record import FAILED, PASSED, ScenarioRecord, Screen, StepRecord
from audit.verdict import ScenarioResult

#: A run as pytest sees it: scenarios (here plain functions, named as pytest-bdd names them)
#: and one test of the project's own, which no scenario result names.
TESTS = {
    "features/test_web.py": """
import pytest

def test_se_déconnecter_de_spico(record_property):
    record_property("exigence", "EXI-WEB-DECONNEXION")  # as evidence.py does
    print("journal de la déconnexion")

def test_le_bouton_retour_ne_réaffiche_rien():
    raise AssertionError("la liste des patients est encore affichée")

def test_lancien_cookie_rejoué_est_refusé():
    raise KeyError("le rejeu n'a pas été préparé")

@pytest.fixture
def simulator():
    raise RuntimeError("le simulateur ne répond pas")

def test_la_session_expire(simulator):
    pass

def test_le_poste_se_verrouille():
    pytest.skip("non exécuté : la cible n'a pas de poste à verrouiller")

@pytest.mark.parametrize("_pytest_bdd_example", ["par e-mail", "réel"])
def test_code_reçu_moyen(_pytest_bdd_example):
    pass
""",
    "tests/test_outil.py": "def test_outil():\n    print('sortie')\n",
}
ESCAPED = "r\\xe9el"  # how pytest writes the id "réel" in a node ID
#: The title of an outline's example that does not show the example's values.
OUTLINE = "Activation avec le code reçu [réel]"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg=="
)
FAILED_STEP, FAILURE, EARLIER = (f"preuves/ecrans/{n * 64}.png" for n in "abc")
GONE = f"preuves/ecrans/{'d' * 64}.png"  # listed by the record, never written
#: The JUnit schema pytest's junitxml names (jenkinsci/xunit-plugin's junit-10.xsd), restated
#: without Surefire's rerun and flaky elements, and with one addition: a testcase's
#: ``<properties>``, which junit-10.xsd refuses but pytest writes (``record_property``, the
#: audit's ``exigence``) and GitLab, Jenkins and junitparser read or ignore.
SCHEMA = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:complexType name="result" mixed="true">
    <xs:attribute name="type" type="xs:string"/>
    <xs:attribute name="message" type="xs:string"/>
  </xs:complexType>
  <xs:element name="properties">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="property" minOccurs="0" maxOccurs="unbounded">
          <xs:complexType>
            <xs:attribute name="name" type="xs:string" use="required"/>
            <xs:attribute name="value" type="xs:string" use="required"/>
          </xs:complexType>
        </xs:element>
      </xs:sequence>
    </xs:complexType>
  </xs:element>
  <xs:element name="system-out" type="xs:string"/>
  <xs:element name="system-err" type="xs:string"/>
  <xs:element name="testcase">
    <xs:complexType>
      <xs:choice minOccurs="0" maxOccurs="unbounded">
        <xs:element ref="properties"/>
        <xs:element name="skipped" type="result"/>
        <xs:element name="error" type="result"/>
        <xs:element name="failure" type="result"/>
        <xs:element ref="system-out"/>
        <xs:element ref="system-err"/>
      </xs:choice>
      <xs:attribute name="name" type="xs:string" use="required"/>
      <xs:attribute name="time" type="xs:string"/>
      <xs:attribute name="classname" type="xs:string"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="testsuite">
    <xs:complexType>
      <xs:choice minOccurs="0" maxOccurs="unbounded">
        <xs:element ref="properties"/>
        <xs:element ref="testcase"/>
        <xs:element ref="system-out"/>
        <xs:element ref="system-err"/>
      </xs:choice>
      <xs:attribute name="name" type="xs:string" use="required"/>
      <xs:attribute name="tests" type="xs:string" use="required"/>
      <xs:attribute name="failures" type="xs:string" use="required"/>
      <xs:attribute name="errors" type="xs:string" use="required"/>
      <xs:attribute name="skipped" type="xs:string"/>
      <xs:attribute name="time" type="xs:string"/>
      <xs:attribute name="timestamp" type="xs:string"/>
      <xs:attribute name="hostname" type="xs:string"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="testsuites">
    <xs:complexType>
      <xs:sequence>
        <xs:element ref="testsuite" minOccurs="0" maxOccurs="unbounded"/>
      </xs:sequence>
      <xs:attribute name="name" type="xs:string"/>
    </xs:complexType>
  </xs:element>
</xs:schema>
"""


def _run(folder: Path, *options: str) -> Path:
    """Run the tests above with pytest's junitxml; where it wrote junit.xml."""
    for name, text in TESTS.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    path = folder / "rapport" / "junit.xml"
    command = [sys.executable, "-m", "pytest", "features", "tests", f"--junitxml={path}"]
    command += ["-o", "junit_logging=system-out", "-p", "no:cacheprovider", *options]
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}  # not the suite's plugins
    done = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True)
    assert path.is_file(), done.stdout + done.stderr
    return path


def _record(name: str, *requirements: str, **fields) -> ScenarioRecord:
    return ScenarioRecord(
        feature="Déconnexion",
        file="web/deconnexion.feature",
        name=name,
        line=12,
        tags=["web", *requirements],
        requirements=list(requirements),
        **fields,
    )


def _results() -> list[ScenarioResult]:
    """What the audit would have kept of the run."""
    steps = [
        StepRecord(
            keyword="Étant donné",
            text="un professionnel connecté",
            line=13,
            status=PASSED,
            screens=[Screen(file=EARLIER, name="navigateur")],
        ),
        StepRecord(
            keyword="Alors",
            text="rien n'est réaffiché",
            line=15,
            status=FAILED,
            screens=[Screen(file=FAILED_STEP, name="navigateur"), Screen(file=GONE, name="x")],
        ),
    ]
    nodeid = "features/test_web.py::"
    return [
        ScenarioResult(
            nodeid + "test_se_déconnecter_de_spico",
            _record("Se déconnecter de SPICO", "EXI-WEB-DECONNEXION", steps=steps[:1]),
        ),
        ScenarioResult(
            nodeid + "test_le_bouton_retour_ne_réaffiche_rien",
            _record(
                "Après la déconnexion, le bouton retour ne réaffiche rien",
                "EXI-WEB-DECONNEXION",
                "BP-RETOUR-ARRIERE",
                steps=steps,
                failure_screens=[Screen(file=FAILURE, name="navigateur")],
            ),
            outcome="failed",
            message="AssertionError: la liste des patients est encore affichée\nassert False",
        ),
        ScenarioResult(
            nodeid + "test_lancien_cookie_rejoué_est_refusé",
            _record("L'ancien cookie rejoué est refusé", "BP-RETOUR-ARRIERE"),
            outcome="error",
            message="KeyError : le rejeu n'a pas été préparé",
        ),
        ScenarioResult(
            nodeid + "test_la_session_expire",
            _record("La session expire", "EXI-WEB-INACTIVITE"),
            outcome="error",
            message="RuntimeError : le simulateur ne répond pas",
        ),
        ScenarioResult(
            nodeid + "test_le_poste_se_verrouille",
            _record("Le poste se verrouille", "EXI-POSTE-VERROUILLAGE"),
            outcome="skipped",
            message="non exécuté : la cible n'a pas de poste à verrouiller",
        ),
        ScenarioResult(
            nodeid + "test_code_reçu_moyen[par e-mail]",
            _record("Activation avec un code reçu par e-mail", "EXI-MOB-ACTIVATION"),
        ),
        ScenarioResult(
            nodeid + f"test_code_reçu_moyen[{ESCAPED}]",
            _record("Activation avec le code reçu", "EXI-MOB-ACTIVATION"),
        ),
    ]


@pytest.fixture(scope="module")
def pytest_wrote(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return _run(tmp_path_factory.mktemp("run")).read_bytes()


@pytest.fixture
def report(tmp_path: Path, pytest_wrote: bytes) -> Path:
    """A report folder: the junit.xml pytest wrote, and the screens that were kept."""
    path = tmp_path / "junit.xml"
    path.write_bytes(pytest_wrote)
    for file in (FAILED_STEP, FAILURE, EARLIER):
        (tmp_path / file).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / file).write_bytes(PNG)
    return path


def _cases(path: Path) -> dict[str, ET.Element]:
    """The test cases by name."""
    return {case.get("name"): case for case in ET.parse(path).getroot().iter("testcase")}


def _rewritten(report: Path) -> dict[str, ET.Element]:
    junit.rewrite(report, _results())
    return _cases(report)


def test_each_scenario_reads_as_its_requirements_feature_and_title(report: Path) -> None:
    cases = _rewritten(report)
    expected = {result.name: result.requirements for result in _results()}
    expected[OUTLINE] = expected.pop("Activation avec le code reçu")
    for name, requirements in expected.items():
        case = cases[name]
        assert case.get("classname") == "+".join(requirements) + ".web/deconnexion"
        named = [p.get("value") for p in case.iter("property") if p.get("name") == "exigence"]
        assert named == requirements  # once each, the one pytest wrote included
    assert set(cases) == {*expected, "test_outil"}


def test_the_tools_error_is_an_error_and_a_finding_a_failure(report: Path) -> None:
    before = _cases(report)
    cases = _rewritten(report)
    finding = cases["Après la déconnexion, le bouton retour ne réaffiche rien"]
    assert [e.tag for e in finding if e.tag in ("failure", "error")] == ["failure"]
    failure = finding.find("failure")
    assert failure.get("message") == "la liste des patients est encore affichée"
    assert failure.text == before["test_le_bouton_retour_ne_réaffiche_rien"].find("failure").text
    for name, message in [
        ("L'ancien cookie rejoué est refusé", "KeyError : le rejeu n'a pas été préparé"),
        ("La session expire", "RuntimeError : le simulateur ne répond pas"),
    ]:
        assert [e.tag for e in cases[name] if e.tag in ("failure", "error")] == ["error"]
        assert cases[name].find("error").get("message") == message
    suite = ET.parse(report).getroot().find("testsuite")
    assert (suite.get("failures"), suite.get("errors")) == ("1", "2")


def test_a_skip_says_its_reason_only(report: Path) -> None:
    skipped = _rewritten(report)["Le poste se verrouille"].find("skipped")
    reason = "non exécuté : la cible n'a pas de poste à verrouiller"
    assert (skipped.get("message"), skipped.text) == (reason, reason)


def test_screens_are_attachments_that_open_from_the_report_folder(report: Path) -> None:
    cases = _rewritten(report)
    failed = cases["Après la déconnexion, le bouton retour ne réaffiche rien"]
    attached = _attachments(failed)
    # the failing step's screen first: GitLab links only the first; a screen gone is not named
    assert attached == [FAILED_STEP, FAILURE, EARLIER]
    assert all((report.parent / file).is_file() for file in attached)
    passed = cases["Se déconnecter de SPICO"].find("system-out").text
    assert "journal de la déconnexion" in passed, "la sortie écrite par pytest est perdue"
    assert _attachments(cases["Se déconnecter de SPICO"]) == [EARLIER]
    assert _attachments(cases["La session expire"]) == []


def _attachments(case: ET.Element) -> list[str]:
    lines = case.find("system-out").text.splitlines()
    return [
        line.removeprefix("[[ATTACHMENT|").removesuffix("]]")
        for line in lines
        if line.startswith("[[ATTACHMENT|")
    ]


def test_the_projects_own_tests_are_left_as_pytest_wrote_them(report: Path) -> None:
    before = ET.tostring(_cases(report)["test_outil"])
    assert ET.tostring(_rewritten(report)["test_outil"]) == before


def test_a_junit_prefix_is_kept_before_the_requirements(tmp_path: Path) -> None:
    path = _run(tmp_path, "--junit-prefix=spico")
    junit.rewrite(path, _results())
    case = _cases(path)["La session expire"]
    assert case.get("classname") == "spico.EXI-WEB-INACTIVITE.web/deconnexion"


def test_ci_tools_read_it(report: Path) -> None:
    _rewritten(report)
    xmlschema.XMLSchema(SCHEMA).validate(str(report))
    cases = {
        case.name: case for suite in junitparser.JUnitXml.fromfile(str(report)) for case in suite
    }
    kinds = {name: [type(r).__name__ for r in case.result] for name, case in cases.items()}
    assert kinds["La session expire"] == ["Error"]
    assert kinds["Après la déconnexion, le bouton retour ne réaffiche rien"] == ["Failure"]
    assert kinds["Le poste se verrouille"] == ["Skipped"]
    assert cases["Se déconnecter de SPICO"].classname == "EXI-WEB-DECONNEXION.web/deconnexion"
