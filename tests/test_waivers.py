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
from tests.records import record
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
            record(f"scénario de {r.id}", r.id),
            manual=r.id == "EXI-POSTE-VERROUILLAGE",
        )
        for r in CATALOG
        if r.must
    ]


def failing(requirement: str, name: str = "scénario qui échoue") -> list[ScenarioResult]:
    """Every must passes, and one scenario of ``requirement`` fails."""
    failure = ScenarioResult("x", record(name, requirement), "failed")
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
        (entry('exigence = "EXI-INCONNUE"'), "« exigence » : exigence inconnue « EXI-INCONNUE »"),
        (entry('scenario = "Un scénario qui n\'existe pas"'), "« scenario » : scénario inconnu"),
        (entry('exigence = "BP-OTP"', motif=""), "« motif » : clé obligatoire manquante"),
        (entry('exigence = "BP-OTP"', motif='"  "'), "« motif » : ne doit pas être vide"),
        (entry('exigence = "BP-OTP"', motif="4.2"), "« motif » : doit être un texte"),
        (entry('exigence = "BP-OTP"', accordee_par=""), "« accordee_par » : clé obligatoire"),
        (
            entry('exigence = "BP-OTP"', jusqu_au='"31/01/2027"'),
            "« jusqu_au » : doit être une date AAAA-MM-JJ (sans guillemets)",
        ),
        (
            entry('exigence = "BP-OTP"', accordee_le="2026-01-10T10:00:00"),
            "« accordee_le » : doit être une date",
        ),
        (
            entry('exigence = "BP-OTP"', until=TODAY - timedelta(days=90)),
            f"« jusqu_au » : la date du {TODAY - timedelta(days=90):%d/%m/%Y} est déjà passée"
            " quand elle est accordée",
        ),
        (
            entry('exigence = "BP-OTP"', accordee_le="2099-01-01", until=date(2100, 1, 1)),
            "« accordee_le » : accordée le 01/01/2099, une date à venir : une dérogation se date"
            " du jour où elle est accordée",
        ),
        (
            entry('exigence = "BP-OTP"', accordee_le="0001-01-01", until=date(9999, 12, 31)),
            "« jusqu_au » : au plus un an après « accordee_le », le 02/01/0002 : une dérogation"
            " est temporaire, elle se renouvelle",
        ),
        (entry(""), "« scenario » : indiquez soit « exigence », soit « scenario »"),
        (
            entry(f'exigence = "BP-OTP"\nscenario = "{SCENARIO}"'),
            "indiquez soit « exigence », soit « scenario »",
        ),
        (entry('exigence = "BP-OTP"', par='"x"'), "clé inconnue « par »"),
    ],
)
def test_a_file_that_cannot_be_trusted_says_why(tmp_path: Path, written: str, problem: str):
    path = waiver_file(tmp_path, entry('exigence = "BP-OTP"'), written)
    with pytest.raises(WaiverFileError) as raised:
        load(path)
    [line] = str(raised.value).splitlines()
    assert line.startswith(f"{path} : [[derogation]] n° 2 ") and problem in line


def test_every_problem_gets_its_line(tmp_path: Path) -> None:
    path = waiver_file(tmp_path, entry('exigence = "EXI-X"'), entry('scenario = "y"', motif=""))
    with pytest.raises(WaiverFileError) as raised:
        load(path)
    assert [line.split(" : ")[1] for line in str(raised.value).splitlines()] == [
        "[[derogation]] n° 1 « exigence »",
        "[[derogation]] n° 2 « scenario »",
        "[[derogation]] n° 2 « motif »",
    ]


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("", ["[[derogation]] : aucune dérogation : il en faut au moins une"]),
        ("# rien encore\n", ["[[derogation]] : aucune dérogation : il en faut au moins une"]),
        (
            "[[derogations]]\n" + entry('exigence = "BP-OTP"'),
            [
                "[[derogation]] : aucune dérogation : il en faut au moins une",
                "clé inconnue « derogations » (connues : derogation)",
            ],
        ),
        ('derogation = "BP-OTP"\n', ["[[derogation]] : doit être une liste de tables"]),
        ("derogation = [1]\n", ["[[derogation]] n° 1 : doit être une table"]),
    ],
    ids=["vide", "commentaire", "table-mal-nommee", "texte", "liste-de-nombres"],
)
def test_a_file_without_waivers_says_so(tmp_path: Path, text: str, problems: list[str]) -> None:
    path = tmp_path / "derogations.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WaiverFileError) as raised:
        load(path)
    assert str(raised.value).splitlines() == [f"{path} : {problem}" for problem in problems]


#: Two periods that meet, and two that do not.
EARLY = {"accordee_le": (TODAY - timedelta(days=200)).isoformat()}
LATE = {"accordee_le": (TODAY - timedelta(days=10)).isoformat()}
ENDS_EARLY = TODAY - timedelta(days=100)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (entry('exigence = "BP-OTP"'), entry('exigence = "BP-OTP"', **LATE)),
        (entry(f'scenario = "{SCENARIO}"'), entry(f'scenario = "{SCENARIO}"')),
        (entry(f'scenario = "{SCENARIO}"'), entry('exigence = "EXI-WEB-INACTIVITE"', **LATE)),
        (entry('exigence = "EXI-WEB-INACTIVITE"'), entry(f'scenario = "{SCENARIO}"')),
    ],
    ids=["meme-exigence", "meme-scenario", "scenario-puis-son-exigence", "exigence-puis-scenario"],
)
def test_two_waivers_for_one_scenario_at_one_time_are_refused(
    tmp_path: Path, first: str, second: str
) -> None:
    """Which of the two would decide? Neither: the file keeps one."""
    with pytest.raises(WaiverFileError) as raised:
        load(waiver_file(tmp_path, entry('exigence = "EXI-WEB-ACCES"'), first, second))
    [line] = str(raised.value).splitlines()
    assert line.split(" : ", 1)[1].startswith("[[derogation]] n° 3 : couvre, comme la n° 2 (")
    assert line.endswith("un même scénario sur une période commune : n'en gardez qu'une")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            entry('exigence = "BP-OTP"', until=ENDS_EARLY, **EARLY),
            entry('exigence = "BP-OTP"', **LATE),
        ),
        (entry(f'scenario = "{SCENARIO}"'), entry('exigence = "BP-OTP"')),
    ],
    ids=["renouvelee-apres-la-fin", "autre-exigence"],
)
def test_waivers_that_never_cover_one_scenario_at_one_time_load(
    tmp_path: Path, first: str, second: str
) -> None:
    assert len(load(waiver_file(tmp_path, first, second))) == 2


def test_a_file_that_is_not_toml_says_so(tmp_path: Path) -> None:
    path = tmp_path / "derogations.toml"
    path.write_text("[[derogation]\n", encoding="utf-8")
    with pytest.raises(WaiverFileError, match="TOML illisible"):
        load(path)


@pytest.mark.parametrize(
    ("name", "problem"),
    [("absent.toml", "fichier introuvable"), (".", "c'est un dossier, pas un fichier")],
)
def test_a_file_that_cannot_be_read_says_so(tmp_path: Path, name: str, problem: str) -> None:
    with pytest.raises(WaiverFileError) as raised:
        load(tmp_path / name)
    assert str(raised.value) == f"{tmp_path / name} : {problem}"


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
