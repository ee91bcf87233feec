"""Accepted exceptions (``--derogations``): a waiver before its date keeps a failure out of the
exit status, after it the failure counts again, one that covers a passing requirement is
flagged, and a file that cannot be trusted stops the run before anything runs."""

from __future__ import annotations

from datetime import date, timedelta
from html import unescape
from pathlib import Path

import pytest

from audit.requirements import CATALOG
from audit.verdict import NON_CONFORME, ScenarioResult, compliant, pointless, statuses
from audit.waivers import WaiverFileError, load
from tests.test_report import audit, read_report

TODAY = date.today()
SCENARIO = "Juste avant 2 heures d'inactivité, la session est encore ouverte"


def waiver_file(tmp_path: Path, *entries: str) -> Path:
    path = tmp_path / "derogations.toml"
    path.write_text("\n".join(f"[[derogation]]\n{entry}" for entry in entries), encoding="utf-8")
    return path


def entry(names: str, until: date = TODAY + timedelta(days=30), **fields: str) -> str:
    values = {
        "motif": '"correctif prévu en version 4.2"',
        "accordee_par": '"M. Martin, RSSI"',
        "accordee_le": (TODAY - timedelta(days=60)).isoformat(),
        "jusqu_au": until.isoformat(),
        **fields,
    }
    return names + "\n" + "\n".join(f"{k} = {v}" for k, v in values.items() if v)


def every_must() -> list[ScenarioResult]:
    """A passed scenario for each of the guide's requirements (the manual one, manual)."""
    return [
        ScenarioResult(
            r.id,
            {"exigences": [r.id], "scenario": f"scénario de {r.id}"},
            manual=r.id == "EXI-POSTE-VERROUILLAGE",
        )
        for r in CATALOG
        if r.must
    ]


def failing(requirement: str, name: str = "scénario qui échoue") -> list[ScenarioResult]:
    """Every must passes, and one scenario of ``requirement`` fails."""
    failure = ScenarioResult("x", {"exigences": [requirement], "scenario": name}, "failed")
    return [*every_must(), failure]


# -- the file's rules ------------------------------------------------------------------------


def test_a_well_formed_file_loads(tmp_path: Path) -> None:
    path = waiver_file(
        tmp_path, entry('exigence = "BP-SANS-MAINTIEN"'), entry(f'scenario = "{SCENARIO}"')
    )
    first, second = load(path)
    assert (first.requirement, first.scenario) == ("BP-SANS-MAINTIEN", None)
    assert (second.requirement, second.scenario) == (None, SCENARIO)
    assert first.accepted().startswith("dérogation acceptée jusqu'au ")


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        (entry('exigence = "EXI-INCONNUE"'), "exigence inconnue « EXI-INCONNUE »"),
        (entry('scenario = "Un scénario qui n\'existe pas"'), "scénario inconnu"),
        (entry('exigence = "BP-OTP"', motif=""), "« motif » manque"),
        (entry('exigence = "BP-OTP"', motif='"  "'), "« motif » manque"),
        (entry('exigence = "BP-OTP"', accordee_par=""), "« accordee_par » manque"),
        (entry('exigence = "BP-OTP"', jusqu_au='"31/01/2027"'), "« jusqu_au » doit être une date"),
        (
            entry('exigence = "BP-OTP"', until=TODAY - timedelta(days=90)),
            "est déjà passée quand elle est accordée",
        ),
        (entry(""), "indiquez soit « exigence », soit « scenario »"),
        (entry('exigence = "BP-OTP"', par='"x"'), "clé inconnue « par »"),
    ],
)
def test_a_file_that_cannot_be_trusted_says_why(tmp_path: Path, written: str, problem: str):
    with pytest.raises(WaiverFileError) as raised:
        load(waiver_file(tmp_path, entry('exigence = "BP-OTP"'), written))
    [line] = str(raised.value).splitlines()
    assert "dérogation n° 2" in line and problem in line


def test_every_problem_gets_its_line(tmp_path: Path) -> None:
    path = waiver_file(tmp_path, entry('exigence = "EXI-X"'), entry('scenario = "y"', motif=""))
    with pytest.raises(WaiverFileError) as raised:
        load(path)
    assert len(str(raised.value).splitlines()) == 3


def test_a_file_that_is_not_toml_says_so(tmp_path: Path) -> None:
    path = tmp_path / "derogations.toml"
    path.write_text("[[derogation]\n", encoding="utf-8")
    with pytest.raises(WaiverFileError, match="TOML invalide"):
        load(path)


# -- the verdict's rules -----------------------------------------------------------------------


def waivers_for(tmp_path: Path, *entries: str):
    return load(waiver_file(tmp_path, *entries))


def test_a_waived_failure_before_its_date_does_not_count(tmp_path: Path) -> None:
    waivers = waivers_for(tmp_path, entry('exigence = "EXI-WEB-INACTIVITE"'))
    requirements = statuses(failing("EXI-WEB-INACTIVITE"), waivers)
    inactivity = next(r for r in requirements if r.requirement.id == "EXI-WEB-INACTIVITE")
    assert inactivity.status == NON_CONFORME
    assert inactivity.shown_status.startswith("Non conforme — dérogation acceptée jusqu'au ")
    assert compliant(requirements)
    assert not compliant(statuses(failing("EXI-WEB-INACTIVITE")))


def test_a_waiver_counts_on_its_last_day_and_not_the_day_after(tmp_path: Path) -> None:
    waivers = waivers_for(tmp_path, entry('exigence = "BP-OTP"', until=TODAY + timedelta(days=1)))
    results = failing("BP-OTP")
    assert compliant(statuses(results, waivers, today=TODAY + timedelta(days=1)))
    after = statuses(results, waivers, today=TODAY + timedelta(days=2))
    assert not compliant(after)
    otp = next(r for r in after if r.requirement.id == "BP-OTP")
    assert otp.shown_status == NON_CONFORME
    assert otp.expired_waivers == waivers


def test_a_scenario_waiver_covers_that_scenario_only(tmp_path: Path) -> None:
    waivers = waivers_for(tmp_path, entry(f'scenario = "{SCENARIO}"'))
    assert compliant(statuses(failing("EXI-WEB-INACTIVITE", SCENARIO), waivers))
    two = [*failing("EXI-WEB-INACTIVITE", SCENARIO), *failing("EXI-WEB-INACTIVITE")[-1:]]
    assert not compliant(statuses(two, waivers)), "the other failure is not covered"


def test_a_waiver_whose_requirement_passes_is_without_object(tmp_path: Path) -> None:
    waivers = waivers_for(
        tmp_path, entry('exigence = "EXI-WEB-ACCES"'), entry('exigence = "BP-OTP"')
    )
    results = failing("BP-OTP")
    assert pointless(waivers, results, statuses(results, waivers)) == waivers[:1]


# -- from the command line -------------------------------------------------------------------


def test_a_file_with_problems_stops_the_run_before_it(tmp_path: Path) -> None:
    path = waiver_file(tmp_path, entry('exigence = "EXI-INCONNUE"'))
    run = audit(tmp_path / "rapport", "-m", "EXI-WEB-ACCES", f"--derogations={path}")
    assert run.returncode == 4, run.stdout[-2000:]
    assert "exigence inconnue « EXI-INCONNUE »" in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "rapport" / "rapport.html").exists()


@pytest.mark.lent
def test_a_waived_fault_passes_until_its_date_and_fails_after(tmp_path: Path) -> None:
    """A fault's failure under a waiver: the report shows it and the exit status is 0; the
    same run with the waiver expired fails; a waiver for a passing requirement is flagged."""
    selection = ("-m", "EXI-WEB-ACCES or BP-ID-ROTATION", "--perimetre", "selection")
    fault = ("--defaut", "identifiant-session-fixe")
    waived = waiver_file(tmp_path, entry('exigence = "BP-ID-ROTATION"'))
    run = audit(tmp_path / "avant", *selection, *fault, f"--derogations={waived}")
    assert run.returncode == 0, run.stdout[-3000:]
    assert read_report(tmp_path / "avant").sections["BP-ID-ROTATION"] == NON_CONFORME
    html = unescape((tmp_path / "avant" / "rapport.html").read_text(encoding="utf-8"))
    assert "Non conforme — dérogation acceptée jusqu'au" in html and "M. Martin, RSSI" in html
    expired = tmp_path / "expiree.toml"
    expired.write_text(
        entry(
            '[[derogation]]\nexigence = "BP-ID-ROTATION"',
            until=TODAY - timedelta(days=1),
        ),
        encoding="utf-8",
    )
    run = audit(tmp_path / "apres", *selection, *fault, f"--derogations={expired}")
    assert run.returncode == 1
    assert "dérogation expirée le" in run.stdout
    pointless_one = waiver_file(tmp_path, entry('exigence = "EXI-WEB-ACCES"'))
    run = audit(tmp_path / "sans-objet", *selection, f"--derogations={pointless_one}")
    assert run.returncode == 0, run.stdout[-3000:]
    assert "Dérogation sans objet : EXI-WEB-ACCES" in run.stdout
